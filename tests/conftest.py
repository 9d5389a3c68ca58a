from __future__ import annotations

import gc
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from core import create_app
from core.auth import passwords
from core.auth.roles import Role
from core.extensions import db
from tests.support import clock as suite_clock
from tests.support.database import base_config, fresh_database, prepare_template, using_postgres
from tests.support.routing import share_url_builders
from tests.support.templates import COMPILED_TEMPLATES

pytest_plugins = ["tests.support.smtp", "tests.support.jobs"]
share_url_builders()

TEST_PASSWORD = "correct-horse-battery"
CSRF_FIELD = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


# The longest modules start first, so that pytest-xdist's workers finish together.
LONGEST_FIRST = (
    "tests/safety/test_agency_views_state_machine.py",
    "tests/api/test_openapi_conformance.py",
    "tests/api/test_served_fuzz.py",
    "tests/safety/test_access_matrix.py",
    "tests/safety/test_concurrent_use.py",
    "tests/safety/test_crash_safety.py",
    "tests/platform/test_quiet_start.py",
    "tests/jobs/test_queue.py",
    "tests/platform/test_several_nodes.py",
    "tests/e2e/",
    "tests/returns/test_returns_summary.py",
    "tests/returns/test_cin_census.py",
    "tests/concerns/test_list_filters.py",
    "tests/demo/test_workday.py",
    "tests/acceptance/test_platform.py",
    "tests/audits/test_attendance_audit.py",
)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The garbage collector tuned for a test process (each pytest-xdist worker): what was
    imported before the first test is frozen out of its scans, and it collects after
    50,000 new container objects instead of 700. Each test builds an app (thousands of
    objects, cycles among them), so with the defaults a fifth of the suite's CPU went on
    collections that found little; memory stays bounded (collections still run)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 1_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest modules first, then the others by their number of tests (what
    pytest-xdist's own reordering does, which the Makefile turns off with
    ``--no-loadscope-reorder``: it put the long modules of one or two tests last, and one
    worker ran them alone for minutes at the end of each run)."""
    tests_in: dict[str, int] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        tests_in[module] = tests_in.get(module, 0) + 1

    def rank(item: pytest.Item) -> tuple[int, int]:
        starts = [i for i, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)]
        return (starts[0] if starts else len(LONGEST_FIRST), -tests_in[item.nodeid.split("::")[0]])

    items.sort(key=rank)
    for item in items:
        # The PostgreSQL run leaves the tooling tests out (-m "not tooling"): one that
        # reached the test database would escape it.
        if item.get_closest_marker("tooling") and "database_template" in item.fixturenames:
            raise pytest.UsageError(f"{item.nodeid} touches the database: not a tooling test")


@pytest.fixture(autouse=True)
def clock() -> Iterator[suite_clock.Clock]:
    """Every test starts at the suite's moment (tests/support/clock.py), never today."""
    with suite_clock.holding(suite_clock.SUITE_NOW, tick=True) as held:
        yield held
        # A timer thread still reading the clock as time-machine stops raises "Not currently
        # time-travelling" into the next test (the rate limiter's memory storage expires its
        # counters from one, 10 ms after each request): let such threads end first.
        for thread in threading.enumerate():
            if isinstance(thread, threading.Timer):
                thread.join(timeout=5)


# argon2id with the smallest costs: hashing at full cost (19 MiB, 2 passes) for every user
# a test makes would cost minutes. Tests of the costs themselves set FULL_COSTS.
CHEAP_PASSWORD_COSTS = passwords.HashCosts(time_cost=1, memory_kib=1024, parallelism=1)
FULL_PASSWORD_COSTS = passwords.COSTS


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "COSTS", CHEAP_PASSWORD_COSTS)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    return prepare_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def app_factory(database_template: str, tmp_path: Path) -> Iterator[Any]:
    """Build apps on one clean database; extra settings and throwaway plugins per test."""

    apps: list[Flask] = []
    with fresh_database(database_template, tmp_path) as url:

        def build(**overrides: Any) -> Flask:
            app = create_app(base_config() | {"SQLALCHEMY_DATABASE_URI": url} | overrides)
            if app.jinja_env.bytecode_cache is None:  # unless a test gave TEMPLATE_CACHE_DIR
                app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
            apps.append(app)
            return app

        yield build
        for app in apps:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture
