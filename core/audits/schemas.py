from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs, id_field, page_schema
from core.fields import Day, Moment

from .models import BoardActionStatus

TEXT = ma.validate.Length(min=1, max=2000)
STATUSES = ma.validate.OneOf([status.value for status in BoardActionStatus])


def _count(description: str) -> ma.fields.Integer:
    return ma.fields.Integer(allow_none=True, metadata={"description": description})


def _rate(description: str) -> ma.fields.Float:
    return ma.fields.Float(allow_none=True, metadata={"description": description})


class AuditRunSchema(ma.Schema):
    period_start = Day(required=True, metadata={"description": "first day"})
    period_end = Day(required=True, metadata={"description": "last day (included)"})


class AuditReadArgs(ma.Schema):
    format = ma.fields.String(
        load_default="json",
        validate=ma.validate.OneOf(["json", "csv"]),
        metadata={"description": "json (default) or csv"},
    )
    published = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "the published version: counts from 1 to 4 and rates from them "
            "withheld (null, [c] in CSV) when AUDIT_SUPPRESS_SMALL_COUNTS is on"
        },
    )


class PackArgs(ma.Schema):
    published = ma.fields.Boolean(load_default=False)


class AuditRowSchema(ma.Schema):
    agency_id = ma.fields.Integer()
    agency_name = ma.fields.String()
    meeting_type = ma.fields.String(metadata={"description": "a meeting type code, or all"})
    meeting_type_label = ma.fields.String()
    invited = _count("invitations not withdrawn, to meetings held in the period")
    attended = _count("attended in person or virtually")
    apologies_with_report = _count("apologies, with a written report")
    apologies_without_report = _count("apologies, without a report")
    did_not_attend = _count("did not attend")
    attendance_rate = _rate("attended / invited, from 0 to 1")
    contribution_rate = _rate("(attended + apologies with report) / invited, from 0 to 1")
    omitted_invitations = _count("standard-list agencies not invited")
    below_threshold = ma.fields.Boolean(
        allow_none=True,
        metadata={"description": "null in the published version where the rate is withheld"},
    )
    previous_attendance_rate = _rate("in the previous audit")
    attendance_rate_change = _rate("since the previous audit")
    previous_contribution_rate = _rate("in the previous audit")
    contribution_rate_change = _rate("since the previous audit")
    withheld = ma.fields.List(
        ma.fields.String(), metadata={"description": "figures withheld in the published version"}
    )


class QuorateShareSchema(ma.Schema):
    meeting_type = ma.fields.String()
    meeting_type_label = ma.fields.String()
    conferences = ma.fields.Integer(allow_none=True)
    quorate = ma.fields.Integer(allow_none=True)
    share = ma.fields.Float(allow_none=True)
    withheld = ma.fields.List(ma.fields.String())


class BoardActionSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    audit_id = ma.fields.Integer(dump_only=True)
    agency_id = id_field(required=True)
    action = ma.fields.String(required=True, validate=TEXT)
    owner = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    due_on = Day(required=True)
    status = ma.fields.String(attribute="status.value", dump_only=True)
    note = ma.fields.String(allow_none=True, dump_only=True)
    created_at = Moment(dump_only=True)
    updated_at = Moment(allow_none=True, dump_only=True)


class BoardActionUpdateSchema(ma.Schema):
    status = ma.fields.String(validate=STATUSES)
    action = ma.fields.String(validate=TEXT)
    owner = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    due_on = Day()
    note = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=2000))


class AuditSummarySchema(ma.Schema):
    id = ma.fields.Integer()
    period_start = Day()
    period_end = Day()
    threshold = ma.fields.Float()
    meetings_held = ma.fields.Integer()
    previous_audit_id = ma.fields.Integer(allow_none=True)
    run_at = Moment()


class AuditSchema(AuditSummarySchema):
    published = ma.fields.Boolean()
    rows = ma.fields.List(ma.fields.Nested(AuditRowSchema))
    quoracy = ma.fields.List(ma.fields.Nested(QuorateShareSchema))
    board_actions = ma.fields.List(ma.fields.Nested(BoardActionSchema))
    carried_actions = ma.fields.List(ma.fields.Nested(BoardActionSchema))


AuditPageSchema = page_schema(AuditSummarySchema)


class AuditListArgs(PageArgs):
    pass
