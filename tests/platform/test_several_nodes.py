"""Several app nodes, as production runs them (docs/production.md): two gunicorn nodes on
different ports and one job worker, on one PostgreSQL database and one Redis, started once
for the module. A person's browser keeps one cookie jar and a load balancer may send each
request to either node: signing in, signing out, a disabled account, the failed sign-ins
the limit counts, a queued email and the access log's chain must not care which.

PostgreSQL and Redis only (an SQLite file is not shared between machines): skipped on the
SQLite run; on the PostgreSQL run an unreachable Redis fails the tests
(tests/support/jobs.py), as CI's unreachable PostgreSQL fails the run."""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pytest
import sqlalchemy as sa
from rq.job import Job
from rq.registry import FinishedJobRegistry

from core.accesslog.models import AccessLogEntry
from core.auth.models import User
from core.auth.roles import Role
from core.extensions import db
from core.users.operations import update_user
from tests.api.conftest import make_token
from tests.concerns.test_concerns_api import PERSON, concern_body
from tests.conftest import CSRF_FIELD, TEST_PASSWORD, Factory
from tests.support import clock as suite_clock
from tests.support.database import using_postgres
from tests.support.jobs import JobQueue, WorkerProcess, redis_queue, wait_for
from tests.support.served import Server
from tests.support.smtp import Mailbox, serving

pytestmark = pytest.mark.skipif(
    not using_postgres(), reason="several nodes share PostgreSQL and Redis"
)

FAILED_SIGN_INS_ALLOWED = 3
NEW_PASSWORD = "a-new-and-uncommon-passphrase"


class _Keep302(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the test looks at each redirect itself


@dataclass
class Answer:
    status: int
    body: str
    location: str


class Browser:
    """One person's browser: one cookie jar, whichever node the request reaches (the nodes
    share the host 127.0.0.1, as they share the site's name behind a load balancer)."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _Keep302()
        )

    def get(self, node: Server, path: str) -> Answer:
        return self._send(urllib.request.Request(node.url(path)))  # noqa: S310

    def post(self, node: Server, path: str, data: dict[str, str], token: str) -> Answer:
        body = urllib.parse.urlencode(data | {"csrf_token": token}).encode()
        return self._send(urllib.request.Request(node.url(path), data=body))  # noqa: S310

    def csrf_token(self, node: Server, path: str) -> str:
        page = self.get(node, path)
        match = CSRF_FIELD.search(page.body)
        assert match, f"no CSRF token on {path} ({page.status})"
        return match.group(1) or match.group(2)

    def sign_in(self, node: Server, email: str, password: str = TEST_PASSWORD) -> Answer:
        token = self.csrf_token(node, "/sign-in")
        return self.post(node, "/sign-in", {"email": email, "password": password}, token)

    def _send(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=60) as response:
                return Answer(response.status, response.read().decode(), "")
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(), error.headers.get("Location", ""))


def signed_in(answer: Answer) -> bool:
    return answer.status == 200 and "Sign out" in answer.body


def signed_out(answer: Answer) -> bool:
    return answer.status == 302 and urllib.parse.urlsplit(answer.location).path == "/sign-in"


@dataclass
class Deployment:
    nodes: tuple[Server, Server]
    worker: WorkerProcess
    mailbox: Mailbox
    queue: JobQueue


@pytest.fixture(scope="module")
def deployment(database_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Two nodes and a worker for the module, on the suite's database (emptied after each
    test as usual) and a Redis queue of the module's own, where the rate limits count too
    (REDIS_URL, as in production: no RATELIMIT_STORAGE_URI)."""
    logs = tmp_path_factory.mktemp("nodes")
    with redis_queue() as queue, serving() as smtp:
        settings = {
            "REDIS_URL": queue.url,
            "JOBS_QUEUE": queue.name,
            "MAIL_SERVER": smtp.host,
            "MAIL_PORT": str(smtp.port),
            "SIGN_IN_RATE_LIMIT": f"{FAILED_SIGN_INS_ALLOWED} per minute",
            "SERVED_SETTINGS": json.dumps(
                # the limiter's keys carry the queue's name, so they go with its keys
                {"RATELIMIT_STORAGE_URI": None, "RATELIMIT_KEY_PREFIX": queue.name}
            ),
        }
        # the processes run from the suite's moment, as each test's clock starts there
        with suite_clock.holding(suite_clock.SUITE_NOW, tick=True):
            nodes = tuple(
                Server(database_template, logs / f"node-{n}.log", settings=settings, wait=False)
                for n in "ab"
            )
            worker = WorkerProcess(
                database_template, logs / "worker.log", "--no-schedule", **settings
            )
        try:
            for node in nodes:
                node.wait_until_up()
            yield Deployment((nodes[0], nodes[1]), worker, smtp.mailbox, queue)
        finally:
            for process in (*nodes, worker):
                process.stop()


def _user(app: Any, **kwargs: Any) -> tuple[int, str]:
    factory = Factory(app)
    email = f"user-{uuid.uuid4().hex[:12]}@example.org"
    return factory.user(email=email, **kwargs), email


def test_a_session_started_on_one_node_goes_on_and_ends_on_the_other(app, deployment):
    a, b = deployment.nodes
    _, email = _user(app)
    browser = Browser()

    assert browser.sign_in(a, email).status == 302
    assert signed_in(browser.get(b, "/"))
    token = browser.csrf_token(a, "/")  # a form read from one node, sent to the other
    assert browser.post(b, "/sign-out", {}, token).status == 302

    assert signed_out(browser.get(a, "/"))
    assert signed_out(browser.get(b, "/"))


def test_a_disabled_account_is_signed_out_on_every_node(app, deployment):
    a, b = deployment.nodes
    user_id, email = _user(app)
    on_a, on_b = Browser(), Browser()
    assert on_a.sign_in(a, email).status == 302
    assert on_b.sign_in(b, email).status == 302
    assert signed_in(on_a.get(b, "/")) and signed_in(on_b.get(a, "/"))

    with app.app_context():  # an administrator disables the account (on a third process)
        update_user(db.session.get(User, user_id), active=False)
        db.session.commit()

    for browser in (on_a, on_b):
        assert signed_out(browser.get(a, "/"))
        assert signed_out(browser.get(b, "/"))


def test_failed_sign_ins_count_once_across_the_nodes(app, deployment):
    """The limit counts in the shared Redis: failures on either node add up, and the next
    attempt is refused on both, even with the right password."""
    a, b = deployment.nodes
    _, email = _user(app)
    browser = Browser()
    for attempt in range(FAILED_SIGN_INS_ALLOWED):
        node = (a, b)[attempt % 2]
        failed = browser.sign_in(node, email, "not-the-password")
        assert failed.status == 200 and "Sign out" not in failed.body

    assert browser.sign_in(b, email).status == 429
    assert browser.sign_in(a, email).status == 429
    with app.app_context():
        refused = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AccessLogEntry)
            .where(AccessLogEntry.action == "rate_limited")
        )
    assert refused == 2


