"""Complaints, compliments and comments about the council's safeguarding work (the
Herefordshire Joint Review action plan, "Complaints, comments and compliments"; issue 25,
item 10): a log of entries linked to a case or a person; a complaint follows its
statutory procedure stage by stage, each stage with its working-day clock and outcome,
and may end with a referral to the Local Government and Social Care Ombudsman."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.reference import ComplaintProcedure, Labelled

if TYPE_CHECKING:
    from core.auth.models import User
    from core.concerns.models import Concern
    from core.people.models import Person


class EntryKind(Labelled):
    COMPLAINT = ("complaint", "Complaint")
    COMPLIMENT = ("compliment", "Compliment")
    COMMENT = ("comment", "Comment")


class MadeBy(Labelled):
    """Who made it, in relation to the person."""

    PERSON = ("person", "The person themselves")
    FAMILY = ("family_or_carer", "A relative, friend or carer")
    ADVOCATE = ("advocate", "An advocate or representative")
    PROFESSIONAL = ("professional", "A professional")
    OTHER = ("other", "Someone else")


class ReceivedVia(Labelled):
    """How it came to the council."""

    LETTER = ("letter", "Letter")
    EMAIL = ("email", "Email")
    PHONE = ("phone", "Telephone")
    IN_PERSON = ("in_person", "In person")
    ONLINE = ("online_form", "Online form")


class StageOutcome(Labelled):
    UPHELD = ("upheld", "Upheld")
    PARTLY_UPHELD = ("partly_upheld", "Partly upheld")
    NOT_UPHELD = ("not_upheld", "Not upheld")
    WITHDRAWN = ("withdrawn", "Withdrawn")


class ComplaintEntry(db.Model):
    """One complaint, compliment or comment, about a case or a person."""

    __tablename__ = "complaint_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind), index=True)
    # complaints only: the statutory procedure it follows
    procedure: Mapped[ComplaintProcedure | None] = mapped_column(enum_column(ComplaintProcedure))
    # the case it is about (its person too), or only the person
    concern_id: Mapped[int | None] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    # the council area it belongs to: the recording user's (core/auth/councils.py)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    # who made it, how they are related to the person, and how it came
    made_by_name: Mapped[str] = mapped_column(sa.String(200))
    made_by: Mapped[MadeBy] = mapped_column(enum_column(MadeBy))
    received_via: Mapped[ReceivedVia] = mapped_column(enum_column(ReceivedVia))
    # the local day it was received: every clock starts here
    received_on: Mapped[date] = mapped_column(sa.Date, index=True)
    # what it is about, in the words of whoever made it
    about: Mapped[str] = mapped_column(sa.Text)
    # complaints: the day it was acknowledged
    acknowledged_on: Mapped[date | None] = mapped_column(sa.Date)
    # the referral to the Local Government and Social Care Ombudsman, the last step
    ombudsman_referred_on: Mapped[date | None] = mapped_column(sa.Date)
    ombudsman_reference: Mapped[str | None] = mapped_column(sa.String(40))
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    concern: Mapped[Concern | None] = relationship()
    person: Mapped[Person] = relationship()
    recorded_by: Mapped[User] = relationship()
    stages: Mapped[list[ComplaintStage]] = relationship(
        back_populates="entry", order_by="ComplaintStage.number", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<ComplaintEntry {self.id} {self.kind.value}>"

    @property
    def current_stage(self) -> ComplaintStage | None:
        return self.stages[-1] if self.stages else None


class ComplaintStage(db.Model):
    """One stage of a complaint: when it started (the complaint, or the request to take
    it further, received), when its answer is due, and the answer."""

    __tablename__ = "complaint_stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("complaint_entries.id"), index=True)
    number: Mapped[int] = mapped_column(sa.SmallInteger)
    started_on: Mapped[date] = mapped_column(sa.Date)
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    # the extension the regulations allow, once, with its reason
    extension_reason: Mapped[str | None] = mapped_column(sa.Text)
    # the response sent (stage 3: the day the review panel met) and its outcome
    answered_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    outcome: Mapped[StageOutcome | None] = mapped_column(enum_column(StageOutcome))
    response: Mapped[str | None] = mapped_column(sa.Text)

    entry: Mapped[ComplaintEntry] = relationship(back_populates="stages")

    __table_args__ = (sa.UniqueConstraint("entry_id", "number"),)

    def __repr__(self) -> str:
        return f"<ComplaintStage {self.entry_id}/{self.number}>"

    @property
    def answered_in_time(self) -> bool | None:
        return None if self.answered_on is None else self.answered_on <= self.due_on
