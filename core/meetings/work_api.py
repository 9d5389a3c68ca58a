"""What the meetings pages do beside the meetings API (core/meetings/api.py): the work
list of what is due, the decision letter, an agency's written report as a file and the
actions it owns."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core.api.conventions import Blueprint
from core.clocks import to_local
from core.db import utcnow
from core.downloads import PDF, download
from core.extensions import db
from core.meetings import operations, worklist
from core.meetings.models import Invitation, Meeting
from core.meetings.schemas import (
    InvitationSchema,
    LetterSchema,
    MeetingReportSchema,
    MeetingSchema,
    OwnMeetingActionSchema,
    WorkItemSchema,
)
from core.pipeline import logged, record
from core.policy.meetings import own_open_meeting_actions
from core.policy.routes import requires

blp = Blueprint(
    "meetings_work_api", __name__, url_prefix="/meetings", description="Meetings: work list"
)
MEETING = "/<id:meeting_id>"
PDF_RESPONSE = {
    "200": {
        "description": "The PDF the agency uploaded",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@blp.get("/actions", "meetings.respond", None, OwnMeetingActionSchema(many=True))
@logged("meeting.actions", object_type="meeting")
def list_own_actions() -> Any:
    """The open actions your agency owns from the meetings it may see, soonest due first
    (its actions page, beside its plan actions)."""
    return db.session.scalars(own_open_meeting_actions(current_user)).all()


@blp.get("/work", "meetings.schedule", None, WorkItemSchema(many=True))
@logged("meeting.work_list", object_type="meeting")
def get_work_list() -> Any:
    """What is due and overdue, soonest first, as the work list page shows it: statutory
    clocks, reports, decision letters and actions."""
    return worklist.items(to_local(utcnow()).date(), current_user.council_id)


@blp.post(MEETING + "/letter", "meetings.record", LetterSchema, MeetingSchema)
@record("meeting")
def record_letter(data: dict[str, Any], meeting: Meeting) -> Any:
    """Record the date the decision letter of a held meeting was sent (422 before the
    meeting is recorded as held, or for a date in the future)."""
    operations.record_decision_letter(meeting, data["sent_on"], current_user)
    return meeting


@blp.route(MEETING + "/invitations/<id:invitation_id>/report", methods=["GET"])
@requires("meetings.view")
@blp.doc(responses=PDF_RESPONSE)
@logged("invitation.report_view", object_type="meeting", object_id="meeting_id")
@record("meeting")
@record("invitation_report", argument="invitation")
def get_report_file(meeting: Meeting, invitation: Invitation) -> Any:
    """The written report an agency uploaded as a PDF: for the safeguarding team, that
    agency and the agencies that read the meeting's records (a restricted report: those
    named on it); 404 for anyone else, or when none was uploaded."""
    return download(invitation.report_pdf, PDF, invitation.report_filename or "report.pdf")


@blp.post(
    MEETING + "/invitations/<id:invitation_id>/report",
    "meetings.view",
    MeetingReportSchema,
    InvitationSchema,
)
@record("meeting")
@record("invitation", "update")
def submit_report(data: dict[str, Any], meeting: Meeting, invitation: Invitation) -> Any:
    """Send the invited agency's written report, as `text` or a base64 `pdf` (or both),
    as the portal page does: by the invited agency or the safeguarding team, until the
    report deadline (422 after it, for a file that is not a PDF, or with neither). A
    `restriction` makes it readable, beside the team and the agency, only by the invited
    agencies `reader_agency_ids` names; the others are told it exists."""
    return operations.submit_report(
        invitation,
        data["text"],
        data["pdf"],
        data["filename"],
        current_user,
        data["restriction"],
        data["reader_agency_ids"],
    )
