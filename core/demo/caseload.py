"""A children's caseload for the demo county: children referred over the eighteen months
before a day, each taken down one of the pathways of Working Together to Safeguard
Children 2023 as a council's records would show it.

- about one referral in five goes no further at screening (closed the next working day);
- one in ten is stepped down to early help at screening (closed: services ceased, primary
  need "cases other than children in need");
- the rest are assessed (concluded within 45 working days, some still open), and either
  - go to a strategy discussion that starts a section 47 enquiry, then an initial child
    protection conference within 15 working days; most conferences decide a child
    protection plan, reviewed 3 months after it starts and then every 6, some ended at a
    review and the case closed; or
  - have a child in need plan after the assessment, or close after it (RC8).

Everything is synthetic (Faker en_GB, a fixed seed) and written as the product's own
records (people, concerns, assessments, meetings and decisions, plans and reviews), so its
pages, figures and the census file all read it. The dates respect the census's rules: one
episode per child, meetings on working days, nothing before a referral or after a closure.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from core.clocks import WorkingCalendar, add_months
from core.concerns.models import (
    Assessment,
    AssessmentFactorRow,
    CaseEvent,
    Concern,
    ConcernRiskType,
    ConcernStatus,
    Decision,
    Route,
)
from core.concerns.operations import next_reference
from core.demo.fake import synthetic
from core.extensions import db
from core.meetings.models import DecisionKind, Meeting, MeetingDecision, MeetingStatus
from core.people.models import Person
from core.plans.models import Plan, PlanKind, PlanReview, PlanStatus, ReviewDecision
from core.reference import (
    AssessmentFactor,
    ClosureReason,
    Disability,
    EthnicGroup,
    FamilyOutcome,
    LocationOfRisk,
    PlanCategory,
    PrimaryNeed,
    ReferralSource,
    Sex,
    SourceOfRisk,
    TypeOfRisk,
    upn_with_check_letter,
)

if TYPE_CHECKING:
    from faker import Faker

T = TypeVar("T")
LOCAL = ZoneInfo("Europe/London")
# Working Together 2023, chapter 2: a decision on the referral within 1 working day, the
# assessment within 45 working days, the ICPC within 15 working days of the strategy
# discussion that started the section 47 enquiry
SOURCES = [
    (ReferralSource.POLICE, 28),
    (ReferralSource.SCHOOLS, 20),
    (ReferralSource.FAMILY, 8),
    (ReferralSource.GP, 5),
    (ReferralSource.HEALTH_VISITOR, 5),
    (ReferralSource.EMERGENCY, 4),
    (ReferralSource.LA_SOCIAL_CARE, 8),
    (ReferralSource.HOUSING, 3),
    (ReferralSource.ANONYMOUS, 4),
    (ReferralSource.EARLY_HELP, 5),
    (ReferralSource.OTHER, 4),
    (ReferralSource.SELF, 2),
    (ReferralSource.LEGAL, 4),
]
FACTORS = [
    factor
    for factor in AssessmentFactor
    if factor not in (AssessmentFactor.F21, AssessmentFactor.F24A)
]
NEEDS = [
    (PrimaryNeed.N1, 55),
    (PrimaryNeed.N2, 9),
    (PrimaryNeed.N3, 3),
    (PrimaryNeed.N4, 8),
    (PrimaryNeed.N5, 14),
    (PrimaryNeed.N6, 3),
    (PrimaryNeed.N7, 1),
    (PrimaryNeed.N8, 3),
]
GROUPS = [
    (EthnicGroup.WBRI, 70),
    (EthnicGroup.WOTH, 5),
    (EthnicGroup.MWBC, 3),
    (EthnicGroup.MOTH, 3),
    (EthnicGroup.AIND, 3),
    (EthnicGroup.APKN, 4),
    (EthnicGroup.ABAN, 2),
    (EthnicGroup.BAFR, 3),
    (EthnicGroup.BCRB, 2),
    (EthnicGroup.CHNE, 1),
    (EthnicGroup.OOTH, 2),
    (EthnicGroup.REFU, 1),
    (EthnicGroup.NOBT, 1),
]
DISABLED = [d for d in Disability if d != Disability.NONE]
CATEGORIES = [
    (PlanCategory.NEG, 50),
    (PlanCategory.EMO, 35),
    (PlanCategory.PHY, 7),
    (PlanCategory.SAB, 4),
    (PlanCategory.MUL, 4),
]
RISKS = [TypeOfRisk.NEGLECT, TypeOfRisk.PHYSICAL, TypeOfRisk.PSYCHOLOGICAL, TypeOfRisk.SEXUAL]
WHAT_HAPPENED = [
    "School reports the child arrived hungry and without a coat for the third time this week.",
    "Police attended a domestic incident at the home; the child was present.",
    "Health visitor is worried about the baby's weight and the home conditions.",
    "The child told a teacher that an adult at home hit them with a belt.",
    "Neighbour reports the children are left alone overnight.",
    "A&E saw the child with an injury the explanation does not fit.",
]


# how the children's cases end for the family (Somerset's edge of care figures: most
# maintained at home, a few refused or referred elsewhere)
CLOSED_OUTCOMES = [
    (FamilyOutcome.MAINTAINED_AT_HOME, 12),
    (FamilyOutcome.STEPPED_DOWN, 6),
    (FamilyOutcome.REFUSED, 2),
    (FamilyOutcome.REFERRED_ELSEWHERE, 2),
    (FamilyOutcome.LOOKED_AFTER, 2),
    (FamilyOutcome.TRANSFERRED_OUT, 1),
    (FamilyOutcome.OTHER, 3),
]
ASSESSED_OUTCOMES = [(FamilyOutcome.MAINTAINED_AT_HOME, 3), (FamilyOutcome.STEPPED_DOWN, 2)]


@dataclass(frozen=True)
class Staff:
    officer_id: int
    manager_id: int
    # the council area that receives the cases (the demo council)
    council_id: int
    # the team holding the children's cases and the county's areas (none: not recorded)
    team_id: int | None = None
    area_ids: tuple[int, ...] = ()
    # its own draws, so the cases themselves come out as they did before areas existed
    rng: random.Random = field(default_factory=lambda: random.Random(7))  # noqa: S311

    def area(self) -> int | None:
        return self.rng.choice(self.area_ids) if self.area_ids else None

    def outcome(self, reason: ClosureReason) -> FamilyOutcome:
        """What happened for the child and family (core/reference.py), as the reason goes."""
        if reason == ClosureReason.RC7:
            return _pick(self.rng, CLOSED_OUTCOMES)
        return _pick(self.rng, ASSESSED_OUTCOMES)


def _pick(rng: random.Random, weighted: list[tuple[T, int]]) -> T:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time of day on ``day`` as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute), LOCAL).astimezone(UTC)


class _Case:
    """One child's case as it is built, with the day it closes (if it does)."""

    def __init__(self, concern: Concern, staff: Staff) -> None:
        self.concern = concern
        self.staff = staff

    def event(self, day: date, kind: str, summary: str) -> None:
        db.session.add(
            CaseEvent(
                concern_id=self.concern.id,
                occurred_at=_at(day, 15),
                user_id=self.staff.officer_id,
                kind=kind,
                summary=summary,
            )
        )

    def close(self, day: date, reason: ClosureReason, need: PrimaryNeed | None) -> None:
        concern = self.concern
        concern.family_outcome = self.staff.outcome(reason)
        concern.status = ConcernStatus.CLOSED
        concern.closed_at = _at(day, 16)
        concern.closed_by_id = self.staff.manager_id
        concern.closure_reason = reason
        concern.primary_need = need or concern.primary_need
        concern.feedback_person_on = day
        concern.feedback_person_method = "Letter to the family"
        concern.feedback_referrer_on = day
        concern.feedback_referrer_method = "Email"
        self.event(day, "concern.closed", f"Closed: {reason.label}; {concern.family_outcome.label}")


