"""The board's hate and mate crime report (Dudley's safeguarding adults plan, 4.9: "improve
public awareness, reporting and monitoring of hate crime incidents"; issue 25, item 2):
concerns received in a period that are hate or mate crimes, by monitored strand and type
of risk, with how many the police are involved in and how the closed ones ended. Figures
only: no case is named."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.auth.models import Agency
from core.concerns.models import Concern, ConcernStatus, Involvement
from core.db import utcnow
from core.extensions import db
from core.reference import HateCrime, HateStrand, RiskOutcome, TypeOfRisk
from core.returns.periods import Period


@dataclass(frozen=True)
class Line:
    """A row of the report: hate crimes and mate crimes."""

    label: str
    hate: int
    mate: int

    @property
    def total(self) -> int:
        return self.hate + self.mate


@dataclass(frozen=True)
class HateCrimeReport:
    period: Period
    concerns: int  # every concern received in the period
    total: Line  # those that are hate or mate crimes
    by_strand: list[Line]  # a concern counts under each strand it records
    by_type: list[Line]  # and under each type of risk
    police_involved: Line  # the police are, or were, involved
    outcomes: list[Line]  # the closed ones, by the outcome of the risk assessment
    not_closed: Line
    # counted from the records at the request (any period: not kept by the figures job)
    counted_at: datetime = field(default_factory=utcnow)
    counted_directly: bool = True


def _line(label: str, counts: Counter[HateCrime]) -> Line:
    return Line(label, counts[HateCrime.HATE], counts[HateCrime.MATE])


def hate_crime_report(period: Period) -> HateCrimeReport:
    """The period's concerns (deleted ones left out), read once with what is counted."""
    live = sa.and_(
        Concern.deleted_at.is_(None),
        period.of_council(Concern.council_id),
        period.holds(Concern.received_at),
    )
    concerns = db.session.scalar(sa.select(sa.func.count()).where(live)) or 0
    strands: dict[HateStrand, Counter[HateCrime]] = {s: Counter() for s in HateStrand}
    types: dict[TypeOfRisk, Counter[HateCrime]] = {}
    outcomes: dict[RiskOutcome, Counter[HateCrime]] = {}
    counted: dict[str, Counter[HateCrime]] = {
        "all": Counter(),
        "police": Counter(),
        "open": Counter(),
    }
    hateful = list(
        db.session.scalars(
            sa.select(Concern)
            .where(live, Concern.hate_crime.is_not(None))
            .options(selectinload(Concern.hate_strands), selectinload(Concern.risk_types))
        )
    )
    police_cases = set(
        db.session.scalars(
            sa.select(Involvement.concern_id)
            .join(Agency, Agency.id == Involvement.agency_id)
            .where(Agency.type == "police", Involvement.concern_id.in_([c.id for c in hateful]))
        )
    )
    for concern in hateful:
        kind = concern.hate_crime
        assert kind is not None
        counted["all"][kind] += 1
        for strand in concern.hate_strand_codes:
            strands[strand][kind] += 1
        for risk in concern.types_of_risk:
            types.setdefault(risk, Counter())[kind] += 1
        if concern.id in police_cases:
            counted["police"][kind] += 1
        if concern.status == ConcernStatus.CLOSED and concern.risk_outcome is not None:
            outcomes.setdefault(concern.risk_outcome, Counter())[kind] += 1
        else:
            counted["open"][kind] += 1
    return HateCrimeReport(
        period=period,
        concerns=concerns,
        total=_line("Hate and mate crimes", counted["all"]),
        by_strand=[_line(s.label, strands[s]) for s in HateStrand],
        by_type=[_line(t.label, types[t]) for t in TypeOfRisk if t in types],
        police_involved=_line("The police involved", counted["police"]),
        outcomes=[_line(o.label, outcomes[o]) for o in RiskOutcome if o in outcomes],
        not_closed=_line("Not closed yet", counted["open"]),
    )
