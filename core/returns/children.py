"""The children's figures for a financial year: assessments concluded within 45 working
days of the referral, section 47 enquiry start to the initial child protection conference
(ICPC) in working-day bands with the median, child protection plans by category, and
review conferences held on time.

- The section 47 enquiry starts at the first held strategy discussion of the child's case
  that decided on it (core.meetings.clocks.STARTS_SECTION_47: the ICPC clock's start, as
  the CIN census counts it); the ICPC is the case's first held initial conference,
  counted in the year it was held.
- Working days (weekends and England bank holidays off) are counted in SQL against a small
  table of the local days in range, each with its running count of working days.
- A review is on time when held within 3 months of the plan's start (the ICPC), and then
  within 6 months of the review before (Working Together to Safeguard Children 2023,
  chapter 2, child protection review conferences). A review that fell due in the year
  while the plan was open, and was not held by the year's end (or today, in the year
  still running), counts as missed: late, whether it is held later or never.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from core.clocks import add_months, to_local
from core.concerns.models import Assessment, Concern
from core.concerns.operations import calendar
from core.db import utcnow
from core.extensions import db
from core.meetings.clocks import STARTS_SECTION_47
from core.meetings.models import DecisionKind, Meeting, MeetingDecision, MeetingStatus
from core.meetings.models import meeting_concerns as mc
from core.plans.models import Plan, PlanKind, PlanReview
from core.reference import ICPC_TIMELINESS_BANDS, PlanCategory
from core.returns.periods import Period, financial_year


@dataclass(frozen=True)
class Band:
    label: str
    count: int


@dataclass(frozen=True)
class ChildrenFigures:
    year: int
    period: Period
    bands: list[Band]
    median: float | None
    plans: list[tuple[str, int, int]]  # category label, started in the year, open at its end
    reviews_held: int
    reviews_on_time: int
    # reviews that fell due in the year (up to today) and were never held: each is late
    reviews_missed: int = 0
    # assessments concluded in the year, and those within 45 working days of the referral
    assessments_concluded: int = 0
    assessments_on_time: int = 0

    @property
    def label(self) -> str:
        return f"{self.year} to {self.year + 1}"

    @property
    def icpcs(self) -> int:
        return sum(band.count for band in self.bands)


def _first_held(kind: str, period: Period, deciding: tuple[DecisionKind, ...] = ()) -> sa.Subquery:
    """Each of the period's council's children's cases with the first meeting of ``kind``
    held about it. The cases are chosen inside the grouping: grouped first, every case in
    the country was grouped for each council's count (6 s a council at national scale)."""
    query = (
        sa.select(mc.c.concern_id, sa.func.min(Meeting.held_at).label("held_at"))
        .join(Meeting, Meeting.id == mc.c.meeting_id)
        .join(Concern, Concern.id == mc.c.concern_id)
        .where(
            Meeting.type == kind,
            Meeting.status == MeetingStatus.HELD,
            Concern.is_child.is_(True),
            Concern.deleted_at.is_(None),
            period.of_council(Concern.council_id),
        )
        .group_by(mc.c.concern_id)
    )
    if deciding:
        query = query.where(
            sa.exists().where(
                MeetingDecision.meeting_id == Meeting.id, MeetingDecision.kind.in_(deciding)
            )
        )
    return query.subquery()


def working_days_to_icpc(period: Period) -> dict[int, int]:
    """How many ICPCs in the period came how many working days after the enquiry started,
    as {working days: ICPCs}. The pairs (first section 47 strategy discussion, first ICPC)
    are read in one query, a few hundred a council a year, and their working days counted
    here: in SQL the pairs were found twice, once for the first day of the calendar."""
    starts = _first_held("strategy_discussion", period, deciding=STARTS_SECTION_47)
    icpcs = _first_held("initial_child_protection_conference", period)
    pairs = db.session.execute(
        sa.select(starts.c.held_at, icpcs.c.held_at)
        .join(icpcs, icpcs.c.concern_id == starts.c.concern_id)
        .where(period.holds(icpcs.c.held_at), starts.c.held_at <= icpcs.c.held_at)
    ).all()
    if not pairs:
        return {}
    days = [(to_local(start).date(), to_local(icpc).date()) for start, icpc in pairs]
    position = _working_day_positions(min(start for start, _ in days), period.last)
    gaps = Counter(position[icpc] - position[start] for start, icpc in days)
    return dict(sorted(gaps.items()))


def _working_day_positions(first: date, last: date) -> dict[date, int]:
    """Each day from ``first`` to ``last`` with the number of working days from ``first``
    up to and including it: two days' difference is the working days from one to the
    other."""
    working = calendar()
    positions, count, day = {}, 0, first
    while day <= last:
        count += working.is_working_day(day)
        positions[day] = count
        day += timedelta(days=1)
    return positions


