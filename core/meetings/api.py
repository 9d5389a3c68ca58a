"""/api/v1/meetings and /api/v1/meeting-types."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from core.accesslog import operations as access_log
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
from core.clocks import LOCAL_ZONE
from core.concerns.models import Concern
from core.extensions import db
from core.meetings import clocks, operations
from core.meetings.models import Invitation, Meeting, MeetingAction, meeting_concerns
from core.meetings.schemas import (
    ActionSchema,
    ActionUpdateSchema,
    CancelSchema,
    HeldSchema,
    InvitationCreateSchema,
    InvitationRemovalArgs,
    InvitationSchema,
    InvitationUpdateSchema,
    MeetingCreateSchema,
    MeetingListArgs,
    MeetingPageSchema,
    MeetingSchema,
    MeetingTypeSchema,
    MeetingUpdateSchema,
)
from core.meetings.types import meeting_types, report_deadline, type_label
from core.pipeline import logged
from core.policy.cases import is_case_team, visible_concerns
from core.policy.meetings import load_visible_meeting, visible_meetings
from core.policy.routes import requires, user_can

blp = Blueprint("meetings_api", __name__, url_prefix="/meetings", description="Meetings")
types_blp = Blueprint(
    "meeting_types_api", __name__, url_prefix="/meeting-types", description="Meeting types"
)
ID = "<int(min=1, max=2147483647):{}>"
MEETING = "/" + ID.format("meeting_id")


def describe(meeting: Meeting) -> dict[str, Any]:
    """The meeting as the API shows it, with what is computed: quoracy, due date,
    report deadline. Concerns the caller may not see are left out."""
    quoracy = operations.quoracy(meeting)
    visible = _visible_concern_ids([c.id for c in meeting.concerns])
    return {
        "id": meeting.id,
        "type": meeting.type,
        "type_label": type_label(meeting.type),
        "status": meeting.status.value,
        "concern_ids": [c.id for c in meeting.concerns if c.id in visible],
        "establishment_id": meeting.establishment_id,
        "starts_at": meeting.starts_at,
        "duration_minutes": meeting.duration_minutes,
        "venue": meeting.venue,
        "video_link": meeting.video_link,
        "chair_id": meeting.chair_id,
        "sequence": meeting.sequence,
        "calendar_uid": meeting.uid,
        "held_at": meeting.held_at,
        "minutes": meeting.minutes,
        "cancelled_at": meeting.cancelled_at,
        "cancel_reason": meeting.cancel_reason,
        "decision_letter_sent_on": meeting.decision_letter_sent_on,
        "decision_letter_due": clocks.letter_due(meeting),
        "due_by": clocks.meeting_due_by(meeting),
        "report_deadline": report_deadline(meeting),
        "quorate": quoracy.quorate,
        "quorum_failure": quoracy.failed_rule,
        "invitations": meeting.active_invitations,
        "withdrawn_invitations": [i for i in meeting.invitations if i.removed_at is not None],
        "attendees": meeting.attendees,
        "decisions": meeting.decisions,
        "actions": meeting.actions,
    }


def _visible_concern_ids(concern_ids: list[int]) -> set[int]:
    return set(
        db.session.scalars(
            visible_concerns(current_user)
            .where(Concern.id.in_(concern_ids))
            .with_only_columns(Concern.id)
        )
    )


def _meeting_or_404(meeting_id: int) -> Meeting:
    meeting = load_visible_meeting(current_user, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


def _invitation_or_404(meeting: Meeting, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.meeting_id != meeting.id:
        abort(404)
    return invitation


@types_blp.route("/", methods=["GET"])
@requires("meetings.view")
@types_blp.response(200, MeetingTypeSchema(many=True))
def list_meeting_types() -> Any:
    """The meeting types: the core's six and any a plugin adds."""
    return list(meeting_types().values())


