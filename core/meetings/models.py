"""Strategy meetings and conferences, who was invited and why, what happened there."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.concerns.models import Restriction
from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.reference import Labelled, PlanCategory

if TYPE_CHECKING:
    from core.auth.models import Agency, User
    from core.concerns.models import Concern
    from core.people.models import Establishment


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class Response(Labelled):
    ACCEPTED = ("accepted", "Accepted")
    APOLOGIES = ("apologies", "Apologies")


class Outcome(Labelled):
    ATTENDED_IN_PERSON = ("attended_in_person", "Attended in person")
    ATTENDED_VIRTUALLY = ("attended_virtually", "Attended virtually")
    APOLOGIES_WITH_REPORT = ("apologies_with_report", "Apologies with report")
    APOLOGIES_WITHOUT_REPORT = ("apologies_without_report", "Apologies without report")
    DID_NOT_ATTEND = ("did_not_attend", "Did not attend")


ATTENDED = frozenset({Outcome.ATTENDED_IN_PERSON, Outcome.ATTENDED_VIRTUALLY})


class DecisionKind(Labelled):
    SECTION_42 = ("section_42_enquiry", "Proceed to a section 42 enquiry")
    SECTION_47 = ("section_47_enquiry", "Proceed to a section 47 enquiry")
    CONVENE_ICPC = ("convene_icpc", "Convene an initial child protection conference")
    CONVENE_APC = ("convene_adult_protection_conference", "Convene an adult protection conference")
    CHILD_PROTECTION_PLAN = ("child_protection_plan", "Child protection plan")
    NO_CHILD_PROTECTION_PLAN = ("no_child_protection_plan", "No child protection plan")
    PROTECTION_PLAN = ("protection_plan", "Adult safeguarding protection plan")
    NO_FURTHER_ACTION = ("no_further_action", "No further action")
    OTHER = ("other", "Other decision")


class ActionStatus(Labelled):
    OPEN = ("open", "Open")
    DONE = ("done", "Done")
    CANCELLED = ("cancelled", "Cancelled")


meeting_concerns = sa.Table(
    "meeting_concerns",
    db.metadata,
    sa.Column("meeting_id", sa.ForeignKey("meetings.id"), primary_key=True),
    sa.Column("concern_id", sa.ForeignKey("concerns.id"), primary_key=True, index=True),
)


meeting_confidential_readers = sa.Table(
    "meeting_confidential_readers",
    db.metadata,
    sa.Column("meeting_id", sa.ForeignKey("meetings.id"), primary_key=True),
    sa.Column("agency_id", sa.ForeignKey("agencies.id"), primary_key=True),
)

# the other agencies that read a restricted report to a meeting (issue 19, item 3)
invitation_report_readers = sa.Table(
    "invitation_report_readers",
    db.metadata,
    sa.Column("invitation_id", sa.ForeignKey("invitations.id"), primary_key=True),
    sa.Column("agency_id", sa.ForeignKey("agencies.id"), primary_key=True),
)


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # a meeting type code: the core's six or one a plugin registered
    type: Mapped[str] = mapped_column(sa.String(60), index=True)
    # organisational strategy meetings are about an establishment and several concerns
    establishment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("establishments.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(default=60)
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    video_link: Mapped[str | None] = mapped_column(sa.String(500))
    chair_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus), default=MeetingStatus.SCHEDULED, index=True
    )
    # calendar identity: every change sent to invitees raises the sequence
    uid: Mapped[str] = mapped_column(sa.String(120), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)
    # when it took place (the attendance audit's period is judged on this)
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # the verdict of record of a held meeting with a quorum rule, decided when it was
    # recorded (and when an outcome is corrected) under the rule of the day: what the
    # attendance audit counts; None where no rule applied, or recorded before the column
    # (the audit then works it out; ``flask audits requorate`` stores it)
    quorate: Mapped[bool | None] = mapped_column(sa.Boolean)
    minutes: Mapped[str | None] = mapped_column(sa.Text)
    # the confidential part of the minutes: for the safeguarding team and the agencies
    # named (confidential_readers) among those that read the meeting's records
    confidential_minutes: Mapped[str | None] = mapped_column(sa.Text)
    decision_letter_sent_on: Mapped[date | None] = mapped_column(sa.Date)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    concerns: Mapped[list[Concern]] = relationship(
        secondary=meeting_concerns, order_by="Concern.id"
    )
    establishment: Mapped[Establishment | None] = relationship()
    chair: Mapped[User | None] = relationship(foreign_keys=[chair_id])
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="meeting", order_by="Invitation.id"
    )
    attendees: Mapped[list[OtherAttendee]] = relationship(order_by="OtherAttendee.id")
    decisions: Mapped[list[MeetingDecision]] = relationship(order_by="MeetingDecision.id")
    actions: Mapped[list[MeetingAction]] = relationship(
        order_by="MeetingAction.id", back_populates="meeting"
    )
    confidential_readers: Mapped[list[Agency]] = relationship(
        secondary=meeting_confidential_readers, order_by="Agency.name"
    )

    __mapper_args__ = {"version_id_col": version}
    # covering index for the attendance audit: the meetings held in a period, by type,
    # with their verdict on quoracy
    __table_args__ = (
        sa.Index("ix_meetings_held_at_status_type", "held_at", "status", "type", "id", "quorate"),
    )

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.type} {self.status.value}>"

    @property
    def active_invitations(self) -> list[Invitation]:
        return [i for i in self.invitations if i.removed_at is None]


class Invitation(db.Model):
    """One agency invited to one meeting: why, how it answered, what it did."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"))
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    # why the agency is on the list, as proposed or as the officer wrote it
    reason: Mapped[str] = mapped_column(sa.Text)
    # on the standard list for the meeting type (removing it needs a reason)
    standard: Mapped[bool] = mapped_column(default=False)
    method: Mapped[str] = mapped_column(sa.String(20), default="email")
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invited_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    response: Mapped[Response | None] = mapped_column(enum_column(Response))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    report_text: Mapped[str | None] = mapped_column(sa.Text)
    report_filename: Mapped[str | None] = mapped_column(sa.String(200))
    report_pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    report_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # why the report is restricted (issue 19, item 3): then read by the team, the agency
    # and the agencies named (``report_readers``) that read the meeting's records; the
    # others see that it exists, its date and its agency (core/policy/meetings.py)
    report_restriction: Mapped[Restriction | None] = mapped_column(enum_column(Restriction))
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    removal_reason: Mapped[str | None] = mapped_column(sa.Text)
    # the person the agency (or the team) names to attend: the meeting's emails go to
    # them alone; with none named, to the agency's safeguarding contacts (issue 19, item 4)
    invitee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    meeting: Mapped[Meeting] = relationship(back_populates="invitations")
    agency: Mapped[Agency] = relationship()
    invitee: Mapped[User | None] = relationship(foreign_keys=[invitee_id])
    report_readers: Mapped[list[Agency]] = relationship(
        secondary=invitation_report_readers, order_by="Agency.name"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        # covering index for the attendance audit: its figures come from this index alone
        sa.Index(
            "ix_invitations_attendance",
            "meeting_id",
            "agency_id",
            "outcome",
            "removed_at",
            "standard",
        ),
        # the few standard invitations withdrawn: omitted unless the agency was invited again
        sa.Index(
            "ix_invitations_withdrawn_standard",
            "meeting_id",
            "agency_id",
            sqlite_where=sa.text("removed_at IS NOT NULL AND standard"),
            postgresql_where=sa.text("removed_at IS NOT NULL AND standard"),
        ),
        # an agency holds at most one live invitation to a meeting: the audit's quoracy
        # counts invitations as agencies
        sa.Index(
            "uq_invitations_live_meeting_agency",
            "meeting_id",
            "agency_id",
            unique=True,
            sqlite_where=sa.text("removed_at IS NULL"),
            postgresql_where=sa.text("removed_at IS NULL"),
        ),
    )

    def __repr__(self) -> str:
        return f"<Invitation {self.id} meeting={self.meeting_id} agency={self.agency_id}>"

    @property
    def report_submitted(self) -> bool:
        return self.report_submitted_at is not None


