"""What the API keeps between requests: idempotency keys (the bearer tokens are accounts'
credentials: core/auth/models.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.db import UTCDateTime, utcnow
from core.extensions import db


class IdempotencyKey(db.Model):
    """The outcome of a create sent with an ``Idempotency-Key``, replayed for retries."""

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    key: Mapped[str] = mapped_column(sa.String(255))
    # the path the create was sent to (ids only): retention finds the responses about a
    # purged case by it and by ``response_location``
    request_path: Mapped[str | None] = mapped_column(sa.String(500))
    # SHA-256 of method, path and body: the same key with another request is refused
    request_hash: Mapped[str] = mapped_column(sa.String(64))
    # in_progress until the first request finishes, then completed
    status: Mapped[str] = mapped_column(sa.String(20))
    response_status: Mapped[int | None] = mapped_column(sa.Integer)
    response_body: Mapped[str | None] = mapped_column(sa.Text)
    response_location: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # kept at least this long
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    __table_args__ = (sa.UniqueConstraint("user_id", "key", name="uq_idempotency_keys_user_key"),)

    def __repr__(self) -> str:
        return f"<IdempotencyKey {self.id} user={self.user_id} {self.status}>"
