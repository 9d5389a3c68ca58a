"""/api/v1/concerns: the case record through the API (people and establishments are in
core/people/api.py)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from core.api.conventions import (
    documented_create,
    documented_update,
    etag_for,
    idempotent,
    paginate,
    require_if_match,
    validation_as_422,
)
from core.api.problems import abort
from core.concerns import assessments, listing, operations
from core.concerns.models import Concern, Involvement
from core.concerns.schemas import (
    AssessmentSchema,
    ClosureSchema,
    ClusterSchema,
    ConcernCreateSchema,
    ConcernListArgs,
    ConcernPageSchema,
    ConcernSchema,
    ConcludeAssessmentSchema,
    DecisionSchema,
    EnquirySchema,
    EnquiryUpdateSchema,
    HandoverSchema,
    InvolvementCreateSchema,
    InvolvementSchema,
    LegalHoldSchema,
    NoteSchema,
    PendingHandoverSchema,
    RemovalArgs,
    ReopenSchema,
    SignOffSchema,
    StartAssessmentSchema,
    TimelineEntrySchema,
)
from core.concerns.timeline import timeline_of
from core.errors import ValidationFailed
from core.extensions import db
from core.people import operations as people
from core.people.models import Person
from core.pipeline import logged
from core.policy.cases import annotate, is_case_team, load_visible_concern, visible_concerns
from core.policy.routes import requires

concerns_blp = Blueprint("concerns_api", __name__, url_prefix="/concerns", description="Concerns")
ID = "<int(min=1, max=2147483647):{}>"


# --- Concerns ---------------------------------------------------------------------------


def _dump(concern: Concern) -> Concern:
    """Attach what the response shows beyond the row: visible repeats, active involvement."""
    return annotate([concern], current_user)[0]


def _visible_or_404(concern_id: int) -> Concern:
    concern = load_visible_concern(current_user, concern_id)
    if concern is None:
        abort(404)
    return concern


@concerns_blp.route("/", methods=["GET"])
@requires("concerns.view")
@concerns_blp.arguments(ConcernListArgs, location="query")
@concerns_blp.response(200, ConcernPageSchema)
@logged("concern.list", object_type="concern")
def list_concerns(args: dict[str, Any]) -> dict[str, Any]:
    """The concerns you may see, filtered and sorted (newest first unless you choose)."""
    query = listing.ordered(listing.filtered(visible_concerns(current_user), args), args).options(
        selectinload(Concern.person), selectinload(Concern.risk_types)
    )
    page = paginate(query, args["page"], args["page_size"])
    annotate(page["items"], current_user)
    return page


@concerns_blp.route("/", methods=["POST"])
@requires("concerns.record")
@idempotent
@documented_create(concerns_blp)
@concerns_blp.arguments(ConcernCreateSchema)
@concerns_blp.response(201, ConcernSchema)
def create_concern(data: dict[str, Any]) -> Any:
    """Record a concern. Agency practitioners refer as their own agency and give the
    person's details; the safeguarding team may name an existing person."""
    team = is_case_team(current_user)
    errors: dict[str, list[str]] = {}
    if not team:
        if data.get("referrer_agency_id") not in (None, current_user.agency_id):
            errors["referrer_agency_id"] = ["You can only refer a concern as your own agency"]
        if data.get("person_id") is not None:
            errors["person_id"] = [
                "Give the person's details; only the safeguarding team links records"
            ]
        data["referrer_agency_id"] = current_user.agency_id
    if data.get("person_id") is not None and data.get("person") is not None:
        errors["person"] = ["Give either person_id or person, not both"]
    if errors:
        abort(422, errors=errors)
    with validation_as_422():
        person = _person_for(data.pop("person_id"), data.pop("person"))
        concern = operations.record_concern(data, person, current_user)
    db.session.flush()
    return _dump(concern), {
        "Location": url_for(".get_concern", concern_id=concern.id),
        "ETag": etag_for(concern),
    }


