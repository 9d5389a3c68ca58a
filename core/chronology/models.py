"""The entries of a chronology written by hand (the rest are drawn from the case record
each time it is read: core/chronology/operations.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.concerns.models import Restriction
from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.reference import Labelled

if TYPE_CHECKING:
    from core.auth.models import Agency, User


class Significance(Labelled):
    """How much an event matters to the review, lowest first."""

    LOW = ("low", "Low")
    MEDIUM = ("medium", "Medium")
    HIGH = ("high", "High")
    KEY = ("key", "Key event")


class ChronologyEntry(db.Model):
    """An event written into a case's chronology by hand: what a review needs that the
    record does not hold (a GP appointment missed, a call to the police, a visit)."""

    __tablename__ = "chronology_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    # the day it happened
    occurred_on: Mapped[date] = mapped_column(sa.Date)
    # the agency the information comes from
    source_agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"))
    # what happened, as the review reads it
    summary: Mapped[str] = mapped_column(sa.Text)
    significance: Mapped[Significance] = mapped_column(enum_column(Significance))
    # for the safeguarding team and the writer's and source's agencies only, and why
    restriction: Mapped[Restriction | None] = mapped_column(enum_column(Restriction))
    written_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # the writer's agency when it was written (a user may move agency later)
    written_by_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    source_agency: Mapped[Agency] = relationship(foreign_keys=[source_agency_id])
    written_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<ChronologyEntry {self.id} concern={self.concern_id} {self.significance.value}>"
