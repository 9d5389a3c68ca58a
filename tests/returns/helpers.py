"""Synthetic people and concerns written straight to the database, for report tests that
need many records in chosen states (dates, decisions, outcomes) quickly."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from core.auth.models import User
from core.concerns.models import (
    Concern,
    ConcernRiskType,
    ConcernStatus,
    Decision,
    EnquiryKind,
    EnquiryLocation,
    EnquirySource,
    Route,
    SafeguardingEnquiry,
)
from core.extensions import db
from core.people.models import Person
from core.reference import (
    LackedCapacity,
    LocationOfRisk,
    MspAsked,
    RiskAfterAction,
    RiskOutcome,
    SourceOfRisk,
    TypeOfRisk,
)

ENQUIRY_FIELDS = ("msp_asked", "msp_achieved", "lacked_capacity", "advocacy")
ENQUIRIES = {Decision.SECTION_42: EnquiryKind.SECTION_42, Decision.OTHER_ENQUIRY: EnquiryKind.OTHER}

_numbers = itertools.count(1)


def at(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC).replace(hour=hour)


def person(**fields: Any) -> Person:
    values = {"given_name": "Ada", "family_name": f"Test{next(_numbers)}"} | fields
    record = Person(**values)
    db.session.add(record)
    db.session.flush()
    return record


def concern(
    user_id: int,
    received: str = "2026-05-01",
    who: Person | None = None,
    types: tuple[TypeOfRisk, ...] = (TypeOfRisk.NEGLECT,),
    decision: Decision | None = None,
    decided: str | None = None,
    closed: str | None = None,
    concluded: str | None = None,
    locations: tuple[LocationOfRisk, ...] | None = None,
    sources: tuple[SourceOfRisk, ...] | None = None,
    **fields: Any,
) -> Concern:
    """A concern; with a section 42 or other enquiry decision, its enquiry too, started on
    the day decided and concluded on ``concluded`` (by default the day ``closed``)."""
    number = next(_numbers)
    enquiry_fields = {name: fields.pop(name) for name in ENQUIRY_FIELDS if name in fields}
    who = who or person(date_of_birth=date(1950, 1, 1))
    record = Concern(
        reference=f"SG-T-{number:06d}",
        received_at=at(received),
        received_by_id=user_id,
        council_id=fields.pop("council_id", None) or db.session.get(User, user_id).council_id,
        route=Route.PHONE,
        person_id=who.id,
        location=fields.pop("location", LocationOfRisk.OWN_HOME),
        source_of_risk=fields.pop("source_of_risk", SourceOfRisk.KNOWN),
        description="Synthetic test concern",
        screening_due=fields.pop("screening_due", date.fromisoformat(received)),
        decision=decision,
        decided_at=at(decided or received) if decision else None,
        **fields,
    )
    if closed:
        record.status = ConcernStatus.CLOSED
        record.closed_at = at(closed)
        record.risk_outcome = record.risk_outcome or RiskOutcome.IDENTIFIED_ACTION
        if record.risk_outcome.result_recorded and record.risk_after_action is None:
            record.risk_after_action = RiskAfterAction.REDUCED
    record.risk_types = [ConcernRiskType(risk_type=t) for t in types]
    if decision in ENQUIRIES:
        concluded = concluded or closed
        outcome = record.risk_outcome or (RiskOutcome.IDENTIFIED_ACTION if concluded else None)
        after = record.risk_after_action
        if outcome is not None and outcome.result_recorded and after is None:
            after = RiskAfterAction.REDUCED
        record.enquiry = SafeguardingEnquiry(
            kind=ENQUIRIES[decision],
            started_on=date.fromisoformat(decided or received),
            concluded_on=date.fromisoformat(concluded) if concluded else None,
            risk_outcome=outcome if concluded else None,
            risk_after_action=after if concluded else None,
            msp_asked=enquiry_fields.get("msp_asked", MspAsked.NOT_RECORDED),
            msp_achieved=enquiry_fields.get("msp_achieved"),
            lacked_capacity=enquiry_fields.get("lacked_capacity", LackedCapacity.NOT_RECORDED),
            advocacy=enquiry_fields.get("advocacy"),
            location_rows=[
                EnquiryLocation(location=place) for place in locations or (record.location,)
            ],
            source_rows=[
                EnquirySource(source=source) for source in sources or (record.source_of_risk,)
            ],
        )
    db.session.add(record)
    db.session.flush()
    return record
