"""Subject access requests in the API: the same rules as the pages (managers only)."""

from __future__ import annotations

from typing import Any, cast

from flask_login import current_user

from core.api.conventions import Blueprint, paginate
from core.downloads import PDF, download
from core.errors import ValidationFailed
from core.extensions import db
from core.people.models import Person
from core.pipeline import logged, record
from core.policy.people import visible_people
from core.policy.routes import requires
from core.policy.subject_access import visible_requests
from core.subject_access import operations
from core.subject_access.models import SubjectAccessRequest
from core.subject_access.pdf import export_json, export_pdf, filename
from core.subject_access.schemas import (
    NewSubjectAccessRequestSchema,
    SubjectAccessListArgs,
    SubjectAccessRequestPageSchema,
    SubjectAccessRequestSchema,
)

blp = Blueprint(
    "subject_access_api",
    __name__,
    url_prefix="/subject-access-requests",
    description="Subject access requests (UK GDPR Article 15)",
)
REQUEST = "/<id:request_id>"
PDF_RESPONSE = {
    "200": {
        "description": "The export, as the PDF sent to the requester",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}
JSON_RESPONSE = {
    "200": {
        "description": "The export: the person's records, and what was withheld and why",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@blp.get("/", "subject_access.manage", SubjectAccessListArgs, SubjectAccessRequestPageSchema)
@logged("subject_access.list", object_type="subject_access")
def list_requests(args: dict[str, Any]) -> Any:
    """The requests not sent yet, soonest due first (``state``: ``sent`` or ``all``)."""
    query = operations.filtered(visible_requests(current_user), args["state"])
    return paginate(query, args["page"], args["page_size"])


@blp.post(
    "/",
    "subject_access.manage",
    NewSubjectAccessRequestSchema,
    SubjectAccessRequestSchema,
    status=201,
)
def create_request(data: dict[str, Any]) -> Any:
    """Record a request for a person's records: who asked, when it was received (the
    answer is due a month later) and how their identity was checked."""
    person = cast(
        "Person | None",
        db.session.execute(
            visible_people(current_user).where(Person.id == data.pop("person_id"))
        ).scalar_one_or_none(),
    )
    if person is None:
        raise ValidationFailed.single("person_id", "There is no person record with this number")
    return operations.record_request(person, data, current_user)


@blp.get(REQUEST, "subject_access.manage", None, SubjectAccessRequestSchema)
@logged("subject_access.view", object_type="subject_access", object_id="request_id")
@record("subject_access")
def get_request(subject_access: SubjectAccessRequest) -> Any:
    """One request, its due date and status."""
    return subject_access


@blp.post(REQUEST + "/produce", "subject_access.manage", None, SubjectAccessRequestSchema)
@logged(
    "subject_access.produce",
    object_type="subject_access",
    object_id="request_id",
    methods=("POST",),
)
@record("subject_access")
def produce(subject_access: SubjectAccessRequest) -> Any:
    """Gather everything held about the person now, third parties withheld (422 once sent)."""
    return operations.produce(subject_access, current_user)


@blp.post(REQUEST + "/sent", "subject_access.manage", None, SubjectAccessRequestSchema)
@record("subject_access")
def mark_sent(subject_access: SubjectAccessRequest) -> Any:
    """The export was sent to the requester today (422 before it is produced, or twice)."""
    return operations.mark_sent(subject_access, current_user)


def _produced(subject_access: SubjectAccessRequest) -> None:
    if subject_access.export is None:
        raise ValidationFailed.single("status", "Produce the export first")


@blp.route(REQUEST + "/export.json", methods=["GET"])
@requires("subject_access.manage")
@blp.doc(responses=JSON_RESPONSE)
@logged("subject_access.download", object_type="subject_access", object_id="request_id")
@record("subject_access")
def get_export_json(subject_access: SubjectAccessRequest) -> Any:
    """The export as produced (JSON); 422 before it is produced."""
    _produced(subject_access)
    return download(
        export_json(subject_access), "application/json", filename(subject_access, "json")
    )


@blp.route(REQUEST + "/export.pdf", methods=["GET"])
@requires("subject_access.manage")
@blp.doc(responses=PDF_RESPONSE)
@logged("subject_access.download", object_type="subject_access", object_id="request_id")
@record("subject_access")
def get_export_pdf(subject_access: SubjectAccessRequest) -> Any:
    """The export as produced (PDF, to send); 422 before it is produced."""
    _produced(subject_access)
    return download(export_pdf(subject_access), PDF, filename(subject_access, "pdf"))
