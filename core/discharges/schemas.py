"""Schemas of the hospital discharges API."""

from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs, page_schema
from core.concerns.schemas import PersonSummarySchema
from core.fields import Moment
from core.people.schemas import PersonSchema


class DischargedPersonSchema(PersonSchema):
    """The person's details a trust gives with a discharge."""

    class Meta:
        fields = ("given_name", "family_name", "date_of_birth", "nhs_number", "postcode")


class DischargeCreateSchema(ma.Schema):
    person = ma.fields.Nested(
        DischargedPersonSchema,
        required=True,
        metadata={"description": "Who was discharged: a new person record, as a referral makes"},
    )
    discharged_at = Moment(required=True, metadata={"description": "When the person left"})
    discharged_from = ma.fields.String(required=True, metadata={"description": "Hospital, ward"})
    discharged_to = ma.fields.String(required=True)
    care_in_place = ma.fields.Boolean(required=True)
    notes = ma.fields.String(load_default=None, allow_none=True)


class DischargeFollowUpSchema(ma.Schema):
    followed_up_by = ma.fields.String(required=True, metadata={"description": "A name"})
    followed_up_at = Moment(required=True)
    follow_up_action = ma.fields.String(required=True, metadata={"description": "What was done"})
    concern_raised = ma.fields.Boolean(required=True)
    concern_reference = ma.fields.String(
        load_default=None,
        allow_none=True,
        metadata={"description": "The concern raised (SG-2026-00042), when it is known"},
    )


class DischargeSchema(ma.Schema):
    id = ma.fields.Integer()
    agency_id = ma.fields.Integer()
    agency_name = ma.fields.String(attribute="agency.name")
    person = ma.fields.Nested(PersonSummarySchema)
    discharged_at = Moment()
    out_of_hours = ma.fields.Boolean(
        metadata={"description": "Worked out from discharged_at by the council's core hours"}
    )
    discharged_from = ma.fields.String()
    discharged_to = ma.fields.String()
    care_in_place = ma.fields.Boolean()
    notes = ma.fields.String(allow_none=True)
    notified_at = Moment()
    followed_up = ma.fields.Boolean()
    followed_up_by = ma.fields.String(allow_none=True)
    followed_up_at = Moment(allow_none=True)
    hours_to_follow_up = ma.fields.Float(allow_none=True)
    follow_up_action = ma.fields.String(allow_none=True)
    concern_raised = ma.fields.Boolean(allow_none=True)
    concern_id = ma.fields.Integer(allow_none=True)
    concern_reference = ma.fields.String(attribute="concern.reference", allow_none=True)


DischargePageSchema = page_schema(DischargeSchema)


class DischargeListArgs(PageArgs):
    waiting = ma.fields.Boolean(
        load_default=False, metadata={"description": "Only those not followed up yet"}
    )


class MonthArgs(ma.Schema):
    month = ma.fields.String(
        load_default=None,
        validate=ma.validate.Regexp(
            r"^(20\d\d|2100)-(0[1-9]|1[0-2])$", error="Give the month as YYYY-MM, like 2026-11"
        ),
        metadata={"description": "YYYY-MM; default this month", "example": "2026-11"},
    )


class CountsSchema(ma.Schema):
    discharges = ma.fields.Integer()
    out_of_hours = ma.fields.Integer()
    without_care = ma.fields.Integer()
    followed_up = ma.fields.Integer()
    awaiting_follow_up = ma.fields.Integer()
    out_of_hours_awaiting = ma.fields.Integer()
    concerns_raised = ma.fields.Integer()


class MonitoringSchema(ma.Schema):
    month = ma.fields.Function(lambda report: f"{report.month:%Y-%m}")
    counts = ma.fields.Nested(CountsSchema)
    median_hours_to_follow_up = ma.fields.Float(allow_none=True)
    discharges = ma.fields.List(
        ma.fields.Nested(DischargeSchema),
        attribute="rows",
        allow_none=True,
        metadata={"description": "The discharges: for the safeguarding team; null for the board"},
    )