@blp.route("/", methods=["GET"])
@requires("meetings.view")
@blp.arguments(MeetingListArgs, location="query")
@blp.response(200, MeetingPageSchema)
@logged("meeting.list", object_type="meeting")
def list_meetings(args: dict[str, Any]) -> dict[str, Any]:
    """The meetings you may see, soonest first."""
    query = visible_meetings(current_user).order_by(Meeting.starts_at, Meeting.id)
    if "status" in args:
        query = query.where(Meeting.status == args["status"])
    if "type" in args:
        query = query.where(Meeting.type == args["type"])
    if "concern_id" in args:
        query = query.where(
            sa.exists().where(
                meeting_concerns.c.meeting_id == Meeting.id,
                meeting_concerns.c.concern_id == args["concern_id"],
            )
        )
    if "starts_from" in args:
        query = query.where(
            Meeting.starts_at >= datetime.combine(args["starts_from"], time.min, LOCAL_ZONE)
        )
    if "starts_to" in args:
        query = query.where(
            Meeting.starts_at <= datetime.combine(args["starts_to"], time.max, LOCAL_ZONE)
        )
    query = query.options(
        selectinload(Meeting.concerns),
        selectinload(Meeting.invitations).selectinload(Invitation.agency),
        selectinload(Meeting.attendees),
        selectinload(Meeting.decisions),
        selectinload(Meeting.actions),
    )
    page = paginate(query, args["page"], args["page_size"])
    page["items"] = [describe(m) for m in page["items"]]
    return page


@blp.route("/", methods=["POST"])
@requires("meetings.schedule")
@idempotent
@documented_create(blp)
@blp.arguments(MeetingCreateSchema)
@blp.response(201, MeetingSchema)
def create_meeting(data: dict[str, Any]) -> Any:
    """Schedule a meeting. The standard invitation list is proposed and invited, less
    `removed` (a standard invitee needs a reason) and plus `added`; each invitation
    says why the agency is invited."""
    ids = data.pop("concern_ids")
    concerns = list(db.session.scalars(visible_concerns(current_user).where(Concern.id.in_(ids))))
    if len(concerns) != len(set(ids)):
        abort(422, errors={"concern_ids": ["One or more concerns do not exist"]})
    removed = [operations.Removal(r["agency_id"], r["reason"]) for r in data.pop("removed")]
    added = [(a["agency_id"], a["reason"]) for a in data.pop("added")]
    code = data.pop("type")
    with validation_as_422():
        meeting = operations.schedule(
            code, concerns, data, current_user, removed=removed, added=added
        )
    db.session.flush()
    return describe(meeting), {
        "Location": url_for(".get_meeting", meeting_id=meeting.id),
        "ETag": etag_for(meeting),
    }


@blp.route(MEETING, methods=["GET"])
@requires("meetings.view")
@blp.response(200, MeetingSchema)
@logged("meeting.view", object_type="meeting", object_id="meeting_id")
def get_meeting(meeting_id: int) -> Any:
    """One meeting, with quoracy and its due date (404 unless your agency is involved)."""
    meeting = _meeting_or_404(meeting_id)
    return describe(meeting), {"ETag": etag_for(meeting)}


@blp.route(MEETING, methods=["PATCH"])
@requires("meetings.schedule")
@blp.arguments(MeetingUpdateSchema)
@blp.response(200, MeetingSchema)
@documented_update(blp)
def update_meeting(data: dict[str, Any], meeting_id: int) -> Any:
    """Reschedule or change the venue or chair; needs If-Match. Invitees get an update
    with a higher calendar SEQUENCE."""
    meeting = _meeting_or_404(meeting_id)
    require_if_match(meeting)
    with validation_as_422():
        operations.reschedule(meeting, data, current_user)
    db.session.flush()
    return describe(meeting), {"ETag": etag_for(meeting)}


@blp.route(MEETING + "/invitations", methods=["POST"])
@requires("meetings.schedule")
@idempotent
@documented_create(blp)
@blp.arguments(InvitationCreateSchema)
@blp.response(201, InvitationSchema)
def add_invitation(data: dict[str, Any], meeting_id: int) -> Any:
    """Invite one more agency, with the reason."""
    meeting = _meeting_or_404(meeting_id)
    with validation_as_422():
        invitation = operations.invite(meeting, data["agency_id"], data["reason"], current_user)
    db.session.flush()
    return invitation, {
        "Location": url_for(".get_meeting", meeting_id=meeting.id),
        "ETag": etag_for(invitation),
    }


@blp.route(MEETING + "/invitations/" + ID.format("invitation_id"), methods=["GET"])
@requires("meetings.view")
@blp.response(200, InvitationSchema)
@logged("meeting.view", object_type="meeting", object_id="meeting_id")
def get_invitation(meeting_id: int, invitation_id: int) -> Any:
    """One invitation, with the ETag a PATCH needs."""
    meeting = _meeting_or_404(meeting_id)
    invitation = _invitation_or_404(meeting, invitation_id)
    return invitation, {"ETag": etag_for(invitation)}


