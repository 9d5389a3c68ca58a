"""The API's shapes for contact follow-ups."""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma

from core.api.conventions import PageArgs, page_schema
from core.fields import codes
from core.followups.models import FollowUpOutcome
from core.followups.operations import LIST_STATES, NOTE_MAX


class FollowUpContactSchema(ma.Schema):
    """Who made contact and how to reach them, as the concern records it."""

    referrer_name = ma.fields.String(allow_none=True)
    referrer_role = ma.fields.String(allow_none=True)
    referrer_contact = ma.fields.String(
        allow_none=True, metadata={"description": "Phone, email or postal address"}
    )
    referrer_agency = ma.fields.Function(
        lambda c: c.referrer_agency.name if c.referrer_agency else None
    )
    referrer_agency_mailbox = ma.fields.Function(
        lambda c: c.referrer_agency.team_mailbox if c.referrer_agency else None
    )
    route = ma.fields.Function(lambda c: c.route.value, metadata={"description": "How it came"})


class FollowUpPersonSchema(ma.Schema):
    id = ma.fields.Integer()
    given_name = ma.fields.String()
    family_name = ma.fields.String()
    date_of_birth = ma.fields.Date(allow_none=True)
    address = ma.fields.String(allow_none=True)
    postcode = ma.fields.String(allow_none=True)
    communication_needs = ma.fields.String(allow_none=True)


class ContactFollowUpSchema(ma.Schema):
    id = ma.fields.Integer()
    concern_id = ma.fields.Integer()
    reference = ma.fields.Function(lambda f: f.concern.reference)
    decision = ma.fields.Function(
        lambda f: f.decision.value, metadata={"description": "The decision that screened it out"}
    )
    contacted_on = ma.fields.Date()
    due_on = ma.fields.Date()
    contact = ma.fields.Function(lambda f: FollowUpContactSchema().dump(f.concern))
    person = ma.fields.Function(lambda f: FollowUpPersonSchema().dump(f.concern.person))
    outcome = ma.fields.Function(lambda f: f.outcome.value if f.outcome else None)
    note = ma.fields.String(allow_none=True)
    recorded_at = ma.fields.DateTime(allow_none=True)
    recorded_by = ma.fields.Function(lambda f: f.recorded_by.name if f.recorded_by else None)
    new_concern_person_id = ma.fields.Function(
        lambda f: f.concern.person_id if f.outcome == FollowUpOutcome.NEW_REFERRAL else None,
        metadata={
            "description": "When a new referral is needed: the person_id to record the new "
            "concern about (POST /api/v1/concerns/)"
        },
    )


FollowUpPageSchema = page_schema(ContactFollowUpSchema)


class FollowUpListArgs(PageArgs):
    state = ma.fields.String(
        validate=ma.validate.OneOf(list(LIST_STATES)),
        metadata={"description": "due, upcoming or recorded; none: every one not recorded"},
    )


class FollowUpOutcomeSchema(ma.Schema):
    outcome = ma.fields.String(required=True, validate=codes(FollowUpOutcome))
    note = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=NOTE_MAX)
    )


class FollowUpReportArgs(ma.Schema):
    month = ma.fields.Date(
        metadata={
            "description": "Any day of the month (2026-11-01: November 2026); default this month"
        },
    )

    @ma.validates("month")
    def _plausible(self, value: date, **_: Any) -> None:
        if not 2000 <= value.year <= 2100:
            raise ma.ValidationError("Give a month from 2000 to 2100")


class FollowUpReportLineSchema(ma.Schema):
    label = ma.fields.String()
    signposting_worked = ma.fields.Function(lambda line: line.counts["signposting_worked"])
    new_referral_needed = ma.fields.Function(lambda line: line.counts["new_referral_needed"])
    not_reached = ma.fields.Function(lambda line: line.counts["not_reached"])
    not_recorded = ma.fields.Function(lambda line: line.counts["not_recorded"])
    total = ma.fields.Integer()


class FollowUpReportSchema(ma.Schema):
    month = ma.fields.Function(lambda r: r.month.strftime("%Y-%m"))
    total = ma.fields.Nested(FollowUpReportLineSchema)
    by_decision = ma.fields.List(
        ma.fields.Nested(FollowUpReportLineSchema),
        metadata={"description": "By the screening decision that screened the concern out"},
    )
