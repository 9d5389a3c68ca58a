"""/api/v1/concerns: the case record through the API (people and establishments are in
core/people/api.py)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core.api.conventions import (
    Blueprint,
    PageArgs,
    documented_update,
    page_schema,
    paginate,
)
from core.concerns import assessments, listing, operations, schemas
from core.concerns.models import Assessment, Concern, Involvement, SafeguardingEnquiry
from core.concerns.timeline import timeline_of
from core.pipeline import logged, record
from core.policy.cases import annotate
from core.policy.routes import requires
from core.users import seen_by as seen
from core.users.schemas import SeenBySchema

concerns_blp = Blueprint("concerns_api", __name__, url_prefix="/concerns", description="Concerns")
CONCERN = "/<id:concern_id>"


@concerns_blp.route("/", methods=["GET"])
@requires("concerns.view")
@concerns_blp.arguments(schemas.ConcernListArgs, location="query")
@concerns_blp.response(200, schemas.ConcernPageSchema)
@logged("concern.list", object_type="concern")
def list_concerns(args: dict[str, Any]) -> dict[str, Any]:
    """The concerns you may see, filtered and sorted (newest first unless you choose)."""
    page = paginate(listing.listed(current_user, args), args["page"], args["page_size"])
    annotate(page["items"], current_user)
    return page


@concerns_blp.route("/", methods=["POST"])
@requires("concerns.record")
@concerns_blp.arguments(schemas.ConcernCreateSchema)
@concerns_blp.response(201, schemas.ConcernSchema)
def create_concern(data: dict[str, Any]) -> Any:
    """Record a concern. Agency practitioners refer as their own agency and give the
    person's details; the safeguarding team may name an existing person."""
    return operations.refer(data, current_user)


@concerns_blp.route(CONCERN, methods=["GET"])
@requires("concerns.view")
@concerns_blp.response(200, schemas.ConcernSchema)
@logged("concern.view", object_type="concern", object_id="concern_id")
@record("concern")
def get_concern(concern: Concern) -> Any:
    """One concern, if your agency may see it (404 otherwise)."""
    return concern


@concerns_blp.route(CONCERN + "/decision", methods=["POST"])
@requires("concerns.decide")
@concerns_blp.arguments(schemas.DecisionSchema)
@concerns_blp.response(200, schemas.ConcernSchema)
@record("concern")
def decide(data: dict[str, Any], concern: Concern) -> Any:
    """Record the screening decision."""
    operations.decide(concern, data["decision"], data["reason"], current_user)
    return concern


@concerns_blp.route(CONCERN + "/decision/sign-off", methods=["POST"])
@requires("concerns.sign_off")
@concerns_blp.arguments(schemas.SignOffSchema)
@concerns_blp.response(200, schemas.ConcernSchema)
@record("concern")
def sign_off_decision(data: dict[str, Any], concern: Concern) -> Any:
    """Sign off a screening decision awaiting a manager's sign-off, or send it back with
    the reason to be decided again (managers)."""
    operations.review_decision(concern, data["outcome"], data["reason"], current_user)
    return concern


@concerns_blp.route(CONCERN + "/enquiry", methods=["GET"])
@requires("concerns.enquiry")
@concerns_blp.response(200, schemas.EnquirySchema)
@logged("concern.enquiry_view", object_type="concern", object_id="concern_id")
@record("concern")
@record("enquiry")
def get_enquiry(concern: Concern, enquiry: SafeguardingEnquiry) -> Any:
    """The section 42 or other enquiry the screening decision started (404 if none), for
    the safeguarding team."""
    return enquiry


@concerns_blp.route(CONCERN + "/enquiry", methods=["PATCH"])
@requires("concerns.enquiry")
@concerns_blp.arguments(schemas.EnquiryUpdateSchema)
@concerns_blp.response(200, schemas.EnquirySchema)
@documented_update(concerns_blp)
@record("concern")
@record("enquiry")
def update_enquiry(data: dict[str, Any], concern: Concern, enquiry: SafeguardingEnquiry) -> Any:
    """Change an open enquiry, or conclude it with ``concluded_on``; needs If-Match. 422
    names each field outside the SAC's rules (Making Safeguarding Personal, advocacy, the
    result of action taken) or missing to conclude it."""
    operations.record_enquiry(concern, operations.enquiry_values(enquiry) | data, current_user)
    return enquiry


@concerns_blp.route(CONCERN + "/involvements", methods=["POST"])
@requires("concerns.involve")
@concerns_blp.arguments(schemas.InvolvementCreateSchema)
@concerns_blp.response(201, schemas.InvolvementSchema)
@record("concern")
def add_involvement(data: dict[str, Any], concern: Concern) -> Any:
    """Involve an agency in the case, with the reason."""
    return operations.add_involvement(concern, data["agency_id"], data["note"], current_user)


