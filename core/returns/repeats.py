"""Repeat referrals (Dudley's safeguarding adults plan, 6.2: "Systems are in place to record
& recognise repeat referrals ... Half yearly audits planned"; issue 25, item 5): the
concerns received in a period about a person who had another concern received within the
12 months before (the case page's repeat rule), with the previous concern, how it ended
and how long between them; the figures by team and by area. The cases are for the
safeguarding team's audit; the board reads the figures only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from core.auth.models import Locality, Team
from core.clocks import to_local
from core.concerns.models import Concern, ConcernStatus
from core.db import utcnow
from core.extensions import db
from core.people.models import Person
from core.returns.dashboard import (
    Holding,
    earlier_concerns,
    holdings,
    is_repeat,
    summary_counted_at,
    summary_holdings,
    summary_received,
)
from core.returns.periods import Period
from core.spreadsheet import csv_text, safe_row
from core.teams.operations import NOT_RECORDED

STILL_OPEN = "Still open"


@dataclass(frozen=True)
class RepeatCase:
    concern_id: int
    reference: str
    received_at: datetime
    person: str
    adult_or_child: str
    team: str
    area: str
    previous_concern_id: int
    previous_reference: str
    previous_received_at: datetime
    previous_outcome: str

    @property
    def days_between(self) -> int:
        """Calendar days between the two, in local time."""
        return (to_local(self.received_at).date() - to_local(self.previous_received_at).date()).days


@dataclass(frozen=True)
class RepeatReport:
    period: Period
    concerns: int  # received in the period
    repeats: int
    by_team: list[Holding]
    by_area: list[Holding]
    cases: list[RepeatCase] | None  # None: figures only (the board)
    counted_at: datetime  # when the figures were counted
    counted_directly: bool  # from the records (else read from the dashboard's summary)

    @property
    def repeat_rate(self) -> float | None:
        return self.repeats / self.concerns if self.concerns else None


def _outcome(previous: Concern) -> str:
    """How the previous concern ended: a child's family outcome (or census reason), an
    adult's SAC outcome; still open if it is."""
    if previous.status != ConcernStatus.CLOSED:
        return STILL_OPEN
    ended = (
        previous.family_outcome or previous.closure_reason
        if previous.is_child
        else previous.risk_outcome
    )
    return ended.label if ended is not None else NOT_RECORDED


def _cases(period: Period) -> list[RepeatCase]:
    """The repeat concerns of the period, oldest first, each with the latest concern
    before it in the window: one query."""
    earlier, within = earlier_concerns()
    previous_id = (
        sa.select(earlier.id)
        .where(within)
        .order_by(earlier.received_at.desc(), earlier.id.desc())
        .limit(1)
        .correlate(Concern)
        .scalar_subquery()
    )
    previous = sa.orm.aliased(Concern)
    rows = db.session.execute(
        sa.select(Concern, previous, Person, Team.name, Locality.name)
        .join(Person, Person.id == Concern.person_id)
        .join(previous, previous.id == previous_id)
        .outerjoin(Team, Team.id == Concern.team_id)
        .outerjoin(Locality, Locality.id == Concern.locality_id)
        .where(
            Concern.deleted_at.is_(None),
            period.of_council(Concern.council_id),
            period.holds(Concern.received_at),
        )
        .order_by(Concern.received_at, Concern.id)
    ).all()
    return [
        RepeatCase(
            concern.id,
            concern.reference,
            concern.received_at,
            person.full_name,
            "Child" if concern.is_child else "Adult",
            team or NOT_RECORDED,
            area or NOT_RECORDED,
            before.id,
            before.reference,
            before.received_at,
            _outcome(before),
        )
        for concern, before, person, team, area in rows
    ]


def repeat_report(period: Period, with_cases: bool, directly: bool | None = None) -> RepeatReport:
    """The period's repeat concerns: the figures, and the cases when ``with_cases``.

    Figures only (the board) are read from the dashboard's summary tables while they are
    current; with the cases (the safeguarding team's audit) everything is counted from the
    records, so that the figures and the list agree. ``directly`` forces either."""
    counted_at = None if with_cases or directly else summary_counted_at()
    if directly is False and counted_at is None:
        raise ValueError("the summary tables are missing or behind")
    if counted_at is not None:
        concerns, repeats = summary_received(period)
        return RepeatReport(
            period,
            concerns,
            repeats,
            summary_holdings(period, Team),
            summary_holdings(period, Locality),
            _cases(period) if with_cases else None,
            counted_at,
            counted_directly=False,
        )
    counted_at = utcnow()
    concerns, repeats = db.session.execute(
        sa.select(sa.func.count(Concern.id), sa.func.count(sa.case((is_repeat(), 1)))).where(
            Concern.deleted_at.is_(None),
            period.of_council(Concern.council_id),
            period.holds(Concern.received_at),
        )
    ).one()
    return RepeatReport(
        period,
        int(concerns),
        int(repeats),
        holdings(period, Team),
        holdings(period, Locality),
        _cases(period) if with_cases else None,
        counted_at,
        counted_directly=True,
    )


CSV_COLUMNS = (
    *("reference", "received", "person", "adult_or_child", "team", "area"),
    *("previous_reference", "previous_received", "previous_outcome", "days_between"),
)


def repeats_csv(report: RepeatReport) -> str:
    """The report's cases as CSV, one row a repeat concern (for the half-yearly audit)."""
    rows = (
        [
            case.reference,
            to_local(case.received_at).strftime("%Y-%m-%d %H:%M"),
            case.person,
            case.adult_or_child,
            case.team,
            case.area,
            case.previous_reference,
            to_local(case.previous_received_at).strftime("%Y-%m-%d %H:%M"),
            case.previous_outcome,
            case.days_between,
        ]
        for case in report.cases or []
    )
    return csv_text([CSV_COLUMNS, *(safe_row(row) for row in rows)])
