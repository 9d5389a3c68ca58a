"""A subject access request for one person's records (UK GDPR Article 15), the answer's
clock (Article 12(3)) and the export produced for it."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.reference import Labelled

if TYPE_CHECKING:
    from core.auth.models import User
    from core.people.models import Person


class RequestStatus(Labelled):
    """Where the answer stands."""

    RECEIVED = ("received", "Received")
    PRODUCED = ("produced", "Produced")
    SENT = ("sent", "Sent")


class SubjectAccessRequest(db.Model):
    """One request by (or for) a person for their records. Kept as its own record, with the
    person's: it goes when retention purges the person (core/retention/operations.py)."""

    __tablename__ = "subject_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    # the council area it belongs to: the recording user's (core/auth/councils.py)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    # who asked: the person, or someone acting for them (and in what capacity)
    requested_by: Mapped[str] = mapped_column(sa.String(200))
    # the day the council received the request: the clock starts here
    received_on: Mapped[date] = mapped_column(sa.Date)
    # one calendar month later (Article 12(3)); the month's last day if it is shorter
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    # how the requester's identity (and authority to act, for a representative) was checked
    identity_checked: Mapped[str] = mapped_column(sa.String(500))
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.RECEIVED, index=True
    )
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the export as produced (the JSON document the PDF is printed from): what was sent
    export: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    produced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    produced_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    sent_on: Mapped[date | None] = mapped_column(sa.Date)
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    person: Mapped[Person] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    produced_by: Mapped[User | None] = relationship(foreign_keys=[produced_by_id])
    sent_by: Mapped[User | None] = relationship(foreign_keys=[sent_by_id])

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<SubjectAccessRequest {self.id} {self.status.value}>"

    def overdue_on(self, today: date) -> bool:
        """Not sent and past its due day."""
        return self.status != RequestStatus.SENT and self.due_on < today
