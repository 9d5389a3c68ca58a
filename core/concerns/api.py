"""/api/v1/concerns: the case record through the API (people and establishments are in
core/people/api.py)."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_login import current_user

from core.api.conventions import Blueprint, PageArgs, documented_update, page_schema, paginate
from core.concerns import assessments, listing, operations, schemas
from core.concerns.models import Assessment, Concern, Involvement, SafeguardingEnquiry
from core.concerns.needs import levels_of_need
from core.concerns.oversight_schemas import (
    BodyMapMarkSchema,
    SupervisionSchema,
    WithoutOversightSchema,
)
from core.concerns.timeline import timeline_of
from core.pipeline import logged, reads, record
from core.policy.cases import annotate
from core.users import seen_by as seen
from core.users.schemas import SeenBySchema

blp = Blueprint("concerns_api", __name__, url_prefix="/concerns", description="Concerns")
needs_blp = Blueprint(
    "levels_of_need_api", __name__, url_prefix="/levels-of-need", description="Levels of need"
)
CONCERN = "/<id:concern_id>"


@blp.get("/", "concerns.view", schemas.ConcernListArgs, schemas.ConcernPageSchema)
@logged("concern.list", object_type="concern")
def list_concerns(args: dict[str, Any]) -> dict[str, Any]:
    """The concerns you may see, filtered and sorted (newest first unless you choose)."""
    page = paginate(listing.listed(current_user, args), args["page"], args["page_size"])
    annotate(page["items"], current_user)
    return page


@blp.post("/", "concerns.record", schemas.ConcernCreateSchema, schemas.ConcernSchema, status=201)
def create_concern(data: dict[str, Any]) -> Any:
    """Record a concern. Agency practitioners refer as their own agency and give the
    person's details; the safeguarding team may name an existing person."""
    return operations.refer(data, current_user)


@blp.get(CONCERN, "concerns.view", None, schemas.ConcernSchema)
@reads("concern.view", "concern")
def get_concern(concern: Concern) -> Any:
    """One concern, if your agency may see it (404 otherwise)."""
    return concern


@blp.post(CONCERN + "/decision", "concerns.decide", schemas.DecisionSchema, schemas.ConcernSchema)
@record("concern")
def decide(data: dict[str, Any], concern: Concern) -> Any:
    """Record the screening decision."""
    operations.decide(concern, data["decision"], data["reason"], current_user)
    return concern


@blp.post(
    CONCERN + "/decision/sign-off",
    "concerns.sign_off",
    schemas.SignOffSchema,
    schemas.ConcernSchema,
)
@record("concern")
def sign_off_decision(data: dict[str, Any], concern: Concern) -> Any:
    """Sign off a screening decision awaiting a manager's sign-off, or send it back with
    the reason to be decided again (managers)."""
    operations.review_decision(concern, data["outcome"], data["reason"], current_user)
    return concern


@blp.get(CONCERN + "/enquiry", "concerns.enquiry", None, schemas.EnquirySchema)
@reads("concern.enquiry_view", "concern")
@record("enquiry")
def get_enquiry(concern: Concern, enquiry: SafeguardingEnquiry) -> Any:
    """The section 42 or other enquiry the screening decision started (404 if none), for
    the safeguarding team."""
    return enquiry


@blp.patch(
    CONCERN + "/enquiry", "concerns.enquiry", schemas.EnquiryUpdateSchema, schemas.EnquirySchema
)
@documented_update(blp)
@record("concern")
@record("enquiry")
def update_enquiry(data: dict[str, Any], concern: Concern, enquiry: SafeguardingEnquiry) -> Any:
    """Change an open enquiry, or conclude it with ``concluded_on``; needs If-Match. 422
    names each field outside the SAC's rules (Making Safeguarding Personal, advocacy, the
    result of action taken) or missing to conclude it."""
    operations.record_enquiry(concern, operations.enquiry_values(enquiry) | data, current_user)
    return enquiry


@blp.post(
    CONCERN + "/involvements",
    "concerns.involve",
    schemas.InvolvementCreateSchema,
    schemas.InvolvementSchema,
    status=201,
)
@record("concern")
def add_involvement(data: dict[str, Any], concern: Concern) -> Any:
    """Involve an agency in the case, with the reason."""
    return operations.add_involvement(concern, data["agency_id"], data["note"], current_user)


@blp.delete(CONCERN + "/involvements/<id:involvement_id>", "concerns.involve", schemas.RemovalArgs)
@record("concern")
@record("involvement")
def remove_involvement(args: dict[str, Any], concern: Concern, involvement: Involvement) -> None:
    """End an agency's involvement; its access ends on its next request."""
    operations.remove_involvement(involvement, args["reason"], current_user)


@blp.patch(
    CONCERN + "/involvements/<id:involvement_id>",
    "concerns.involve",
    schemas.InvolvementLevelSchema,
    schemas.InvolvementSchema,
)
@record("concern")
@record("involvement")
def set_involvement_level(data: dict[str, Any], concern: Concern, involvement: Involvement) -> Any:
    """Change how much of the case the agency sees: ``full``, ``contributor`` (what its
    part needs) or ``implicated`` (it is, or employs, the alleged source of risk: only
    what it submitted and the actions it owns), with the reason; from its next request."""
    level, reason = data["level"], data["reason"]
    return operations.set_involvement_level(concern, involvement, level, reason, current_user)