class OtherAttendee(db.Model):
    """Someone at the meeting who was not there for an invited agency."""

    __tablename__ = "meeting_attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str | None] = mapped_column(sa.String(200))
    agency_name: Mapped[str | None] = mapped_column(sa.String(200))

    def __repr__(self) -> str:
        return f"<OtherAttendee {self.id} meeting={self.meeting_id}>"


class MeetingDecision(db.Model):
    __tablename__ = "meeting_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind))
    # for a child protection plan
    plan_category: Mapped[PlanCategory | None] = mapped_column(enum_column(PlanCategory))
    note: Mapped[str | None] = mapped_column(sa.Text)

    def __repr__(self) -> str:
        return f"<MeetingDecision {self.id} {self.kind.value}>"


class MeetingAction(db.Model):
    """An action agreed at a meeting; its owner agency becomes involved in the case."""

    __tablename__ = "meeting_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(sa.ForeignKey("meetings.id"), index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    owner_agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus), default=ActionStatus.OPEN
    )
    completed_on: Mapped[date | None] = mapped_column(sa.Date)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    owner_agency: Mapped[Agency] = relationship()
    meeting: Mapped[Meeting] = relationship(back_populates="actions")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<MeetingAction {self.id} {self.status.value}>"


class StandardInvitee(db.Model):
    """An administrator's entry on a meeting type's standard invitation list: an agency
    type or one named agency, with the reason shown when it is proposed."""

    __tablename__ = "standard_invitees"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_type: Mapped[str] = mapped_column(sa.String(60), index=True)
    # adult, child or any
    audience: Mapped[str] = mapped_column(sa.String(10), default="any")
    agency_type: Mapped[str | None] = mapped_column(sa.String(60))
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("audience IN ('adult', 'child', 'any')", name="audience"),
        sa.CheckConstraint("(agency_type IS NULL) <> (agency_id IS NULL)", name="type_or_agency"),
    )

    def __repr__(self) -> str:
        return f"<StandardInvitee {self.id} {self.meeting_type}>"
