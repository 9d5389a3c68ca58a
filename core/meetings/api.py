"""/api/v1/meetings, /api/v1/meeting-types and /api/v1/standard-lists."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user

from core.api.conventions import Blueprint, documented_update, paginate, require_if_match
from core.clocks import to_local
from core.db import utcnow
from core.downloads import PDF, download
from core.errors import abort
from core.extensions import db
from core.meetings import operations, schemas, worklist
from core.meetings.models import Invitation, Meeting, MeetingAction, StandardInvitee
from core.meetings.types import meeting_types
from core.pipeline import authorise, logged, reads, record
from core.policy.meetings import own_open_meeting_actions, visible_meetings
from core.policy.routes import requires

blp = Blueprint("meetings_api", __name__, url_prefix="/meetings", description="Meetings")
types_blp = Blueprint(
    "meeting_types_api", __name__, url_prefix="/meeting-types", description="Meeting types"
)
MEETING = "/<id:meeting_id>"


@types_blp.get("/", "meetings.view", None, schemas.MeetingTypeSchema(many=True))
def list_meeting_types() -> Any:
    """The meeting types: the core's six and any a plugin adds."""
    return list(meeting_types().values())


@blp.get("/", "meetings.view", schemas.MeetingListArgs, schemas.MeetingPageSchema)
@logged("meeting.list", object_type="meeting")
def list_meetings(args: dict[str, Any]) -> dict[str, Any]:
    """The meetings you may see, soonest first."""
    query = operations.filtered(visible_meetings(current_user), args)
    return paginate(query, args["page"], args["page_size"])


@blp.post("/", "meetings.schedule", schemas.MeetingCreateSchema, schemas.MeetingSchema, status=201)
def create_meeting(data: dict[str, Any]) -> Any:
    """Schedule a meeting. The standard invitation list is proposed and invited, less
    `removed` (a standard invitee needs a reason) and plus `added`; each invitation
    says why the agency is invited."""
    concerns = operations.concerns_for_meeting(current_user, data.pop("concern_ids"), None)
    if concerns is None:
        abort(422, errors={"concern_ids": ["One or more concerns do not exist"]})
    removed = [operations.Removal(r["agency_id"], r["reason"]) for r in data.pop("removed")]
    added = [(a["agency_id"], a["reason"]) for a in data.pop("added")]
    code = data.pop("type")
    return operations.schedule(code, concerns, data, current_user, removed=removed, added=added)


@blp.get("/proposal", "meetings.schedule", schemas.ProposalArgs, schemas.ProposalSchema)
@logged("meeting.propose", object_type="concern", object_id="concern_id")
def get_proposal(args: dict[str, Any]) -> Any:
    """Who a meeting of ``type`` about the concerns would invite, with why, and the
    agencies left off the standard list with why, as the scheduling page shows them
    (422 for a concern you may not see, as when scheduling, or for a type the concerns
    cannot have)."""
    concerns = operations.concerns_for_meeting(current_user, args["concern_id"], None)
    if concerns is None:
        abort(422, errors={"concern_id": ["One or more concerns do not exist"]})
    return operations.proposal_for(args["type"], concerns)


@blp.get(MEETING, "meetings.view", None, schemas.MeetingSchema)
@reads("meeting.view", "meeting")
def get_meeting(meeting: Meeting) -> Any:
    """One meeting, with quoracy and its due date (404 unless your agency is involved)."""
    return meeting


@blp.patch(MEETING, "meetings.schedule", schemas.MeetingUpdateSchema, schemas.MeetingSchema)
@documented_update(blp)
@record("meeting")
def update_meeting(data: dict[str, Any], meeting: Meeting) -> Any:
    """Reschedule or change the venue or chair; needs If-Match. Invitees get an update
    with a higher calendar SEQUENCE."""
    operations.reschedule(meeting, data, current_user)
    return meeting