@blp.post(CONCERN + "/closure", "concerns.close", schemas.ClosureSchema, schemas.ConcernSchema)
@record("concern")
def close_concern(data: dict[str, Any], concern: Concern) -> Any:
    """Close with the outcome, Making Safeguarding Personal and feedback (422 lists what
    is missing)."""
    operations.close(concern, data, current_user)
    return concern


@blp.get(CONCERN + "/assessments", "concerns.view", None, schemas.AssessmentSchema(many=True))
@reads("assessment.list", "child_case", "assessments", object_type="concern")
def list_assessments(child_case: Concern) -> Any:
    """A child's assessments, each with its 45-working-day due date and its factors."""
    return assessments.assessments_of(child_case)


@blp.post(
    CONCERN + "/assessments",
    "concerns.assess",
    schemas.StartAssessmentSchema,
    schemas.AssessmentSchema,
    status=201,
)
@record("child_case")
def start_assessment(data: dict[str, Any], child_case: Concern) -> Any:
    """Start an assessment of a child's case (one open at a time)."""
    return assessments.start_assessment(child_case, data, current_user)


@blp.post(
    CONCERN + "/assessments/<id:assessment_id>/conclusion",
    "concerns.authorise_assessment",
    schemas.ConcludeAssessmentSchema,
    schemas.AssessmentSchema,
)
@record("child_case")
@record("assessment")
def conclude_assessment(data: dict[str, Any], child_case: Concern, assessment: Assessment) -> Any:
    """A manager concludes (authorises) the assessment with the factors identified."""
    return assessments.conclude_assessment(assessment, data, current_user)


@blp.post(CONCERN + "/reopen", "concerns.close", schemas.ReopenSchema, schemas.ConcernSchema)
@record("concern")
def reopen_concern(data: dict[str, Any], concern: Concern) -> Any:
    """Reopen a closed concern, with the reason."""
    operations.reopen(concern, data["reason"], current_user)
    return concern


@blp.get(CONCERN + "/notes", "concerns.view", None, schemas.NoteSchema(many=True))
@reads("concern.notes", "concern", "notes")
def list_notes(concern: Concern) -> Any:
    """The case notes, newest first."""
    return operations.notes_of(concern)


@blp.post(CONCERN + "/notes", "concerns.note", schemas.NoteSchema, schemas.NoteSchema, status=201)
@record("concern", "notes")
def add_note(data: dict[str, Any], concern: Concern) -> Any:
    """Add a case note; flag key decisions. A ``restriction`` keeps the text to the
    safeguarding team, your agency and the agencies in ``reader_agency_ids``."""
    text, key_decision = data["text"], bool(data["key_decision"])
    restriction, readers = data["restriction"], data["reader_agency_ids"]
    return operations.add_note(concern, text, key_decision, current_user, restriction, readers)


@blp.get(CONCERN + "/timeline", "concerns.view", None, schemas.TimelineEntrySchema(many=True))
@reads("concern.timeline", "concern", "timeline")
def get_timeline(concern: Concern) -> Any:
    """The case's timeline, newest first, as the case page shows it to you (an agency
    form's entry only where you may read the form)."""
    return [
        {"occurred_at": e.occurred_at, "kind": e.kind, "summary": e.summary, "by": name}
        for e, name in timeline_of(concern, current_user)
    ]


@blp.put(
    CONCERN + "/level-of-need",
    "concerns.level_of_need",
    schemas.LevelOfNeedUpdateSchema,
    schemas.ConcernSchema,
)
@record("child_case")
def set_level_of_need(data: dict[str, Any], child_case: Concern) -> Any:
    """Change a child's level of need on the council's threshold model (``null``: not
    assessed), with the reasoning; on the case's timeline."""
    return operations.set_level_of_need(child_case, data, current_user)


@needs_blp.get("/", "concerns.view", None, schemas.LevelOfNeedSchema(many=True))
def list_levels_of_need() -> Any:
    """The council's levels of need for children, lowest first (LEVELS_OF_NEED)."""
    return list(levels_of_need())


@blp.put(CONCERN + "/team", "concerns.team", schemas.CaseTeamSchema, schemas.ConcernSchema)
@record("concern")
def set_team(data: dict[str, Any], concern: Concern) -> Any:
    """Change the team holding the case and the area it is in (null: not recorded); on the
    case's timeline."""
    return operations.set_team(concern, data, current_user)


@blp.put(
    CONCERN + "/hate-crime", "concerns.hate_crime", schemas.HateCrimeSchema, schemas.ConcernSchema
)
@record("concern")
def set_hate_crime(data: dict[str, Any], concern: Concern) -> Any:
    """Record or correct whether the concern is a hate or mate crime (``hate``, ``mate`` or
    null) and the monitored strands of the hostility (at least one with it, none without)."""
    return operations.set_hate_crime(concern, data, current_user)


