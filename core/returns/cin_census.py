"""The children in need (CIN) census return for a collection year, in the Department for
Education's XML format, and the queries a council would be asked to explain.

What goes in (Children in need census 2025 to 2026: guide, section 1.2 "Scope", and the DfE
validation rules for the year, `csc-validator-be-cin`):

- Every child's case (a concern about a child, not deleted) referred on or before the
  reference date (31 March) and not closed before the year began (1 April): one
  ``CINdetails`` episode each, grouped by child. The file is as things stood on the
  reference date: anything recorded after it is left out, and a case closed after it is
  open in the file.
- ``ReferralNFA`` is true where the screening decision was "no further action"; such an
  episode carries no assessment, section 47 enquiry or plan.
- Assessments that were open at the year's start or began in it (rules 8696, 8736), with
  the factors identified when concluded in the year (rule 8614).
- The section 47 enquiry starts at the held strategy discussion that decided on it
  (core.meetings.clocks.STARTS_SECTION_47); its ICPC target is the ``initial child
  protection conference`` clock; the ICPC date is the first held initial conference on or
  after it. It is in the file where it started in the year or its ICPC was held in the
  year (rules 8715, 8740). Where no ICPC was held and the case closed, the ICPC was not
  required (rule 8868).
- Child protection plans and child in need plans open at any time in the year, with the
  reviews held in the year after the plan started.
- The primary need is the one recorded at the assessment or closure, or N0 ("Not stated")
  until then (rule 8610 wants one on every referral that went further); each N0 sent is
  listed as a query.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from core.clocks import WorkingCalendar, clock_days, to_local
from core.concerns.models import Assessment, Concern, ConcernStatus, Decision
from core.concerns.operations import calendar
from core.extensions import db
from core.meetings.clocks import STARTS_SECTION_47
from core.meetings.models import Meeting, MeetingDecision, MeetingStatus
from core.meetings.models import meeting_concerns as mc
from core.people.models import Person
from core.plans.models import Plan, PlanKind
from core.reference import EthnicGroup, Sex, age_on
from core.returns.periods import Period, financial_year

YEAR_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
SEX_CODES = {Sex.MALE: "M", Sex.FEMALE: "F", Sex.NOT_KNOWN: "U"}
SOFTWARE_CODE = "Safeguarding Hub"
STRATEGY_DISCUSSION = "strategy_discussion"
ICPC = "initial_child_protection_conference"
STARTS_SECTION_47_CODES = {str(kind) for kind in STARTS_SECTION_47}


class CensusYearError(ValueError):
    """A collection year that is not written as 2025-26."""


@dataclass(frozen=True)
class CensusYear:
    """A collection year: 1 April of ``first_year`` to 31 March (the reference date)."""

    first_year: int

    @classmethod
    def parse(cls, text: str) -> CensusYear:
        match = YEAR_PATTERN.match((text or "").strip())
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise CensusYearError(
                f"'{text}' is not a collection year: write it as 2025-26 (April 2025 to March 2026)"
            )
        first = int(match[1])
        if not 2000 <= first <= 2098:
            raise CensusYearError("The collection year must be from 2000-01 to 2098-99")
        return cls(first)

    @property
    def label(self) -> str:
        return f"{self.first_year}-{(self.first_year + 1) % 100:02d}"

    @property
    def period(self) -> Period:
        return financial_year(self.first_year)

    @property
    def reference_date(self) -> date:
        return self.period.last


@dataclass(frozen=True)
class Query:
    """Something in the file the DfE would ask the council to check or explain."""

    child: str
    concern_id: int
    reference: str
    message: str


@dataclass
class _Episode:
    concern: Concern
    referral: date
    closed: date | None
    assessments: list[Assessment] = field(default_factory=list)
    meetings: list[tuple[str, date, set[str]]] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)


@dataclass
class Census:
    year: CensusYear
    xml: bytes
    children: int
    episodes: int
    queries: list[Query]


def _local(moment: datetime | None) -> date | None:
    return to_local(moment).date() if moment is not None else None


def _day(value: date) -> str:
    return value.isoformat()


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _episodes(year: CensusYear, council_id: int | None) -> list[_Episode]:
    period, ref = year.period, year.reference_date
    in_scope = sa.and_(
        Concern.is_child.is_(True),
        Concern.deleted_at.is_(None),
        # the council's return (None: every council's, a single council's instance)
        Concern.council_id == council_id if council_id is not None else sa.true(),
        Concern.received_at < period.ends,
        sa.or_(Concern.closed_at.is_(None), Concern.closed_at >= period.starts),
    )
    concerns = db.session.scalars(
        sa.select(Concern).where(in_scope).order_by(Concern.person_id, Concern.received_at)
    ).all()
    ids = sa.select(Concern.id).where(in_scope).scalar_subquery()
    episodes: dict[int, _Episode] = {}
    for concern in concerns:
        closed = _local(concern.closed_at) if concern.status == ConcernStatus.CLOSED else None
        referral = _local(concern.received_at)
        assert referral is not None
        episodes[concern.id] = _Episode(
            concern, referral, closed if closed and closed <= ref else None
        )
    for assessment in db.session.scalars(
        sa.select(Assessment)
        .where(Assessment.concern_id.in_(ids), Assessment.started_on <= ref)
        .options(selectinload(Assessment.factor_rows))
        .order_by(Assessment.started_on, Assessment.id)
    ):
        episodes[assessment.concern_id].assessments.append(assessment)
    decisions: dict[int, set[str]] = defaultdict(set)
    meeting_rows = db.session.execute(
        sa.select(mc.c.concern_id, Meeting.id, Meeting.type, Meeting.held_at)
        .join(Meeting, Meeting.id == mc.c.meeting_id)
        .where(
            mc.c.concern_id.in_(ids),
            Meeting.status == MeetingStatus.HELD,
            Meeting.type.in_((STRATEGY_DISCUSSION, ICPC)),
            Meeting.held_at < period.ends,
        )
        .order_by(Meeting.held_at)
    ).all()
    meeting_ids = {row.id for row in meeting_rows}
    if meeting_ids:
        for meeting_id, kind in db.session.execute(
            sa.select(MeetingDecision.meeting_id, MeetingDecision.kind).where(
                MeetingDecision.meeting_id.in_(
                    sa.select(mc.c.meeting_id).where(mc.c.concern_id.in_(ids))
                )
            )
        ):
            decisions[meeting_id].add(str(kind))
    for concern_id, meeting_id, kind, held_at in meeting_rows:
        held = _local(held_at)
        assert held is not None
        episodes[concern_id].meetings.append((kind, held, decisions.get(meeting_id, set())))
    for plan in db.session.scalars(
        sa.select(Plan)
        .where(
            Plan.concern_id.in_(ids),
            Plan.kind.in_((PlanKind.CHILD, PlanKind.CHILD_IN_NEED)),
            Plan.started_on <= ref,
            sa.or_(Plan.ended_on.is_(None), Plan.ended_on >= period.first),
        )
        .options(selectinload(Plan.reviews))
        .order_by(Plan.started_on, Plan.id)
    ):
        episodes[plan.concern_id].plans.append(plan)
    return list(episodes.values())


def _previous_plans(person_ids: Iterable[int]) -> dict[int, list[date]]:
    """Each child's child protection plans' start dates, for NumberOfPreviousCPP."""
    starts: dict[int, list[date]] = defaultdict(list)
    ids = list(person_ids)
    for start in range(0, len(ids), 500):
        for person_id, started_on in db.session.execute(
            sa.select(Plan.person_id, Plan.started_on).where(
                Plan.person_id.in_(ids[start : start + 500]), Plan.kind == PlanKind.CHILD
            )
        ):
            starts[person_id].append(started_on)
    return starts


def build(year: CensusYear, now: datetime, council_id: int | None = None) -> Census:
    """The census file for ``year``, as things stood on its reference date: of one council
    (None: every council's)."""
    ref = year.reference_date
    episodes = _episodes(year, council_id)
    by_child: dict[int, list[_Episode]] = defaultdict(list)
    for episode in episodes:
        by_child[episode.concern.person_id].append(episode)
    people = {
        person.id: person
        for start in range(0, len(by_child), 500)
        for person in db.session.scalars(
            sa.select(Person)
            .where(Person.id.in_(list(by_child)[start : start + 500]))
            .options(selectinload(Person.disability_rows))
        )
    }
    plan_starts = _previous_plans(by_child)
    working = calendar()
    icpc_days = clock_days(current_app.config.get("CLOCK_DAYS"), ICPC)
    queries: list[Query] = []

    message = ET.Element("Message")
    header = _sub(message, "Header")
    details = _sub(header, "CollectionDetails")
    _sub(details, "Collection", "CIN")
    _sub(details, "Year", str(year.first_year + 1))
    _sub(details, "ReferenceDate", _day(ref))
    source = _sub(header, "Source")
    _sub(source, "SourceLevel", "L")
    _sub(source, "LEA", str(current_app.config.get("LA_CODE") or "000"))
    _sub(source, "SoftwareCode", SOFTWARE_CODE)
    _sub(source, "Release", current_app.config.get("RELEASE", "0.1.0"))
    _sub(source, "SerialNo", "1")
    _sub(
        source, "DateTime", to_local(now).replace(microsecond=0).isoformat(timespec="seconds")[:19]
    )
    children = _sub(message, "Children")

    for person_id, child_episodes in sorted(by_child.items()):
        person = people[person_id]
        child_id = f"C{person_id}"
        child = _sub(children, "Child")
        identifiers = _sub(child, "ChildIdentifiers")
        _sub(identifiers, "LAchildID", child_id)
        all_nfa = all(e.concern.decision == Decision.NO_FURTHER_ACTION for e in child_episodes)
        under_five = person.date_of_birth is not None and age_on(person.date_of_birth, ref) < 5
        if person.upn:
            _sub(identifiers, "UPN", person.upn)
        elif all_nfa:
            _sub(identifiers, "UPNunknown", "UN7")  # referral with no further action
        elif under_five:
            _sub(identifiers, "UPNunknown", "UN1")  # not of school age
        elif person.date_of_birth is None or age_on(person.date_of_birth, ref) >= 6:
            queries.append(
                Query(
                    child_id,
                    child_episodes[0].concern.id,
                    child_episodes[0].concern.reference,
                    "No UPN is recorded",
                )
            )
        if person.date_of_birth is not None:
            _sub(identifiers, "PersonBirthDate", _day(person.date_of_birth))
        else:
            queries.append(
                Query(
                    child_id,
                    child_episodes[0].concern.id,
                    child_episodes[0].concern.reference,
                    "No date of birth",
                )
            )
        _sub(identifiers, "Sex", SEX_CODES[person.sex])
        characteristics = _sub(child, "ChildCharacteristics")
        # the detailed group where recorded, else "information not yet obtained"
        group = person.ethnic_group or EthnicGroup.NOBT
        _sub(characteristics, "Ethnicity", group.value)
        if person.ethnic_group is None:
            first = child_episodes[0].concern
            queries.append(
                Query(child_id, first.id, first.reference, "No ethnic group recorded: NOBT sent")
            )
        if person.disabilities:
            disabilities = _sub(characteristics, "Disabilities")
            for disability in person.disabilities:
                _sub(disabilities, "Disability", disability.value)
        for episode in child_episodes:
            _episode(
                child,
                child_id,
                episode,
                year,
                plan_starts[person_id],
                working,
                icpc_days,
                queries,
            )
    ET.indent(message)
    xml = ET.tostring(message, encoding="utf-8", xml_declaration=True)
    return Census(year, xml, len(by_child), len(episodes), queries)


def _episode(
    child: ET.Element,
    child_id: str,
    episode: _Episode,
    year: CensusYear,
    plan_starts: list[date],
    working: WorkingCalendar,
    icpc_days: int,
    queries: list[Query],
) -> None:
    period, ref = year.period, year.reference_date
    concern = episode.concern
    nfa = concern.decision == Decision.NO_FURTHER_ACTION
    details = _sub(child, "CINdetails")
    _sub(details, "CINreferralDate", _day(episode.referral))
    _sub(
        details,
        "ReferralSource",
        concern.referral_source.value if concern.referral_source else None,
    )
    if concern.referral_source is None or concern.referral_source.value == "10":
        queries.append(
            Query(child_id, concern.id, concern.reference, "The referral source is unknown")
        )
    if not nfa:
        need = concern.primary_need.value if concern.primary_need else "N0"
        if concern.primary_need is None:
            queries.append(
                Query(
                    child_id, concern.id, concern.reference, "No primary need recorded yet: N0 sent"
                )
            )
        _sub(details, "PrimaryNeedCode", need)
    if episode.closed is not None:
        _sub(details, "CINclosureDate", _day(episode.closed))
        reason = concern.closure_reason
        _sub(details, "ReasonForClosure", reason.value if reason else None)
    _sub(details, "ReferralNFA", "true" if nfa else "false")
    if nfa:
        return
    for assessment in episode.assessments:
        authorised = (
            assessment.authorised_on
            if assessment.authorised_on and assessment.authorised_on <= ref
            else None
        )
        if authorised is not None and authorised < period.first:
            continue
        block = _sub(details, "Assessments")
        _sub(block, "AssessmentActualStartDate", _day(assessment.started_on))
        if authorised is not None:
            _sub(block, "AssessmentAuthorisationDate", _day(authorised))
            factors = _sub(block, "FactorsIdentifiedAtAssessment")
            for factor in assessment.factors:
                _sub(factors, "AssessmentFactors", factor.value)
        elif (
            episode.closed is None and working.working_days_between(assessment.started_on, ref) > 45
        ):
            queries.append(
                Query(
                    child_id, concern.id, concern.reference, "Assessment open over 45 working days"
                )
            )
    for plan in episode.plans:
        if plan.kind != PlanKind.CHILD_IN_NEED:
            continue
        block = _sub(details, "CINPlanDates")
        _sub(block, "CINPlanStartDate", _day(plan.started_on))
        if plan.ended_on is not None and plan.ended_on <= ref:
            _sub(block, "CINPlanEndDate", _day(plan.ended_on))
    _section_47(details, child_id, episode, year, working, icpc_days, queries)
    for plan in episode.plans:
        if plan.kind != PlanKind.CHILD:
            continue
        block = _sub(details, "ChildProtectionPlans")
        _sub(block, "CPPstartDate", _day(plan.started_on))
        if plan.ended_on is not None and plan.ended_on <= ref:
            _sub(block, "CPPendDate", _day(plan.ended_on))
        initial = plan.initial_category or plan.category
        _sub(block, "InitialCategoryOfAbuse", initial.value if initial else None)
        _sub(block, "LatestCategoryOfAbuse", plan.category.value if plan.category else None)
        _sub(
            block,
            "NumberOfPreviousCPP",
            str(sum(1 for started in plan_starts if started < plan.started_on)),
        )
        for review in sorted(plan.reviews, key=lambda r: r.reviewed_on):
            if period.first <= review.reviewed_on <= ref and review.reviewed_on > plan.started_on:
                _sub(_sub(block, "Reviews"), "CPPreviewDate", _day(review.reviewed_on))


def _section_47(
    details: ET.Element,
    child_id: str,
    episode: _Episode,
    year: CensusYear,
    working: WorkingCalendar,
    icpc_days: int,
    queries: list[Query],
) -> None:
    period, ref = year.period, year.reference_date
    starts = STARTS_SECTION_47_CODES
    started = next(
        (
            held
            for kind, held, decided in episode.meetings
            if kind == STRATEGY_DISCUSSION and decided & starts and held <= ref
        ),
        None,
    )
    if started is None:
        return
    icpc = next(
        (held for kind, held, _ in episode.meetings if kind == ICPC and started <= held <= ref),
        None,
    )
    in_year = period.first <= started <= ref or (icpc is not None and icpc >= period.first)
    if not in_year:
        return
    block = _sub(details, "Section47")
    _sub(block, "S47ActualStartDate", _day(started))
    target = working.add_working_days(started, icpc_days)
    _sub(block, "InitialCPCtarget", _day(target))
    if icpc is not None:
        _sub(block, "DateOfInitialCPC", _day(icpc))
    not_required = icpc is None and episode.closed is not None
    _sub(block, "ICPCnotRequired", "true" if not_required else "false")
    if icpc is None and not not_required and target < ref:
        queries.append(
            Query(
                child_id,
                episode.concern.id,
                episode.concern.reference,
                "Section 47 enquiry over 15 working days with no initial conference yet",
            )
        )
