"""Concerns (the case record), the agencies involved in them, and their timeline."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import UTCDateTime, enum_column, utcnow
from core.extensions import db
from core.reference import (
    AssessmentFactor,
    ClosureReason,
    FamilyOutcome,
    HateCrime,
    HateStrand,
    Labelled,
    LackedCapacity,
    LocationOfRisk,
    MspAchieved,
    MspAsked,
    PrimaryNeed,
    ReferralSource,
    RiskAfterAction,
    RiskOutcome,
    SourceOfRisk,
    TypeOfRisk,
    risk_label,
)

if TYPE_CHECKING:
    from core.auth.models import Agency, Locality, Team, User
    from core.people.models import Establishment, Person


class Route(Labelled):
    PHONE = ("phone", "Phone")
    EMAIL = ("email", "Email")
    PORTAL = ("portal", "Online portal")
    API = ("api", "Partner system (API)")
    OUT_OF_HOURS = ("out_of_hours", "Out-of-hours service")


class Decision(Labelled):
    """Screening decisions: the first four for adults, the rest for children."""

    SECTION_42 = ("section_42_enquiry", "Section 42 enquiry")
    OTHER_ENQUIRY = ("other_enquiry", "Other enquiry")
    NO_FURTHER_ACTION = ("no_further_action", "No further action")
    SIGNPOSTED = ("signposted", "Signposted")
    STRATEGY_DISCUSSION = ("strategy_discussion", "Strategy discussion (section 47)")
    CHILD_IN_NEED = ("child_in_need", "Child-in-need assessment")
    EARLY_HELP = ("early_help", "Early help")


ADULT_DECISIONS = (
    Decision.SECTION_42,
    Decision.OTHER_ENQUIRY,
    Decision.NO_FURTHER_ACTION,
    Decision.SIGNPOSTED,
)
CHILD_DECISIONS = (
    Decision.STRATEGY_DISCUSSION,
    Decision.CHILD_IN_NEED,
    Decision.EARLY_HELP,
    Decision.NO_FURTHER_ACTION,
)


class SignOff(Labelled):
    """Where a screening decision stands when the council wants a manager to sign it off."""

    PENDING = ("pending", "Awaiting a manager's sign-off")
    SIGNED_OFF = ("signed_off", "Signed off by a manager")


class SignOffOutcome(Labelled):
    """What a manager did with a screening decision awaiting sign-off."""

    SIGNED_OFF = ("signed_off", "Signed off")
    SENT_BACK = ("sent_back", "Sent back to be decided again")


class InvolvementReason(Labelled):
    REFERRER = ("referrer", "Referred the concern")
    INVITED = ("invited", "Invited to a meeting")
    ACTION_OWNER = ("action_owner", "Owns an action in the plan")
    ADDED = ("added", "Added by the safeguarding team")


class InvolvementLevel(Labelled):
    """How much of a case an involved agency sees. Working Together to Safeguard
    Children (2023) and the Care and Support Statutory Guidance (chapter 14) both expect
    information shared on a need-to-know basis, and an agency whose staff are alleged to
    have caused harm must not see the investigation of them. The sections each level
    shows are the policy's (``core/policy/cases.py``)."""

    FULL = ("full", "Full: the whole case")
    CONTRIBUTOR = ("contributor", "Contributor: what it needs for its part")
    IMPLICATED = ("implicated", "Implicated: is or employs the alleged source of risk")


class EnquiryKind(Labelled):
    """The two kinds of safeguarding enquiry the SAC counts; codes are the screening
    decisions that start them."""

    SECTION_42 = ("section_42_enquiry", "Section 42 enquiry")
    OTHER = ("other_enquiry", "Other enquiry")


class ConcernStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Concern(db.Model):
    __tablename__ = "concerns"
    # not stored: set while a concern is recorded with a person new to the system, whose
    # later concerns the dashboard's figures (core/returns/summary.py) need not look for
    person_is_new = False

    id: Mapped[int] = mapped_column(primary_key=True)
    # SG-2026-000123: year received and a number in that year
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    received_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    route: Mapped[Route] = mapped_column(enum_column(Route))
    # who raised it
    referrer_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    referrer_name: Mapped[str | None] = mapped_column(sa.String(200))
    referrer_role: Mapped[str | None] = mapped_column(sa.String(200))
    # how to reach them (phone, email or postal address): the contact follow-up's call and letter
    referrer_contact: Mapped[str | None] = mapped_column(sa.String(500))
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id"), index=True)
    is_child: Mapped[bool] = mapped_column(default=False)
    location: Mapped[LocationOfRisk] = mapped_column(enum_column(LocationOfRisk))
    establishment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("establishments.id"))
    source_of_risk: Mapped[SourceOfRisk] = mapped_column(enum_column(SourceOfRisk))
    description: Mapped[str] = mapped_column(sa.Text)
    urgent: Mapped[bool] = mapped_column(default=False)
    # a crime is suspected (police are invited to adult strategy meetings)
    crime_suspected: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # a hate or mate crime, with the monitored strands of hostility (core/reference.py)
    hate_crime: Mapped[HateCrime | None] = mapped_column(enum_column(HateCrime))
    # Making Safeguarding Personal at intake
    person_views: Mapped[str | None] = mapped_column(sa.Text)
    consent_given: Mapped[bool | None] = mapped_column()
    lacked_capacity: Mapped[LackedCapacity] = mapped_column(
        enum_column(LackedCapacity), default=LackedCapacity.NOT_RECORDED
    )
    msp_asked: Mapped[MspAsked] = mapped_column(
        enum_column(MspAsked), default=MspAsked.NOT_RECORDED
    )
    desired_outcomes: Mapped[str | None] = mapped_column(sa.Text)
    # children: who referred the child, as the CIN census codes it (required for children)
    referral_source: Mapped[ReferralSource | None] = mapped_column(enum_column(ReferralSource))
    # children: level of need on the council's threshold model (core/concerns/needs.py)
    level_of_need: Mapped[int | None] = mapped_column(sa.SmallInteger)
    threshold_reasoning: Mapped[str | None] = mapped_column(sa.Text)
    # computed at intake from received_at against core hours and bank holidays
    out_of_hours: Mapped[bool] = mapped_column(default=False, index=True)
    status: Mapped[ConcernStatus] = mapped_column(
        enum_column(ConcernStatus), default=ConcernStatus.OPEN, index=True
    )
    # screening decision and its clock
    screening_due: Mapped[date] = mapped_column(sa.Date, index=True)
    decision: Mapped[Decision | None] = mapped_column(enum_column(Decision), index=True)
    decision_reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # indexed: the dashboard's figures job counts again the decisions of a few days
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # manager sign-off of the decision where SCREENING_SIGN_OFF asks for it; None when the
    # decision needs none (or there is no decision yet)
    sign_off: Mapped[SignOff | None] = mapped_column(enum_column(SignOff), index=True)
    signed_off_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # closure: the SAC outcome, Making Safeguarding Personal and feedback given
    risk_outcome: Mapped[RiskOutcome | None] = mapped_column(enum_column(RiskOutcome))
    risk_after_action: Mapped[RiskAfterAction | None] = mapped_column(enum_column(RiskAfterAction))
    msp_achieved: Mapped[MspAchieved | None] = mapped_column(enum_column(MspAchieved))
    feedback_person_on: Mapped[date | None] = mapped_column(sa.Date)
    feedback_person_method: Mapped[str | None] = mapped_column(sa.String(100))
    feedback_referrer_on: Mapped[date | None] = mapped_column(sa.Date)
    feedback_referrer_method: Mapped[str | None] = mapped_column(sa.String(100))
    # closure of a child's case: the CIN census reason and the child's primary need (the
    # need is not asked of a referral that went no further)
    closure_reason: Mapped[ClosureReason | None] = mapped_column(enum_column(ClosureReason))
    primary_need: Mapped[PrimaryNeed | None] = mapped_column(enum_column(PrimaryNeed))
    # closure of a child's case: what happened for the child and family (Somerset's
    # "outcomes at closure", core/reference.py); adults' cases close with the SAC outcome
    family_outcome: Mapped[FamilyOutcome | None] = mapped_column(enum_column(FamilyOutcome))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the council area that received it (core/auth/models.py Council): its staff see it;
    # a partner agency involved sees it whatever the council (core/policy/cases.py)
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    # who holds the case (core/teams/): by default the recording user's team; None: not recorded
    team_id: Mapped[int | None] = mapped_column(sa.ForeignKey("teams.id"), index=True)
    # the local area inside the council (labelled "Area"); None: not recorded
    locality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("localities.id"), index=True)
    # cross-boundary: another council placed the person or is responsible for them
    responsible_authority: Mapped[str | None] = mapped_column(sa.String(200))
    responsible_authority_informed_on: Mapped[date | None] = mapped_column(sa.Date)
    # soft delete only: who, when and why are kept; a legal hold blocks it
    legal_hold_reason: Mapped[str | None] = mapped_column(sa.Text)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    deleted_reason: Mapped[str | None] = mapped_column(sa.Text)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    person: Mapped[Person] = relationship()
    establishment: Mapped[Establishment | None] = relationship()
    referrer_agency: Mapped[Agency | None] = relationship()
    team: Mapped[Team | None] = relationship()
    locality: Mapped[Locality | None] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    signed_off_by: Mapped[User | None] = relationship(foreign_keys=[signed_off_by_id])
    risk_types: Mapped[list[ConcernRiskType]] = relationship(
        cascade="all, delete-orphan", order_by="ConcernRiskType.risk_type"
    )
    # read with the concerns, a page of them in one more statement (lists show them)
    hate_strands: Mapped[list[ConcernHateStrand]] = relationship(
        cascade="all, delete-orphan", order_by="ConcernHateStrand.strand", lazy="selectin"
    )
    enquiry: Mapped[SafeguardingEnquiry | None] = relationship(
        cascade="all, delete-orphan", single_parent=True
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.CheckConstraint(
            "level_of_need IS NULL OR level_of_need BETWEEN 1 AND 9", name="level_of_need_range"
        ),
        sa.Index("ix_concerns_establishment_received", "establishment_id", "received_at"),
        sa.Index("ix_concerns_person_received", "person_id", "received_at"),
    )

    def __repr__(self) -> str:
        return f"<Concern {self.id} {self.reference}>"

    @property
    def types_of_risk(self) -> list[TypeOfRisk]:
        return [row.risk_type for row in self.risk_types]

    @property
    def hate_strand_codes(self) -> list[HateStrand]:
        """In the order the strands are listed (core/reference.py)."""
        order = list(HateStrand)
        return sorted((row.strand for row in self.hate_strands), key=order.index)

    @property
    def risk_labels(self) -> list[str]:
        """The types of risk as they read on this case (a child's: categories of abuse)."""
        return [risk_label(risk, self.is_child) for risk in self.types_of_risk]

    @property
    def decision_final_at(self) -> datetime | None:
        """When the screening decision became final, which is when the screening clock is
        met: when it was made, or, if it needed a manager's sign-off, when signed off."""
        if self.sign_off is None:
            return self.decided_at
        return self.signed_off_at if self.sign_off == SignOff.SIGNED_OFF else None