def add_children_caseload(
    children: int, until: date, staff: Staff, seed: int = 47
) -> dict[str, int]:
    """Add ``children`` children's cases referred in the 18 months up to ``until`` (none
    after it); returns how many records of each kind were made."""
    rng = random.Random(seed)  # noqa: S311 - synthetic demo data, not a secret
    fake = synthetic(seed)
    working = WorkingCalendar()
    made = {"children": 0, "assessments": 0, "meetings": 0, "plans": 0, "closed": 0}
    first = until - timedelta(days=548)
    for _ in range(children):
        referral = first + timedelta(days=rng.randrange(0, (until - first).days - 7))
        while not working.is_working_day(referral):
            referral += timedelta(days=1)
        _child(rng, fake, working, referral, until, staff, made)
        made["children"] += 1
    db.session.flush()
    return made


def _child(
    rng: random.Random,
    fake: Faker,
    working: WorkingCalendar,
    referral: date,
    until: date,
    staff: Staff,
    made: dict[str, int],
) -> None:
    sex = rng.choice([Sex.MALE, Sex.FEMALE])
    given = fake.first_name_male() if sex == Sex.MALE else fake.first_name_female()
    born = referral - timedelta(days=rng.randrange(120, 17 * 365))
    group = _pick(rng, GROUPS)
    person = Person(
        given_name=given,
        family_name=fake.last_name(),
        date_of_birth=born,
        sex=sex,
        ethnic_group=group,
        ethnicity=group.broad,
        address=fake.street_address(),
        postcode=fake.postcode(),
    )
    db.session.add(person)
    db.session.flush()
    if rng.random() < 0.12:  # about one child in eight referred is disabled
        person.disabilities = rng.sample(DISABLED, rng.randrange(1, 3))
    elif rng.random() < 0.6:
        person.disabilities = [Disability.NONE]
    if (referral - born).days >= 4 * 365 and rng.random() < 0.9:
        # a school's UPN: "001", a pseudo local authority number, then the record's id
        person.upn = upn_with_check_letter(f"001{person.id:09d}")
    received = _at(referral, rng.randrange(9, 16), rng.choice([0, 15, 30, 45]))
    decided_on = working.add_working_days(referral, 1)
    draw = rng.random()
    decision = (
        Decision.NO_FURTHER_ACTION
        if draw < 0.2
        else Decision.EARLY_HELP
        if draw < 0.3
        else Decision.STRATEGY_DISCUSSION
        if draw < 0.62
        else Decision.CHILD_IN_NEED
    )
    if decided_on > until:
        decision = None
    concern = Concern(
        reference=next_reference(referral.year),
        received_at=received,
        received_by_id=staff.officer_id,
        route=rng.choice([Route.PHONE, Route.EMAIL, Route.PORTAL]),
        referrer_name=fake.name(),
        person_id=person.id,
        is_child=True,
        location=LocationOfRisk.OWN_HOME,
        source_of_risk=SourceOfRisk.KNOWN,
        description=rng.choice(WHAT_HAPPENED),
        referral_source=_pick(rng, SOURCES),
        level_of_need=4 if decision == Decision.STRATEGY_DISCUSSION else 3,
        screening_due=decided_on,
        decision=decision,
        decision_reason="Threshold reasoning recorded in the strategy notes" if decision else None,
        decided_by_id=staff.officer_id if decision else None,
        decided_at=_at(decided_on, 11) if decision else None,
        created_at=received,
        council_id=staff.council_id,
        team_id=staff.team_id,
        locality_id=staff.area(),
    )
    concern.risk_types = [ConcernRiskType(risk_type=rng.choice(RISKS))]
    db.session.add(concern)
    db.session.flush()
    case = _Case(concern, staff)
    case.event(referral, "concern.recorded", "Referral recorded")
    if decision is None:
        return
    case.event(decided_on, "decision.made", f"Screening decision: {decision.label}")
    if decision == Decision.NO_FURTHER_ACTION:
        closing = working.add_working_days(decided_on, 1)
        if closing <= until:
            case.close(closing, ClosureReason.RC7, None)
            made["closed"] += 1
        return
    if decision == Decision.EARLY_HELP:
        closing = working.add_working_days(decided_on, 2)
        if closing <= until:
            case.close(closing, ClosureReason.RC7, PrimaryNeed.N9)
            made["closed"] += 1
        return
    assessed = _assessment(rng, working, concern, decided_on, until, staff)
    made["assessments"] += 1
    if decision == Decision.STRATEGY_DISCUSSION:
        _section_47(rng, working, case, decided_on, until, assessed, made)
    else:
        _child_in_need(rng, working, case, until, assessed, made)


