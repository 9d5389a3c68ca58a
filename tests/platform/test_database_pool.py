"""Each worker keeps DATABASE_POOL_SIZE PostgreSQL connections open (default 10): its
threads' and the second connection a concern creation holds for its reference number.
With SQLAlchemy's default of 5, a worker of 4 threads creating concerns closed a
connection after nearly every creation and opened another (a new PostgreSQL backend each
time: measured in benchmarks/api_throughput.py at about a millisecond of the machine's CPU
a creation)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.config import ConfigurationError, load_settings
from core.extensions import db
from tests.support.database import using_postgres

BUSIEST = 8  # 4 threads, each with a creation's second connection


def _closed_after_the_busiest_moment(app) -> tuple[int, int]:
    """Connections closed, and kept, when a worker's busiest moment's connections are
    given back to the pool."""
    with app.app_context():
        engine = db.engine
    closed = []

    def count(*_: object) -> None:
        closed.append(1)

    sa.event.listen(engine.pool, "close", count)
    try:
        held = [engine.connect() for _ in range(BUSIEST)]
        for connection in held:
            connection.execute(sa.text("SELECT 1"))
        for connection in held:
            connection.close()
    finally:
        sa.event.remove(engine.pool, "close", count)
    return len(closed), engine.pool.checkedin()


@pytest.mark.skipif(not using_postgres(), reason="the pool of a PostgreSQL server's connections")
def test_a_workers_busiest_moment_closes_no_connection(app_factory):
    closed, kept = _closed_after_the_busiest_moment(app_factory())
    assert (closed, kept) == (0, BUSIEST)


@pytest.mark.skipif(not using_postgres(), reason="the pool of a PostgreSQL server's connections")
def test_the_pool_keeps_the_connections_the_setting_says(app_factory):
    closed, kept = _closed_after_the_busiest_moment(app_factory(DATABASE_POOL_SIZE=3))
    assert (closed, kept) == (BUSIEST - 3, 3)


@pytest.mark.parametrize("value", ["0", "ten", "-1", "1001"])
def test_a_pool_size_that_cannot_be_refuses_to_start(monkeypatch, value):
    monkeypatch.setenv("DATABASE_POOL_SIZE", value)
    with pytest.raises(ConfigurationError, match="DATABASE_POOL_SIZE must be a whole number"):
        load_settings()
