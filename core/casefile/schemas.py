"""Schemas of the case file audit API."""

from __future__ import annotations

import marshmallow as ma

from core.api.conventions import page_schema
from core.casefile.models import Answer, CaseType, Grade

ID = ma.validate.Range(min=1, max=2147483647)


class DrawSchema(ma.Schema):
    year = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(min=2000, max=2100),
        metadata={"description": "the year the audit year begins in: 2026 for 2026/27"},
    )
    quarter = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(min=1, max=4),
        metadata={
            "description": "quarter of the audit year (AUDIT_YEAR_STARTS; by default the "
            "financial year: 1 is April to June)"
        },
    )
    team_id = ma.fields.Integer(
        allow_none=True, validate=ID, metadata={"description": "only cases this team holds"}
    )
    locality_id = ma.fields.Integer(
        allow_none=True, validate=ID, metadata={"description": "only cases in this area"}
    )
    out_of_hours = ma.fields.Boolean(
        allow_none=True,
        metadata={"description": "true: only out-of-hours cases; false: only day-time ones"},
    )
    case_type = ma.fields.String(
        allow_none=True,
        validate=ma.validate.OneOf([t.value for t in CaseType]),
        metadata={"description": "only adults' or only children's cases"},
    )
    sample_size = ma.fields.Integer(validate=ma.validate.Range(min=1, max=500))
    seed = ma.fields.Integer(
        validate=ma.validate.Range(min=0, max=2**53 - 1),
        metadata={"description": "give an earlier audit's seed to draw the same sample"},
    )


class AssignSchema(ma.Schema):
    auditor_id = ma.fields.Integer(
        required=True,
        validate=ID,
        metadata={
            "description": "the reviewer: an auditor, or a safeguarding manager or officer "
            "(chosen by the audit's owner); never one whose own case it is"
        },
    )


class AnswerSchema(ma.Schema):
    item_id = ma.fields.Integer(required=True, validate=ID)
    answer = ma.fields.String(required=True, validate=ma.validate.OneOf([a.value for a in Answer]))


class FindingsSchema(ma.Schema):
    answers = ma.fields.List(ma.fields.Nested(AnswerSchema), required=True)
    grade = ma.fields.String(required=True, validate=ma.validate.OneOf([g.value for g in Grade]))
    comments = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=5000))


class ItemSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    position = ma.fields.Integer(required=True)
    text = ma.fields.String(required=True)


class CaseSchema(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "the review's id"})
    concern_id = ma.fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "null once the case was purged under retention"},
    )
    auditor_id = ma.fields.Integer(allow_none=True)
    grade = ma.fields.String(allow_none=True)
    completed_at = ma.fields.DateTime(allow_none=True)


class LimitsSchema(ma.Schema):
    team_id = ma.fields.Integer(allow_none=True)
    locality_id = ma.fields.Integer(allow_none=True)
    out_of_hours = ma.fields.Boolean(allow_none=True)
    case_type = ma.fields.String(allow_none=True)


class CaseFileAuditSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    year = ma.fields.Integer(required=True)
    quarter = ma.fields.Integer(required=True)
    year_starts = ma.fields.Integer(
        required=True,
        metadata={"description": "the month the audit's year began in (1: calendar quarters)"},
    )
    quarter_label = ma.fields.String(
        required=True, metadata={"description": 'e.g. "Q1 2026/27 (April to June 2026)"'}
    )
    limits = ma.fields.Nested(
        LimitsSchema,
        required=True,
        metadata={"description": "the limits the sample was drawn with (null: any)"},
    )
    drawn_by_id = ma.fields.Integer(required=True)
    seed = ma.fields.Integer(required=True)
    sample_size = ma.fields.Integer(required=True)
    sampled = ma.fields.Integer(required=True)
    completed = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True)
    drawn_at = ma.fields.DateTime(required=True)
    checklist = ma.fields.List(ma.fields.Nested(ItemSchema), required=True)
    cases = ma.fields.List(
        ma.fields.Nested(CaseSchema),
        required=True,
        metadata={
            "description": "managers: the whole sample; auditors: their own cases; others: none"
        },
    )


CaseFileAuditPageSchema = page_schema(CaseFileAuditSchema)


class ItemFindingSchema(ma.Schema):
    text = ma.fields.String(required=True)
    yes = ma.fields.Integer(required=True)
    no = ma.fields.Integer(required=True)
    not_applicable = ma.fields.Integer(required=True)
    rate = ma.fields.Float(allow_none=True, metadata={"description": "yes / (yes + no)"})


class GradeCountSchema(ma.Schema):
    grade = ma.fields.String(required=True)
    cases = ma.fields.Integer(required=True)


class ReportSchema(ma.Schema):
    audit_id = ma.fields.Integer(required=True)
    sampled = ma.fields.Integer(required=True)
    completed = ma.fields.Integer(required=True)
    items = ma.fields.List(ma.fields.Nested(ItemFindingSchema), required=True)
    grades = ma.fields.List(ma.fields.Nested(GradeCountSchema), required=True)