class Assessment(db.Model):
    """A children's social care assessment of a child (Children Act 1989): started, and
    concluded when a manager authorises it, with the factors identified at its end."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    started_on: Mapped[date] = mapped_column(sa.Date)
    # 45 working days from the referral (Working Together 2023), counted when it started
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    authorised_on: Mapped[date | None] = mapped_column(sa.Date)
    summary: Mapped[str | None] = mapped_column(sa.Text)
    started_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    authorised_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    factor_rows: Mapped[list[AssessmentFactorRow]] = relationship(
        cascade="all, delete-orphan", order_by="AssessmentFactorRow.factor"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Assessment {self.id} concern={self.concern_id}>"

    @property
    def factors(self) -> list[AssessmentFactor]:
        return [row.factor for row in self.factor_rows]


class AssessmentFactorRow(db.Model):
    """One factor identified at the end of an assessment (CIN census codes)."""

    __tablename__ = "assessment_factors"

    assessment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    factor: Mapped[AssessmentFactor] = mapped_column(
        enum_column(AssessmentFactor), primary_key=True
    )

    def __repr__(self) -> str:
        return f"<AssessmentFactorRow {self.assessment_id} {self.factor.value}>"


class ConcernHateStrand(db.Model):
    """A monitored strand of a hate or mate crime's hostility (a concern can have several)."""

    __tablename__ = "concern_hate_strands"

    concern_id: Mapped[int] = mapped_column(
        sa.ForeignKey("concerns.id", ondelete="CASCADE"), primary_key=True
    )
    strand: Mapped[HateStrand] = mapped_column(enum_column(HateStrand), primary_key=True)


