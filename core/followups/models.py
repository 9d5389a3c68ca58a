"""Contact-only follow-ups: a sample of the concerns screened out (signposted, or no
further action) whose contact is called two weeks after they made it, to ask whether
the signposting worked (Dudley's adult safeguarding action plan, 6.3; issue 25, item 1)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.concerns.models import Decision
from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.reference import Labelled

if TYPE_CHECKING:
    from core.auth.models import User
    from core.concerns.models import Concern


class FollowUpOutcome(Labelled):
    """What the follow-up call found."""

    WORKED = ("signposting_worked", "Signposting worked")
    NEW_REFERRAL = ("new_referral_needed", "Needs a new referral")
    NOT_REACHED = ("not_reached", "Could not reach")


class ContactFollowUp(db.Model):
    """One sampled concern's follow-up: at most one a concern, never sampled twice."""

    __tablename__ = "contact_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), unique=True)
    # the screening decision that screened the concern out, as it was when sampled
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    # the local day the contact was made (the concern received), and the day the call is due
    contacted_on: Mapped[date] = mapped_column(sa.Date)
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    sampled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the call's outcome and note, recorded once
    outcome: Mapped[FollowUpOutcome | None] = mapped_column(
        enum_column(FollowUpOutcome), index=True
    )
    note: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    concern: Mapped[Concern] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<ContactFollowUp {self.id} concern={self.concern_id}>"

    @property
    def is_recorded(self) -> bool:
        return self.outcome is not None