@concerns_blp.route(CONCERN + "/involvements/<id:involvement_id>", methods=["DELETE"])
@requires("concerns.involve")
@concerns_blp.arguments(schemas.RemovalArgs, location="query")
@concerns_blp.response(204)
@record("concern")
@record("involvement")
def remove_involvement(args: dict[str, Any], concern: Concern, involvement: Involvement) -> None:
    """End an agency's involvement; its access ends on its next request."""
    operations.remove_involvement(involvement, args["reason"], current_user)


@concerns_blp.route(CONCERN + "/involvements/<id:involvement_id>", methods=["PATCH"])
@requires("concerns.involve")
@concerns_blp.arguments(schemas.InvolvementLevelSchema)
@concerns_blp.response(200, schemas.InvolvementSchema)
@record("concern")
@record("involvement")
def set_involvement_level(data: dict[str, Any], concern: Concern, involvement: Involvement) -> Any:
    """Change how much of the case the agency sees: ``full``, ``contributor`` (what its
    part needs) or ``implicated`` (it is, or employs, the alleged source of risk: only
    what it submitted and the actions it owns), with the reason; from its next request."""
    return operations.set_involvement_level(
        concern, involvement, data["level"], data["reason"], current_user
    )


@concerns_blp.route(CONCERN + "/closure", methods=["POST"])
@requires("concerns.close")
@concerns_blp.arguments(schemas.ClosureSchema)
@concerns_blp.response(200, schemas.ConcernSchema)
@record("concern")
def close_concern(data: dict[str, Any], concern: Concern) -> Any:
    """Close with the outcome, Making Safeguarding Personal and feedback (422 lists what
    is missing)."""
    operations.close(concern, data, current_user)
    return concern


@concerns_blp.route(CONCERN + "/assessments", methods=["GET"])
@requires("concerns.view")
@concerns_blp.response(200, schemas.AssessmentSchema(many=True))
@logged("assessment.list", object_type="concern", object_id="concern_id")
@record("child_case", "assessments")
def list_assessments(child_case: Concern) -> Any:
    """A child's assessments, each with its 45-working-day due date and its factors."""
    return assessments.assessments_of(child_case)


@concerns_blp.route(CONCERN + "/assessments", methods=["POST"])
@requires("concerns.assess")
@concerns_blp.arguments(schemas.StartAssessmentSchema)
@concerns_blp.response(201, schemas.AssessmentSchema)
@record("child_case")
def start_assessment(data: dict[str, Any], child_case: Concern) -> Any:
    """Start an assessment of a child's case (one open at a time)."""
    return assessments.start_assessment(child_case, data, current_user)


@concerns_blp.route(CONCERN + "/assessments/<id:assessment_id>/conclusion", methods=["POST"])
@requires("concerns.authorise_assessment")
@concerns_blp.arguments(schemas.ConcludeAssessmentSchema)
@concerns_blp.response(200, schemas.AssessmentSchema)
@record("child_case")
@record("assessment")
def conclude_assessment(data: dict[str, Any], child_case: Concern, assessment: Assessment) -> Any:
    """A manager concludes (authorises) the assessment with the factors identified."""
    return assessments.conclude_assessment(assessment, data, current_user)


@concerns_blp.route(CONCERN + "/reopen", methods=["POST"])
@requires("concerns.close")
@concerns_blp.arguments(schemas.ReopenSchema)
@concerns_blp.response(200, schemas.ConcernSchema)
@record("concern")
def reopen_concern(data: dict[str, Any], concern: Concern) -> Any:
    """Reopen a closed concern, with the reason."""
    operations.reopen(concern, data["reason"], current_user)
    return concern


@concerns_blp.route(CONCERN + "/notes", methods=["GET"])
@requires("concerns.view")
@concerns_blp.response(200, schemas.NoteSchema(many=True))
@logged("concern.notes", object_type="concern", object_id="concern_id")
@record("concern", "notes")
def list_notes(concern: Concern) -> Any:
    """The case notes, newest first."""
    return operations.notes_of(concern)


@concerns_blp.route(CONCERN + "/notes", methods=["POST"])
@requires("concerns.note")
@concerns_blp.arguments(schemas.NoteSchema)
@concerns_blp.response(201, schemas.NoteSchema)
@record("concern", "notes")
def add_note(data: dict[str, Any], concern: Concern) -> Any:
    """Add a case note; flag key decisions. A ``restriction`` keeps the text to the
    safeguarding team, your agency and the agencies in ``reader_agency_ids``."""
    return operations.add_note(
        concern,
        data["text"],
        bool(data["key_decision"]),
        current_user,
        data["restriction"],
        data["reader_agency_ids"],
    )