class ConcernRiskType(db.Model):
    """One type of risk of a concern (a concern can have several)."""

    __tablename__ = "concern_risk_types"

    concern_id: Mapped[int] = mapped_column(
        sa.ForeignKey("concerns.id", ondelete="CASCADE"), primary_key=True
    )
    risk_type: Mapped[TypeOfRisk] = mapped_column(enum_column(TypeOfRisk), primary_key=True)

    def __repr__(self) -> str:
        return f"<ConcernRiskType {self.concern_id} {self.risk_type.value}>"


class SafeguardingEnquiry(db.Model):
    """The section 42 or other enquiry a screening decision started: what the SAC counts
    in its SG2 to SG4 tables. Making Safeguarding Personal, capacity, advocacy, where and
    from whom the risk came, and the outcome are recorded here, per enquiry, and can be
    changed while it is open."""

    __tablename__ = "enquiries"

    id: Mapped[int] = mapped_column(primary_key=True)
    # one enquiry per concern: the concern's screening decision started it
    concern_id: Mapped[int] = mapped_column(
        sa.ForeignKey("concerns.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[EnquiryKind] = mapped_column(enum_column(EnquiryKind), index=True)
    # local days: SG1 counts enquiries started in the year, SG2 to SG4 those concluded
    started_on: Mapped[date] = mapped_column(sa.Date, index=True)
    concluded_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    # Making Safeguarding Personal: asked about desired outcomes, what they were, achieved
    msp_asked: Mapped[MspAsked] = mapped_column(
        enum_column(MspAsked), default=MspAsked.NOT_RECORDED
    )
    outcomes_expressed: Mapped[str | None] = mapped_column(sa.Text)
    msp_achieved: Mapped[MspAchieved | None] = mapped_column(enum_column(MspAchieved))
    # mental capacity, and where the person lacked it, support by an advocate, family or friend
    lacked_capacity: Mapped[LackedCapacity] = mapped_column(
        enum_column(LackedCapacity), default=LackedCapacity.NOT_RECORDED
    )
    advocacy: Mapped[LackedCapacity | None] = mapped_column(enum_column(LackedCapacity))
    # the outcome of the risk assessment; the result only where RiskOutcome.result_recorded
    risk_outcome: Mapped[RiskOutcome | None] = mapped_column(enum_column(RiskOutcome))
    risk_after_action: Mapped[RiskAfterAction | None] = mapped_column(enum_column(RiskAfterAction))
    concluded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # set on every change, so a change of locations or sources alone moves the version
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    location_rows: Mapped[list[EnquiryLocation]] = relationship(
        cascade="all, delete-orphan", order_by="EnquiryLocation.location"
    )
    source_rows: Mapped[list[EnquirySource]] = relationship(
        cascade="all, delete-orphan", order_by="EnquirySource.source"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<SafeguardingEnquiry {self.id} concern={self.concern_id} {self.kind.value}>"

    @property
    def locations(self) -> list[LocationOfRisk]:
        return [row.location for row in self.location_rows]

    @property
    def sources(self) -> list[SourceOfRisk]:
        return [row.source for row in self.source_rows]

    @property
    def is_open(self) -> bool:
        return self.concluded_on is None


class EnquiryLocation(db.Model):
    """One location of risk an enquiry found (an enquiry can have several; the SAC counts
    it once in each)."""

    __tablename__ = "enquiry_locations"

    enquiry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enquiries.id", ondelete="CASCADE"), primary_key=True
    )
    location: Mapped[LocationOfRisk] = mapped_column(enum_column(LocationOfRisk), primary_key=True)

    def __repr__(self) -> str:
        return f"<EnquiryLocation {self.enquiry_id} {self.location.value}>"


class EnquirySource(db.Model):
    """One type of source of risk an enquiry found (several types: once in each; two
    sources of the same type: once)."""

    __tablename__ = "enquiry_sources"

    enquiry_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enquiries.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[SourceOfRisk] = mapped_column(enum_column(SourceOfRisk), primary_key=True)

    def __repr__(self) -> str:
        return f"<EnquirySource {self.enquiry_id} {self.source.value}>"


class Involvement(db.Model):
    """Why an agency may see a case. Access ends when ``removed_at`` is set."""

    __tablename__ = "involvements"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agencies.id"), index=True)
    reason: Mapped[InvolvementReason] = mapped_column(enum_column(InvolvementReason))
    # what the safeguarding team wrote when adding the agency
    note: Mapped[str | None] = mapped_column(sa.Text)
    added_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    removal_reason: Mapped[str | None] = mapped_column(sa.Text)
    level: Mapped[InvolvementLevel] = mapped_column(
        enum_column(InvolvementLevel), default=InvolvementLevel.FULL, server_default="full"
    )
    # why the level is what it is (set by the team, or the rule that implicated the agency)
    level_reason: Mapped[str | None] = mapped_column(sa.Text)

    agency: Mapped[Agency] = relationship()

    __table_args__ = (
        sa.Index("ix_involvements_agency_active", "agency_id", "concern_id", "removed_at"),
    )

    def __repr__(self) -> str:
        return (
            f"<Involvement concern={self.concern_id} agency={self.agency_id} {self.reason.value}>"
        )


class CaseEvent(db.Model):
    """One entry in a case's timeline."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # dotted kind, e.g. concern.recorded, decision.made, involvement.added
    kind: Mapped[str] = mapped_column(sa.String(60))
    # one line for the timeline
    summary: Mapped[str] = mapped_column(sa.Text)
    # an agency form's entry: shown only to those who may read that form
    submission_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("form_submissions.id"), index=True
    )
    # set on the entry made with its case ("concern.recorded"): written in the same flush
    concern: Mapped[Concern] = relationship(lazy="raise")

    def __repr__(self) -> str:
        return f"<CaseEvent {self.id} {self.kind}>"


def add_event(concern: Concern, user: User | None, kind: str, summary: str) -> CaseEvent:
    """Add an entry to ``concern``'s timeline (in the session; the request commits it)."""
    event = CaseEvent(
        concern_id=concern.id, user_id=user.id if user else None, kind=kind, summary=summary
    )
    db.session.add(event)
    return event


class DecisionReview(db.Model):
    """A manager's sign-off of a screening decision, or its return with a reason. A
    returned decision is cleared from the concern, so this row is where it is kept."""

    __tablename__ = "decision_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    # the decision as it was put to the manager
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    decision_reason: Mapped[str] = mapped_column(sa.Text)
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # what the manager did, and why (required when sent back)
    outcome: Mapped[SignOffOutcome] = mapped_column(enum_column(SignOffOutcome))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    manager_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decided_by: Mapped[User] = relationship(foreign_keys=[decided_by_id])
    manager: Mapped[User] = relationship(foreign_keys=[manager_id])

    def __repr__(self) -> str:
        return f"<DecisionReview {self.id} concern={self.concern_id} {self.outcome.value}>"


class Restriction(Labelled):
    """Why a case note or an agency form is for named agencies only (issue 19, item 3)."""

    THIRD_PARTY = ("third_party", "Third-party information")
    POLICE_SENSITIVE = ("police_sensitive", "Police sensitive")
    HEALTH = ("health", "Health information")


case_note_readers = sa.Table(
    "case_note_readers",
    db.metadata,
    sa.Column("note_id", sa.ForeignKey("case_notes.id"), primary_key=True),
    sa.Column("agency_id", sa.ForeignKey("agencies.id"), primary_key=True),
)


class CaseNote(db.Model):
    """A note on a case; key decisions are flagged so they stand out in the record. A
    restricted note is read by the safeguarding team, its author's agency and the
    agencies named (``readers``); everyone else sees that it exists, its date and its
    author's agency (``core/policy/cases.py``, ``may_read_note``)."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # the author's agency when it was written (a user may move agency later)
    author_agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"))
    written_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(sa.Text)
    key_decision: Mapped[bool] = mapped_column(default=False)
    restriction: Mapped[Restriction | None] = mapped_column(enum_column(Restriction))

    author: Mapped[User] = relationship()
    author_agency: Mapped[Agency | None] = relationship()
    readers: Mapped[list[Agency]] = relationship(secondary=case_note_readers)

    def __repr__(self) -> str:
        return f"<CaseNote {self.id} concern={self.concern_id} key={self.key_decision}>"


class BodyMapMark(db.Model):
    """One injury marked on the front or back body outline, with its written description
    (the text is the record; the position on the outline is optional)."""

    __tablename__ = "body_map_marks"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    # front or back
    side: Mapped[str] = mapped_column(sa.String(5))
    # position on the outline in per cent of its width and height, when clicked
    x: Mapped[float | None] = mapped_column(sa.Float)
    y: Mapped[float | None] = mapped_column(sa.Float)
    site: Mapped[str] = mapped_column(sa.String(200))
    size: Mapped[str | None] = mapped_column(sa.String(100))
    colour: Mapped[str | None] = mapped_column(sa.String(100))
    description: Mapped[str] = mapped_column(sa.Text)
    seen_by: Mapped[str] = mapped_column(sa.String(200))
    seen_on: Mapped[date] = mapped_column(sa.Date)
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("side IN ('front', 'back')", name="side"),
        sa.CheckConstraint("x IS NULL OR (x >= 0 AND x <= 100)", name="x_range"),
        sa.CheckConstraint("y IS NULL OR (y >= 0 AND y <= 100)", name="y_range"),
    )

    def __repr__(self) -> str:
        return f"<BodyMapMark {self.id} concern={self.concern_id} {self.side}>"


class Supervision(db.Model):
    """A manager's oversight of a case: what was discussed and decided."""

    __tablename__ = "supervisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    concern_id: Mapped[int] = mapped_column(sa.ForeignKey("concerns.id"), index=True)
    manager_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    held_on: Mapped[date] = mapped_column(sa.Date)
    discussion: Mapped[str] = mapped_column(sa.Text)
    decisions: Mapped[str] = mapped_column(sa.Text)
    next_steps: Mapped[str | None] = mapped_column(sa.Text)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    manager: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Supervision {self.id} concern={self.concern_id}>"


class Handover(db.Model):
    """A day-team member's acceptance of the out-of-hours concerns received since the
    previous handover."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    accepted_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # the council area whose out-of-hours concerns it took: the accepting user's
    council_id: Mapped[int] = mapped_column(sa.ForeignKey("councils.id"), index=True)
    # the out-of-hours concerns received after covers_from and up to accepted_at
    covers_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    concern_count: Mapped[int] = mapped_column(default=0)

    accepted_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Handover {self.id} concerns={self.concern_count}>"


class ReferenceCounter(db.Model):
    """The last concern number given out in each year."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<ReferenceCounter {self.year}={self.last}>"