def _person_for(person_id: int | None, details: dict[str, Any] | None) -> Person | None:
    if person_id is not None:
        person = db.session.get(Person, person_id)
        if person is None:
            raise ValidationFailed.single("person_id", "There is no person with this id")
        if person.merged_into_id is not None:
            kept = people.survivor_of(person).id
            raise ValidationFailed.single(
                "person_id", f"This record was merged into record {kept}: use that id"
            )
        return person
    if details is not None:
        return people.create_person(details)
    return None


@concerns_blp.route("/" + ID.format("concern_id"), methods=["GET"])
@requires("concerns.view")
@concerns_blp.response(200, ConcernSchema)
@logged("concern.view", object_type="concern", object_id="concern_id")
def get_concern(concern_id: int) -> Any:
    """One concern, if your agency may see it (404 otherwise)."""
    concern = _visible_or_404(concern_id)
    return _dump(concern), {"ETag": etag_for(concern)}


@concerns_blp.route("/" + ID.format("concern_id") + "/decision", methods=["POST"])
@requires("concerns.decide")
@concerns_blp.arguments(DecisionSchema)
@concerns_blp.response(200, ConcernSchema)
def decide(data: dict[str, Any], concern_id: int) -> Any:
    """Record the screening decision."""
    concern = _visible_or_404(concern_id)
    with validation_as_422():
        operations.decide(concern, data["decision"], data["reason"], current_user)
    db.session.flush()
    return _dump(concern), {"ETag": etag_for(concern)}


@concerns_blp.route("/" + ID.format("concern_id") + "/decision/sign-off", methods=["POST"])
@requires("concerns.sign_off")
@concerns_blp.arguments(SignOffSchema)
@concerns_blp.response(200, ConcernSchema)
def sign_off_decision(data: dict[str, Any], concern_id: int) -> Any:
    """Sign off a screening decision awaiting a manager's sign-off, or send it back with
    the reason to be decided again (managers)."""
    concern = _visible_or_404(concern_id)
    with validation_as_422():
        operations.review_decision(concern, data["outcome"], data["reason"], current_user)
    db.session.flush()
    return _dump(concern), {"ETag": etag_for(concern)}


def _enquiry_or_404(concern_id: int) -> Concern:
    concern = _visible_or_404(concern_id)
    if operations.enquiry_of(concern) is None:
        abort(404)
    return concern


@concerns_blp.route("/" + ID.format("concern_id") + "/enquiry", methods=["GET"])
@requires("concerns.enquiry")
@concerns_blp.response(200, EnquirySchema)
@logged("concern.enquiry_view", object_type="concern", object_id="concern_id")
def get_enquiry(concern_id: int) -> Any:
    """The section 42 or other enquiry the screening decision started (404 if none), for
    the safeguarding team."""
    concern = _enquiry_or_404(concern_id)
    return concern.enquiry, {"ETag": etag_for(concern.enquiry)}


@concerns_blp.route("/" + ID.format("concern_id") + "/enquiry", methods=["PATCH"])
@requires("concerns.enquiry")
@concerns_blp.arguments(EnquiryUpdateSchema)
@concerns_blp.response(200, EnquirySchema)
@documented_update(concerns_blp)
def update_enquiry(data: dict[str, Any], concern_id: int) -> Any:
    """Change an open enquiry, or conclude it with ``concluded_on``; needs If-Match. 422
    names each field outside the SAC's rules (Making Safeguarding Personal, advocacy, the
    result of action taken) or missing to conclude it."""
    concern = _enquiry_or_404(concern_id)
    enquiry = concern.enquiry
    assert enquiry is not None
    require_if_match(enquiry)
    with validation_as_422():
        operations.record_enquiry(concern, operations.enquiry_values(enquiry) | data, current_user)
    db.session.flush()
    return enquiry, {"ETag": etag_for(enquiry)}


@concerns_blp.route("/" + ID.format("concern_id") + "/involvements", methods=["POST"])
@requires("concerns.involve")
@idempotent
@documented_create(concerns_blp)
@concerns_blp.arguments(InvolvementCreateSchema)
@concerns_blp.response(201, InvolvementSchema)
def add_involvement(data: dict[str, Any], concern_id: int) -> Any:
    """Involve an agency in the case, with the reason."""
    concern = _visible_or_404(concern_id)
    with validation_as_422():
        involvement = operations.add_involvement(
            concern, data["agency_id"], data["note"], current_user
        )
    return involvement


