"""The API's shapes of PiPoT and LADO referrals and their report."""

from __future__ import annotations

import marshmallow as ma

from core.fields import Day, codes
from core.reference import TrustOutcome
from core.trust.models import EmployerAction


class TrustReferralCreateSchema(ma.Schema):
    alleged_id = ma.fields.Integer(
        required=True,
        metadata={"description": "The person alleged to have caused harm, in a position of trust"},
    )
    referred_on = Day(required=True)
    referred_to = ma.fields.String(
        required=True,
        validate=ma.validate.Length(max=200),
        metadata={"description": "Who it was referred to: the PiPoT lead or the LADO"},
    )


class TrustActionCreateSchema(ma.Schema):
    action = ma.fields.String(
        required=True,
        validate=codes(EmployerAction),
        metadata={"description": "suspended, redeployed, investigation, dismissed, none, other"},
    )
    taken_on = Day(required=True)
    notes = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))


class TrustOutcomeSchema(ma.Schema):
    outcome = ma.fields.String(
        required=True,
        validate=codes(TrustOutcome),
        metadata={
            "description": "substantiated, malicious, false, unsubstantiated or unfounded "
            "(Keeping Children Safe in Education 2024, Part four): closes the referral"
        },
    )
    outcome_on = Day(required=True)
    outcome_notes = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))


class TrustActionSchema(ma.Schema):
    id = ma.fields.Integer()
    action = ma.fields.Function(lambda a: a.action.value)
    action_label = ma.fields.Function(lambda a: a.action.label)
    taken_on = ma.fields.Date()
    notes = ma.fields.String(allow_none=True)


class TrustReferralSchema(ma.Schema):
    id = ma.fields.Integer()
    concern_id = ma.fields.Integer()
    alleged_id = ma.fields.Integer()
    person_name = ma.fields.Function(lambda r: r.alleged.person.full_name)
    process = ma.fields.Function(
        lambda r: r.process.value, metadata={"description": "pipot (adult) or lado (child)"}
    )
    referred_on = ma.fields.Date()
    referred_to = ma.fields.String()
    employer = ma.fields.String()
    role = ma.fields.String(allow_none=True)
    open = ma.fields.Boolean(attribute="is_open")
    outcome = ma.fields.Function(lambda r: r.outcome.value if r.outcome else None)
    outcome_on = ma.fields.Date(allow_none=True)
    outcome_notes = ma.fields.String(allow_none=True)
    actions = ma.fields.List(ma.fields.Nested(TrustActionSchema))


class TrustCountSchema(ma.Schema):
    code = ma.fields.String()
    label = ma.fields.String()
    count = ma.fields.Integer()


class TrustOpenReferralSchema(ma.Schema):
    id = ma.fields.Integer(attribute="referral.id")
    concern_id = ma.fields.Integer(attribute="referral.concern_id")
    reference = ma.fields.String()
    person_name = ma.fields.String()
    role = ma.fields.String(attribute="referral.role", allow_none=True)
    process = ma.fields.Function(lambda o: o.referral.process.value)
    referred_on = ma.fields.Date(attribute="referral.referred_on")
    days_open = ma.fields.Integer()
    band = ma.fields.String()


class TrustEmployerSchema(ma.Schema):
    name = ma.fields.String()
    referrals = ma.fields.List(ma.fields.Nested(TrustOpenReferralSchema))


class TrustReportSchema(ma.Schema):
    on = ma.fields.Date()
    open = ma.fields.Integer()
    closed = ma.fields.Integer()
    by_age = ma.fields.List(
        ma.fields.Nested(TrustCountSchema),
        metadata={"description": "Open referrals by days open: under 30, 30 to 90, over 90"},
    )
    by_outcome = ma.fields.List(ma.fields.Nested(TrustCountSchema))
    employers = ma.fields.List(
        ma.fields.Nested(TrustEmployerSchema),
        allow_none=True,
        metadata={"description": "The open referrals by employer: the safeguarding team only"},
    )