def median(distribution: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}, as grouped."""
    total = sum(distribution.values())
    if not total:
        return None
    ordered = sorted(distribution.items())

    def nth(n: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if seen > n:
                return value
        raise AssertionError("unreachable")

    return (nth((total - 1) // 2) + nth(total // 2)) / 2


def _bands(distribution: dict[int, int]) -> list[Band]:
    return [
        Band(
            label,
            sum(c for d, c in distribution.items() if d >= low and (high is None or d <= high)),
        )
        for low, high, label in ICPC_TIMELINESS_BANDS
    ]


def _plans(period: Period) -> list[tuple[str, int, int]]:
    started = sa.func.count(sa.case((period.holds_day(Plan.started_on), 1)))
    open_at_end = sa.func.count(
        sa.case(
            (
                sa.and_(
                    Plan.started_on <= period.last,
                    sa.or_(Plan.ended_on.is_(None), Plan.ended_on > period.last),
                ),
                1,
            )
        )
    )
    found = {
        category: (int(s), int(o))
        for category, s, o in db.session.execute(
            sa.select(Plan.category, started, open_at_end)
            .where(Plan.kind == PlanKind.CHILD, period.of_council_case(Plan.concern_id))
            .group_by(Plan.category)
        )
    }
    return [(c.label, *found.get(c, (0, 0))) for c in PlanCategory]


def _month_key(column: sa.ColumnElement[object]) -> sa.ColumnElement[int]:
    """A day as (months since year 0) * 100 + day of month: adding N * 100 adds N months,
    and a due day past the end of a short month still compares as its last day."""
    return (sa.extract("year", column) * 12 + sa.extract("month", column)) * 100 + sa.extract(
        "day", column
    )


def _reviews(period: Period) -> tuple[int, int]:
    previous = sa.func.lag(PlanReview.reviewed_on).over(
        partition_by=PlanReview.plan_id, order_by=(PlanReview.reviewed_on, PlanReview.id)
    )
    reviews = (
        sa.select(
            PlanReview.reviewed_on.label("held"),
            sa.func.coalesce(previous, Plan.started_on).label("since"),
            sa.case((previous.is_(None), 3), else_=6).label("months"),
        )
        .join(Plan, Plan.id == PlanReview.plan_id)
        .where(Plan.kind == PlanKind.CHILD, period.of_council_case(Plan.concern_id))
        .subquery()
    )
    on_time = _month_key(reviews.c.held) <= _month_key(reviews.c.since) + reviews.c.months * 100
    held, in_time = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.case((on_time, 1)))).where(
            period.holds_day(reviews.c.held)
        )
    ).one()
    return int(held), int(in_time)


def _missed_reviews(period: Period, today: date) -> int:
    """Open child protection plans whose next review fell due in the period, by ``today``
    at the latest, with no review held since the one before (or the plan's start)."""
    bound = min(period.last, today)
    last_review = (
        sa.select(
            PlanReview.plan_id,
            sa.func.max(PlanReview.reviewed_on).label("last"),
        )
        .where(PlanReview.reviewed_on <= bound)
        .group_by(PlanReview.plan_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Plan.started_on, Plan.ended_on, last_review.c.last)
        .outerjoin(last_review, last_review.c.plan_id == Plan.id)
        .where(
            Plan.kind == PlanKind.CHILD,
            period.of_council_case(Plan.concern_id),
            Plan.started_on <= bound,
            sa.or_(Plan.ended_on.is_(None), Plan.ended_on > period.first),
        )
    )
    missed = 0
    for started_on, ended_on, last in rows:
        due = add_months(last, 6) if last is not None else add_months(started_on, 3)
        still_open = ended_on is None or ended_on > due
        if period.first <= due <= period.last and due < today and still_open:
            missed += 1
    return missed


def _assessments(period: Period) -> tuple[int, int]:
    """Assessments concluded in the period, and how many by their due day (45 working days
    after the referral, counted when each started: core.concerns.assessments)."""
    concluded, on_time = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(sa.case((Assessment.authorised_on <= Assessment.due_on, 1))),
        )
        .join(Concern, Concern.id == Assessment.concern_id)
        .where(
            period.holds_day(Assessment.authorised_on),
            Concern.deleted_at.is_(None),
            period.of_council(Concern.council_id),
        )
    ).one()
    return int(concluded), int(on_time)


def children_figures(
    year: int, today: date | None = None, council_id: int | None = None
) -> ChildrenFigures:
    """The children's figures of the financial year, of one council (None: every one's)."""
    period = financial_year(year, council_id)
    distribution = working_days_to_icpc(period)
    held, on_time = _reviews(period)
    missed = _missed_reviews(period, today or to_local(utcnow()).date())
    concluded, assessed_on_time = _assessments(period)
    return ChildrenFigures(
        year,
        period,
        _bands(distribution),
        median(distribution),
        _plans(period),
        held,
        on_time,
        missed,
        concluded,
        assessed_on_time,
    )
