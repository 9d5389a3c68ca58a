"""A pooled connection idle longer than DATABASE_PING_IDLE_SECONDS is pinged before it is
used and replaced if the server dropped it (core/db.py: ping_after_idle); one used a
moment before is not pinged, so a busy node pays no round trip for it."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from core.extensions import db
from tests.support.database import using_postgres

pytestmark = pytest.mark.skipif(
    not using_postgres(), reason="a server that can drop the connection: PostgreSQL"
)

BACKEND = sa.text("SELECT pg_backend_pid()")


def _dropped_by_the_server(url: str, pid: int) -> None:
    """What a restart, a failover or a pooler's idle timeout does to a pooled connection."""
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        for _ in range(100):
            alive = connection.scalar(
                sa.text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
            )
            if not alive:
                return
            time.sleep(0.02)
    raise AssertionError(f"backend {pid} still there")


def _backend_after_the_drop(app, idle_seconds: float) -> tuple[int, int]:
    with app.app_context():
        first = db.session.scalar(BACKEND)
        db.session.remove()  # the request ends: its connection goes back to the pool
        _dropped_by_the_server(app.config["SQLALCHEMY_DATABASE_URI"], first)
        time.sleep(idle_seconds)
        return first, db.session.scalar(BACKEND)


def test_a_connection_idle_past_the_setting_is_pinged_and_replaced_when_the_server_dropped_it(
    app_factory,
):
    app = app_factory(DATABASE_PING_IDLE_SECONDS=0.2)
    first, then = _backend_after_the_drop(app, 0.3)
    assert then != first  # a new connection, and no error for the request


def test_a_connection_used_a_moment_ago_is_not_pinged(app_factory):
    """The trade the setting makes: a connection the server dropped within the idle time
    fails the one request that takes it, and the next gets a new connection."""
    app = app_factory(DATABASE_PING_IDLE_SECONDS=60)
    with pytest.raises(sa.exc.OperationalError) as failed:
        _backend_after_the_drop(app, 0)
    assert failed.value.connection_invalidated
    with app.app_context():
        db.session.remove()
        assert db.session.scalar(BACKEND)