@blp.post(
    MEETING + "/invitations",
    "meetings.schedule",
    schemas.InvitationCreateSchema,
    schemas.InvitationSchema,
    status=201,
)
@record("meeting")
def add_invitation(data: dict[str, Any], meeting: Meeting) -> Any:
    """Invite one more agency, with the reason, naming who attends for it or not."""
    return operations.invite(
        meeting, data["agency_id"], data["reason"], current_user, data.get("invitee_id")
    )


INVITATION = MEETING + "/invitations/<id:invitation_id>"


@blp.get(INVITATION, "meetings.view", None, schemas.InvitationSchema)
@reads("meeting.view", "meeting")
@record("invitation")
def get_invitation(meeting: Meeting, invitation: Invitation) -> Any:
    """One invitation, with the ETag a PATCH needs."""
    return invitation


@blp.delete(INVITATION, "meetings.schedule", schemas.InvitationRemovalArgs)
@record("meeting")
@record("invitation")
def remove_invitation(args: dict[str, Any], meeting: Meeting, invitation: Invitation) -> None:
    """Withdraw an invitation; a standard invitee needs `?reason=` (422 without)."""
    operations.uninvite(invitation, args["reason"], current_user)


@blp.patch(INVITATION, "meetings.view", schemas.InvitationUpdateSchema, schemas.InvitationSchema)
@documented_update(blp, check=False)
@record("meeting")
@record("invitation", "update")
def update_invitation(data: dict[str, Any], meeting: Meeting, invitation: Invitation) -> Any:
    """Set the `response`, `report_submitted_at` or `invitee_id` (who attends: the
    invited agency or the safeguarding team) or the `outcome` (the safeguarding team);
    needs If-Match."""
    if "outcome" in data:
        authorise("invitation", "outcome", invitation)
    require_if_match(invitation)  # after the refusal the body's outcome asks for
    if "response" in data:
        operations.respond(invitation, data["response"], current_user)
    if "report_submitted_at" in data:
        operations.mark_report_submitted(invitation, data["report_submitted_at"], current_user)
    if "invitee_id" in data:
        operations.name_invitee(invitation, data["invitee_id"], current_user)
    if "outcome" in data:
        operations.set_outcome(invitation, data["outcome"], current_user)
    return invitation


@blp.post(MEETING + "/held", "meetings.record", schemas.HeldSchema, schemas.MeetingSchema)
@record("meeting")
def record_held(data: dict[str, Any], meeting: Meeting) -> Any:
    """Record the meeting: each invitee's outcome, other attendees, minutes, decisions
    and actions. Quoracy is computed from the outcomes."""
    outcomes = {row["invitation_id"]: row["outcome"] for row in data["outcomes"]}
    return operations.record_held(meeting, data | {"outcomes": outcomes}, current_user)


@blp.post(MEETING + "/cancel", "meetings.schedule", schemas.CancelSchema, schemas.MeetingSchema)
@record("meeting")
def cancel_meeting(data: dict[str, Any], meeting: Meeting) -> Any:
    """Cancel the meeting, with the reason; invitees get a calendar cancellation."""
    operations.cancel(meeting, data["reason"], current_user)
    return meeting


@blp.patch(
    MEETING + "/actions/<id:action_id>",
    "meetings.record",
    schemas.ActionUpdateSchema,
    schemas.ActionSchema,
)
@documented_update(blp)
@record("meeting")
@record("meeting_action")
def update_action(data: dict[str, Any], meeting: Meeting, meeting_action: MeetingAction) -> Any:
    """Mark an action done or cancelled; needs If-Match."""
    operations.set_action_status(meeting_action, data["status"], current_user)
    return meeting_action


# --- Beside the pages: the work list, the decision letter, a report's file, own actions.

