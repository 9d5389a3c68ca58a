"""The declarative base, shared column types and database engine settings."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

from core.clocks import LOCAL_ZONE

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The largest id an Integer primary key holds (PostgreSQL's integer): a larger one names
# no record, and must not reach the database, which would refuse it.
MAX_ID = 2**31 - 1


def whole_number(text: object) -> int | None:
    """The whole number ``text`` is written as in the digits 0 to 9, or None. Not
    ``str.isdigit``, which takes "²" and "①", which ``int`` then refuses."""
    raw = str(text if text is not None else "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() else None


def record_id(text: object) -> int | None:
    """The record id a page's form or link gives as ``text``, or None when it can name no
    record: not a whole number (:func:`whole_number`), or not from 1 to :data:`MAX_ID`."""
    number = whole_number(text)
    return number if number is not None and 0 < number <= MAX_ID else None


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite has no time zones, so values are stored naive in UTC and given their
    zone back on the way out; PostgreSQL stores ``timestamp with time zone``.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a UTC timestamp is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, in UTC: the one clock of the application (tests move it with time-machine)."""
    return datetime.now(UTC)


def scalar_apart(
    engine: Engine, statement: sa.Executable, params: dict[str, Any] | None = None
) -> Any:
    """The one value (or None) of ``statement`` run on a connection of its own in
    autocommit mode (PostgreSQL): committed the moment it runs, without a BEGIN and a
    COMMIT to wait for and without ending the caller's transaction, like a sequence."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return connection.execute(statement, params or {}).scalar_one_or_none()


def ping_after_idle(engine: Engine, seconds: float) -> None:
    """Check a pooled connection that has been idle longer than ``seconds`` before it is
    used, and replace it if the server has gone (restarted, failed over, or a pooler or
    firewall dropped it), as SQLAlchemy's ``pool_pre_ping`` does at every checkout.

    A busy node takes a connection back from the pool several times a request (the
    request's, and the short autocommit ones of :func:`scalar_apart`): pinging each
    was a round trip and a fifth of a millisecond of CPU every time, for connections
    used a moment before. A connection that dies while in use fails that request, and
    SQLAlchemy then replaces the whole pool, as it does with ``pool_pre_ping``."""

    @event.listens_for(engine.pool, "checkin")
    def _checked_in(dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < seconds:
            return  # new, or in use a moment ago
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise sa.exc.DisconnectionError(str(error)) from error
        if not alive:
            raise sa.exc.DisconnectionError("the database did not answer a ping")


_IDLE_SINCE = "idle_since"


def enum_column(enum_class: type[Any], length: int = 40) -> sa.Enum:
    """An enum stored by its value in a plain string column, portable across databases."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """Foreign keys on, write-ahead log, full sync, a busy timeout and ``local_day`` for
    SQLite."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
    # PostgreSQL has time zones; SQLite is given the council's local day of a UTC timestamp
    dbapi_connection.create_function("local_day", 1, _local_day, deterministic=True)


def _local_day(stored: str | None) -> str | None:
    """The local (Europe/London) day, ``YYYY-MM-DD``, of a UTC timestamp as SQLite stores
    it: what ``(ts AT TIME ZONE 'Europe/London')::date`` is on PostgreSQL."""
    if stored is None:
        return None
    moment = datetime.fromisoformat(stored).replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_ZONE).date().isoformat()


def render_migration_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Autogenerate writes our column types as plain SQLAlchemy types."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