def app(app_factory: Any) -> Flask:
    application: Flask = app_factory()
    return application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def csrf_token(client: FlaskClient, url: str) -> str:
    page = client.get(url)
    match = CSRF_FIELD.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {page.status_code})"
    return match.group(1) or match.group(2)


class Factory:
    """Makes agencies and users through the real operations."""

    def __init__(self, app: Flask):
        self.app = app
        self._count = 0

    def agency(self, name: str | None = None, type: str = "local_authority", **extra: Any) -> int:
        from core.agencies.operations import create_agency

        self._count += 1
        with self.app.app_context():
            agency = create_agency(name=name or f"Agency {self._count}", type=type, **extra)
            db.session.commit()
            return agency.id

    def user(
        self,
        role: Role = Role.SAFEGUARDING_OFFICER,
        email: str | None = None,
        agency_id: int | None = None,
        password: str = TEST_PASSWORD,
        contact: bool | None = None,
        council_id: int | None = None,
    ) -> int:
        """A user (of the instance's first council unless ``council_id`` says); a
        practitioner is a named safeguarding contact of their agency (whom its case emails
        reach) unless ``contact`` is False."""
        from core.users.operations import create_user

        self._count += 1
        agency_id = agency_id or self.agency()
        with self.app.app_context():
            user = create_user(
                email=email or f"user{self._count}@example.org",
                name=f"Test User {self._count}",
                agency_id=agency_id,
                role=role.value,
                password=password,
                safeguarding_contact=role == Role.AGENCY_PRACTITIONER
                if contact is None
                else contact,
                council_id=council_id,
            )
            db.session.commit()
            return user.id


@pytest.fixture
def factory(app: Flask) -> Factory:
    return Factory(app)


class Auth:
    def __init__(self, client: FlaskClient, factory: Factory):
        self.client = client
        self.factory = factory

    def sign_in(self, email: str, password: str = TEST_PASSWORD) -> Any:
        """Sign in; for a user with a second factor, type a fresh code from their app."""
        from tests.auth.helpers import sign_in

        return sign_in(self.client, email, password)

    def as_role(self, role: Role, **kwargs: Any) -> int:
        """Create a user with ``role`` and sign in as them; returns the user id.
        Administrators and board members set up their second factor on the page at
        their first sign-in, as a person would."""
        from core.policy.routes import SECOND_FACTOR_ROLES
        from tests.support.totp import enrol_on_page

        email = kwargs.pop("email", f"{role.value}-{self.factory._count + 1}@example.org")
        user_id = self.factory.user(role=role, email=email, **kwargs)
        response = self.sign_in(email)
        assert response.status_code == 302, response.get_data(as_text=True)
        if role in SECOND_FACTOR_ROLES:
            enrol_on_page(self.client, csrf_token)
        return user_id

    def sign_out(self) -> Any:
        token = csrf_token(self.client, "/")
        return self.client.post("/sign-out", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient, factory: Factory) -> Auth:
    return Auth(client, factory)


@pytest.fixture
def restore_triggers(app: Flask) -> Iterator[None]:
    """For a test that drops the access log's append-only trigger as a superuser could:
    the PostgreSQL test database outlives the test, so the trigger is put back after."""
    yield
    if using_postgres():
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(
                sa.text("DROP TRIGGER IF EXISTS access_log_append_only ON access_log")
            )
            connection.execute(
                sa.text(
                    "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
                    "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()"
                )
            )
