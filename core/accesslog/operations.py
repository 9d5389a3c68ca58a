"""Writing and verifying the access log.

Entries are written in the caller's transaction, so a change and its log entry are
committed together or not at all. On PostgreSQL a transaction-scoped advisory lock
serialises writers so that each row chains to the one before it; on SQLite the single
writer lock does the same.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user

from core.accesslog.models import AccessLogEntry
from core.db import utcnow
from core.extensions import db

GENESIS_HASH = "0" * 64
_ADVISORY_LOCK_KEY = 0x5347484C  # "SGHL"
ALLOWED = "allowed"
DENIED = "denied"


def entry_hash(entry: AccessLogEntry) -> str:
    """The SHA-256 of a row's content and the hash of the row before it."""
    parts = [
        entry.prev_hash,
        entry.occurred_at.isoformat(timespec="microseconds"),
        "" if entry.user_id is None else str(entry.user_id),
        "" if entry.agency_id is None else str(entry.agency_id),
        entry.action,
        entry.object_type or "",
        entry.object_id or "",
        entry.remote_addr or "",
        entry.outcome,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _acting_user_ids() -> tuple[int | None, int | None]:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.agency_id
    return None, None


def record(
    action: str,
    *,
    object_type: str | None = None,
    object_id: object = None,
    allowed: bool = True,
    user_id: int | None = None,
    agency_id: int | None = None,
) -> AccessLogEntry:
    """Append one entry in the current transaction; the caller commits.

    The acting user and remote address come from the request when not given.
    Never pass personal data (names, emails, case details) in any argument.
    """
    if user_id is None and agency_id is None:
        user_id, agency_id = _acting_user_ids()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(_ADVISORY_LOCK_KEY)))
    previous = db.session.execute(
        sa.select(AccessLogEntry.row_hash).order_by(AccessLogEntry.id.desc()).limit(1)
    ).scalar_one_or_none()
    entry = AccessLogEntry(
        occurred_at=utcnow(),
        user_id=user_id,
        agency_id=agency_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        remote_addr=request.remote_addr if has_request_context() else None,
        outcome=ALLOWED if allowed else DENIED,
        prev_hash=previous or GENESIS_HASH,
    )
    entry.row_hash = entry_hash(entry)
    db.session.add(entry)
    db.session.flush()
    return entry


def record_denied(action: str, **kwargs: object) -> None:
    """Log a refusal in a transaction of its own, whatever happens to the request's."""
    db.session.rollback()
    record(action, allowed=False, **kwargs)  # type: ignore[arg-type]
    db.session.commit()


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    first_bad_id: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.first_bad_id is None


def verify_chain(batch_size: int = 5000) -> VerifyResult:
    """Walk the log in order and report the first row that breaks the chain."""
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
            return VerifyResult(checked=checked)
        for row in rows:
            if row.prev_hash != expected_prev:
                return VerifyResult(
                    checked, row.id, "does not follow the row before it (a row was removed)"
                )
            if entry_hash(row) != row.row_hash:
                return VerifyResult(checked, row.id, "content was changed after it was written")
            expected_prev = row.row_hash
            checked += 1
            last_id = row.id
        db.session.expunge_all()
