"""Test databases: a migrated template per run, a clean database per test.

SQLite: the template file is copied for every test (complete isolation, no cleanup).
PostgreSQL (``TEST_DATABASE_URL``): the schema is rebuilt by migrations once per run and
every table is truncated after each test (TRUNCATE does not fire the access log's
append-only row triggers).
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

POSTGRES_URL = normalise_database_url(os.environ.get("TEST_DATABASE_URL", ""))


def using_postgres() -> bool:
    return POSTGRES_URL.startswith("postgresql")


def base_config() -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
        "PASSWORD_HASH_FAST": True,
        "LOAD_ENTRYPOINT_PLUGINS": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    }


def upgrade(url: str) -> None:
    from flask_migrate import upgrade as alembic_upgrade

    from core import create_app
    from core.extensions import db

    app = create_app(base_config() | {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        alembic_upgrade(revision="heads")
        db.engine.dispose()


def reset_postgres_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def truncate_all(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        tables = connection.execute(
            sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename <> 'alembic_version'"
            )
        ).scalars()
        names = ", ".join(f'"{name}"' for name in tables)
        if names:
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


def prepare_template(directory: Path) -> str:
    """Migrate the template database once; return what each test starts from."""
    if using_postgres():
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
            truncate_all(POSTGRES_URL)
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
