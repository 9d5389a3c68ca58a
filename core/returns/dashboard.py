"""The performance dashboard for the last 12 months (or any period): concerns and
out-of-hours concerns per month, the section 42 conversion rate, the repeat-concern rate,
screening decisions on time, open clusters, outcomes at closure (Somerset's "outcomes at
closure"), case counts by team and by area (Somerset's "cases open ... Taunton & WS,
Sedgemoor, Mendip, South Somerset") and the people alleged to have caused harm who have
care and support needs themselves, with the support offered (Dudley's plan 4.11). Every
figure is counted in SQL; no one is named."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from flask import current_app

from core.auth.models import Locality, Team
from core.concerns.models import ADULT_DECISIONS, Concern, ConcernStatus, Decision, SignOff
from core.concerns.operations import cluster_settings, clusters
from core.db import UTCDateTime, utcnow
from core.extensions import db
from core.people.models import AllegedPerson, SupportOffer
from core.policy.cases import REPEAT_WINDOW
from core.reference import FamilyOutcome, RiskOutcome
from core.returns.models import (
    FiguresAlleged,
    FiguresClosed,
    FiguresDecided,
    FiguresPending,
    FiguresReceived,
    FiguresScreening,
    FiguresState,
)
from core.returns.periods import Period, buckets, local_midnight, months
from core.teams import operations as teams


@dataclass(frozen=True)
class Month:
    label: str
    concerns: int
    out_of_hours: int


@dataclass(frozen=True)
class Holding:
    """The cases of one team or area (or of none: "Not recorded") for the period."""

    id: int | None
    label: str
    open_at_end: int  # received by the end of the period and not closed by then
    received: int
    closed: int
    repeats: int  # received in the period, another about the person within 12 months before

    @property
    def repeat_rate(self) -> float | None:
        return self.repeats / self.received if self.received else None


@dataclass(frozen=True)
class Outcome:
    label: str
    code: str | None  # None: not recorded (closed before outcomes were asked)
    closed: int


@dataclass(frozen=True)
class AllegedSupport:
    """The people alleged to have caused harm in the period's concerns (once a concern):
    how many, how many have care and support needs, and the support offered them."""

    named: int
    care_needs: int
    offered: int  # offered, no answer yet
    accepted: int
    declined: int
    not_offered: int

    @property
    def not_recorded(self) -> int:
        return self.care_needs - self.offered - self.accepted - self.declined - self.not_offered


@dataclass(frozen=True)
class Dashboard:
    period: Period
    months: list[Month]
    adult_decisions: int
    section_42: int
    concerns: int
    repeats: int
    decisions: int
    decisions_on_time: int
    open_clusters: int
    by_team: list[Holding]
    by_area: list[Holding]
    child_outcomes: list[Outcome]  # children's cases closed in the period, for the family
    adult_outcomes: list[Outcome]  # adults' cases closed in the period, the SAC outcome
    alleged_support: AllegedSupport

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def conversion_rate(self) -> float | None:
        return self.rate(self.section_42, self.adult_decisions)

    @property
    def repeat_rate(self) -> float | None:
        return self.rate(self.repeats, self.concerns)

    @property
    def on_time_rate(self) -> float | None:
        return self.rate(self.decisions_on_time, self.decisions)


def _live(period: Period) -> sa.ColumnElement[bool]:
    """Cases not deleted, of the period's council."""
    return sa.and_(Concern.deleted_at.is_(None), period.of_council(Concern.council_id))


def _per_month(period: Period) -> list[Month]:
    spans = months(period)
    table = buckets(spans, "months")
    rows = {
        position: (int(total), int(ooh))
        for position, total, ooh in db.session.execute(
            sa.select(
                table.c.position,
                sa.func.count(Concern.id),
                sa.func.count(sa.case((Concern.out_of_hours.is_(True), 1))),
            )
            .select_from(table)
            .join(
                Concern,
                sa.and_(Concern.received_at >= table.c.starts, Concern.received_at < table.c.ends),
            )
            .where(_live(period))
            .group_by(table.c.position)
        )
    }
    return [
        Month(span.first.strftime("%b %Y"), *rows.get(index, (0, 0)))
        for index, span in enumerate(spans)
    ]


