from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs, id_field, page_schema
from core.concerns.models import Decision, Route
from core.reference import (
    Ethnicity,
    LackedCapacity,
    LocationOfRisk,
    MspAchieved,
    MspAsked,
    PrimarySupportReason,
    RiskAfterAction,
    RiskOutcome,
    Sex,
    SourceOfRisk,
    TypeOfRisk,
)


def codes(enum_class: type) -> ma.validate.OneOf:
    return ma.validate.OneOf([member.value for member in enum_class])


class PersonSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    given_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    family_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    date_of_birth = ma.fields.Date(allow_none=True, load_default=None)
    estimated_age = ma.fields.Integer(
        allow_none=True, load_default=None, validate=ma.validate.Range(min=0, max=120)
    )
    nhs_number = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=14)
    )
    sex = ma.fields.String(validate=codes(Sex), load_default=None, allow_none=True)
    ethnicity = ma.fields.String(validate=codes(Ethnicity), load_default=None, allow_none=True)
    primary_support_reason = ma.fields.String(
        validate=codes(PrimarySupportReason), load_default=None, allow_none=True
    )
    address = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=2000)
    )
    postcode = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=10)
    )
    communication_needs = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=2000)
    )
    advocate = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=2000)
    )


class PersonSummarySchema(ma.Schema):
    """The person as shown on a concern."""

    id = ma.fields.Integer()
    given_name = ma.fields.String()
    family_name = ma.fields.String()
    date_of_birth = ma.fields.Date(allow_none=True)
    nhs_number = ma.fields.String(allow_none=True)


class PersonSearchArgs(PageArgs):
    name = ma.fields.String(
        validate=ma.validate.Length(min=1, max=100),
        metadata={"description": "Part of the first or last name"},
    )
    date_of_birth = ma.fields.Date()
    nhs_number = ma.fields.String(validate=ma.validate.Length(max=14))


class EstablishmentSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=codes(LocationOfRisk))
    cqc_location_id = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=20)
    )
    ods_code = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=10)
    )
    address = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=2000)
    )
    postcode = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=10)
    )
    provider_agency_id = id_field(allow_none=True, load_default=None)


class InvolvementSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    agency_id = id_field(required=True)
    agency_name = ma.fields.Function(lambda involvement: involvement.agency.name, dump_only=True)
    reason = ma.fields.Function(lambda involvement: involvement.reason.value, dump_only=True)
    note = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=2000),
        metadata={"description": "Why the agency is involved"},
    )
    added_at = ma.fields.AwareDateTime(dump_only=True)


class ConcernCreateSchema(ma.Schema):
    received_at = ma.fields.AwareDateTime(required=True)
    person_id = id_field(
        load_default=None,
        allow_none=True,
        metadata={"description": "An existing person (safeguarding team only)"},
    )
    person = ma.fields.Nested(
        PersonSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "A new person, when there is no person_id"},
    )
    is_child = ma.fields.Boolean(load_default=False)
    types_of_risk = ma.fields.List(
        ma.fields.String(validate=codes(TypeOfRisk)),
        required=True,
        validate=ma.validate.Length(min=1, max=11),
    )
    location = ma.fields.String(required=True, validate=codes(LocationOfRisk))
    establishment_id = id_field(load_default=None, allow_none=True)
    source_of_risk = ma.fields.String(required=True, validate=codes(SourceOfRisk))
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20000))
    urgent = ma.fields.Boolean(load_default=False)
    crime_suspected = ma.fields.Boolean(load_default=False)
    route = ma.fields.String(load_default="api", validate=codes(Route))
    referrer_agency_id = id_field(load_default=None, allow_none=True)
    referrer_name = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    referrer_role = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    person_views = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=20000)
    )
    consent_given = ma.fields.Boolean(load_default=None, allow_none=True)
    lacked_capacity = ma.fields.String(
        load_default=None, allow_none=True, validate=codes(LackedCapacity)
    )
    msp_asked = ma.fields.String(load_default=None, allow_none=True, validate=codes(MspAsked))
    desired_outcomes = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=20000)
    )
    level_of_need = ma.fields.Integer(
        load_default=None, allow_none=True, validate=ma.validate.Range(min=1, max=4)
    )
    threshold_reasoning = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=20000)
    )
    responsible_authority = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=200),
        metadata={"description": "Another council that placed the person or is responsible"},
    )