@concerns_blp.route(
    "/" + ID.format("concern_id") + "/involvements/" + ID.format("involvement_id"),
    methods=["DELETE"],
)
@requires("concerns.involve")
@concerns_blp.arguments(RemovalArgs, location="query")
@concerns_blp.response(204)
def remove_involvement(args: dict[str, Any], concern_id: int, involvement_id: int) -> None:
    """End an agency's involvement; its access ends on its next request."""
    concern = _visible_or_404(concern_id)
    involvement = db.session.get(Involvement, involvement_id)
    if involvement is None or involvement.concern_id != concern.id:
        abort(404)
    with validation_as_422():
        operations.remove_involvement(involvement, args["reason"], current_user)


@concerns_blp.route("/" + ID.format("concern_id") + "/closure", methods=["POST"])
@requires("concerns.close")
@concerns_blp.arguments(ClosureSchema)
@concerns_blp.response(200, ConcernSchema)
def close_concern(data: dict[str, Any], concern_id: int) -> Any:
    """Close with the outcome, Making Safeguarding Personal and feedback (422 lists what
    is missing)."""
    concern = _visible_or_404(concern_id)
    with validation_as_422():
        operations.close(concern, data, current_user)
    db.session.flush()
    return _dump(concern)


def _child_case_or_404(concern_id: int) -> Concern:
    concern = _visible_or_404(concern_id)
    if not assessments.assessable(concern):
        abort(404)
    return concern


@concerns_blp.route("/" + ID.format("concern_id") + "/assessments", methods=["GET"])
@requires("concerns.view")
@concerns_blp.response(200, AssessmentSchema(many=True))
@logged("assessment.list", object_type="concern", object_id="concern_id")
def list_assessments(concern_id: int) -> Any:
    """A child's assessments, each with its 45-working-day due date and its factors."""
    return assessments.assessments_of(_child_case_or_404(concern_id))


@concerns_blp.route("/" + ID.format("concern_id") + "/assessments", methods=["POST"])
@requires("concerns.assess")
@concerns_blp.arguments(StartAssessmentSchema)
@concerns_blp.response(201, AssessmentSchema)
def start_assessment(data: dict[str, Any], concern_id: int) -> Any:
    """Start an assessment of a child's case (one open at a time)."""
    concern = _child_case_or_404(concern_id)
    with validation_as_422():
        return assessments.start_assessment(concern, data, current_user)


@concerns_blp.route(
    "/" + ID.format("concern_id") + "/assessments/" + ID.format("assessment_id") + "/conclusion",
    methods=["POST"],
)
@requires("concerns.authorise_assessment")
@concerns_blp.arguments(ConcludeAssessmentSchema)
@concerns_blp.response(200, AssessmentSchema)
def conclude_assessment(data: dict[str, Any], concern_id: int, assessment_id: int) -> Any:
    """A manager concludes (authorises) the assessment with the factors identified."""
    concern = _child_case_or_404(concern_id)
    assessment = assessments.load_assessment(concern, assessment_id)
    if assessment is None:
        abort(404)
    with validation_as_422():
        return assessments.conclude_assessment(assessment, data, current_user)


@concerns_blp.route("/" + ID.format("concern_id") + "/reopen", methods=["POST"])
@requires("concerns.close")
@concerns_blp.arguments(ReopenSchema)
@concerns_blp.response(200, ConcernSchema)
def reopen_concern(data: dict[str, Any], concern_id: int) -> Any:
    """Reopen a closed concern, with the reason."""
    concern = _visible_or_404(concern_id)
    with validation_as_422():
        operations.reopen(concern, data["reason"], current_user)
    db.session.flush()
    return _dump(concern)


clusters_blp = Blueprint(
    "clusters_api", __name__, url_prefix="/clusters", description="Establishment clusters"
)


