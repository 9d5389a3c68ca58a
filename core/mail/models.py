"""The outbox: every email the service sends is stored here first, in the same
transaction as the change that caused it, and delivered afterwards."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    # given up after MAIL_MAX_ATTEMPTS failures; an administrator can retry it
    FAILED = "failed"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # dotted name of what the email is for, e.g. ``meeting.invitation``
    kind: Mapped[str] = mapped_column(sa.String(60))
    # the meeting it is about: it is deleted with the meeting when retention purges it
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    # comma separated addresses
    recipients: Mapped[str] = mapped_column(sa.Text)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body: Mapped[str] = mapped_column(sa.Text)
    # one message per key at most (e.g. a reminder per item per day)
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus), default=DeliveryStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        back_populates="message",
        cascade="all, delete-orphan",
        order_by="OutboxAttachment.id",
    )

    @property
    def recipient_list(self) -> list[str]:
        return [address for address in self.recipients.split(",") if address]

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status.value}>"


class OutboxAttachment(db.Model):
    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    # full MIME type with parameters, e.g. ``text/calendar; method=REQUEST``
    content_type: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)

    message: Mapped[OutboxMessage] = relationship(back_populates="attachments")
