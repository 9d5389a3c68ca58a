"""The quarterly training return, computed from the staff training records (Dudley's plan,
1.10: attendances fed "through to DSVAB Training Group for collation and monitoring").

Per agency and safeguarding level, for a calendar quarter:

- trained: the staff who completed a course at the level in the quarter;
- current: the staff whose latest course at the level (completed by the quarter's end)
  has not expired by the quarter's end;
- overdue for refresher training: those whose latest course at the level expired before
  the quarter's end (a course is current up to and on its expiry day).

A quarter not over yet is counted on today. A person counts once a level (the staff
number, else the name: ``core.training.models.staff_key``). Figures for every agency
serving the council go to its team and its board; who is overdue, by name, only to the
agency itself and the team (``core.policy.training.names_overdue_of``). The counting is
done in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from core.auth.models import Agency
from core.extensions import db
from core.policy.training import names_overdue_of, return_agencies
from core.reference import TrainingLevel
from core.returns.periods import Period, quarter
from core.training.models import TrainingRecord
from core.training.operations import today


@dataclass(frozen=True)
class LevelLine:
    level: TrainingLevel
    trained: int
    current: int
    overdue: int

    @property
    def label(self) -> str:
        return self.level.label


@dataclass(frozen=True)
class Overdue:
    """A member of staff overdue for refresher training at one level (named)."""

    record_id: int
    staff: str
    role: str
    level: TrainingLevel
    course: str
    expired_on: date


@dataclass
class AgencyReturn:
    agency_id: int
    agency_name: str
    staff_trained: int = 0  # people trained at any level in the quarter
    staff_current: int = 0  # people current at one level or more
    staff_overdue: int = 0  # people overdue at one level or more
    levels: list[LevelLine] = field(default_factory=list)
    # the names, for the agency itself and the team; None where withheld
    overdue: list[Overdue] | None = None


@dataclass(frozen=True)
class TrainingReturn:
    year: int
    quarter: int
    period: Period
    as_of: date  # the quarter's end, or today while it lasts
    agencies: list[AgencyReturn]

    @property
    def label(self) -> str:
        return f"Quarter {self.quarter} of {self.year}"


def _latest(as_of: date, agencies: sa.ColumnElement[bool]) -> sa.Subquery:
    """Each person's latest expiry at each level, from the courses completed by ``as_of``
    (``agencies``: a condition on ``TrainingRecord.agency_id``)."""
    query = (
        sa.select(
            TrainingRecord.agency_id,
            TrainingRecord.staff_key,
            TrainingRecord.level,
            sa.func.max(TrainingRecord.expires_on).label("expiry"),
        )
        .where(TrainingRecord.completed_on <= as_of, agencies)
        .group_by(TrainingRecord.agency_id, TrainingRecord.staff_key, TrainingRecord.level)
    )
    return query.subquery()


def _counts(query: sa.Executable) -> dict[tuple[int, str], int]:
    return {(agency, str(level)): count for agency, level, count in db.session.execute(query)}


def _people(query: sa.Executable) -> dict[int, int]:
    return {agency: count for agency, count in db.session.execute(query)}


def training_return(year: int, number: int, user: object) -> TrainingReturn:
    """The return for calendar quarter ``number`` of ``year`` as ``user`` may read it."""
    period = quarter(year, number)
    as_of = min(period.last, today())
    only = return_agencies(user)
    latest = _latest(as_of, only)
    is_current = latest.c.expiry >= as_of
    by_level = (latest.c.agency_id, latest.c.level)
    current = _counts(sa.select(*by_level, sa.func.count()).where(is_current).group_by(*by_level))
    overdue = _counts(
        sa.select(*by_level, sa.func.count()).where(sa.not_(is_current)).group_by(*by_level)
    )
    people = sa.func.count(sa.distinct(latest.c.staff_key))
    staff_current = _people(
        sa.select(latest.c.agency_id, people).where(is_current).group_by(latest.c.agency_id)
    )
    staff_overdue = _people(
        sa.select(latest.c.agency_id, people)
        .where(sa.not_(is_current))
        .group_by(latest.c.agency_id)
    )
    in_quarter = sa.and_(
        period.holds_day(TrainingRecord.completed_on), TrainingRecord.completed_on <= as_of, only
    )
    trained_people = sa.func.count(sa.distinct(TrainingRecord.staff_key))
    trained = _counts(
        sa.select(TrainingRecord.agency_id, TrainingRecord.level, trained_people)
        .where(in_quarter)
        .group_by(TrainingRecord.agency_id, TrainingRecord.level)
    )
    staff_trained = _people(
        sa.select(TrainingRecord.agency_id, trained_people)
        .where(in_quarter)
        .group_by(TrainingRecord.agency_id)
    )
    agency_ids = sorted({agency for agency, _ in current} | {agency for agency, _ in overdue})
    names: dict[int, str] = {
        agency_id: name
        for agency_id, name in db.session.execute(
            sa.select(Agency.id, Agency.name).where(Agency.id.in_(agency_ids))
        )
    }
    lines = []
    for agency_id in sorted(agency_ids, key=lambda a: (names.get(a, ""), a)):
        levels = [
            LevelLine(
                level,
                trained.get((agency_id, level.value), 0),
                current.get((agency_id, level.value), 0),
                overdue.get((agency_id, level.value), 0),
            )
            for level in TrainingLevel
        ]
        lines.append(
            AgencyReturn(
                agency_id,
                names.get(agency_id, ""),
                staff_trained.get(agency_id, 0),
                staff_current.get(agency_id, 0),
                staff_overdue.get(agency_id, 0),
                [line for line in levels if line.trained or line.current or line.overdue],
                _overdue(latest, agency_id, as_of) if names_overdue_of(user, agency_id) else None,
            )
        )
    return TrainingReturn(year, number, period, as_of, lines)


def _overdue(latest: sa.Subquery, agency_id: int, as_of: date) -> list[Overdue]:
    """The agency's staff overdue at a level, with the record of their latest course."""
    chosen = (
        sa.select(sa.func.max(TrainingRecord.id))
        .join(
            latest,
            sa.and_(
                latest.c.agency_id == TrainingRecord.agency_id,
                latest.c.staff_key == TrainingRecord.staff_key,
                latest.c.level == TrainingRecord.level,
                latest.c.expiry == TrainingRecord.expires_on,
            ),
        )
        .where(latest.c.agency_id == agency_id, latest.c.expiry < as_of)
        .where(TrainingRecord.completed_on <= as_of)
        .group_by(latest.c.staff_key, latest.c.level)
    )
    records = db.session.scalars(
        sa.select(TrainingRecord)
        .where(TrainingRecord.id.in_(chosen))
        .order_by(TrainingRecord.expires_on, TrainingRecord.id)
    )
    return [Overdue(r.id, r.staff, r.role, r.level, r.course, r.expires_on) for r in records]


def staff_overdue(agency_id: int, as_of: date) -> int | None:
    """How many of the agency's staff are overdue for refresher training at a level or more
    on ``as_of`` (its return's figure); None when it keeps no training records."""
    if (
        db.session.scalar(
            sa.select(TrainingRecord.id).where(TrainingRecord.agency_id == agency_id).limit(1)
        )
        is None
    ):
        return None
    latest = _latest(as_of, TrainingRecord.agency_id == agency_id)
    return int(
        db.session.scalar(
            sa.select(sa.func.count(sa.distinct(latest.c.staff_key))).where(latest.c.expiry < as_of)
        )
        or 0
    )
