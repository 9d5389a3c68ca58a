"""The chronology in the API: its filters, its events and an entry written by hand."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from core.api.conventions import id_field, query_id_field
from core.chronology.models import ChronologyEntry, Significance
from core.concerns.models import Restriction
from core.fields import Day, Moment, codes


class ChronologyArgs(ma.Schema):
    """The filters, each optional; a page reads its query string with this schema too."""

    class Meta:
        unknown = ma.RAISE

    from_ = Day(data_key="from", metadata={"description": "first day"})
    to = Day(metadata={"description": "last day"})
    agency_id = query_id_field(
        "Select an agency from the list", metadata={"description": "the source agency"}
    )
    significance = ma.fields.String(
        validate=ma.validate.OneOf(
            [s.value for s in Significance], error="Select a significance from the list"
        ),
        metadata={"description": "at least: low, medium, high or key"},
    )
    kind = ma.fields.String(
        validate=ma.validate.Length(max=60),
        metadata={
            "description": "concern, decision, meeting, plan, discharge, note, entry, "
            "closure, or a plugin's kind such as police.investigation"
        },
    )

    @ma.validates_schema
    def ordered(self, data: dict[str, Any], **kwargs: Any) -> None:
        first, last = data.get("from_"), data.get("to")
        if first and last and last < first:
            raise ma.ValidationError("To must be the same as or after From", "to")


class ChronologyEventSchema(ma.Schema):
    occurred_on = ma.fields.Date()
    case = ma.fields.String(metadata={"description": "the case's reference"})
    agency_id = ma.fields.Integer(allow_none=True)
    agency = ma.fields.String()
    kind = ma.fields.String()
    kind_label = ma.fields.String()
    summary = ma.fields.String()
    significance = ma.fields.String()
    significance_label = ma.fields.String()
    entry_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "an entry written by hand"}
    )


class ChronologySchema(ma.Schema):
    events = ma.fields.List(ma.fields.Nested(ChronologyEventSchema))


class ChronologyEntrySchema(ma.Schema):
    """An entry written by hand into a case's chronology."""

    id = ma.fields.Integer(dump_only=True)
    occurred_on = Day(required=True, metadata={"description": "the day it happened"})
    source_agency_id = id_field(
        required=True,
        metadata={
            "description": "the agency the information comes from (a practitioner: their own)"
        },
    )
    summary = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=5000),
        metadata={"description": "what happened"},
    )
    significance = ma.fields.String(
        required=True,
        validate=codes(Significance),
        metadata={"description": "low, medium, high or key"},
    )
    restriction = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=codes(Restriction),
        metadata={
            "description": "third_party, police_sensitive or health: for the "
            "safeguarding team and the writing and source agencies only"
        },
    )
    written_at = Moment(dump_only=True)

    @ma.pre_dump
    def as_stored(self, entry: ChronologyEntry, **_: Any) -> dict[str, Any]:
        return {
            "id": entry.id,
            "occurred_on": entry.occurred_on,
            "source_agency_id": entry.source_agency_id,
            "summary": entry.summary,
            "significance": entry.significance.value,
            "restriction": entry.restriction.value if entry.restriction else None,
            "written_at": entry.written_at,
        }
