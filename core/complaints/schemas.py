"""The API's shapes for the complaints and compliments log. Inputs are read loosely (codes
and days); the operations say what is missing or wrong, for the pages and the API alike."""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma

from core.api.conventions import PageArgs, id_field, page_schema, query_id_field
from core.complaints import operations
from core.complaints.models import EntryKind
from core.fields import codes


def _code(member: Any) -> str | None:
    return member.value if member is not None else None


class ComplaintStageSchema(ma.Schema):
    number = ma.fields.Integer()
    started_on = ma.fields.Date(metadata={"description": "The complaint or the request received"})
    due_on = ma.fields.Date(metadata={"description": "The answer is due by this day"})
    extension_reason = ma.fields.String(allow_none=True)
    answered_on = ma.fields.Date(allow_none=True)
    outcome = ma.fields.Function(lambda s: _code(s.outcome))
    response = ma.fields.String(allow_none=True)
    clock = ma.fields.Function(
        lambda s: operations.stage_clock(s).label,
        metadata={"description": "Due, Overdue, Met or Met late (in working days)"},
    )


class ComplaintEntrySchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.Function(lambda e: e.kind.value)
    procedure = ma.fields.Function(lambda e: _code(e.procedure))
    concern_id = ma.fields.Integer(allow_none=True)
    case_reference = ma.fields.Function(lambda e: e.concern.reference if e.concern else None)
    person_id = ma.fields.Integer()
    person_name = ma.fields.Function(lambda e: e.person.full_name)
    made_by_name = ma.fields.String()
    made_by = ma.fields.Function(lambda e: e.made_by.value)
    received_via = ma.fields.Function(lambda e: e.received_via.value)
    received_on = ma.fields.Date()
    about = ma.fields.String()
    acknowledgement_due_on = ma.fields.Function(
        lambda e: d.isoformat() if (d := operations.acknowledgement_due(e)) else None
    )
    acknowledged_on = ma.fields.Date(allow_none=True)
    stages = ma.fields.List(ma.fields.Nested(ComplaintStageSchema))
    ombudsman_referred_on = ma.fields.Date(allow_none=True)
    ombudsman_reference = ma.fields.String(allow_none=True)
    recorded_at = ma.fields.DateTime()


ComplaintEntryPageSchema = page_schema(ComplaintEntrySchema)


class ComplaintListArgs(PageArgs):
    kind = ma.fields.String(validate=codes(EntryKind))
    state = ma.fields.String(
        validate=ma.validate.OneOf(list(operations.LIST_STATES)),
        metadata={"description": "Complaints: open, answered or ombudsman"},
    )
    concern_id = query_id_field()
    person_id = query_id_field()


class ComplaintCreateSchema(ma.Schema):
    kind = ma.fields.String(
        load_default=None, metadata={"description": "complaint, compliment or comment"}
    )
    procedure = ma.fields.String(
        load_default=None, metadata={"description": "Complaints: adults or children"}
    )
    concern_id = id_field(load_default=None, allow_none=True, metadata={"description": "The case"})
    case_reference = ma.fields.String(
        load_default=None, metadata={"description": "Or its reference"}
    )
    person_id = id_field(
        load_default=None, allow_none=True, metadata={"description": "Or only the person"}
    )
    made_by_name = ma.fields.String(load_default=None)
    made_by = ma.fields.String(
        load_default=None,
        metadata={"description": "person, family_or_carer, advocate, professional or other"},
    )
    received_via = ma.fields.String(
        load_default=None,
        metadata={"description": "letter, email, phone, in_person or online_form"},
    )
    received_on = ma.fields.Date(load_default=None)
    about = ma.fields.String(load_default=None)


class ComplaintAcknowledgeSchema(ma.Schema):
    acknowledged_on = ma.fields.Date(load_default=None)
    response_due_on = ma.fields.Date(
        load_default=None,
        metadata={"description": "Adults: the response date agreed (default six months)"},
    )


class ComplaintAnswerSchema(ma.Schema):
    answered_on = ma.fields.Date(load_default=None)
    outcome = ma.fields.String(
        load_default=None,
        metadata={"description": "upheld, partly_upheld, not_upheld or withdrawn"},
    )
    response = ma.fields.String(load_default=None)


class ComplaintExtendSchema(ma.Schema):
    reason = ma.fields.String(load_default=None)


class ComplaintEscalateSchema(ma.Schema):
    requested_on = ma.fields.Date(load_default=None)


class ComplaintOmbudsmanSchema(ma.Schema):
    referred_on = ma.fields.Date(load_default=None)
    reference = ma.fields.String(load_default=None)


class ComplaintReportArgs(ma.Schema):
    start = ma.fields.Date(data_key="from", load_default=None)
    end = ma.fields.Date(data_key="to", load_default=None)

    @ma.validates_schema
    def _period(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("start"), data.get("end")
        for name, value in (("from", start), ("to", end)):
            if value is not None and not 2000 <= value.year <= 2100:
                raise ma.ValidationError("Enter a date from 2000 to 2100", name)
        if start and end and start > end:
            raise ma.ValidationError("The end of the period must be on or after its start", "to")


def default_period(today: date) -> tuple[date, date]:
    """The council's year so far: from 1 April to today."""
    year = today.year if today.month >= 4 else today.year - 1
    return date(year, 4, 1), today


class ComplaintStageLineSchema(ma.Schema):
    procedure = ma.fields.Function(lambda line: line.procedure.value)
    stage = ma.fields.Integer(attribute="number")
    label = ma.fields.String()
    outcomes = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    answered = ma.fields.Integer()
    in_time = ma.fields.Integer(metadata={"description": "Answered within the timescale"})
    late = ma.fields.Integer()
    overdue_unanswered = ma.fields.Integer(
        metadata={"description": "Due in the period and still not answered"}
    )


class ComplaintReportSchema(ma.Schema):
    start = ma.fields.Date(data_key="from")
    end = ma.fields.Date(data_key="to")
    received = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    complaints_by_procedure = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    stages = ma.fields.List(ma.fields.Nested(ComplaintStageLineSchema))
    acknowledged_in_time = ma.fields.Integer()
    acknowledged_late = ma.fields.Integer()
    not_acknowledged = ma.fields.Integer()
    ombudsman_referrals = ma.fields.Integer()
