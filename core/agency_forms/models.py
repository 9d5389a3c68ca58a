"""Submissions of agency forms, every version of each, and who they are shared with."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.concerns.models import Restriction
from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db

if TYPE_CHECKING:
    from core.auth.models import Agency, User


class FormSubmission(db.Model):
    """One filled-in agency form. Its answers are those of its latest version."""

    __tablename__ = "form_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # <plugin>.<form>, e.g. police.investigation
    form_name: Mapped[str] = mapped_column(sa.String(100))
    # the agency that wrote it; only its users may change it
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"))
    # what it is about: concern, meeting, plan, establishment or agency
    subject_type: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[int] = mapped_column()
    # the case it belongs to when it is about a concern (timeline and access)
    concern_id: Mapped[int | None] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    # the answers of the latest version, as stored (dates as ISO strings)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the number of the latest version; also the API's ETag
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    # why it is restricted (issue 19, item 3): read only by the writing agency, the team
    # and the agencies it is shared with, as any submission; those who read the case it is
    # about at full or contributor level see that it exists, its date and agency, no more
    restriction: Mapped[Restriction | None] = mapped_column(enum_column(Restriction))

    agency: Mapped[Agency] = relationship()
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.Index("ix_form_submissions_form_agency", "form_name", "agency_id"),
        sa.Index("ix_form_submissions_subject", "subject_type", "subject_id"),
        sa.CheckConstraint(
            "subject_type IN ('concern', 'meeting', 'plan', 'establishment', 'agency')",
            name="subject_type",
        ),
    )

    def __repr__(self) -> str:
        return f"<FormSubmission {self.id} {self.form_name} v{self.version}>"


class FormVersion(db.Model):
    """One save of a submission: who, when, the answers and what changed."""

    __tablename__ = "form_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("form_submissions.id"))
    number: Mapped[int] = mapped_column()
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    # [{"field", "label", "before", "after"}] against the previous version, as displayed
    changes: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON)
    saved_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    saved_by: Mapped[User] = relationship()

    __table_args__ = (sa.UniqueConstraint("submission_id", "number"),)

    def __repr__(self) -> str:
        return f"<FormVersion {self.submission_id} v{self.number}>"


class FormShare(db.Model):
    """Another agency may read a submission while the share is not withdrawn."""

    __tablename__ = "form_shares"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("form_submissions.id"))
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"))
    shared_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    agency: Mapped[Agency] = relationship()

    __table_args__ = (
        sa.Index("ix_form_shares_agency_submission", "agency_id", "submission_id"),
        sa.Index("ix_form_shares_submission", "submission_id"),
    )

    def __repr__(self) -> str:
        return f"<FormShare {self.submission_id} agency={self.agency_id}>"
