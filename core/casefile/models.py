"""Case file audits, their frozen checklist, the sampled cases and the auditors' answers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.reference import Labelled

if TYPE_CHECKING:
    from core.auth.models import Locality, Team, User
    from core.concerns.models import Concern


# shown in a closed audit's sample for a case that retention purged since
PURGED_CASE = "Removed under retention"


class AuditStatus(Labelled):
    OPEN = ("open", "Open")
    CLOSED = ("closed", "Closed")


class Grade(Labelled):
    OUTSTANDING = ("outstanding", "Outstanding")
    GOOD = ("good", "Good")
    REQUIRES_IMPROVEMENT = ("requires_improvement", "Requires improvement")
    INADEQUATE = ("inadequate", "Inadequate")


class Answer(Labelled):
    YES = ("yes", "Yes")
    NO = ("no", "No")
    NOT_APPLICABLE = ("not_applicable", "Not applicable")


class CaseType(Labelled):
    ADULT = ("adult", "Adults")
    CHILD = ("child", "Children")


class CaseFileAudit(db.Model):
    __tablename__ = "casefile_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the quarter sampled: quarter 1 of ``year`` begins on the first of month ``year_starts``
    # of ``year`` (the AUDIT_YEAR_STARTS setting when drawn: 4, the financial year, by
    # default; audits drawn before the setting existed keep 1, the calendar quarter)
    year: Mapped[int] = mapped_column(sa.SmallInteger)
    quarter: Mapped[int] = mapped_column(sa.SmallInteger)
    year_starts: Mapped[int] = mapped_column(sa.SmallInteger, default=4, server_default="1")
    # the council area whose cases it samples (its manager's), and whose staff see it
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    # the limits the sample was drawn with (None: any)
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id"))
    locality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("localities.id"))
    out_of_hours: Mapped[bool | None] = mapped_column()
    case_type: Mapped[CaseType | None] = mapped_column(enum_column(CaseType))
    # the random seed that, with the quarter, reproduces the sample
    seed: Mapped[int] = mapped_column(sa.BigInteger)
    # cases asked for; the sample holds all active cases when there are fewer
    sample_size: Mapped[int] = mapped_column(sa.SmallInteger)
    status: Mapped[AuditStatus] = mapped_column(
        enum_column(AuditStatus), default=AuditStatus.OPEN, index=True
    )
    drawn_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team: Mapped[Team | None] = relationship()
    locality: Mapped[Locality | None] = relationship()
    drawn_by: Mapped[User] = relationship(foreign_keys=[drawn_by_id])
    items: Mapped[list[ChecklistItem]] = relationship(
        order_by="ChecklistItem.position", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[CaseFileReview]] = relationship(
        back_populates="audit", order_by="CaseFileReview.concern_id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        sa.CheckConstraint("sample_size >= 1", name="sample_size_positive"),
        sa.CheckConstraint("year_starts BETWEEN 1 AND 12", name="year_starts_month"),
        sa.Index("ix_casefile_audits_year_quarter", "year", "quarter"),
    )

    def __repr__(self) -> str:
        return f"<CaseFileAudit {self.id} {self.year} Q{self.quarter} seed={self.seed}>"

    @property
    def limits(self) -> list[str]:
        """The limits the sample was drawn with, as people say them (empty: every case)."""
        shown = []
        if self.team is not None:
            shown.append(f"Team: {self.team.name}")
        if self.locality is not None:
            shown.append(f"Area: {self.locality.name}")
        if self.out_of_hours is not None:
            shown.append("Out-of-hours cases" if self.out_of_hours else "Day-time cases")
        if self.case_type is not None:
            shown.append(f"Case type: {self.case_type.label}")
        return shown


class ChecklistItem(db.Model):
    """One standard the cases are checked against, copied from the checklist setting when
    the sample is drawn, so a later change of the setting leaves this audit as it was."""

    __tablename__ = "casefile_checklist_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(sa.ForeignKey("casefile_audits.id"), index=True)
    position: Mapped[int] = mapped_column(sa.SmallInteger)
    text: Mapped[str] = mapped_column(sa.String(300))

    def __repr__(self) -> str:
        return f"<ChecklistItem {self.id} audit={self.audit_id}>"


class CaseFileReview(db.Model):
    """One sampled case: the reviewer assigned to it and, once reviewed, its grade."""

    __tablename__ = "casefile_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(sa.ForeignKey("casefile_audits.id"))
    # None once retention purged the case: a closed audit keeps its figures, not the case
    concern_id: Mapped[int | None] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    # the reviewer (an auditor, or a safeguarding manager or officer the audit's owner
    # chose) who grades this case; an auditor may read it while the audit is open
    auditor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    grade: Mapped[Grade | None] = mapped_column(enum_column(Grade))
    comments: Mapped[str | None] = mapped_column(sa.Text)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    audit: Mapped[CaseFileAudit] = relationship(back_populates="reviews")
    concern: Mapped[Concern | None] = relationship()
    auditor: Mapped[User | None] = relationship()
    answers: Mapped[list[CaseFileAnswer]] = relationship(
        order_by="CaseFileAnswer.item_id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("audit_id", "concern_id"),
        # the auditor access rule looks cases up by auditor
        sa.Index("ix_casefile_reviews_auditor_concern", "auditor_id", "concern_id"),
    )

    def __repr__(self) -> str:
        return f"<CaseFileReview {self.id} audit={self.audit_id} concern={self.concern_id}>"

    @property
    def case_reference(self) -> str:
        """The sampled case's reference, or what stands for a case purged under retention."""
        return self.concern.reference if self.concern is not None else PURGED_CASE


class CaseFileAnswer(db.Model):
    """The auditor's answer to one checklist item for one case."""

    __tablename__ = "casefile_answers"

    review_id: Mapped[int] = mapped_column(sa.ForeignKey("casefile_reviews.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("casefile_checklist_items.id"), primary_key=True
    )
    answer: Mapped[Answer] = mapped_column(enum_column(Answer))

    def __repr__(self) -> str:
        return f"<CaseFileAnswer review={self.review_id} item={self.item_id} {self.answer.value}>"