def _reset_path(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    match = re.search(r"https?://\S+(/password/reset/\S+)", body.get_content())
    assert match, body.get_content()
    return match.group(1)


def test_an_email_queued_on_one_node_is_sent_by_the_worker(app, deployment):
    """A password reset asked for on one node: the worker delivers the email to the mail
    server, and its link works on the other node."""
    a, b = deployment.nodes
    _, email = _user(app)
    browser = Browser()
    token = browser.csrf_token(a, "/password/forgotten")
    assert browser.post(a, "/password/forgotten", {"email": email}, token).status == 200

    [message] = wait_for(
        lambda: deployment.mailbox.to(email), 30, "the worker delivered the reset email"
    )
    finished = FinishedJobRegistry(deployment.queue.name, connection=deployment.queue.connection)
    [job] = wait_for(
        lambda: Job.fetch_many(finished.get_job_ids(), connection=deployment.queue.connection),
        30,
        "the worker finished the job",
    )
    assert job.func_name == "core.mail.operations.deliver_mail"
    path = _reset_path(message)
    token = browser.csrf_token(b, path)
    reset = browser.post(
        b, path, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, token
    )
    assert reset.status == 302, reset.body
    assert browser.sign_in(a, email, NEW_PASSWORD).status == 302


def test_writes_through_both_nodes_at_once_keep_the_access_log_chain(app, deployment, runner):
    clients, creations = 4, 5
    factory = Factory(app)
    council = factory.agency(name="Northshire Council", type="local_authority")
    tokens = [
        make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER, agency_id=council))
        for _ in range(clients)
    ]
    statuses: list[int | None] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        node = deployment.nodes[number % 2]
        for _ in range(creations):
            body = concern_body(
                person=PERSON | {"given_name": f"Client{number}", "nhs_number": None}
            )
            status, _ = node.call("POST", "/api/v1/concerns/", tokens[number], body)
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [201] * clients * creations
    with app.app_context():
        logged = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AccessLogEntry)
            .where(AccessLogEntry.action == "concern.create")
        )
    assert logged == clients * creations
    verified = runner.invoke(args=["access-log", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "Access log intact" in verified.output


def _prepared_statements(app: Any) -> int:
    """How many statements psycopg prepared on one connection running one query six times."""
    with app.app_context():
        for _ in range(6):
            db.session.execute(sa.select(User.id).where(User.email == "nobody@example.org"))
        prepared = db.session.scalar(sa.text("SELECT count(*) FROM pg_prepared_statements"))
        db.session.rollback()
    return int(prepared or 0)


def test_prepared_statements_can_be_turned_off_for_a_pooler_in_transaction_mode(app_factory):
    """psycopg prepares a statement it has run five times; behind PgBouncer in transaction
    mode the next transaction may reach a server connection that never saw it. With
    DATABASE_PREPARED_STATEMENTS off it prepares none."""
    assert _prepared_statements(app_factory(DATABASE_PREPARED_STATEMENTS=False)) == 0
    assert _prepared_statements(app_factory(DATABASE_PREPARED_STATEMENTS=True)) > 0
