"""/api/v1/forms: the agency forms and their submissions (see docs/api.md)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core.agency_forms import operations
from core.agency_forms.models import FormShare, FormSubmission
from core.agency_forms.registry import describe_fields
from core.agency_forms.schemas import (
    CaseFormSchema,
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
    Blueprint,
    documented_update,
    paginate,
    validation_as_422,
)
from core.concerns.models import Concern
from core.errors import ValidationFailed
from core.pipeline import logged, record
from core.policy.forms import readable_submissions
from core.policy.routes import requires
from plugins.forms import FormDefinition

blp = Blueprint("forms_api", __name__, url_prefix="/forms", description="Agency forms")
FORM = "/<form_name>"
SUBMISSIONS = FORM + "/submissions"
SUBMISSION = SUBMISSIONS + "/<id:submission_id>"


def _described(definition: FormDefinition) -> dict[str, Any]:
    return {
        "name": definition.name,
        "title": definition.title,
        "description": definition.description,
        "attaches_to": definition.attaches_to,
        "serves": definition.serves,
        "writers": sorted(definition.writers),
        "fields": describe_fields(definition),
    }


@blp.get("/", "forms.view", None, FormDefinitionSchema(many=True))
def list_forms() -> Any:
    """Every agency form: its questions, what it attaches to and which agencies write it."""
    return [_described(definition) for definition in operations.definitions().values()]


@blp.route(FORM, methods=["GET"])
@requires("forms.view")
@record("form")
@blp.response(200, FormDefinitionSchema)
def get_form(form: FormDefinition) -> Any:
    """One agency form: its questions (labels, hints, choices, limits), what it attaches to
    and which agencies write it; what the form's page shows before it is filled in."""
    return _described(form)


@blp.get(SUBMISSIONS, "forms.view", SubmissionListArgs, SubmissionPageSchema)
@record("form")
@logged("form.list", object_type="form_submission")
def list_submissions(args: dict[str, Any], form: FormDefinition) -> Any:
    """The submissions of this form you may read, latest change first."""
    query = readable_submissions(current_user).where(FormSubmission.form_name == form.name)
    if "subject_id" in args:
        query = query.where(FormSubmission.subject_id == args["subject_id"])
    return paginate(
        query.order_by(FormSubmission.updated_at.desc(), FormSubmission.id.desc()),
        args["page"],
        args["page_size"],
    )


@blp.route("/cases/<id:concern_id>", methods=["GET"])
@requires("forms.view")
@record("concern", "forms")
@blp.response(200, CaseFormSchema(many=True))
@logged("concern.forms", object_type="concern", object_id="concern")
def case_forms(concern: Concern) -> Any:
    """The agency forms about a case you may read (the case page's panel), latest change
    first; then the restricted ones you may not read, as ``readable: false`` with their
    date and agency only (none for an agency the case implicates)."""
    return operations.case_forms(concern, current_user)


@blp.route(SUBMISSIONS, methods=["POST"])
@requires("forms.write")
@record("form", "create")
@blp.arguments(SubmissionCreateSchema)
@blp.response(201, SubmissionSchema)
def create_submission(body: dict[str, Any], form: FormDefinition) -> Any:
    """Fill in the form: version 1, owned by your agency (403 unless your agency is one of
    its writers). 422 lists each question's message."""
    with validation_as_422():
        try:
            return operations.create(
                form, body["subject_id"], body["data"], current_user, body["restriction"]
            )
        except operations.SubjectNotFound:
            raise ValidationFailed.single(
                "subject_id", f"Give the id of a {form.attaches_to} you can see"
            ) from None


@blp.route(SUBMISSION, methods=["GET"])
@requires("forms.view")
@record("form")
@record("form_submission", argument="submission")
@blp.response(200, SubmissionSchema)
@logged("form.view", object_type="form_submission", object_id="form_submission")
def get_submission(form: FormDefinition, submission: FormSubmission) -> Any:
    """One submission, its latest answers, if you may read it (404 otherwise)."""
    return submission


@blp.put(SUBMISSION, "forms.write", SubmissionUpdateSchema, SubmissionSchema)
@documented_update(blp)
@record("form")
@record("form_submission", "update", argument="submission")
def update_submission(
    body: dict[str, Any], form: FormDefinition, submission: FormSubmission
) -> Any:
    """Save every answer as the next version (your agency's submissions only: 403 else)."""
    with validation_as_422():
        operations.update(
            form,
            submission,
            body["data"],
            current_user,
            restriction=body.get("restriction", operations.KEEP),
        )
    return submission


@blp.route(SUBMISSION + "/versions", methods=["GET"])
@requires("forms.view")
@record("form")
@record("form_submission", argument="submission")
@blp.response(200, VersionSchema(many=True))
@logged("form.versions", object_type="form_submission", object_id="form_submission")
def list_versions(form: FormDefinition, submission: FormSubmission) -> Any:
    """Every version, newest first: who saved it, when, and what changed."""
    return operations.versions_of(submission)


@blp.route(SUBMISSION + "/shares", methods=["GET"])
@requires("forms.view")
@record("form")
@record("form_submission", argument="submission")
@blp.response(200, ShareSchema(many=True))
@logged("form.shares", object_type="form_submission", object_id="form_submission")
def list_shares(form: FormDefinition, submission: FormSubmission) -> Any:
    """The agencies the submission is shared with now, as its page lists them."""
    return operations.shares_of(submission)


@blp.route(SUBMISSION + "/shares", methods=["POST"])
@requires("forms.share")
@record("form")
@record("form_submission", argument="submission")
@blp.arguments(ShareSchema)
@blp.response(201, ShareSchema)
def share_submission(body: dict[str, Any], form: FormDefinition, submission: FormSubmission) -> Any:
    """Let another agency read this submission (owning agency and safeguarding team)."""
    with validation_as_422():
        return operations.share(form, submission, body["agency_id"], current_user)


@blp.route(SUBMISSION + "/shares/<id:share_id>", methods=["DELETE"])
@requires("forms.share")
@record("form")
@record("form_submission", argument="submission")
@record("form_share", argument="shared")
@blp.response(204)
def withdraw_share(form: FormDefinition, submission: FormSubmission, shared: FormShare) -> Any:
    """Stop sharing the submission with that agency (as the page's "Stop sharing"): 404 for a
    share that does not hold, 422 when you may not decide who reads it."""
    with validation_as_422():
        operations.withdraw_share(form, submission, shared, current_user)