@clusters_blp.route("/", methods=["GET"])
@requires("clusters.view")
@clusters_blp.response(200, ClusterSchema(many=True))
@logged("cluster.list", object_type="establishment")
def list_clusters() -> Any:
    """Establishments with several concerns in a short window (default 3 in 90 days)."""
    minimum, days = operations.cluster_settings()
    return [
        {
            "establishment_id": e.id,
            "establishment_name": e.name,
            "kind": e.kind.value,
            "concerns": count,
            "latest_received_at": latest,
            "window_days": days,
        }
        for e, count, latest in operations.clusters(minimum, days)
    ]


@concerns_blp.route("/" + ID.format("concern_id") + "/notes", methods=["GET"])
@requires("concerns.view")
@concerns_blp.response(200, NoteSchema(many=True))
@logged("concern.notes", object_type="concern", object_id="concern_id")
def list_notes(concern_id: int) -> Any:
    """The case notes, newest first."""
    concern = _visible_or_404(concern_id)
    return operations.notes_of(concern)


@concerns_blp.route("/" + ID.format("concern_id") + "/timeline", methods=["GET"])
@requires("concerns.view")
@concerns_blp.response(200, TimelineEntrySchema(many=True))
@logged("concern.timeline", object_type="concern", object_id="concern_id")
def get_timeline(concern_id: int) -> Any:
    """The case's timeline, newest first, as the case page shows it to you (an agency
    form's entry only where you may read the form)."""
    concern = _visible_or_404(concern_id)
    return [
        {"occurred_at": e.occurred_at, "kind": e.kind, "summary": e.summary, "by": name}
        for e, name in timeline_of(concern, current_user)
    ]


handover_blp = Blueprint(
    "handover_api", __name__, url_prefix="/handover", description="Out-of-hours handover"
)


@handover_blp.route("", methods=["GET"])
@requires("handover.accept")
@handover_blp.response(200, PendingHandoverSchema)
@logged("handover.view", object_type="handover")
def get_handover() -> Any:
    """The out-of-hours concerns received since the last accepted handover, oldest first,
    and that handover."""
    previous, concerns, _ = operations.pending_handover()
    return {"previous": previous, "concerns": annotate(concerns, current_user)}


@handover_blp.route("", methods=["POST"])
@requires("handover.accept")
@handover_blp.response(201, HandoverSchema)
def accept_handover() -> Any:
    """Accept the handover: the day team takes the out-of-hours concerns listed now."""
    return operations.accept_handover(current_user)


@concerns_blp.route("/" + ID.format("concern_id") + "/notes", methods=["POST"])
@requires("concerns.note")
@idempotent
@documented_create(concerns_blp)
@concerns_blp.arguments(NoteSchema)
@concerns_blp.response(201, NoteSchema)
def add_note(data: dict[str, Any], concern_id: int) -> Any:
    """Add a case note; flag key decisions."""
    concern = _visible_or_404(concern_id)
    with validation_as_422():
        return operations.add_note(concern, data["text"], data["key_decision"], current_user)


@concerns_blp.route("/" + ID.format("concern_id") + "/legal-hold", methods=["PUT"])
@requires("concerns.delete")
@concerns_blp.arguments(LegalHoldSchema)
@concerns_blp.response(200, ConcernSchema)
def legal_hold(data: dict[str, Any], concern_id: int) -> Any:
    """Place or lift a legal hold (managers)."""
    concern = _visible_or_404(concern_id)
    with validation_as_422():
        operations.set_legal_hold(concern, data["reason"], current_user)
    db.session.flush()
    return _dump(concern)


@concerns_blp.route("/" + ID.format("concern_id"), methods=["DELETE"])
@requires("concerns.delete")
@concerns_blp.arguments(RemovalArgs, location="query")
@concerns_blp.response(204)
def delete_concern(args: dict[str, Any], concern_id: int) -> None:
    """Soft-delete a concern with the reason (managers); refused under a legal hold."""
    concern = _visible_or_404(concern_id)
    with validation_as_422():
        operations.delete(concern, args["reason"], current_user)
