"""Test databases: a migrated template per run, a clean database per test.

SQLite: the template file is copied for every test (complete isolation, no cleanup).
PostgreSQL (``TEST_DATABASE_URL``): each pytest process (each pytest-xdist worker) has a
database of its own beside the one named, ``<name>_<worker>``, made when missing; its
schema is rebuilt by migrations once per run and emptied after each test in one round trip
(every row deleted with triggers and foreign keys off for that transaction, sequences back
to 1). The test databases do not wait for each commit to reach the disk
(``synchronous_commit = off``): a crash of the test server may lose the last
milliseconds, which no test relies on, and every commit is still atomic and visible.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from core.config import normalise_database_url

GIVEN_URL = normalise_database_url(os.environ.get("TEST_DATABASE_URL", ""))


def _own_database(given: str) -> str:
    """This process's database beside the one named: ``test`` gives ``test_gw0`` under
    pytest-xdist's first worker and ``test_main`` without xdist."""
    if not given.startswith("postgresql"):
        return given
    url = make_url(given)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return url.set(database=f"{url.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = _own_database(GIVEN_URL)
_engines: dict[str, sa.Engine] = {}


def _engine(url: str) -> sa.Engine:
    if url not in _engines:
        _engines[url] = sa.create_engine(url)
    return _engines[url]


def using_postgres() -> bool:
    return POSTGRES_URL.startswith("postgresql")


def base_config() -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "LOAD_ENTRYPOINT_PLUGINS": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
        "ACCESS_LOG_KEY": "test-access-log-checkpoint-key",
        # compiled templates are shared in memory (tests/support/templates.py)
        "TEMPLATE_CACHE_DIR": "",
    }


def upgrade(url: str) -> None:
    from flask_migrate import upgrade as alembic_upgrade

    from core import create_app
    from core.extensions import db

    app = create_app(base_config() | {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        alembic_upgrade(revision="heads")
        db.engine.dispose()


def create_own_database(url: str) -> None:
    """Make this process's test database on the server named by TEST_DATABASE_URL."""
    name = make_url(url).database
    admin = sa.create_engine(GIVEN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        connection.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    admin.dispose()


def reset_postgres_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


# One round trip: the tables and sequences are looked up in the server each time, so a
# table a test adds (a plugin's migration branch) is emptied too.
EMPTY_ALL = """
DO $$
DECLARE item record;
BEGIN
    PERFORM set_config('session_replication_role', 'replica', true);
    FOR item IN SELECT tablename FROM pg_tables
            WHERE schemaname = 'public' AND tablename <> 'alembic_version' LOOP
        EXECUTE format('DELETE FROM %I', item.tablename);
    END LOOP;
    FOR item IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
        PERFORM setval(format('%I', item.sequencename), 1, false);
    END LOOP;
END $$
"""


def empty_all(url: str) -> None:
    """Every table emptied and every sequence back to 1. Deleting with
    ``session_replication_role = replica`` skips the triggers (the access log's
    append-only rule, the foreign keys) for this transaction only; it needs a superuser,
    as the CI server's ``postgres`` is."""
    with _engine(url).begin() as connection:
        connection.execute(sa.text(EMPTY_ALL))


def prepare_template(directory: Path) -> str:
    """Migrate the template database once; return what each test starts from."""
    if using_postgres():
        create_own_database(POSTGRES_URL)
        reset_postgres_schema(POSTGRES_URL)
        upgrade(POSTGRES_URL)
        return POSTGRES_URL
    template = directory / "template.sqlite3"
    upgrade(f"sqlite:///{template}")
    return str(template)


@contextmanager
def fresh_database(template: str, directory: Path) -> Iterator[str]:
    if using_postgres():
        try:
            yield POSTGRES_URL
        finally:
            empty_all(POSTGRES_URL)
        return
    path = directory / "db.sqlite3"
    shutil.copyfile(template, path)
    yield f"sqlite:///{path}"


@contextmanager
def empty_database(directory: Path) -> Iterator[str]:
    """A database with nothing in it, for the migration tests."""
    if not using_postgres():
        yield f"sqlite:///{directory / f'empty-{uuid.uuid4().hex}.sqlite3'}"
        return
    name = f"sgh_empty_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def drop_append_only_triggers(connection):
    """What a database superuser could do. The PostgreSQL test database outlives the
    test, so the ``restore_triggers`` fixture puts the trigger back afterwards."""
    if using_postgres():
        connection.execute(sa.text("DROP TRIGGER access_log_append_only ON access_log"))
    else:
        connection.execute(sa.text("DROP TRIGGER access_log_no_update"))
        connection.execute(sa.text("DROP TRIGGER access_log_no_delete"))
