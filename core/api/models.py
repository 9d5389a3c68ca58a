"""What the API keeps between requests: bearer tokens and idempotency keys."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, utcnow
from core.extensions import db

if TYPE_CHECKING:
    from core.auth.models import User


class ApiToken(db.Model):
    """A named bearer token of one user. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    # what the owner called it, e.g. "Police case system"
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # the first characters of the token, to tell tokens apart on the page
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # who revoked it: the owner or an administrator
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} user={self.user_id} revoked={self.revoked_at is not None}>"

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now and self.user.active


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
