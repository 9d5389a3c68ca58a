"""A member of an agency's staff who completed a safeguarding course."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.reference import TrainingLevel

if TYPE_CHECKING:
    from core.auth.models import Agency


def staff_key(staff_number: str | None, staff_name: str | None) -> str:
    """Who the record is about, for counting people once: the staff number when given,
    else the name without case or extra spaces."""
    if staff_number:
        return "number:" + staff_number.strip().upper()
    return "name:" + " ".join((staff_name or "").split()).casefold()


class TrainingRecord(db.Model):
    """One course one member of staff completed. Kept by the staff member's own agency; the
    safeguarding team reads every agency's; the board reads the figures only."""

    __tablename__ = "training_records"
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "staff_key", "course", "completed_on"),
        sa.Index("ix_training_records_agency_staff", "agency_id", "staff_key", "level"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the agency that employs the member of staff and keeps the record
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"))
    # the member of staff: a name, a staff number or both
    staff_name: Mapped[str | None] = mapped_column(sa.String(200))
    staff_number: Mapped[str | None] = mapped_column(sa.String(40))
    # the staff number, else the name folded: one person counted once (see staff_key)
    staff_key: Mapped[str] = mapped_column(sa.String(250))
    # their job, as the agency names it ("Staff nurse")
    role: Mapped[str] = mapped_column(sa.String(200))
    # the intercollegiate level the course trains to (core/reference.py)
    level: Mapped[TrainingLevel] = mapped_column(enum_column(TrainingLevel))
    # the course's name ("Safeguarding adults level 3 e-learning")
    course: Mapped[str] = mapped_column(sa.String(200))
    completed_on: Mapped[date] = mapped_column(sa.Date, index=True)
    # when a refresher is due: given, or three years after completion
    expires_on: Mapped[date] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    agency: Mapped[Agency] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def staff(self) -> str:
        """The member of staff as a list shows them."""
        if not self.staff_name:
            return f"Staff number {self.staff_number}"
        return f"{self.staff_name} ({self.staff_number})" if self.staff_number else self.staff_name

    def __repr__(self) -> str:
        return f"<TrainingRecord {self.id} agency={self.agency_id} {self.level.value}>"