@blp.put(CONCERN + "/legal-hold", "concerns.delete", schemas.LegalHoldSchema, schemas.ConcernSchema)
@record("concern")
def legal_hold(data: dict[str, Any], concern: Concern) -> Any:
    """Place or lift a legal hold (managers)."""
    operations.set_legal_hold(concern, data["reason"], current_user)
    return concern


@blp.delete(CONCERN, "concerns.delete", schemas.RemovalArgs)
@record("concern")
def delete_concern(args: dict[str, Any], concern: Concern) -> None:
    """Soft-delete a concern with the reason (managers); refused under a legal hold."""
    operations.delete(concern, args["reason"], current_user)


clusters_blp = Blueprint(
    "clusters_api", __name__, url_prefix="/clusters", description="Establishment clusters"
)


@clusters_blp.get("/", "clusters.view", None, schemas.ClusterSchema(many=True))
@logged("cluster.list", object_type="establishment")
def list_clusters() -> Any:
    """Establishments with several concerns in a short window (default 3 in 90 days)."""
    return operations.council_clusters(current_user)


handover_blp = Blueprint(
    "handover_api", __name__, url_prefix="/handover", description="Out-of-hours handover"
)


@handover_blp.get("", "handover.accept", None, schemas.PendingHandoverSchema)
@logged("handover.view", object_type="handover")
def get_handover() -> Any:
    """The out-of-hours concerns received since the last accepted handover, oldest first,
    and that handover."""
    previous, concerns, _ = operations.pending_handover(current_user)
    return {"previous": previous, "concerns": annotate(concerns, current_user)}


@handover_blp.post("", "handover.accept", None, schemas.HandoverSchema, status=201)
def accept_handover() -> Any:
    """Accept the handover: the day team takes the out-of-hours concerns listed now."""
    return operations.accept_handover(current_user)


@blp.get(CONCERN + "/seen-by", "concerns.seen_by", PageArgs, page_schema(SeenBySchema))
@reads("concern.seen_by", "concern")
def get_seen_by(args: dict[str, Any], concern: Concern) -> Any:
    """Who has seen or changed the case and its person, newest first, from the access log
    (safeguarding managers): the page "Who has seen this case" and its CSV."""
    query = seen.entries_about(seen.case_records(concern))
    return paginate(query, args["page"], args["page_size"], scalars=False)


# --- Management oversight and the body map, by the pages' rules: whoever may see the case
# sees them; managers record oversight and list the cases without; case workers mark injuries.

oversight_blp = Blueprint(
    "oversight_api", __name__, url_prefix="", description="Management oversight"
)
body_map_blp = Blueprint(
    "body_map_api", __name__, url_prefix="/concerns", description="The body map"
)


@oversight_blp.get(
    "/oversight", "concerns.supervise", PageArgs, page_schema(WithoutOversightSchema)
)
@logged("concern.oversight_list", object_type="concern")
def list_without_oversight(args: dict[str, Any]) -> dict[str, Any]:
    """Open cases whose last management oversight (or, without one, receipt) is older
    than OVERSIGHT_WEEKS, those never supervised first, then the oldest."""
    weeks = int(current_app.config["OVERSIGHT_WEEKS"])
    query = operations.without_oversight(weeks, current_user.council_id)
    return paginate(query, args["page"], args["page_size"], scalars=False)


@oversight_blp.get(
    "/concerns" + CONCERN + "/supervisions", "concerns.view", None, SupervisionSchema(many=True)
)
@reads("concern.supervisions", "concern", "supervisions")
def list_supervisions(concern: Concern) -> Any:
    """The case's management oversight, newest first, as the case page shows it."""
    return operations.supervisions_of(concern)


@oversight_blp.post(
    "/concerns" + CONCERN + "/supervisions",
    "concerns.supervise",
    SupervisionSchema,
    SupervisionSchema,
    status=201,
)
@record("concern")
def add_supervision(data: dict[str, Any], concern: Concern) -> Any:
    """Record management oversight of the case: when, what was discussed and decided,
    and the next steps (safeguarding managers)."""
    supervision = operations.record_supervision(concern, data, current_user)
    return supervision, {"Location": url_for(".list_supervisions", concern_id=concern.id)}


@body_map_blp.get(CONCERN + "/body-map", "concerns.view", None, BodyMapMarkSchema(many=True))
@reads("concern.view", "concern", "body_map")
def get_body_map(concern: Concern) -> Any:
    """The injuries marked on the case's body map, in the order they were marked, as
    the case page shows them."""
    return operations.body_map_of(concern)


@body_map_blp.post(
    CONCERN + "/body-map", "concerns.body_map", BodyMapMarkSchema, BodyMapMarkSchema, status=201
)
@record("concern")
def add_body_map_mark(data: dict[str, Any], concern: Concern) -> Any:
    """Mark an injury on the body map: front or back, where (``x`` and ``y`` on the
    outline if known), its size, colour and description, who saw it and when."""
    mark = operations.add_body_map_mark(concern, data, current_user)
    return mark, {"Location": url_for(".get_body_map", concern_id=concern.id)}
