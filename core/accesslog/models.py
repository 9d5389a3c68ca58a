"""The append-only, hash-chained access log."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, utcnow
from core.extensions import db


class AccessLogEntry(db.Model):
    """Who did what to which record, when and from where; never personal data.

    Each row stores the hash of the row before it, so changing or removing any row
    breaks the chain at the next one (``flask access-log verify``). Database triggers
    refuse UPDATE and DELETE.
    """

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the acting user; empty for anonymous requests and unknown accounts
    user_id: Mapped[int | None] = mapped_column(sa.Integer)
    agency_id: Mapped[int | None] = mapped_column(sa.Integer)
    # dotted verb, e.g. ``sign_in``, ``concern.view``, ``route.denied``
    action: Mapped[str] = mapped_column(sa.String(80))
    object_type: Mapped[str | None] = mapped_column(sa.String(60))
    object_id: Mapped[str | None] = mapped_column(sa.String(120))
    remote_addr: Mapped[str | None] = mapped_column(sa.String(45))
    # allowed or denied
    outcome: Mapped[str] = mapped_column(sa.String(10))
    # row_hash of the previous row (the genesis value for the first row); unique, so
    # the chain cannot fork even under concurrent writers
    prev_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    row_hash: Mapped[str] = mapped_column(sa.String(64))

    __table_args__ = (
        sa.CheckConstraint("outcome IN ('allowed', 'denied')", name="outcome"),
        sa.Index("ix_access_log_object", "object_type", "object_id"),
    )

    def __repr__(self) -> str:
        return f"<AccessLogEntry {self.id} {self.action} {self.outcome}>"


class AccessLogCheckpoint(db.Model):
    """The chain's head at a moment, signed with a key kept outside the database
    (``ACCESS_LOG_KEY``): whoever can rewrite the table cannot sign a new head, so a
    rewritten chain, or rows removed from its end, no longer match a checkpoint."""

    __tablename__ = "access_log_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the newest row of the log when the checkpoint was made, and its row_hash
    entry_id: Mapped[int] = mapped_column(sa.Integer)
    entry_hash: Mapped[str] = mapped_column(sa.String(64))
    # which key signed it (the first 16 hex digits of its SHA-256), so a changed key is
    # named as such rather than as tampering
    key_id: Mapped[str] = mapped_column(sa.String(16))
    # HMAC-SHA256 of entry_id, entry_hash and created_at
    signature: Mapped[str] = mapped_column(sa.String(64))

    def __repr__(self) -> str:
        return f"<AccessLogCheckpoint {self.id} at row {self.entry_id}>"