@concerns_blp.route(CONCERN + "/timeline", methods=["GET"])
@requires("concerns.view")
@concerns_blp.response(200, schemas.TimelineEntrySchema(many=True))
@logged("concern.timeline", object_type="concern", object_id="concern_id")
@record("concern", "timeline")
def get_timeline(concern: Concern) -> Any:
    """The case's timeline, newest first, as the case page shows it to you (an agency
    form's entry only where you may read the form)."""
    return [
        {"occurred_at": e.occurred_at, "kind": e.kind, "summary": e.summary, "by": name}
        for e, name in timeline_of(concern, current_user)
    ]


@concerns_blp.route(CONCERN + "/team", methods=["PUT"])
@requires("concerns.team")
@concerns_blp.arguments(schemas.CaseTeamSchema)
@concerns_blp.response(200, schemas.ConcernSchema)
@record("concern")
def set_team(data: dict[str, Any], concern: Concern) -> Any:
    """Change the team holding the case and the area it is in (null: not recorded); on the
    case's timeline."""
    return operations.set_team(concern, data, current_user)


@concerns_blp.route(CONCERN + "/hate-crime", methods=["PUT"])
@requires("concerns.hate_crime")
@concerns_blp.arguments(schemas.HateCrimeSchema)
@concerns_blp.response(200, schemas.ConcernSchema)
@record("concern")
def set_hate_crime(data: dict[str, Any], concern: Concern) -> Any:
    """Record or correct whether the concern is a hate or mate crime (``hate``, ``mate`` or
    null) and the monitored strands of the hostility (at least one with it, none without)."""
    return operations.set_hate_crime(concern, data, current_user)


@concerns_blp.route(CONCERN + "/legal-hold", methods=["PUT"])
@requires("concerns.delete")
@concerns_blp.arguments(schemas.LegalHoldSchema)
@concerns_blp.response(200, schemas.ConcernSchema)
@record("concern")
def legal_hold(data: dict[str, Any], concern: Concern) -> Any:
    """Place or lift a legal hold (managers)."""
    operations.set_legal_hold(concern, data["reason"], current_user)
    return concern


@concerns_blp.route(CONCERN, methods=["DELETE"])
@requires("concerns.delete")
@concerns_blp.arguments(schemas.RemovalArgs, location="query")
@concerns_blp.response(204)
@record("concern")
def delete_concern(args: dict[str, Any], concern: Concern) -> None:
    """Soft-delete a concern with the reason (managers); refused under a legal hold."""
    operations.delete(concern, args["reason"], current_user)


clusters_blp = Blueprint(
    "clusters_api", __name__, url_prefix="/clusters", description="Establishment clusters"
)


@clusters_blp.route("/", methods=["GET"])
@requires("clusters.view")
@clusters_blp.response(200, schemas.ClusterSchema(many=True))
@logged("cluster.list", object_type="establishment")
def list_clusters() -> Any:
    """Establishments with several concerns in a short window (default 3 in 90 days)."""
    return operations.clusters(*operations.cluster_settings())


handover_blp = Blueprint(
    "handover_api", __name__, url_prefix="/handover", description="Out-of-hours handover"
)


@handover_blp.route("", methods=["GET"])
@requires("handover.accept")
@handover_blp.response(200, schemas.PendingHandoverSchema)
@logged("handover.view", object_type="handover")
def get_handover() -> Any:
    """The out-of-hours concerns received since the last accepted handover, oldest first,
    and that handover."""
    previous, concerns, _ = operations.pending_handover()
    return {"previous": previous, "concerns": annotate(concerns, current_user)}


@handover_blp.route("", methods=["POST"])
@requires("handover.accept")
@handover_blp.response(201, schemas.HandoverSchema)
def accept_handover() -> Any:
    """Accept the handover: the day team takes the out-of-hours concerns listed now."""
    return operations.accept_handover(current_user)


@concerns_blp.route(CONCERN + "/seen-by", methods=["GET"])
@requires("concerns.seen_by")
@concerns_blp.arguments(PageArgs, location="query")
@concerns_blp.response(200, page_schema(SeenBySchema))
@logged("concern.seen_by", object_type="concern", object_id="concern_id")
@record("concern")
def get_seen_by(args: dict[str, Any], concern: Concern) -> Any:
    """Who has seen or changed the case and its person, newest first, from the access log
    (safeguarding managers): the page "Who has seen this case" and its CSV."""
    query = seen.entries_about(seen.case_records(concern))
    return paginate(query, args["page"], args["page_size"], scalars=False)