def final_at() -> sa.ColumnElement[datetime]:
    """When the screening decision became final (``Concern.decision_final_at`` in SQL)."""
    return sa.case(
        (Concern.sign_off == SignOff.SIGNED_OFF, Concern.signed_off_at),
        (Concern.sign_off.is_(None), Concern.decided_at),
    )


def _screening_on_time(period: Period) -> tuple[int, int]:
    """Final screening decisions made in the period, and those made by the day they were
    due in local time (before the local midnight that ends the due day)."""
    lookback = Period(period.first - timedelta(days=31), period.last, period.council_id)
    days = (
        sa.values(sa.column("day", sa.Date), sa.column("ends", UTCDateTime), name="due_days")
        .data([(d, local_midnight(d + timedelta(days=1))) for d in _days(lookback)])
        .cte("due_days")
    )
    final = final_at()
    total, on_time = db.session.execute(
        sa.select(sa.func.count(Concern.id), sa.func.count(sa.case((final < days.c.ends, 1))))
        .select_from(Concern)
        .join(days, days.c.day == Concern.screening_due)
        .where(_live(period), final.is_not(None), period.holds(final))
    ).one()
    return int(total), int(on_time)


def _days(period: Period) -> list[date]:
    return [period.first + timedelta(days=n) for n in range((period.last - period.first).days + 1)]


def _within_window(
    earlier: sa.ColumnElement[datetime], later: sa.ColumnElement[datetime]
) -> sa.ColumnElement[bool]:
    """``earlier`` is less than the repeat window before ``later``: the same rule as the
    case page's repeat flag, in each database's own date arithmetic."""
    if db.engine.dialect.name == "sqlite":
        days = REPEAT_WINDOW.total_seconds() / 86400
        return sa.func.julianday(later) - sa.func.julianday(earlier) < days
    return earlier > later - sa.literal(REPEAT_WINDOW, sa.Interval())


def _alleged_support(received: sa.ColumnElement[bool]) -> AllegedSupport:
    support = AllegedPerson.support
    needs = AllegedPerson.has_care_needs.is_(True)
    row = db.session.execute(
        sa.select(
            sa.func.count(AllegedPerson.id),
            sa.func.count(sa.case((needs, 1))),
            *(
                sa.func.count(sa.case((sa.and_(needs, support == offer), 1)))
                for offer in (
                    SupportOffer.OFFERED,
                    SupportOffer.ACCEPTED,
                    SupportOffer.DECLINED,
                    SupportOffer.NOT_OFFERED,
                )
            ),
        )
        .join(Concern, Concern.id == AllegedPerson.concern_id)
        .where(received, AllegedPerson.removed_at.is_(None))
    ).one()
    return AllegedSupport(*(int(n) for n in row))


def earlier_concerns() -> tuple[Any, sa.ColumnElement[bool]]:
    """Another concern about the same person received by the same council within the
    repeat window before ``Concern`` (the case page's repeat flag): the aliased earlier
    concern and the test."""
    earlier = sa.orm.aliased(Concern)
    return earlier, sa.and_(
        earlier.person_id == Concern.person_id,
        earlier.id != Concern.id,
        earlier.council_id == Concern.council_id,  # a repeat to the same council
        earlier.deleted_at.is_(None),
        earlier.received_at <= Concern.received_at,
        _within_window(earlier.received_at, Concern.received_at),
    )


def is_repeat() -> sa.ColumnElement[bool]:
    """``Concern`` repeats: a concern about the person came within 12 months before it."""
    return sa.exists().where(earlier_concerns()[1])


def _named(period: Period, model: type[Team] | type[Locality]) -> list[Any]:
    """The teams (or areas) of the period's council; of every council when it is None (a
    single council's instance)."""
    if period.council_id is not None:
        return teams.listed(model, council_id=period.council_id)
    return list(db.session.scalars(sa.select(model).order_by(model.name, model.id)))