def _assessment(
    rng: random.Random,
    working: WorkingCalendar,
    concern: Concern,
    started: date,
    until: date,
    staff: Staff,
) -> date | None:
    """Start an assessment; returns the day it concluded, or None while it is open."""
    due = working.add_working_days(concern.received_at.astimezone(LOCAL).date(), 45)
    concluded = working.add_working_days(started, rng.randrange(8, 44))
    assessment = Assessment(
        concern_id=concern.id,
        started_on=started,
        due_on=due,
        started_by_id=staff.officer_id,
        created_at=_at(started, 12),
    )
    db.session.add(assessment)
    if concluded > until:
        return None
    need = _pick(rng, NEEDS)
    assessment.authorised_on = concluded
    assessment.authorised_by_id = staff.manager_id
    assessment.summary = "Assessment concluded with the family's views recorded."
    factors = rng.sample(FACTORS, rng.randrange(1, 4))
    assessment.factor_rows = [AssessmentFactorRow(factor=f) for f in sorted(set(factors))]
    concern.primary_need = need
    return concluded


def _meeting(
    kind: str, day: date, concern: Concern, staff: Staff, decisions: list[MeetingDecision]
) -> Meeting:
    meeting = Meeting(
        type=kind,
        starts_at=_at(day, 10),
        duration_minutes=90,
        venue="Northshire County Hall, Room 2",
        chair_id=staff.manager_id,
        status=MeetingStatus.HELD,
        uid=f"{uuid.uuid4()}@demo.example",
        held_at=_at(day, 10),
        minutes="Agencies shared what they know; the decisions are recorded below.",
        created_by_id=staff.officer_id,
        created_at=_at(day, 9),
    )
    meeting.concerns = [concern]
    meeting.decisions = decisions
    db.session.add(meeting)
    return meeting


