"""Writing and verifying the access log.

An entry is written in the caller's transaction, so a change and its log entry are
committed together or not at all. :func:`record` only notes the entry; the session's
commit writes the noted entries as its last statements, chained to the row before them.
On PostgreSQL that step is one statement, ``access_log_append`` (a function its
migration, 5a1c7e3f9b2d, creates): it takes a transaction-scoped advisory lock, so that
each row chains to the one before it, reads the chain's head and inserts the rows with the
hash :func:`entry_hash` computes. The lock is held from that statement to the commit, not
for the whole request, so requests that log do not wait on each other while they work;
and one statement, not three with a wait for the interpreter between each, keeps that
hold short (every logging commit of every node takes its turn at it).
On SQLite the single writer lock does the same, taken with ``BEGIN IMMEDIATE`` before
the head is read when the transaction has not written yet.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user
from flask_sqlalchemy.session import Session
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import SessionTransaction

from core.accesslog import checkpoints
from core.accesslog.models import AccessLogCheckpoint, AccessLogEntry
from core.db import utcnow
from core.extensions import db

GENESIS_HASH = "0" * 64
_PENDING = "access_log_pending"
ALLOWED = "allowed"
DENIED = "denied"


def entry_content(entry: AccessLogEntry | SimpleNamespace) -> str:
    """A row's content as its hash reads it: its fields joined by the unit separator."""
    parts = [
        entry.occurred_at.isoformat(timespec="microseconds"),
        "" if entry.user_id is None else str(entry.user_id),
        "" if entry.agency_id is None else str(entry.agency_id),
        entry.action,
        entry.object_type or "",
        entry.object_id or "",
        entry.remote_addr or "",
        entry.outcome,
    ]
    return "\x1f".join(parts)


def entry_hash(entry: AccessLogEntry | SimpleNamespace) -> str:
    """The SHA-256 of the hash of the row before it and the row's content (on PostgreSQL
    the log's rows are chained by ``access_log_append``, which computes the same)."""
    return hashlib.sha256(f"{entry.prev_hash}\x1f{entry_content(entry)}".encode()).hexdigest()


def _acting_user_ids() -> tuple[int | None, int | None]:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.agency_id
    return None, None


@dataclass
class _Pending:
    """An entry noted by :func:`record`, written when its transaction commits."""

    values: dict[str, Any]
    # the innermost savepoint it was noted in (None: the transaction itself), so that
    # rolling back to a savepoint drops the entries noted since
    savepoint: SessionTransaction | None


def record(
    action: str,
    *,
    object_type: str | None = None,
    object_id: object = None,
    allowed: bool = True,
    user_id: int | None = None,
    agency_id: int | None = None,
) -> None:
    """Note one entry for the current transaction; the caller commits, which writes it.

    The acting user and remote address come from the request when not given.
    Never pass personal data (names, emails, case details) in any argument.
    """
    if user_id is None and agency_id is None:
        user_id, agency_id = _acting_user_ids()
    values = {
        "occurred_at": utcnow(),
        "user_id": user_id,
        "agency_id": agency_id,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "remote_addr": request.remote_addr if has_request_context() else None,
        "outcome": ALLOWED if allowed else DENIED,
    }
    session = db.session()
    if session.get_transaction() is None:
        session.begin()  # so that a rollback before any statement drops the entry too
    session.info.setdefault(_PENDING, []).append(_Pending(values, session.get_nested_transaction()))


def pending_count() -> int:
    """How many entries the current transaction will write when it commits."""
    return len(db.session().info.get(_PENDING) or ())


def _write_pending(session: Session) -> None:
    """Chain and insert the noted entries: the last statements before the commit."""
    pending: list[_Pending] = session.info.get(_PENDING) or []
    if not pending or session.in_nested_transaction():
        return
    # The transaction's own changes go first, so the lock below covers only the log rows.
    session.flush()
    # Core statements on the transaction's connection: nothing here is an ORM object
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # the lock, the head and the rows in one statement (the function's migration)
        entries = [
            noted.values
            | {
                "occurred_at": noted.values["occurred_at"].isoformat(),
                "content": entry_content(SimpleNamespace(**noted.values)),
            }
            for noted in pending
        ]
        connection.execute(_APPEND, {"entries": entries})
    else:
        if connection.dialect.name == "sqlite":
            _begin_immediate(session)
        previous = connection.execute(_HEAD).scalar_one_or_none()
        rows = []
        for noted in pending:
            row = {**noted.values, "prev_hash": previous or GENESIS_HASH}
            row["row_hash"] = previous = entry_hash(SimpleNamespace(**row))
            rows.append(row)
        connection.execute(sa.insert(AccessLogEntry.__table__), rows)
    pending.clear()
    checkpoints.checkpoint_if_due(session)


