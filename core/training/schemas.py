"""Schemas of the staff training API."""

from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs, page_schema, query_id_field
from core.fields import Day, codes
from core.reference import TrainingLevel
from core.training.operations import MAX_FILE_BYTES


class TrainingRecordSchema(ma.Schema):
    """One course one member of staff completed (their agency keeps it)."""

    id = ma.fields.Integer(dump_only=True)
    agency_id = ma.fields.Integer(dump_only=True, metadata={"description": "Their agency"})
    staff_name = ma.fields.String(
        allow_none=True,
        load_default=None,
        validate=ma.validate.Length(max=200),
        metadata={"description": "The name; give it, the staff number or both"},
    )
    staff_number = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=40)
    )
    role = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    level = ma.fields.Function(
        lambda record: record.level.value,
        deserialize=lambda value: value,
        required=True,
        validate=codes(TrainingLevel),
        metadata={
            "description": "The intercollegiate level: children_1 … children_5, adults_1 … adults_5"
        },
    )
    course = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    completed_on = Day(required=True)
    expires_on = Day(
        allow_none=True,
        load_default=None,
        metadata={"description": "When a refresher is due; default three years after completion"},
    )
    version = ma.fields.Integer(dump_only=True)


class TrainingRecordUpdateSchema(TrainingRecordSchema):
    """A correction: only the fields sent change."""


TrainingRecordPageSchema = page_schema(TrainingRecordSchema)


class TrainingListArgs(PageArgs):
    agency_id = query_id_field(
        metadata={"description": "One agency's records (the safeguarding team, which reads all)"}
    )


class TrainingImportSchema(ma.Schema):
    csv = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=MAX_FILE_BYTES),
        metadata={
            "description": "The CSV file's text, with the template's columns "
            "(GET /training/template.csv on the pages)"
        },
    )


class TrainingImportedSchema(ma.Schema):
    imported = ma.fields.Integer(metadata={"description": "How many records were saved"})
    items = ma.fields.List(ma.fields.Nested(TrainingRecordSchema))


class QuarterArgs(ma.Schema):
    class Meta:
        unknown = ma.RAISE

    year = ma.fields.Integer(
        validate=ma.validate.Range(min=2000, max=2100, error="Give a year from 2000 to 2100"),
        metadata={"description": "default this quarter's"},
    )
    quarter = ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=4, error="Give a quarter from 1 to 4"),
        metadata={"description": "calendar quarter: 1 is January to March; default this one"},
    )


class LevelLineSchema(ma.Schema):
    level = ma.fields.Function(lambda line: line.level.value)
    label = ma.fields.String()
    trained = ma.fields.Integer(metadata={"description": "Staff trained at it in the quarter"})
    current = ma.fields.Integer(metadata={"description": "Staff current at the quarter's end"})
    overdue = ma.fields.Integer(metadata={"description": "Staff overdue for a refresher"})


class OverdueSchema(ma.Schema):
    record_id = ma.fields.Integer()
    staff = ma.fields.String()
    role = ma.fields.String()
    level = ma.fields.Function(lambda line: line.level.value)
    course = ma.fields.String()
    expired_on = ma.fields.Date()


class AgencyReturnSchema(ma.Schema):
    agency_id = ma.fields.Integer()
    agency_name = ma.fields.String()
    staff_trained = ma.fields.Integer()
    staff_current = ma.fields.Integer()
    staff_overdue = ma.fields.Integer()
    levels = ma.fields.List(ma.fields.Nested(LevelLineSchema))
    overdue = ma.fields.List(
        ma.fields.Nested(OverdueSchema),
        allow_none=True,
        metadata={
            "description": "Who is overdue, by name: the agency itself and the "
            "safeguarding team only (null for the board)"
        },
    )


class TrainingReturnSchema(ma.Schema):
    year = ma.fields.Integer()
    quarter = ma.fields.Integer()
    period_start = ma.fields.Date(attribute="period.first")
    period_end = ma.fields.Date(attribute="period.last")
    as_of = ma.fields.Date(metadata={"description": "The quarter's end, or today while it lasts"})
    agencies = ma.fields.List(ma.fields.Nested(AgencyReturnSchema))