work_blp = Blueprint(
    "meetings_work_api", __name__, url_prefix="/meetings", description="Meetings: work list"
)
PDF_RESPONSE = {
    "200": {
        "description": "The PDF the agency uploaded",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@work_blp.get("/actions", "meetings.respond", None, schemas.OwnMeetingActionSchema(many=True))
@logged("meeting.actions", object_type="meeting")
def list_own_actions() -> Any:
    """The open actions your agency owns from the meetings it may see, soonest due first
    (its actions page, beside its plan actions)."""
    return db.session.scalars(own_open_meeting_actions(current_user)).all()


@work_blp.get("/work", "meetings.schedule", None, schemas.WorkItemSchema(many=True))
@logged("meeting.work_list", object_type="meeting")
def get_work_list() -> Any:
    """What is due and overdue, soonest first, as the work list page shows it: statutory
    clocks, reports, decision letters and actions."""
    return worklist.items(to_local(utcnow()).date(), current_user.council_id)


@work_blp.post(MEETING + "/letter", "meetings.record", schemas.LetterSchema, schemas.MeetingSchema)
@record("meeting")
def record_letter(data: dict[str, Any], meeting: Meeting) -> Any:
    """Record the date the decision letter of a held meeting was sent (422 before the
    meeting is recorded as held, or for a date in the future)."""
    operations.record_decision_letter(meeting, data["sent_on"], current_user)
    return meeting


@work_blp.route(MEETING + "/invitations/<id:invitation_id>/report", methods=["GET"])
@requires("meetings.view")
@work_blp.doc(responses=PDF_RESPONSE)
@reads("invitation.report_view", "meeting")
@record("invitation_report", argument="invitation")
def get_report_file(meeting: Meeting, invitation: Invitation) -> Any:
    """The written report an agency uploaded as a PDF: for the safeguarding team, that
    agency and the agencies that read the meeting's records (a restricted report: those
    named on it); 404 for anyone else, or when none was uploaded."""
    return download(invitation.report_pdf, PDF, invitation.report_filename or "report.pdf")


@work_blp.post(
    MEETING + "/invitations/<id:invitation_id>/report",
    "meetings.view",
    schemas.MeetingReportSchema,
    schemas.InvitationSchema,
)
@record("meeting")
@record("invitation", "update")
def submit_report(data: dict[str, Any], meeting: Meeting, invitation: Invitation) -> Any:
    """Send the invited agency's written report, as `text` or a base64 `pdf` (or both),
    as the portal page does: by the invited agency or the safeguarding team, until the
    report deadline (422 after it, for a file that is not a PDF, or with neither). A
    `restriction` makes it readable, beside the team and the agency, only by the invited
    agencies `reader_agency_ids` names; the others are told it exists."""
    text, pdf, filename = data["text"], data["pdf"], data["filename"]
    restriction, readers = data["restriction"], data["reader_agency_ids"]
    return operations.submit_report(
        invitation, text, pdf, filename, current_user, restriction, readers
    )


# --- The administrators' standard invitation lists, as the page /meetings/standard-lists.

standard_lists_blp = Blueprint(
    "standard_lists_api",
    __name__,
    url_prefix="/standard-lists",
    description="Standard invitation lists (administrators)",
)


@standard_lists_blp.get("/", "meetings.configure", None, schemas.StandardInviteeSchema(many=True))
@logged("standard_invitee.list", object_type="standard_invitee")
def list_entries() -> Any:
    """Every entry of every meeting type's standard invitation list, by meeting type."""
    return operations.standard_invitees()


@standard_lists_blp.post(
    "/",
    "meetings.configure",
    schemas.StandardInviteeSchema,
    schemas.StandardInviteeSchema,
    status=201,
)
def add_entry(data: dict[str, Any]) -> Any:
    """Add an agency type, or one named agency, to a meeting type's standard list, with
    the reason shown when it is proposed (422 names what is wrong)."""
    entry = operations.add_standard_invitee(data, current_user)
    return entry, {"Location": url_for(".list_entries")}


@standard_lists_blp.delete("/<id:entry_id>", "meetings.configure")
@record("standard_invitee", argument="entry")
def remove_entry(entry: StandardInvitee) -> None:
    """Take an entry off its standard list."""
    operations.remove_standard_invitee(entry, current_user)