_APPEND = sa.select(sa.func.access_log_append(sa.bindparam("entries", type_=JSONB)))
_HEAD = (
    sa.select(AccessLogEntry.__table__.c.row_hash)
    .order_by(AccessLogEntry.__table__.c.id.desc())
    .limit(1)
)


def _begin_immediate(session: Session) -> None:
    """Make this transaction SQLite's one writer before it reads the chain's head.

    Python's sqlite3 opens a transaction only at the first write, so a request that has
    only read (and logged the read) would read the head outside any transaction and
    write after it: two such requests chained to the same row, and the second failed
    with ``UNIQUE constraint failed: access_log.prev_hash``. ``BEGIN IMMEDIATE`` takes
    the write lock first, waiting up to the busy timeout for another writer to commit;
    a transaction that has written already holds it."""
    driver = session.connection().connection.driver_connection
    if driver is not None and not driver.in_transaction:
        driver.execute("BEGIN IMMEDIATE")


def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """A rollback drops the entries noted in what it rolled back."""
    pending: list[_Pending] | None = session.info.get(_PENDING)
    if not pending:
        return
    if not previous_transaction.nested:
        pending.clear()
        return

    def inside(savepoint: SessionTransaction | None) -> bool:
        while savepoint is not None:
            if savepoint is previous_transaction:
                return True
            savepoint = savepoint.parent
        return False

    pending[:] = [noted for noted in pending if not inside(noted.savepoint)]


def _forget_on_close(session: Session, transaction: SessionTransaction) -> None:
    """Whatever ended the outermost transaction, nothing noted in it outlives it."""
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_PENDING, None)


event.listen(Session, "before_commit", _write_pending)
event.listen(Session, "after_soft_rollback", _drop_rolled_back)
event.listen(Session, "after_transaction_end", _forget_on_close)


def roll_back_keeping_refusals() -> None:
    """Roll back the current transaction, then write the refusals noted in it on their own:
    a request that failed changes nothing, but who was refused what stays in the log."""
    session = db.session()
    refusals = [
        noted.values
        for noted in session.info.get(_PENDING) or ()
        if noted.values["outcome"] == DENIED
    ]
    session.rollback()
    if refusals:
        session.begin()
        session.info[_PENDING] = [_Pending(values, None) for values in refusals]
        session.commit()


def record_denied(action: str, **kwargs: object) -> None:
    """Log a refusal in a transaction of its own, whatever happens to the request's."""
    if kwargs.get("user_id") is None and kwargs.get("agency_id") is None:
        # read before the rollback expires the user, which would read it again
        kwargs["user_id"], kwargs["agency_id"] = _acting_user_ids()
    db.session.rollback()
    record(action, allowed=False, **kwargs)  # type: ignore[arg-type]
    db.session.commit()


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_bad_id: int | None = None
    problem: str | None = None
    checkpoints: int = 0  # signed checkpoints the chain matched
    warning: str | None = None

    @property
    def intact(self) -> bool:
        return self.first_bad_id is None


def verify_chain(batch_size: int = 5000) -> VerifyResult:
    """Walk the log in order and report the first row that breaks the chain, then hold
    the chain against its signed checkpoints (``core.accesslog.checkpoints``)."""
    named = set(db.session.execute(sa.select(AccessLogCheckpoint.entry_id)).scalars().all())
    heads: dict[int, str] = {}
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        rows = (
            db.session.execute(
                sa.select(AccessLogEntry)
                .where(AccessLogEntry.id > last_id)
                .order_by(AccessLogEntry.id)
                .limit(batch_size)
            )
            .scalars()
            .all()
        )
        if not rows:
            break
        for row in rows:
            if row.prev_hash != expected_prev:
                return VerifyResult(
                    checked, row.id, "does not follow the row before it (a row was removed)"
                )
            if entry_hash(row) != row.row_hash:
                return VerifyResult(checked, row.id, "content was changed after it was written")
            if row.id in named:
                heads[row.id] = row.row_hash
            expected_prev = row.row_hash
            checked += 1
            last_id = row.id
        db.session.expunge_all()
    problem, matched, warning = checkpoints.check_checkpoints(
        heads, last_id, checkpoints.signing_key()
    )
    if problem is not None:
        return VerifyResult(checked, problem.entry_id, problem.problem, matched)
    return VerifyResult(checked, checkpoints=matched, warning=warning)


def checkpoint_now() -> AccessLogCheckpoint | None:
    """Sign the chain's head now (after a verify that found it intact); None without a
    key or with an empty log. The caller commits."""
    key = checkpoints.signing_key()
    if key is None:
        return None
    return checkpoints.write_checkpoint(db.session(), key)
