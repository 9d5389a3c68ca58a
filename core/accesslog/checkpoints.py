"""Signed checkpoints of the access log's chain head: its anchor outside the database.

The hash chain shows a row changed or removed in the middle, but whoever can write the
table could rewrite a row and recompute every later hash, or delete the newest rows,
and the chain would still verify. A checkpoint records the newest row's id and hash,
signed with HMAC-SHA256 under a key that is not in the database (``ACCESS_LOG_KEY``, or
the file ``ACCESS_LOG_KEY_FILE``). Checkpoints are written with the log's own rows when
``ACCESS_LOG_CHECKPOINT_SECONDS`` have passed since the last, and by every
``flask access-log verify``; verifying then fails if a checkpointed row is gone or its
hash differs, naming the row. Rows newer than the last checkpoint have only the chain.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session

from core.accesslog.models import AccessLogCheckpoint, AccessLogEntry
from core.db import utcnow
from core.extensions import db

_DUE = "access_log_checkpoint_due"


def signing_key() -> bytes | None:
    """The key, from ACCESS_LOG_KEY or ACCESS_LOG_KEY_FILE; None when neither is set.
    Outside production a missing key file is created (random, 0600) on first use."""
    if not has_app_context():
        return None
    config = current_app.config
    if config.get("ACCESS_LOG_KEY"):
        return str(config["ACCESS_LOG_KEY"]).encode()
    name = config.get("ACCESS_LOG_KEY_FILE")
    if not name:
        return None
    path = Path(name)
    if not path.exists():
        if config.get("ENV_NAME") == "production":
            return None  # a deployment shares one key: it must be provided, not made here
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it a moment ago
        else:
            with os.fdopen(descriptor, "w") as stream:
                stream.write(secrets.token_urlsafe(48) + "\n")
    return path.read_text().strip().encode() or None


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


def _signature(key: bytes, entry_id: int, entry_hash: str, created_at: datetime) -> str:
    message = f"{entry_id}\x1f{entry_hash}\x1f{created_at.isoformat(timespec='microseconds')}"
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def write_checkpoint(session: Session, key: bytes) -> AccessLogCheckpoint | None:
    """Sign the chain's head as it stands in this transaction (None for an empty log)."""
    head = session.execute(
        sa.select(AccessLogEntry.id, AccessLogEntry.row_hash)
        .order_by(AccessLogEntry.id.desc())
        .limit(1)
    ).one_or_none()
    if head is None:
        return None
    now = utcnow()
    checkpoint = AccessLogCheckpoint(
        created_at=now,
        entry_id=head.id,
        entry_hash=head.row_hash,
        key_id=key_id(key),
        signature=_signature(key, head.id, head.row_hash, now),
    )
    session.add(checkpoint)
    session.flush()
    return checkpoint


def checkpoint_if_due(session: Session) -> None:
    """After the log's rows are written: a checkpoint when the interval has passed. Each
    app remembers when the next is due, so most commits ask the database nothing."""
    if not has_app_context():
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    now = utcnow()
    due = app.extensions.get(_DUE)
    if due is not None and now < due:
        return
    key = signing_key()
    interval = timedelta(seconds=int(app.config.get("ACCESS_LOG_CHECKPOINT_SECONDS", 300)))
    if key is None:
        app.extensions[_DUE] = now + interval
        return
    latest = session.execute(
        sa.select(sa.func.max(AccessLogCheckpoint.created_at))
    ).scalar_one_or_none()
    if latest is not None and latest + interval > now:
        app.extensions[_DUE] = latest + interval
        return
    write_checkpoint(session, key)
    app.extensions[_DUE] = now + interval


@dataclass(frozen=True)
class CheckpointProblem:
    entry_id: int
    problem: str


def check_checkpoints(
    heads: dict[int, str], last_id: int, key: bytes | None
) -> tuple[CheckpointProblem | None, int, str | None]:
    """Compare each checkpoint with the chain: ``heads`` holds the row_hash of each row a
    checkpoint names, as the walk found them; ``last_id`` is the log's newest row. Gives
    the first problem, how many checkpoints were checked, and a warning when they could
    not be (no key)."""
    checkpoints = _all_checkpoints()
    if key is None:
        warning = (
            "No ACCESS_LOG_KEY is set: checkpoints were not checked, so rows removed from "
            "the end of the log, or a rewritten chain, would not be found."
        )
        return None, 0, warning
    checked = 0
    for checkpoint in checkpoints:
        if checkpoint.key_id != key_id(key):
            return (
                CheckpointProblem(
                    checkpoint.entry_id,
                    f"checkpoint {checkpoint.id} was signed with another key "
                    f"({checkpoint.key_id}); set the key it was made with",
                ),
                checked,
                None,
            )
        expected = _signature(
            key, checkpoint.entry_id, checkpoint.entry_hash, checkpoint.created_at
        )
        when = f"{checkpoint.created_at:%Y-%m-%d %H:%M:%S} UTC"
        if not hmac.compare_digest(expected, checkpoint.signature):
            return (
                CheckpointProblem(
                    checkpoint.entry_id,
                    f"checkpoint {checkpoint.id} of {when} does not carry a valid signature "
                    "(it was forged or changed)",
                ),
                checked,
                None,
            )
        found = heads.get(checkpoint.entry_id)
        if found is None:
            where = (
                f"the log now ends at row {last_id}: rows were removed from its end"
                if checkpoint.entry_id > last_id
                else "that row was removed"
            )
            return (
                CheckpointProblem(
                    checkpoint.entry_id,
                    f"checkpoint {checkpoint.id} of {when} signed row "
                    f"{checkpoint.entry_id}, but {where}",
                ),
                checked,
                None,
            )
        if found != checkpoint.entry_hash:
            return (
                CheckpointProblem(
                    checkpoint.entry_id,
                    f"the chain up to this row was rewritten: its hash differs from the one "
                    f"checkpoint {checkpoint.id} of {when} signed",
                ),
                checked,
                None,
            )
        checked += 1
    return None, checked, None


def _all_checkpoints() -> list[AccessLogCheckpoint]:
    return list(
        db.session.execute(
            sa.select(AccessLogCheckpoint).order_by(AccessLogCheckpoint.id)
        ).scalars()
    )
