"""Referrals about a person in a position of trust: when the person alleged to have caused
harm works or volunteers in one, the council refers the allegation on, PiPoT for an adult's
case (Care and support statutory guidance, chapter 14, 14.120 to 14.132) or the LADO for a
child's (Working Together to Safeguard Children 2023, chapter 4). Read where the person
alleged to have caused harm is read (the case section ``alleged_harm``)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.people.models import AllegedPerson
from core.reference import Labelled, TrustOutcome, TrustProcess


class EmployerAction(Labelled):
    """What the employer (or the place they volunteer) did while the allegation is looked
    into."""

    SUSPENDED = ("suspended", "Suspended")
    REDEPLOYED = ("redeployed", "Redeployed or duties restricted")
    INVESTIGATION = ("investigation", "Internal investigation started")
    DISMISSED = ("dismissed", "Dismissed or left")
    NONE = ("none", "No action")
    OTHER = ("other", "Other")


class TrustReferral(db.Model):
    """A PiPoT or LADO referral made from a case about a person alleged to have caused harm
    who holds a position of trust; open until its outcome is recorded."""

    __tablename__ = "trust_referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    alleged_id: Mapped[int] = mapped_column(sa.ForeignKey("concern_alleged_people.id"), index=True)
    process: Mapped[TrustProcess] = mapped_column(enum_column(TrustProcess))
    referred_on: Mapped[date] = mapped_column(sa.Date)
    referred_to: Mapped[str] = mapped_column(sa.String(200))
    # the employer and role when referred (the report groups by employer)
    employer: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str | None] = mapped_column(sa.String(200))
    outcome: Mapped[TrustOutcome | None] = mapped_column(enum_column(TrustOutcome))
    outcome_on: Mapped[date | None] = mapped_column(sa.Date)
    outcome_notes: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    alleged: Mapped[AllegedPerson] = relationship()
    actions: Mapped[list[TrustReferralAction]] = relationship(
        order_by="TrustReferralAction.taken_on, TrustReferralAction.id"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.outcome is None

    def __repr__(self) -> str:
        return f"<TrustReferral {self.id} concern {self.concern_id}>"


class TrustReferralAction(db.Model):
    """One thing the employer did, on a day, with notes."""

    __tablename__ = "trust_referral_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("trust_referrals.id"), index=True)
    action: Mapped[EmployerAction] = mapped_column(enum_column(EmployerAction))
    taken_on: Mapped[date] = mapped_column(sa.Date)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