@blp.route(MEETING + "/invitations/" + ID.format("invitation_id"), methods=["DELETE"])
@requires("meetings.schedule")
@blp.arguments(InvitationRemovalArgs, location="query")
@blp.response(204)
def remove_invitation(args: dict[str, Any], meeting_id: int, invitation_id: int) -> None:
    """Withdraw an invitation; a standard invitee needs `?reason=` (422 without)."""
    meeting = _meeting_or_404(meeting_id)
    invitation = _invitation_or_404(meeting, invitation_id)
    with validation_as_422():
        operations.uninvite(invitation, args["reason"], current_user)


@blp.route(MEETING + "/invitations/" + ID.format("invitation_id"), methods=["PATCH"])
@requires("meetings.view")
@blp.arguments(InvitationUpdateSchema)
@blp.response(200, InvitationSchema)
@documented_update(blp)
def update_invitation(data: dict[str, Any], meeting_id: int, invitation_id: int) -> Any:
    """Set the `response` or `report_submitted_at` (the invited agency or the
    safeguarding team) or the `outcome` (the safeguarding team); needs If-Match."""
    meeting = _meeting_or_404(meeting_id)
    invitation = _invitation_or_404(meeting, invitation_id)
    team = is_case_team(current_user)
    own = invitation.agency_id == current_user.agency_id and user_can(
        current_user, "meetings.respond"
    )
    if not (team or own):
        access_log.record_denied(
            "invitation.update", object_type="invitation", object_id=invitation.id
        )
        abort(403, detail="Only the invited agency or the safeguarding team can change this")
    if "outcome" in data and not user_can(current_user, "meetings.record"):
        access_log.record_denied(
            "invitation.outcome", object_type="invitation", object_id=invitation.id
        )
        abort(403, detail="Only the safeguarding team records attendance")
    require_if_match(invitation)
    with validation_as_422():
        if "response" in data:
            operations.respond(invitation, data["response"], current_user)
        if "report_submitted_at" in data:
            operations.mark_report_submitted(invitation, data["report_submitted_at"], current_user)
        if "outcome" in data:
            operations.set_outcome(invitation, data["outcome"], current_user)
    db.session.flush()
    return invitation, {"ETag": etag_for(invitation)}


@blp.route(MEETING + "/held", methods=["POST"])
@requires("meetings.record")
@blp.arguments(HeldSchema)
@blp.response(200, MeetingSchema)
def record_held(data: dict[str, Any], meeting_id: int) -> Any:
    """Record the meeting: each invitee's outcome, other attendees, minutes, decisions
    and actions. Quoracy is computed from the outcomes."""
    meeting = _meeting_or_404(meeting_id)
    values = dict(data)
    values["outcomes"] = {row["invitation_id"]: row["outcome"] for row in data["outcomes"]}
    with validation_as_422():
        operations.record_held(meeting, values, current_user)
    db.session.flush()
    return describe(meeting), {"ETag": etag_for(meeting)}


@blp.route(MEETING + "/cancel", methods=["POST"])
@requires("meetings.schedule")
@blp.arguments(CancelSchema)
@blp.response(200, MeetingSchema)
def cancel_meeting(data: dict[str, Any], meeting_id: int) -> Any:
    """Cancel the meeting, with the reason; invitees get a calendar cancellation."""
    meeting = _meeting_or_404(meeting_id)
    with validation_as_422():
        operations.cancel(meeting, data["reason"], current_user)
    db.session.flush()
    return describe(meeting), {"ETag": etag_for(meeting)}


@blp.route(MEETING + "/actions/" + ID.format("action_id"), methods=["PATCH"])
@requires("meetings.record")
@blp.arguments(ActionUpdateSchema)
@blp.response(200, ActionSchema)
@documented_update(blp)
def update_action(data: dict[str, Any], meeting_id: int, action_id: int) -> Any:
    """Mark an action done or cancelled; needs If-Match."""
    meeting = _meeting_or_404(meeting_id)
    action = db.session.get(MeetingAction, action_id)
    if action is None or action.meeting_id != meeting.id:
        abort(404)
    require_if_match(action)
    with validation_as_422():
        operations.set_action_status(action, data["status"], current_user)
    db.session.flush()
    return action, {"ETag": etag_for(action)}