class ConcernSchema(ma.Schema):
    id = ma.fields.Integer()
    reference = ma.fields.String()
    received_at = ma.fields.AwareDateTime()
    route = ma.fields.Function(lambda c: c.route.value)
    person = ma.fields.Nested(PersonSummarySchema)
    is_child = ma.fields.Boolean()
    types_of_risk = ma.fields.Function(lambda c: [t.value for t in c.types_of_risk])
    location = ma.fields.Function(lambda c: c.location.value)
    establishment_id = ma.fields.Integer(allow_none=True)
    source_of_risk = ma.fields.Function(lambda c: c.source_of_risk.value)
    description = ma.fields.String()
    urgent = ma.fields.Boolean()
    crime_suspected = ma.fields.Boolean()
    referrer_agency_id = ma.fields.Integer(allow_none=True)
    out_of_hours = ma.fields.Boolean()
    status = ma.fields.Function(lambda c: c.status.value)
    risk_outcome = ma.fields.Function(lambda c: c.risk_outcome.value if c.risk_outcome else None)
    closed_at = ma.fields.AwareDateTime(allow_none=True)
    screening_due = ma.fields.Date()
    decision = ma.fields.Function(
        lambda c: c.decision.value if c.decision else None, allow_none=True
    )
    decision_reason = ma.fields.String(allow_none=True)
    decided_at = ma.fields.AwareDateTime(allow_none=True)
    level_of_need = ma.fields.Integer(allow_none=True)
    responsible_authority = ma.fields.String(allow_none=True)
    legal_hold = ma.fields.Function(lambda c: c.legal_hold_reason is not None)
    repeat_of = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "References of earlier concerns about the person in the past 12 months "
            "that you can see"
        },
    )
    involvements = ma.fields.List(ma.fields.Nested(InvolvementSchema))


class DecisionSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=codes(Decision))
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20000))


class ConcernListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf(["open", "closed"]))
    decision = ma.fields.String(validate=codes(Decision))
    undecided = ma.fields.Boolean(metadata={"description": "Only concerns awaiting screening"})
    out_of_hours = ma.fields.Boolean()
    type_of_risk = ma.fields.String(validate=codes(TypeOfRisk))
    establishment_id = id_field()
    received_from = ma.fields.Date()
    received_to = ma.fields.Date()


ConcernPageSchema = page_schema(ConcernSchema)
PersonPageSchema = page_schema(PersonSchema)
EstablishmentPageSchema = page_schema(EstablishmentSchema)


class RemovalArgs(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=2000),
        metadata={"description": "Why the agency is no longer involved"},
    )


class ClosureSchema(ma.Schema):
    risk_outcome = ma.fields.String(load_default=None, allow_none=True, validate=codes(RiskOutcome))
    risk_after_action = ma.fields.String(
        load_default=None, allow_none=True, validate=codes(RiskAfterAction)
    )
    msp_achieved = ma.fields.String(load_default=None, allow_none=True, validate=codes(MspAchieved))
    feedback_person_on = ma.fields.Date(load_default=None, allow_none=True)
    feedback_person_method = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=100)
    )
    feedback_referrer_on = ma.fields.Date(load_default=None, allow_none=True)
    feedback_referrer_method = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=100)
    )


class ReopenSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20000))


class ClusterSchema(ma.Schema):
    establishment_id = ma.fields.Integer()
    establishment_name = ma.fields.String()
    kind = ma.fields.String()
    concerns = ma.fields.Integer(metadata={"description": "Concerns in the window"})
    latest_received_at = ma.fields.AwareDateTime()
    window_days = ma.fields.Integer()


class NoteSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    text = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20000))
    key_decision = ma.fields.Boolean(load_default=False)
    author_name = ma.fields.Function(lambda note: note.author.name, dump_only=True)
    written_at = ma.fields.AwareDateTime(dump_only=True)


class LegalHoldSchema(ma.Schema):
    reason = ma.fields.String(
        required=True,
        allow_none=True,
        validate=ma.validate.Length(max=20000),
        metadata={"description": "Why the record must be kept; null lifts the hold"},
    )
