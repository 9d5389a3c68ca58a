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
from typing import Any

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


def _screening_on_time(period: Period) -> tuple[int, int]:
    """Final screening decisions made in the period, and those made by the day they were
    due in local time (before the local midnight that ends the due day)."""
    lookback = Period(period.first - timedelta(days=31), period.last, period.council_id)
    days = (
        sa.values(sa.column("day", sa.Date), sa.column("ends", UTCDateTime), name="due_days")
        .data([(d, local_midnight(d + timedelta(days=1))) for d in _days(lookback)])
        .cte("due_days")
    )
    final_at = sa.case(
        (Concern.sign_off == SignOff.SIGNED_OFF, Concern.signed_off_at),
        (Concern.sign_off.is_(None), Concern.decided_at),
    )
    total, on_time = db.session.execute(
        sa.select(sa.func.count(Concern.id), sa.func.count(sa.case((final_at < days.c.ends, 1))))
        .select_from(Concern)
        .join(days, days.c.day == Concern.screening_due)
        .where(_live(period), final_at.is_not(None), period.holds(final_at))
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
        for item in teams.listed(model)
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
        len(clusters(*cluster_settings())),
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
