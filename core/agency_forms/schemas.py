"""API schemas for agency forms. The answers themselves are checked by each form's own
schema, in the operation, so the API and the pages give the same messages."""

from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs, id_field, page_schema, query_id_field
from core.concerns.models import Restriction
from core.fields import Moment, codes

RESTRICTION = (
    "Why it is restricted: third_party, police_sensitive or health (null: not restricted). "
    "A restricted form is read, as any other, by its agency, the safeguarding team and the "
    "agencies it is shared with; the others on its case see that it exists, its date and "
    "its agency (GET /forms/cases/{concern_id})."
)


def restriction_field(description: str = RESTRICTION, **extra: object) -> ma.fields.String:
    return ma.fields.String(
        allow_none=True, validate=codes(Restriction), metadata={"description": description}, **extra
    )


class FieldSchema(ma.Schema):
    name = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    hint = ma.fields.String(allow_none=True)
    widget = ma.fields.String(required=True)
    required = ma.fields.Boolean(required=True)
    choices = ma.fields.List(ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String()))


class FormDefinitionSchema(ma.Schema):
    name = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String()
    attaches_to = ma.fields.String(required=True)
    serves = ma.fields.String(
        required=True, metadata={"description": "The cases it is for: children, adults or both"}
    )
    writers = ma.fields.List(ma.fields.String(), required=True)
    fields = ma.fields.List(ma.fields.Nested(FieldSchema), required=True)


class SubmissionSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    form_name = ma.fields.String(dump_only=True)
    agency_id = ma.fields.Integer(dump_only=True)
    subject_type = ma.fields.String(dump_only=True)
    subject_id = ma.fields.Integer(dump_only=True)
    concern_id = ma.fields.Integer(dump_only=True, allow_none=True)
    version = ma.fields.Integer(dump_only=True)
    data = ma.fields.Dict(dump_only=True)
    restriction = restriction_field(dump_only=True)
    created_at = Moment(dump_only=True)
    updated_at = Moment(dump_only=True)


class SubmissionCreateSchema(ma.Schema):
    subject_id = id_field(
        load_default=None,
        allow_none=True,
        metadata={"description": "The concern, meeting or establishment; none for agency returns"},
    )
    data = ma.fields.Dict(required=True, metadata={"description": "The answers, by question name"})
    restriction = restriction_field(load_default=None)


class SubmissionUpdateSchema(ma.Schema):
    data = ma.fields.Dict(required=True, metadata={"description": "Every answer, by question name"})
    restriction = restriction_field(RESTRICTION + " Left out: it stays as it is.")


class CaseFormSchema(ma.Schema):
    """A form about a case: one you may read, or a restricted one you may not (its
    date, its agency and that it is restricted, nothing more)."""

    id = ma.fields.Integer(metadata={"description": "Null for a restricted entry"}, allow_none=True)
    readable = ma.fields.Boolean(required=True)
    form_name = ma.fields.String(allow_none=True)
    title = ma.fields.String(allow_none=True)
    agency_id = ma.fields.Integer(required=True)
    agency_name = ma.fields.String(required=True)
    restriction = ma.fields.String(
        allow_none=True,
        metadata={"description": "Why it is restricted; null for an entry you may not read"},
    )
    version = ma.fields.Integer(allow_none=True)
    created_at = Moment(required=True)
    updated_at = Moment(allow_none=True)


class VersionSchema(ma.Schema):
    number = ma.fields.Integer()
    data = ma.fields.Dict()
    changes = ma.fields.List(ma.fields.Dict())
    saved_by_id = ma.fields.Integer()
    saved_at = Moment()


class ShareSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    agency_id = id_field(required=True)
    shared_at = Moment(dump_only=True)


class SubmissionListArgs(PageArgs):
    subject_id = query_id_field()


SubmissionPageSchema = page_schema(SubmissionSchema)
