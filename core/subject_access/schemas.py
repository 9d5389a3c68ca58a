"""The API's shapes for subject access requests."""

from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs, page_schema
from core.subject_access.operations import IDENTITY_MAX, LIST_STATES, REQUESTED_BY_MAX, today


class SubjectAccessListArgs(PageArgs):
    state = ma.fields.String(
        load_default="open",
        validate=ma.validate.OneOf(LIST_STATES),
        metadata={"description": "open (not sent: the default), sent or all"},
    )


class NewSubjectAccessRequestSchema(ma.Schema):
    person_id = ma.fields.Integer(required=True, strict=True)
    requested_by = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=REQUESTED_BY_MAX),
        metadata={"description": "The person, or whoever acts for them and how"},
    )
    received_on = ma.fields.Date(required=True)
    identity_checked = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=IDENTITY_MAX),
        metadata={"description": "How the requester's identity was checked"},
    )


class SubjectAccessRequestSchema(ma.Schema):
    id = ma.fields.Integer()
    person_id = ma.fields.Integer()
    person_name = ma.fields.Function(lambda r: r.person.full_name)
    requested_by = ma.fields.String()
    received_on = ma.fields.Date()
    due_on = ma.fields.Date(
        metadata={"description": "One month after it was received (UK GDPR Article 12(3))"}
    )
    identity_checked = ma.fields.String()
    status = ma.fields.Function(lambda r: r.status.value)
    produced_at = ma.fields.DateTime(allow_none=True)
    produced_by = ma.fields.Function(lambda r: r.produced_by.name if r.produced_by else None)
    sent_on = ma.fields.Date(allow_none=True)
    sent_by = ma.fields.Function(lambda r: r.sent_by.name if r.sent_by else None)
    overdue = ma.fields.Method("_overdue")

    def _overdue(self, request: object) -> bool:
        return bool(request.overdue_on(today()))  # type: ignore[attr-defined]


SubjectAccessRequestPageSchema = page_schema(SubjectAccessRequestSchema)
