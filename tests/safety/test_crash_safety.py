"""Crash safety: the real server (gunicorn) is killed with SIGKILL while it writes a
concern with its person, types of risk, timeline event and access log entry; after a
restart the concern is there whole or not at all. SQLite runs in WAL mode with
synchronous=FULL."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from core import create_app
from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import make_token
from tests.concerns.test_concerns_api import PERSON, concern_body
from tests.conftest import Factory
from tests.support.database import base_config, upgrade
from tests.support.served import Server


def _case_rows(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        counts = {
            table: int(connection.scalar(sa.text(query)) or 0)
            for table, query in {
                "concerns": "SELECT count(*) FROM concerns",
                "people": "SELECT count(*) FROM people",
                "concerns_with_types": "SELECT count(DISTINCT concern_id) FROM concern_risk_types",
                "concerns_with_events": "SELECT count(DISTINCT concern_id) FROM case_events",
                "logged_creates": "SELECT count(*) FROM access_log WHERE action = 'concern.create'",
                "orphan_types": "SELECT count(*) FROM concern_risk_types WHERE concern_id "
                "NOT IN (SELECT id FROM concerns)",
                "orphan_people": "SELECT count(*) FROM people WHERE id "
                "NOT IN (SELECT person_id FROM concerns)",
            }.items()
        }
        integrity = connection.scalar(sa.text("PRAGMA integrity_check"))
    engine.dispose()
    assert integrity == "ok"
    return counts


def _whole(counts: dict[str, int], concerns: int) -> bool:
    return counts == {
        "concerns": concerns,
        "people": concerns,
        "concerns_with_types": concerns,
        "concerns_with_events": concerns,
        "logged_creates": concerns,
        "orphan_types": 0,
        "orphan_people": 0,
    }


def _body(name: str) -> dict:
    return concern_body(person=PERSON | {"given_name": name, "nhs_number": None})


def test_sqlite_runs_in_wal_mode_with_full_sync(app_factory, tmp_path):
    url = f"sqlite:///{tmp_path / 'pragmas.sqlite3'}"
    upgrade(url)
    app = create_app(base_config() | {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        assert db.session.scalar(sa.text("PRAGMA journal_mode")) == "wal"
        assert db.session.scalar(sa.text("PRAGMA synchronous")) == 2  # FULL
        assert db.session.scalar(sa.text("PRAGMA foreign_keys")) == 1
        db.engine.dispose()


@pytest.mark.tooling
def test_a_server_killed_mid_write_leaves_the_whole_concern_or_none(tmp_path):
    url = f"sqlite:///{tmp_path / 'crash.sqlite3'}"
    upgrade(url)
    app = create_app(base_config() | {"SQLALCHEMY_DATABASE_URI": url})
    factory = Factory(app)
    officer = factory.user(role=Role.SAFEGUARDING_OFFICER)
    token = make_token(app, officer)
    with app.app_context():
        db.engine.dispose()
    log = tmp_path / "gunicorn.log"

    # a normal server first: two concerns saved whole
    server = Server(url, log)
    try:
        assert server.post_concern(token, _body("Ada")) == 201
        assert server.post_concern(token, _body("Bea")) == 201
    finally:
        server.stop()
    assert _whole(_case_rows(url), 2)

    # now each concern is written and held uncommitted for a minute: kill it meanwhile
    server = Server(url, log, slow_commit=60)
    answers: list[int | None] = []
    writers = [
        threading.Thread(target=lambda n=name: answers.append(server.post_concern(token, _body(n))))
        for name in ("Cas", "Dot", "Eve")
    ]
    for writer in writers:
        writer.start()
    server.wait_until_holding(1)  # a concern is written and waits to commit; the rest queue
    server.kill()
    for writer in writers:
        writer.join(timeout=30)
    assert answers == [None, None, None]  # nobody was told it was saved

    after_crash = _case_rows(url)
    assert _whole(after_crash, 2), after_crash  # none of the three, not a part of one

    # restarted, the server works on the same file and saves whole concerns again
    server = Server(url, log)
    try:
        assert server.post_concern(token, _body("Fay")) == 201
    finally:
        server.stop()
    assert _whole(_case_rows(url), 3)