def _section_47(
    rng: random.Random,
    working: WorkingCalendar,
    case: _Case,
    decided_on: date,
    until: date,
    assessed: date | None,
    made: dict[str, int],
) -> None:
    concern, staff = case.concern, case.staff
    strategy_on = decided_on
    _meeting(
        "strategy_discussion",
        strategy_on,
        concern,
        staff,
        [MeetingDecision(kind=DecisionKind.SECTION_47, note="Section 47 enquiry to start")],
    )
    made["meetings"] += 1
    case.event(strategy_on, "meeting.held", "Strategy discussion: section 47 enquiry started")
    icpc_on = working.add_working_days(strategy_on, rng.randrange(6, 16))
    if icpc_on > until:
        return
    plan_decided = rng.random() < 0.75
    category = _pick(rng, CATEGORIES)
    decisions = [
        MeetingDecision(kind=DecisionKind.CHILD_PROTECTION_PLAN, plan_category=category)
        if plan_decided
        else MeetingDecision(kind=DecisionKind.NO_CHILD_PROTECTION_PLAN)
    ]
    meeting = _meeting("initial_child_protection_conference", icpc_on, concern, staff, decisions)
    made["meetings"] += 1
    case.event(icpc_on, "meeting.held", "Initial child protection conference held")
    if not plan_decided:
        closing = working.add_working_days(max(icpc_on, assessed or icpc_on), 3)
        if assessed is not None and closing <= until:
            case.close(closing, ClosureReason.RC7, None)
            made["closed"] += 1
        return
    plan = Plan(
        kind=PlanKind.CHILD,
        person_id=concern.person_id,
        concern_id=concern.id,
        meeting_id=None,
        initial_category=category,
        category=category,
        started_on=icpc_on,
        created_by_id=staff.officer_id,
        created_at=_at(icpc_on, 14),
    )
    plan.meeting = meeting
    db.session.add(plan)
    made["plans"] += 1
    case.event(icpc_on, "plan.started", f"Child protection plan started ({category.label})")
    reviewed = icpc_on
    months = 3
    ending_after = rng.randrange(1, 4)
    reviews = 0
    while True:
        due = add_months(reviewed, months)
        held = due - timedelta(days=rng.randrange(0, 10))
        while not working.is_working_day(held):
            held -= timedelta(days=1)
        if held > until:
            plan.next_review_due = due
            plan.last_reviewed_on = reviewed if reviews else None
            return
        reviews += 1
        ends = reviews >= ending_after and assessed is not None and held > assessed
        plan.reviews.append(
            PlanReview(
                reviewed_on=held,
                attendees="Children's social care, school, health visitor, police",
                decision=ReviewDecision.END if ends else ReviewDecision.CONTINUE,
                recorded_by_id=staff.officer_id,
                recorded_at=_at(held, 15),
            )
        )
        reviewed, months = held, 6
        plan.last_reviewed_on = held
        if ends:
            plan.status = PlanStatus.ENDED
            plan.ended_on = held
            plan.end_reason = "Risk reduced: the review conference ended the plan"
            plan.next_review_due = None
            closing = working.add_working_days(held, 5)
            if closing <= until:
                case.close(closing, ClosureReason.RC7, None)
                made["closed"] += 1
            return


def _child_in_need(
    rng: random.Random,
    working: WorkingCalendar,
    case: _Case,
    until: date,
    assessed: date | None,
    made: dict[str, int],
) -> None:
    concern, staff = case.concern, case.staff
    if assessed is None:
        return
    if rng.random() < 0.45:
        closing = working.add_working_days(assessed, 2)
        if closing <= until:
            case.close(closing, ClosureReason.RC8, None)
            made["closed"] += 1
        return
    starts = working.add_working_days(assessed, 1)
    if starts > until:
        return
    plan = Plan(
        kind=PlanKind.CHILD_IN_NEED,
        person_id=concern.person_id,
        concern_id=concern.id,
        started_on=starts,
        next_review_due=add_months(starts, 3),
        created_by_id=staff.officer_id,
        created_at=_at(starts, 14),
    )
    db.session.add(plan)
    made["plans"] += 1
    case.event(starts, "plan.started", "Child in need plan started")
    ends = working.add_working_days(starts, rng.randrange(30, 160))
    if ends > until:
        return
    plan.status = PlanStatus.ENDED
    plan.ended_on = ends
    plan.end_reason = "Needs met: the family no longer needs children's services"
    plan.next_review_due = None
    closing = working.add_working_days(ends, 2)
    if closing <= until:
        case.close(closing, ClosureReason.RC7, None)
        made["closed"] += 1
