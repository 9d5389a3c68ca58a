"""The attendance audit: a frozen snapshot of agencies' attendance at the meetings held in
a period, and the board's actions against the agencies under the threshold.

A run stores its figures as counts; rates and the threshold flag are worked out from those
stored counts and the threshold stored with the audit, so reading an audit again always
gives the same figures whatever happens to the meeting records afterwards.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.reference import Labelled

if TYPE_CHECKING:
    from core.auth.models import User

ALL_TYPES = "all"  # the meeting_type of a row that adds up every type for an agency


class AttendanceAudit(db.Model):
    __tablename__ = "attendance_audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the period, in council local dates, both days included
    period_start: Mapped[date] = mapped_column(sa.Date, index=True)
    period_end: Mapped[date] = mapped_column(sa.Date, index=True)
    # the council area whose meetings it counts (those about its cases, on an instance of
    # several councils; every meeting on a single council's)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    # attendance rate under this is flagged (the setting when the audit was run)
    threshold: Mapped[float] = mapped_column(sa.Float)
    # the audit this one is compared with (see operations.previous_audit_for)
    previous_audit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("attendance_audits.id"))
    # meetings held in the period (cancelled and still scheduled ones are not counted)
    meetings_held: Mapped[int] = mapped_column(default=0)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # null when run from the command line
    run_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    rows: Mapped[list[AttendanceAuditRow]] = relationship(
        back_populates="audit",
        order_by="(AttendanceAuditRow.agency_name, AttendanceAuditRow.meeting_type == 'all', "
        "AttendanceAuditRow.meeting_type_label)",
    )
    quoracy: Mapped[list[AttendanceAuditQuoracy]] = relationship(
        order_by="AttendanceAuditQuoracy.meeting_type_label"
    )
    previous_audit: Mapped[AttendanceAudit | None] = relationship(remote_side=[id])
    run_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AttendanceAudit {self.id} {self.period_start}..{self.period_end}>"


class AttendanceAuditRow(db.Model):
    """One agency at one meeting type (or at every type: ``meeting_type`` ``all``)."""

    __tablename__ = "attendance_audit_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(sa.ForeignKey("attendance_audits.id"))
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    # the agency's name when the audit was run
    agency_name: Mapped[str] = mapped_column(sa.String(200))
    # a meeting type code, or "all"
    meeting_type: Mapped[str] = mapped_column(sa.String(60))
    # the type's label when the audit was run
    meeting_type_label: Mapped[str] = mapped_column(sa.String(200))
    # invitations not withdrawn, to meetings held in the period
    invited: Mapped[int] = mapped_column()
    # attended in person or virtually
    attended: Mapped[int] = mapped_column()
    apologies_with_report: Mapped[int] = mapped_column()
    apologies_without_report: Mapped[int] = mapped_column()
    did_not_attend: Mapped[int] = mapped_column()
    # standard-list invitations left off or withdrawn (and not invited again)
    omitted_invitations: Mapped[int] = mapped_column()

    audit: Mapped[AttendanceAudit] = relationship(back_populates="rows")

    __table_args__ = (sa.UniqueConstraint("audit_id", "agency_id", "meeting_type"),)

    def __repr__(self) -> str:
        return f"<AttendanceAuditRow {self.id} agency={self.agency_id} {self.meeting_type}>"


class AttendanceAuditQuoracy(db.Model):
    """How many conferences of one type were held in the period, and how many were quorate."""

    __tablename__ = "attendance_audit_quoracy"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(sa.ForeignKey("attendance_audits.id"), index=True)
    # a meeting type code with a quorum rule, or "all"
    meeting_type: Mapped[str] = mapped_column(sa.String(60))
    meeting_type_label: Mapped[str] = mapped_column(sa.String(200))
    conferences: Mapped[int] = mapped_column()
    quorate: Mapped[int] = mapped_column()

    def __repr__(self) -> str:
        return f"<AttendanceAuditQuoracy {self.id} {self.meeting_type}>"


class BoardActionStatus(Labelled):
    OPEN = ("open", "Open")
    IN_PROGRESS = ("in_progress", "In progress")
    DONE = ("done", "Done")
    CANCELLED = ("cancelled", "Cancelled")


OPEN_STATUSES = frozenset({BoardActionStatus.OPEN, BoardActionStatus.IN_PROGRESS})


class BoardAction(db.Model):
    """What the board will do about an agency under the threshold in an audit."""

    __tablename__ = "board_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the audit the action was agreed on; it is shown on later audits while open
    audit_id: Mapped[int] = mapped_column(sa.ForeignKey("attendance_audits.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    # what will be done: a letter, a meeting with the agency's lead, a follow-up
    action: Mapped[str] = mapped_column(sa.Text)
    # who will do it (a name or a role, not an account)
    owner: Mapped[str] = mapped_column(sa.String(200))
    due_on: Mapped[date] = mapped_column(sa.Date)
    status: Mapped[BoardActionStatus] = mapped_column(
        enum_column(BoardActionStatus), default=BoardActionStatus.OPEN
    )
    # what came of it, when it is closed
    note: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    audit: Mapped[AttendanceAudit] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<BoardAction {self.id} agency={self.agency_id} {self.status.value}>"
