"""The embedded default is a real server: gunicorn as ``make run`` serves it (one worker,
four threads) on the suite's database, eight clients reading and writing records at once,
25 requests each (a fixed amount of work, not a time: how fast is for benchmarks/): no
5xx, every create saved, and the access log's chain intact."""

from __future__ import annotations

import json
import random
import threading
from collections import Counter

import sqlalchemy as sa

from core.accesslog.operations import verify_chain
from core.auth.roles import Role
from core.concerns.models import Concern
from core.extensions import db
from tests.api.conftest import make_token
from tests.concerns.test_concerns_api import PERSON, concern_body
from tests.conftest import Factory
from tests.support.served import Server

CLIENTS = 8
REQUESTS = 25  # each


def test_eight_clients_reading_and_writing_get_no_5xx_and_the_chain_holds(app, tmp_path):
    factory = Factory(app)
    council = factory.agency(name="Northshire Council", type="local_authority")
    tokens = [
        make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER, agency_id=council))
        for _ in range(CLIENTS)
    ]
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        db.engine.dispose()
    server = Server(url, tmp_path / "gunicorn.log")
    statuses: Counter[int | None] = Counter()
    failures: list[tuple[str, int | None, bytes]] = []
    created: list[int] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        token, chance = tokens[number], random.Random(number)
        own: list[int] = []
        for _ in range(REQUESTS):
            roll = chance.random()
            if roll < 0.3 or not own:
                body = concern_body(
                    person=PERSON | {"given_name": f"Client{number}", "nhs_number": None}
                )
                call = ("POST", "/api/v1/concerns/", body)
            elif roll < 0.75:
                call = ("GET", f"/api/v1/concerns/{chance.choice(own)}", None)
            elif roll < 0.9:
                call = ("GET", "/api/v1/concerns/?page_size=10", None)
            else:
                call = ("GET", "/api/v1/me", None)
            status, answer = server.call(call[0], call[1], token, call[2])
            if call[0] == "POST" and status == 201:
                own.append(json.loads(answer)["id"])
            with lock:
                statuses[status] += 1
                if status is None or status >= 500:
                    failures.append((f"{call[0]} {call[1]}", status, answer[:300]))
        with lock:
            created.extend(own)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()

    assert failures == []
    assert statuses[201] == len(created) > CLIENTS  # every client wrote, several times
    assert sum(statuses.values()) == CLIENTS * REQUESTS  # every request answered
    with app.app_context():
        saved = db.session.scalar(sa.select(sa.func.count()).select_from(Concern))
        assert saved == len(created)  # nothing half-saved, nothing lost
        result = verify_chain()
        assert result.intact, result
        db.session.remove()