def holdings(period: Period, model: type[Team] | type[Locality]) -> list[Holding]:
    """Open at the end, received, closed and repeats, per team (or area) and for none,
    in one grouped query; every team or area in use is listed, with "Not recorded"."""
    column = Concern.team_id if model is Team else Concern.locality_id
    received = period.holds(Concern.received_at)
    open_at_end = sa.or_(Concern.closed_at.is_(None), Concern.closed_at >= period.ends)
    counts = {
        key: (int(still_open), int(came), int(shut), int(again))
        for key, still_open, came, shut, again in db.session.execute(
            sa.select(
                column,
                sa.func.count(sa.case((open_at_end, 1))),
                sa.func.count(sa.case((received, 1))),
                sa.func.count(sa.case((period.holds(Concern.closed_at), 1))),
                sa.func.count(sa.case((sa.and_(received, is_repeat()), 1))),
            )
            .where(_live(period), Concern.received_at < period.ends)
            .group_by(column)
        )
    }
    rows = [
        Holding(item.id, item.name, *counts.get(item.id, (0, 0, 0, 0)))
        for item in _named(period, model)
        if item.active or any(counts.get(item.id, ()))
    ]
    return [*rows, Holding(None, teams.NOT_RECORDED, *counts.get(None, (0, 0, 0, 0)))]


def _outcomes(period: Period, child: bool) -> list[Outcome]:
    """The cases closed in the period by their outcome at closure: a child's for the child
    and family, an adult's the SAC outcome of the risk assessment."""
    column = Concern.family_outcome if child else Concern.risk_outcome
    codes: Any = FamilyOutcome if child else RiskOutcome
    counts = dict(
        db.session.execute(
            sa.select(column, sa.func.count(Concern.id))
            .where(
                _live(period),
                Concern.is_child.is_(child),
                Concern.status == ConcernStatus.CLOSED,
                period.holds(Concern.closed_at),
            )
            .group_by(column)
        ).all()
    )
    rows = [Outcome(code.label, code.value, int(counts.get(code, 0))) for code in codes]
    return [*rows, Outcome(teams.NOT_RECORDED, None, int(counts.get(None, 0)))]


def dashboard(period: Period) -> Dashboard:
    received = sa.and_(_live(period), period.holds(Concern.received_at))
    repeat = is_repeat()
    adult_decided = sa.and_(
        _live(period),
        Concern.is_child.is_(False),
        Concern.decision.in_([d.value for d in ADULT_DECISIONS]),
        period.holds(Concern.decided_at),
    )
    concerns, repeats = db.session.execute(
        sa.select(sa.func.count(Concern.id), sa.func.count(sa.case((repeat, 1)))).where(received)
    ).one()
    decided, s42 = db.session.execute(
        sa.select(
            sa.func.count(Concern.id),
            sa.func.count(sa.case((Concern.decision == Decision.SECTION_42, 1))),
        ).where(adult_decided)
    ).one()
    decisions, on_time = _screening_on_time(period)
    return Dashboard(
        period,
        _per_month(period),
        int(decided),
        int(s42),
        int(concerns),
        int(repeats),
        decisions,
        on_time,
        len(clusters(*cluster_settings(), period.council_id)),
        holdings(period, Team),
        holdings(period, Locality),
        _outcomes(period, child=True),
        _outcomes(period, child=False),
        _alleged_support(received),
    )


_CACHE_LOCK = threading.Lock()
_CACHE_KEPT = 32  # periods kept per app; the oldest worked out is dropped first


def recent_dashboard(period: Period) -> tuple[Dashboard, datetime]:
    """The dashboard's figures and when they were worked out: the last ones, if they were
    worked out less than DASHBOARD_CACHE_SECONDS ago for the same period and settings
    (each worker keeps its own); otherwise counted afresh. A year's figures read every
    concern of the year, far more than a page should wait for at every request."""
    seconds = int(current_app.config.get("DASHBOARD_CACHE_SECONDS") or 0)
    now = utcnow()
    if seconds <= 0:
        return dashboard(period), now
    store: dict[tuple[object, ...], tuple[Dashboard, datetime]] = current_app.extensions.setdefault(
        "dashboard_cache", {}
    )
    key = (period.first, period.last, cluster_settings())
    with _CACHE_LOCK:
        kept = store.get(key)
    if kept is not None and timedelta(0) <= now - kept[1] < timedelta(seconds=seconds):
        return kept
    fresh = (dashboard(period), now)
    with _CACHE_LOCK:
        store[key] = fresh
        while len(store) > _CACHE_KEPT:
            del store[min(store, key=lambda k: store[k][1])]
    return fresh


# --- The same figures from the summary tables (core/returns/summary.py keeps them) ------------


def _sum(value: Any, when: sa.ColumnElement[bool] | None = None) -> Any:
    return sa.func.sum(value if when is None else sa.case((when, value), else_=0))


