"""The open PiPoT and LADO referrals by employer and by how long they have been open, for
the safeguarding team; the board reads the figures only (how many open in each age band,
how many closed with each outcome), never a name or a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.concerns.models import Concern
from core.extensions import db
from core.people.models import AllegedPerson
from core.reference import TrustOutcome
from core.trust.models import TrustReferral

# days open: under 30, 30 to 90, over 90
BANDS = (("under_30", "Under 30 days"), ("30_to_90", "30 to 90 days"), ("over_90", "Over 90 days"))


def band_of(days: int) -> str:
    return "under_30" if days < 30 else ("30_to_90" if days <= 90 else "over_90")


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class OpenReferral:
    referral: TrustReferral
    reference: str
    person_name: str
    days_open: int

    @property
    def band(self) -> str:
        return dict(BANDS)[band_of(self.days_open)]


@dataclass(frozen=True)
class Employer:
    name: str
    referrals: list[OpenReferral]


@dataclass(frozen=True)
class TrustReport:
    on: date
    open: int
    closed: int
    by_age: list[Count]
    by_outcome: list[Count]
    # the team's: by employer, with the cases and names (None for the board)
    employers: list[Employer] | None


def trust_report(on: date, named: bool, council_id: int) -> TrustReport:
    """Every referral of a live case of the council; ``named`` adds the open ones by
    employer."""
    referrals = list(
        db.session.scalars(
            sa.select(TrustReferral)
            .join(Concern, Concern.id == TrustReferral.concern_id)
            .where(Concern.deleted_at.is_(None), Concern.council_id == council_id)
            .options(
                selectinload(TrustReferral.alleged).selectinload(AllegedPerson.person),
                selectinload(TrustReferral.actions),
            )
            .order_by(TrustReferral.referred_on, TrustReferral.id)
        )
    )
    still_open = [r for r in referrals if r.is_open]
    closed = [r for r in referrals if not r.is_open]
    ages = [max((on - r.referred_on).days, 0) for r in still_open]
    by_age = [
        Count(code, label, sum(1 for days in ages if band_of(days) == code))
        for code, label in BANDS
    ]
    by_outcome = [
        Count(o.value, o.label, sum(1 for r in closed if r.outcome == o)) for o in TrustOutcome
    ]
    employers = None
    if named:
        references = dict(
            db.session.execute(
                sa.select(Concern.id, Concern.reference).where(
                    Concern.id.in_({r.concern_id for r in still_open})
                )
            ).all()
        )
        grouped: dict[str, list[OpenReferral]] = {}
        for referral, days in zip(still_open, ages, strict=True):
            grouped.setdefault(referral.employer, []).append(
                OpenReferral(
                    referral,
                    references[referral.concern_id],
                    referral.alleged.person.full_name,
                    days,
                )
            )
        employers = [Employer(name, grouped[name]) for name in sorted(grouped, key=str.lower)]
    return TrustReport(on, len(still_open), len(closed), by_age, by_outcome, employers)
