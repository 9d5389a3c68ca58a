"""A hospital discharge an NHS trust notified, and the safeguarding team's follow-up."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, utcnow
from core.extensions import db

if TYPE_CHECKING:
    from core.auth.models import Agency
    from core.concerns.models import Concern
    from core.people.models import Person


class HospitalDischarge(db.Model):
    """One discharge from hospital, notified by the trust whether or not the person has
    an open concern (Newport Emergency Duty Service plan, action 6: "Monitoring of 'out
    of hours' hospital discharges")."""

    __tablename__ = "hospital_discharges"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the trust that notified it; only its users read it, with the safeguarding team
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    # who was discharged (a new record from the trust, as a partner's concern makes one)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    # the council area it is notified to: the notifying practitioner's
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    # when the person left hospital (UTC)
    discharged_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    # outside the council's core hours or on a day off, computed when saved, never typed
    out_of_hours: Mapped[bool] = mapped_column(default=False)
    # the hospital and ward, in the trust's words
    discharged_from: Mapped[str] = mapped_column(sa.String(200))
    # own home, a care home, family…
    discharged_to: Mapped[str] = mapped_column(sa.String(200))
    # whether care was in place on arrival
    care_in_place: Mapped[bool] = mapped_column()
    # what the trust arranged
    notes: Mapped[str | None] = mapped_column(sa.Text)
    notified_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    notified_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the follow-up, recorded by the safeguarding team: who did it (a name: the
    # out-of-hours worker may not be the one recording it), when, and what was done
    followed_up_by: Mapped[str | None] = mapped_column(sa.String(200))
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up_action: Mapped[str | None] = mapped_column(sa.Text)
    # whether a safeguarding concern was raised, and which (linked when it is known)
    concern_raised: Mapped[bool | None] = mapped_column()
    concern_id: Mapped[int | None] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    follow_up_recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    follow_up_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # optimistic concurrency; also the API's ETag
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    agency: Mapped[Agency] = relationship()
    person: Mapped[Person] = relationship()
    concern: Mapped[Concern | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def followed_up(self) -> bool:
        return self.followed_up_at is not None

    @property
    def hours_to_follow_up(self) -> float | None:
        """Hours from the discharge to its follow-up, to one decimal place."""
        if self.followed_up_at is None:
            return None
        return round((self.followed_up_at - self.discharged_at).total_seconds() / 3600, 1)

    def __repr__(self) -> str:
        return f"<HospitalDischarge {self.id} person={self.person_id} at {self.discharged_at}>"