def _summary_per_day(period: Period) -> list[Month]:
    days = db.session.execute(
        sa.select(
            FiguresReceived.day,
            _sum(FiguresReceived.concerns),
            _sum(FiguresReceived.concerns, FiguresReceived.out_of_hours.is_(True)),
        )
        .where(
            FiguresReceived.day.between(period.first, period.last),
            period.of_council(FiguresReceived.council_id),
        )
        .group_by(FiguresReceived.day)
    ).all()
    spans = months(period)
    index = {(span.first.year, span.first.month): n for n, span in enumerate(spans)}
    totals = [[0, 0] for _ in spans]
    for day, concerns, out_of_hours in days:
        total = totals[index[(day.year, day.month)]]
        total[0] += int(concerns or 0)
        total[1] += int(out_of_hours or 0)
    return [
        Month(span.first.strftime("%b %Y"), *total)
        for span, total in zip(spans, totals, strict=True)
    ]


def summary_holdings(period: Period, model: type[Team] | type[Locality]) -> list[Holding]:
    """As :func:`holdings`: open at the end is every concern received by the end less
    those closed by then (received and closed by the end: ``through``)."""
    team = model is Team
    received_by = FiguresReceived.team_id if team else FiguresReceived.locality_id
    closed_by = FiguresClosed.team_id if team else FiguresClosed.locality_id
    in_period = FiguresReceived.day >= period.first
    received = {
        key: (int(to_end or 0), int(came or 0), int(again or 0))
        for key, to_end, came, again in db.session.execute(
            sa.select(
                received_by,
                _sum(FiguresReceived.concerns),
                _sum(FiguresReceived.concerns, in_period),
                _sum(
                    FiguresReceived.concerns, sa.and_(in_period, FiguresReceived.repeat.is_(True))
                ),
            )
            .where(
                FiguresReceived.day <= period.last, period.of_council(FiguresReceived.council_id)
            )
            .group_by(received_by)
        )
    }
    closed = {
        key: (int(to_end or 0), int(shut or 0))
        for key, to_end, shut in db.session.execute(
            sa.select(
                closed_by,
                _sum(FiguresClosed.cases),
                _sum(FiguresClosed.cases, FiguresClosed.day >= period.first),
            )
            .where(
                FiguresClosed.through <= period.last, period.of_council(FiguresClosed.council_id)
            )
            .group_by(closed_by)
        )
    }
    counts = {}
    for key, (to_end, came, again) in received.items():
        closed_to_end, shut = closed.get(key, (0, 0))
        counts[key] = (to_end - closed_to_end, came, shut, again)
    rows = [
        Holding(item.id, item.name, *counts.get(item.id, (0, 0, 0, 0)))
        for item in _named(period, model)
        if item.active or any(counts.get(item.id, ()))
    ]
    return [*rows, Holding(None, teams.NOT_RECORDED, *counts.get(None, (0, 0, 0, 0)))]


def _summary_outcomes(period: Period) -> tuple[list[Outcome], list[Outcome]]:
    counts = {
        (bool(child), outcome): int(cases or 0)
        for child, outcome, cases in db.session.execute(
            sa.select(FiguresClosed.is_child, FiguresClosed.outcome, _sum(FiguresClosed.cases))
            .where(
                FiguresClosed.closed.is_(True),
                FiguresClosed.day.between(period.first, period.last),
                period.of_council(FiguresClosed.council_id),
            )
            .group_by(FiguresClosed.is_child, FiguresClosed.outcome)
        )
    }

    def listed(child: bool) -> list[Outcome]:
        codes: Any = FamilyOutcome if child else RiskOutcome
        rows = [
            Outcome(code.label, code.value, counts.get((child, code.value), 0)) for code in codes
        ]
        return [*rows, Outcome(teams.NOT_RECORDED, None, counts.get((child, None), 0))]

    return listed(True), listed(False)


