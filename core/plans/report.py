"""The plans report: open, started and ended plans in a period, by category, by primary
support reason and by age band (child protection, child in need and adult plans)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.clocks import add_months
from core.concerns.models import Concern
from core.errors import ValidationFailed
from core.extensions import db
from core.plans.models import Plan, PlanKind
from core.reference import AGE_BANDS, PlanCategory, PrimarySupportReason, age_band, age_on

CHILD_AGE_BANDS = ("Under 1", "1–4", "5–9", "10–15", "16–17")
UNKNOWN = "Unknown"


@dataclass(frozen=True)
class Row:
    label: str
    open: int
    started: int
    ended: int


@dataclass(frozen=True)
class Breakdown:
    title: str
    rows: list[Row]


@dataclass(frozen=True)
class PlansReport:
    start: date
    finish: date
    breakdowns: list[Breakdown]


def _age(plan: Plan) -> int | None:
    person = plan.person
    if person.date_of_birth is not None:
        return age_on(person.date_of_birth, plan.started_on)
    return person.estimated_age


def child_age_band(age: int | None) -> str:
    if age is None or age > 17:
        return UNKNOWN
    for upper, band in ((0, "Under 1"), (4, "1–4"), (9, "5–9"), (15, "10–15")):
        if age <= upper:
            return band
    return "16–17"


def _breakdown(
    title: str,
    plans: list[Plan],
    key: Callable[[Plan], str],
    order: list[str],
    start: date,
    finish: date,
) -> Breakdown:
    open_, started, ended = Counter[str](), Counter[str](), Counter[str]()
    for plan in plans:
        group = key(plan)
        if plan.started_on <= finish and (plan.ended_on is None or plan.ended_on > finish):
            open_[group] += 1
        if start <= plan.started_on <= finish:
            started[group] += 1
        if plan.ended_on is not None and start <= plan.ended_on <= finish:
            ended[group] += 1
    labels = order + sorted((set(open_) | set(started) | set(ended)) - set(order))
    rows = [Row(label, open_[label], started[label], ended[label]) for label in labels]
    rows.append(Row("Total", sum(open_.values()), sum(started.values()), sum(ended.values())))
    return Breakdown(title, rows)


def period(start: date | None, finish: date | None, today: date) -> tuple[date, date]:
    """The report's period: the twelve months to today unless given; ValidationFailed
    if it ends before it starts."""
    start, finish = start or add_months(today, -12), finish or today
    if finish < start:
        raise ValidationFailed.single("to", "To must be the same as or after From")
    return start, finish


def plans_report(start: date, finish: date, council_id: int | None = None) -> PlansReport:
    """Every plan of the council's cases (None: every council's) that was open at some
    time in the period counts; one query."""
    plans = list(
        db.session.scalars(
            sa.select(Plan)
            .where(Plan.started_on <= finish)
            .where(sa.or_(Plan.ended_on.is_(None), Plan.ended_on >= start))
            .where(
                sa.true()
                if council_id is None
                else Plan.concern_id.in_(
                    sa.select(Concern.id).where(Concern.council_id == council_id)
                )
            )
            .options(selectinload(Plan.person))
        )
    )
    children = [p for p in plans if p.kind == PlanKind.CHILD]
    in_need = [p for p in plans if p.kind == PlanKind.CHILD_IN_NEED]
    adults = [p for p in plans if p.kind == PlanKind.ADULT]
    categories = [c.label for c in PlanCategory]
    reasons = [r.label for r in PrimarySupportReason]
    return PlansReport(
        start,
        finish,
        [
            _breakdown(
                "Child protection plans by category",
                children,
                lambda p: PlanCategory(p.category).label if p.category else UNKNOWN,
                categories,
                start,
                finish,
            ),
            _breakdown(
                "Child protection plans by age at the start",
                children,
                lambda p: child_age_band(_age(p)),
                [*CHILD_AGE_BANDS, UNKNOWN],
                start,
                finish,
            ),
            _breakdown(
                "Child in need plans by age at the start",
                in_need,
                lambda p: child_age_band(_age(p)),
                [*CHILD_AGE_BANDS, UNKNOWN],
                start,
                finish,
            ),
            _breakdown(
                "Adult safeguarding plans by primary support reason",
                adults,
                lambda p: p.person.primary_support_reason.label,
                reasons,
                start,
                finish,
            ),
            _breakdown(
                "Adult safeguarding plans by age at the start",
                adults,
                lambda p: _adult_band(_age(p)),
                [*AGE_BANDS, UNKNOWN],
                start,
                finish,
            ),
        ],
    )


def _adult_band(age: int | None) -> str:
    band = age_band(age)
    return UNKNOWN if band == "unknown" else band


def table_rows(figures: PlansReport) -> list[list[object]]:
    """The report as one table with a header row (its CSV)."""
    return [
        ["breakdown", "group", "open at end", "started", "ended"],
        *[
            [breakdown.title, row.label, row.open, row.started, row.ended]
            for breakdown in figures.breakdowns
            for row in breakdown.rows
        ],
    ]
