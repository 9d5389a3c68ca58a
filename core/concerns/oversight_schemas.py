"""Schemas of management oversight and the body map in the API (core/concerns/api.py)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from core.fields import Day, Moment


class SupervisionSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    held_on = Day(required=True, metadata={"description": "Not in the future"})
    discussion = ma.fields.String(required=True, validate=ma.validate.Length(max=20000))
    decisions = ma.fields.String(required=True, validate=ma.validate.Length(max=20000))
    next_steps = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=20000)
    )
    manager_name = ma.fields.Function(lambda s: s.manager.name, dump_only=True)
    recorded_at = Moment(dump_only=True)


class WithoutOversightSchema(ma.Schema):
    concern_id = ma.fields.Integer()
    reference = ma.fields.String()
    received_at = Moment()
    last_supervised_on = Day(allow_none=True, metadata={"description": "None if never"})

    @ma.pre_dump
    def _from_row(self, row: Any, **kwargs: Any) -> dict[str, Any]:
        """A row of ``operations.without_oversight``: the concern and its last oversight."""
        concern, last_on = row
        return {
            "concern_id": concern.id,
            "reference": concern.reference,
            "received_at": concern.received_at,
            "last_supervised_on": last_on,
        }


class BodyMapMarkSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    side = ma.fields.String(required=True, validate=ma.validate.OneOf(["front", "back"]))
    x = ma.fields.Float(
        allow_none=True,
        load_default=None,
        validate=ma.validate.Range(min=0, max=100),
        metadata={"description": "Across the outline, in per cent of its width"},
    )
    y = ma.fields.Float(
        allow_none=True,
        load_default=None,
        validate=ma.validate.Range(min=0, max=100),
        metadata={"description": "Down the outline, in per cent of its height"},
    )
    site = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    size = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=100)
    )
    colour = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=100)
    )
    description = ma.fields.String(required=True, validate=ma.validate.Length(max=20000))
    seen_by = ma.fields.String(required=True, validate=ma.validate.Length(max=200))
    seen_on = Day(required=True, metadata={"description": "Not in the future"})
    recorded_at = Moment(dump_only=True)
