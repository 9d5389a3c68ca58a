"""/api/v1/forms: the agency forms and their submissions (see docs/api.md)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint

from core.accesslog import operations as access_log
from core.agency_forms import operations
from core.agency_forms.models import FormSubmission
from core.agency_forms.registry import describe_fields
from core.agency_forms.schemas import (
    FormDefinitionSchema,
    ShareSchema,
    SubmissionCreateSchema,
    SubmissionListArgs,
    SubmissionPageSchema,
    SubmissionSchema,
    SubmissionUpdateSchema,
    VersionSchema,
)
from core.api.conventions import (
    documented_create,
    documented_update,
    etag_for,
    idempotent,
    paginate,
    require_if_match,
    validation_as_422,
)
from core.errors import abort
from core.extensions import db
from core.pipeline import logged
from core.policy.forms import (
    can_change,
    can_write_form,
    load_readable,
    readable_submissions,
)
from core.policy.routes import requires
from plugins.forms import FormDefinition

blp = Blueprint("forms_api", __name__, url_prefix="/forms", description="Agency forms")
SUBMISSIONS = "/<form_name>/submissions"
SUBMISSION = SUBMISSIONS + "/<int(min=1, max=2147483647):submission_id>"


def _definition(form_name: str) -> FormDefinition:
    try:
        return operations.definition_of(form_name)
    except operations.FormNotFound:
        abort(404, "There is no form with this name.")


def _readable(form_name: str, submission_id: int) -> tuple[FormDefinition, FormSubmission]:
    definition = _definition(form_name)
    submission = load_readable(current_user, submission_id, form_name)
    if submission is None:
        abort(404)
    return definition, submission


@blp.route("/", methods=["GET"])
@requires("forms.view")
@blp.response(200, FormDefinitionSchema(many=True))
def list_forms() -> Any:
    """Every agency form: its questions, what it attaches to and which agencies write it."""
    return [
        {
            "name": d.name,
            "title": d.title,
            "description": d.description,
            "attaches_to": d.attaches_to,
            "serves": d.serves,
            "writers": sorted(d.writers),
            "fields": describe_fields(d),
        }
        for d in operations.definitions().values()
    ]


@blp.route(SUBMISSIONS, methods=["GET"])
@requires("forms.view")
@blp.arguments(SubmissionListArgs, location="query")
@blp.response(200, SubmissionPageSchema)
@logged("form.list", object_type="form_submission")
def list_submissions(args: dict[str, Any], form_name: str) -> Any:
    """The submissions of this form you may read, latest change first."""
    _definition(form_name)
    query = readable_submissions(current_user).where(FormSubmission.form_name == form_name)
    if "subject_id" in args:
        query = query.where(FormSubmission.subject_id == args["subject_id"])
    page = paginate(
        query.order_by(FormSubmission.updated_at.desc(), FormSubmission.id.desc()),
        args["page"],
        args["page_size"],
    )
    return page


@blp.route(SUBMISSIONS, methods=["POST"])
@requires("forms.write")
@idempotent
@documented_create(blp)
@blp.arguments(SubmissionCreateSchema)
@blp.response(201, SubmissionSchema)
def create_submission(body: dict[str, Any], form_name: str) -> Any:
    """Fill in the form: version 1, owned by your agency. 422 lists each question's message."""
    definition = _definition(form_name)
    if not can_write_form(current_user, definition):
        access_log.record_denied("form.create", object_type="form", object_id=form_name)
        abort(403, f"Only {', '.join(sorted(definition.writers))} agencies fill in this form.")
    try:
        with validation_as_422():
            submission = operations.create(
                definition, body["subject_id"], body["data"], current_user
            )
    except operations.SubjectNotFound:
        db.session.rollback()
        abort(
            422,
            errors={"subject_id": [f"Give the id of a {definition.attaches_to} you can see"]},
        )
    db.session.flush()
    return submission, {
        "Location": url_for(".get_submission", form_name=form_name, submission_id=submission.id),
        "ETag": etag_for(submission),
    }


@blp.route(SUBMISSION, methods=["GET"])
@requires("forms.view")
@blp.response(200, SubmissionSchema)
@logged("form.view", object_type="form_submission", object_id="submission_id")
def get_submission(form_name: str, submission_id: int) -> Any:
    """One submission, its latest answers, if you may read it (404 otherwise)."""
    _, submission = _readable(form_name, submission_id)
    return submission, {"ETag": etag_for(submission)}


@blp.route(SUBMISSION, methods=["PUT"])
@requires("forms.write")
@documented_update(blp)
@blp.arguments(SubmissionUpdateSchema)
@blp.response(200, SubmissionSchema)
def update_submission(body: dict[str, Any], form_name: str, submission_id: int) -> Any:
    """Save every answer as the next version (your agency's submissions only)."""
    definition, submission = _readable(form_name, submission_id)
    if not can_change(current_user, definition, submission):
        access_log.record_denied(
            "form.update", object_type="form_submission", object_id=submission.id
        )
        abort(403, "Only the agency that wrote this form can change it.")
    require_if_match(submission)
    with validation_as_422():
        operations.update(definition, submission, body["data"], current_user)
    db.session.flush()
    return submission, {"ETag": etag_for(submission)}


@blp.route(SUBMISSION + "/versions", methods=["GET"])
@requires("forms.view")
@blp.response(200, VersionSchema(many=True))
@logged("form.versions", object_type="form_submission", object_id="submission_id")
def list_versions(form_name: str, submission_id: int) -> Any:
    """Every version, newest first: who saved it, when, and what changed."""
    _, submission = _readable(form_name, submission_id)
    return operations.versions_of(submission)


@blp.route(SUBMISSION + "/shares", methods=["POST"])
@requires("forms.share")
@idempotent
@documented_create(blp)
@blp.arguments(ShareSchema)
@blp.response(201, ShareSchema)
def share_submission(body: dict[str, Any], form_name: str, submission_id: int) -> Any:
    """Let another agency read this submission (owning agency and safeguarding team)."""
    definition, submission = _readable(form_name, submission_id)
    with validation_as_422():
        return operations.share(definition, submission, body["agency_id"], current_user)