def _summary_alleged(period: Period) -> AllegedSupport:
    counts = {
        (bool(needs), support): int(people or 0)
        for needs, support, people in db.session.execute(
            sa.select(
                FiguresAlleged.care_needs, FiguresAlleged.support, _sum(FiguresAlleged.people)
            )
            .where(
                FiguresAlleged.day.between(period.first, period.last),
                period.of_council(FiguresAlleged.council_id),
            )
            .group_by(FiguresAlleged.care_needs, FiguresAlleged.support)
        )
    }
    needs = {support: people for (has, support), people in counts.items() if has}
    return AllegedSupport(
        sum(counts.values()),
        sum(needs.values()),
        *(
            needs.get(offer.value, 0)
            for offer in (
                SupportOffer.OFFERED,
                SupportOffer.ACCEPTED,
                SupportOffer.DECLINED,
                SupportOffer.NOT_OFFERED,
            )
        ),
    )


def summary_received(period: Period) -> tuple[int, int]:
    """The live concerns received in the period and the repeats among them."""
    concerns, repeats = db.session.execute(
        sa.select(
            _sum(FiguresReceived.concerns),
            _sum(FiguresReceived.concerns, FiguresReceived.repeat.is_(True)),
        ).where(
            FiguresReceived.day.between(period.first, period.last),
            period.of_council(FiguresReceived.council_id),
        )
    ).one()
    return int(concerns or 0), int(repeats or 0)


def summary_counted_at() -> datetime | None:
    """When the summary tables were counted; None when they cannot be read (missing, or
    behind by more than ``FIGURES_STALE_SECONDS``)."""
    if summary_behind():
        return None
    state = db.session.get(FiguresState, 1)
    return state.counted_at if state is not None else None


def summary_dashboard(period: Period) -> Dashboard:
    """:func:`dashboard` from the summary tables: the same figures, as of their count."""
    per_month = _summary_per_day(period)
    concerns, repeats = summary_received(period)
    decided = dict(
        db.session.execute(
            sa.select(FiguresDecided.decision, _sum(FiguresDecided.decisions))
            .where(
                FiguresDecided.day.between(period.first, period.last),
                period.of_council(FiguresDecided.council_id),
            )
            .group_by(FiguresDecided.decision)
        ).all()
    )
    decisions, on_time = db.session.execute(
        sa.select(
            _sum(FiguresScreening.decisions),
            _sum(FiguresScreening.decisions, FiguresScreening.day <= FiguresScreening.due),
        ).where(
            FiguresScreening.day.between(period.first, period.last),
            period.of_council(FiguresScreening.council_id),
            FiguresScreening.due.between(period.first - timedelta(days=31), period.last),
        )
    ).one()
    child_outcomes, adult_outcomes = _summary_outcomes(period)
    return Dashboard(
        period,
        per_month,
        sum(int(n or 0) for n in decided.values()),
        int(decided.get(Decision.SECTION_42.value) or 0),
        concerns,
        repeats,
        int(decisions or 0),
        int(on_time or 0),
        len(
            clusters(*cluster_settings(), period.council_id)
        ),  # the last few weeks, counted as it stands
        summary_holdings(period, Team),
        summary_holdings(period, Locality),
        child_outcomes,
        adult_outcomes,
        _summary_alleged(period),
    )


T = TypeVar("T")


@dataclass(frozen=True)
class Counted(Generic[T]):
    """Figures (the dashboard's, a return's), when they were counted and how: from the
    summary tables, or (``directly``) from the records, when the summary is missing or
    behind by more than ``FIGURES_STALE_SECONDS``."""

    figures: T
    counted_at: datetime
    directly: bool


def summary_behind() -> bool:
    """Whether the summary cannot be read: never built, or a change it has not counted
    is older than ``FIGURES_STALE_SECONDS`` (the figures job is not running)."""
    if db.session.get(FiguresState, 1) is None:
        return True
    oldest = db.session.scalar(sa.select(sa.func.min(FiguresPending.noted_at)))
    bound = timedelta(seconds=int(current_app.config["FIGURES_STALE_SECONDS"]))
    return oldest is not None and utcnow() - oldest > bound


def current_dashboard(period: Period) -> Counted[Dashboard]:
    """The dashboard the page and the API show: from the summary tables, which answer at
    once at any scale, unless they are missing or behind; then counted from the records
    (at most every ``DASHBOARD_CACHE_SECONDS`` per worker), never shown wrong."""
    counted_at = summary_counted_at()
    if counted_at is None:
        figures, at = recent_dashboard(period)
        return Counted(figures, at, directly=True)
    return Counted(summary_dashboard(period), counted_at, directly=False)
