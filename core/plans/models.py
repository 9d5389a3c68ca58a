"""Protection plans: adult safeguarding plans and child protection plans, their actions,
category history and reviews."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.meetings.models import PlanCategory
from core.reference import Labelled

if TYPE_CHECKING:
    from core.auth.models import Agency, User
    from core.concerns.models import Concern
    from core.meetings.models import Meeting
    from core.people.models import Person


class PlanKind(Labelled):
    ADULT = ("adult_safeguarding", "Adult safeguarding plan")
    CHILD = ("child_protection", "Child protection plan")
    CHILD_IN_NEED = ("child_in_need", "Child in need plan")


class PlanStatus(Labelled):
    OPEN = ("open", "Open")
    ENDED = ("ended", "Ended")


class PlanActionStatus(Labelled):
    NOT_STARTED = ("not_started", "Not started")
    IN_PROGRESS = ("in_progress", "In progress")
    DONE = ("done", "Done")
    NOT_DONE = ("not_done", "Not done")


class ReviewDecision(Labelled):
    CONTINUE = ("continue", "Continue the plan")
    AMEND = ("amend", "Amend the plan")
    END = ("end", "End the plan")


class Plan(db.Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PlanKind] = mapped_column(enum_column(PlanKind), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    # the case the plan belongs to: who may see it follows that case's involvement
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    # the conference that decided on it; adults' plans may start without one
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    # child protection plans only
    initial_category: Mapped[PlanCategory | None] = mapped_column(enum_column(PlanCategory))
    category: Mapped[PlanCategory | None] = mapped_column(enum_column(PlanCategory))
    started_on: Mapped[date] = mapped_column(sa.Date, index=True)
    status: Mapped[PlanStatus] = mapped_column(
        enum_column(PlanStatus), default=PlanStatus.OPEN, index=True
    )
    # the date the review clock gives; moved on by every review
    next_review_due: Mapped[date | None] = mapped_column(sa.Date, index=True)
    last_reviewed_on: Mapped[date | None] = mapped_column(sa.Date)
    ended_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    end_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    person: Mapped[Person] = relationship()
    concern: Mapped[Concern] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    actions: Mapped[list[PlanAction]] = relationship(
        back_populates="plan", order_by="PlanAction.id", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[PlanReview]] = relationship(
        back_populates="plan",
        order_by="(PlanReview.reviewed_on, PlanReview.id)",
        cascade="all, delete-orphan",
    )
    category_changes: Mapped[list[PlanCategoryChange]] = relationship(
        back_populates="plan", order_by="PlanCategoryChange.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Plan {self.id} {self.kind.value} {self.status.value}>"


class PlanCategoryChange(db.Model):
    """A child protection plan's category changed; the earlier one is kept here."""

    __tablename__ = "plan_category_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    from_category: Mapped[PlanCategory] = mapped_column(enum_column(PlanCategory))
    to_category: Mapped[PlanCategory] = mapped_column(enum_column(PlanCategory))
    changed_on: Mapped[date] = mapped_column(sa.Date)
    reason: Mapped[str] = mapped_column(sa.Text)
    changed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="category_changes")
    changed_by: Mapped[User] = relationship()


class PlanAction(db.Model):
    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    owner_agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    # the named person in that agency who does it
    owner_name: Mapped[str | None] = mapped_column(sa.String(200))
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    status: Mapped[PlanActionStatus] = mapped_column(
        enum_column(PlanActionStatus), default=PlanActionStatus.NOT_STARTED
    )
    not_done_reason: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    plan: Mapped[Plan] = relationship(back_populates="actions")
    owner_agency: Mapped[Agency] = relationship()

    __mapper_args__ = {"version_id_col": version}


class PlanReview(db.Model):
    __tablename__ = "plan_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    reviewed_on: Mapped[date] = mapped_column(sa.Date)
    # children's reviews are review child protection conferences
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id"))
    # adults' reviews list who took part (children's come from the meeting's attendance)
    attendees: Mapped[str | None] = mapped_column(sa.Text)
    decision: Mapped[ReviewDecision] = mapped_column(enum_column(ReviewDecision))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="reviews")
    meeting: Mapped[Meeting | None] = relationship()
    recorded_by: Mapped[User] = relationship()
    progress: Mapped[list[ActionProgress]] = relationship(
        back_populates="review", order_by="ActionProgress.id", cascade="all, delete-orphan"
    )


class ActionProgress(db.Model):
    """What a review found of one action."""

    __tablename__ = "plan_action_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_reviews.id"), index=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_actions.id"), index=True)
    status: Mapped[PlanActionStatus] = mapped_column(enum_column(PlanActionStatus))
    note: Mapped[str | None] = mapped_column(sa.Text)

    review: Mapped[PlanReview] = relationship(back_populates="progress")
    action: Mapped[PlanAction] = relationship()
