from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask_login import current_user

from core.api.conventions import PageArgs, id_field, page_schema, query_id_field
from core.concerns.models import Restriction
from core.fields import Base64Bytes, Day, Moment, codes
from core.meetings import clocks, operations
from core.meetings.models import (
    ActionStatus,
    DecisionKind,
    Invitation,
    Meeting,
    MeetingStatus,
    Outcome,
    PlanCategory,
    Response,
)
from core.meetings.types import report_deadline, type_label
from core.policy.cases import visible_among
from core.policy.meetings import (
    can_read_report,
    may_read_confidential,
    own_part,
    sees_records,
)

REASON = ma.validate.Length(max=2000)


class InviteeChangeSchema(ma.Schema):
    agency_id = id_field(required=True)
    reason = ma.fields.String(load_default="", validate=REASON)


class MeetingCreateSchema(ma.Schema):
    type = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=60))
    concern_ids = ma.fields.List(
        id_field(), required=True, validate=ma.validate.Length(min=1, max=100)
    )
    starts_at = Moment(required=True)
    duration_minutes = ma.fields.Integer(load_default=60)
    venue = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=300)
    )
    video_link = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=500)
    )
    chair_id = id_field(allow_none=True, load_default=None)
    establishment_id = id_field(allow_none=True, load_default=None)
    # proposed invitees not to invite (a standard one needs a reason) and extra ones
    removed = ma.fields.List(ma.fields.Nested(InviteeChangeSchema), load_default=list)
    added = ma.fields.List(ma.fields.Nested(InviteeChangeSchema), load_default=list)


class MeetingUpdateSchema(ma.Schema):
    starts_at = Moment()
    duration_minutes = ma.fields.Integer()
    venue = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=300))
    video_link = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))
    chair_id = id_field(allow_none=True)


class InvitationReportSchema(ma.Schema):
    """An agency's report to a meeting as the reader is told of it: one they may not read
    (restricted to other agencies) shows only that it exists, its date and its agency."""

    readable = ma.fields.Boolean()
    submitted_at = Moment()
    restriction = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "Why it is restricted (third_party, police_sensitive or health); "
            "null when open or when you may not read it"
        },
    )
    reader_agency_ids = ma.fields.List(
        ma.fields.Integer(),
        metadata={"description": "The other agencies that read a restricted report"},
    )
    text = ma.fields.String(allow_none=True)
    filename = ma.fields.String(
        allow_none=True,
        metadata={"description": "The PDF's name when one was uploaded: GET .../report"},
    )


def report_entry(invitation: Invitation) -> dict[str, Any] | None:
    """The report ``invitation``'s agency sent, as the current user is told of it
    (``reports_shown``); None when none was sent or they are not told of it."""
    if invitation.report_submitted_at is None:
        return None
    if not (
        invitation.agency_id == current_user.agency_id
        or sees_records(current_user, invitation.meeting)
    ):
        return None
    if not can_read_report(current_user, invitation):
        return {
            "readable": False,
            "submitted_at": invitation.report_submitted_at,
            "restriction": None,
            "reader_agency_ids": [],
            "text": None,
            "filename": None,
        }
    restriction = invitation.report_restriction
    return {
        "readable": True,
        "submitted_at": invitation.report_submitted_at,
        "restriction": restriction.value if restriction else None,
        "reader_agency_ids": [a.id for a in invitation.report_readers],
        "text": invitation.report_text,
        "filename": invitation.report_filename,
    }


# the invitation's own columns, as the API shows them (not the report's PDF, a blob)
INVITATION_COLUMNS = [
    column.key for column in sa.inspect(Invitation).column_attrs if column.key != "report_pdf"
]


class InvitationSchema(ma.Schema):
    @ma.pre_dump
    def with_report(self, invitation: Invitation, **_: Any) -> dict[str, Any]:
        return {name: getattr(invitation, name) for name in INVITATION_COLUMNS} | {
            "agency": invitation.agency,
            "invitee": invitation.invitee,
            "report": report_entry(invitation),
        }

    id = ma.fields.Integer(dump_only=True)
    agency_id = ma.fields.Integer()
    agency_name = ma.fields.String(attribute="agency.name", dump_only=True)
    reason = ma.fields.String()
    standard = ma.fields.Boolean(dump_only=True)
    method = ma.fields.String(dump_only=True)
    invited_at = Moment(dump_only=True)
    response = ma.fields.String(allow_none=True)
    responded_at = Moment(allow_none=True, dump_only=True)
    report_submitted_at = Moment(allow_none=True)
    outcome = ma.fields.String(allow_none=True)
    removed_at = Moment(allow_none=True, dump_only=True)
    removal_reason = ma.fields.String(allow_none=True, dump_only=True)
    invitee_id = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "Who attends for the agency, when named: the meeting's emails go "
            "to them alone; else to the agency's safeguarding contacts"
        },
    )
    invitee_name = ma.fields.String(attribute="invitee.name", allow_none=True, dump_only=True)
    report = ma.fields.Nested(
        InvitationReportSchema,
        allow_none=True,
        dump_only=True,
        metadata={
            "description": "The agency's report, when it sent one you are told of: the team "
            "and the agencies that read the meeting's records are told of every report; "
            "one restricted to other agencies shows as `readable: false`"
        },
    )


class MeetingReportSchema(ma.Schema):
    """An agency's written report to a meeting, as text or a PDF (or both)."""

    text = ma.fields.String(load_default=None, allow_none=True)
    pdf = Base64Bytes(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The report as a PDF, base64: up to the API's body limit "
            "(MAX_API_BODY_BYTES, 1 MB by default); larger files through the portal page"
        },
    )
    filename = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    restriction = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=codes(Restriction),
        metadata={
            "description": "third_party, police_sensitive or health: then read, beside the "
            "safeguarding team and your agency, only by the agencies named"
        },
    )
    reader_agency_ids = ma.fields.List(
        id_field(),
        load_default=list,
        metadata={"description": "The other invited agencies that read a restricted report"},
    )


def invitee_field() -> ma.fields.Integer:
    return id_field(
        allow_none=True,
        metadata={
            "description": "An active practitioner or officer of the agency to name as its "
            "invitee (null: nobody named)"
        },
    )


class InvitationCreateSchema(ma.Schema):
    agency_id = id_field(required=True)
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    invitee_id = invitee_field()


class InvitationUpdateSchema(ma.Schema):
    response = ma.fields.String(allow_none=True, validate=codes(Response))
    report_submitted_at = Moment(allow_none=True)
    outcome = ma.fields.String(allow_none=True, validate=codes(Outcome))
    invitee_id = invitee_field()

    @ma.validates_schema
    def something_to_change(self, data: dict[str, object], **kwargs: object) -> None:
        if not data:
            raise ma.ValidationError(
                "Give response, report_submitted_at, outcome or invitee_id", field_name="_schema"
            )


class InvitationRemovalArgs(ma.Schema):
    reason = ma.fields.String(load_default="", validate=REASON)


class AttendeeSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    role = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=200)
    )
    agency = ma.fields.String(
        allow_none=True,
        load_default=None,
        validate=ma.validate.Length(max=200),
        attribute="agency_name",
        data_key="agency",
    )


class MeetingDecisionSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=codes(DecisionKind))
    plan_category = ma.fields.String(
        allow_none=True, load_default=None, validate=codes(PlanCategory)
    )
    note = ma.fields.String(allow_none=True, load_default=None, validate=REASON)


class ActionSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    owner_agency_id = id_field(required=True)
    due_on = Day(required=True)
    status = ma.fields.String(dump_only=True)
    completed_on = Day(dump_only=True, allow_none=True)


class OwnMeetingActionSchema(ActionSchema):
    """An action an agency owns from a meeting, with the meeting it came from."""

    meeting_id = ma.fields.Integer(dump_only=True)
    meeting_starts_at = Moment(attribute="meeting.starts_at", dump_only=True)


class OutcomeSchema(ma.Schema):
    invitation_id = id_field(required=True)
    outcome = ma.fields.String(required=True, validate=codes(Outcome))


class HeldSchema(ma.Schema):
    held_at = Moment(load_default=None, allow_none=True)
    outcomes = ma.fields.List(ma.fields.Nested(OutcomeSchema), load_default=list)
    attendees = ma.fields.List(ma.fields.Nested(AttendeeSchema), load_default=list)
    minutes = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=100000)
    )
    confidential_minutes = ma.fields.String(
        allow_none=True,
        load_default=None,
        validate=ma.validate.Length(max=100000),
        metadata={"description": "A part of the minutes for the agencies named only"},
    )
    confidential_agency_ids = ma.fields.List(
        id_field(),
        load_default=list,
        metadata={
            "description": "The agencies that read the confidential part (the "
            "safeguarding team always does)"
        },
    )
    decisions = ma.fields.List(ma.fields.Nested(MeetingDecisionSchema), load_default=list)
    actions = ma.fields.List(ma.fields.Nested(ActionSchema), load_default=list)


class CancelSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))


class ActionUpdateSchema(ma.Schema):
    status = ma.fields.String(required=True, validate=codes(ActionStatus))


class MeetingSchema(ma.Schema):
    @ma.pre_dump
    def describe(self, meeting: Meeting, **_: Any) -> dict[str, Any]:
        """The meeting as the API shows it, with what is computed: quoracy, due date,
        report deadline. Concerns the reader may not see are left out."""
        quoracy = operations.quoracy(meeting)
        confidential = may_read_confidential(current_user, meeting)
        return {
            "id": meeting.id,
            "type": meeting.type,
            "type_label": type_label(meeting.type),
            "status": meeting.status.value,
            "concern_ids": [c.id for c in visible_among(current_user, meeting.concerns)],
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
            "confidential_minutes": meeting.confidential_minutes if confidential else None,
            "confidential_agency_ids": [a.id for a in meeting.confidential_readers]
            if confidential
            else [],
            "cancelled_at": meeting.cancelled_at,
            "cancel_reason": meeting.cancel_reason,
            "decision_letter_sent_on": meeting.decision_letter_sent_on,
            "decision_letter_due": clocks.letter_due(meeting),
            "due_by": clocks.meeting_due_by(meeting),
            "report_deadline": report_deadline(meeting),
            "quorate": quoracy.quorate,
            "quorum_failure": quoracy.failed_rule,
            "warnings": operations.scheduling_warnings(meeting),
            "invitations": meeting.active_invitations,
            "withdrawn_invitations": [i for i in meeting.invitations if i.removed_at is not None],
            "attendees": meeting.attendees,
            "decisions": meeting.decisions,
            "actions": meeting.actions,
        } | ({} if sees_records(current_user, meeting) else self.withheld(meeting))

    @staticmethod
    def withheld(meeting: Meeting) -> dict[str, Any]:
        """The records of a meeting for an invited agency not involved in full: its own
        invitation and the actions it owns only; no minutes, decisions, other agencies'
        actions or attendees."""
        invitations, actions = own_part(current_user, meeting)
        return {
            "minutes": None,
            "confidential_minutes": None,
            "confidential_agency_ids": [],
            "invitations": invitations,
            "withdrawn_invitations": [],
            "attendees": [],
            "decisions": [],
            "actions": actions,
            "quorum_failure": None,  # it names who was missing
        }

    id = ma.fields.Integer()
    type = ma.fields.String()
    type_label = ma.fields.String()
    status = ma.fields.String()
    concern_ids = ma.fields.List(ma.fields.Integer())
    establishment_id = ma.fields.Integer(allow_none=True)
    starts_at = Moment()
    duration_minutes = ma.fields.Integer()
    venue = ma.fields.String(allow_none=True)
    video_link = ma.fields.String(allow_none=True)
    chair_id = ma.fields.Integer(allow_none=True)
    sequence = ma.fields.Integer()
    calendar_uid = ma.fields.String(
        metadata={"description": "the UID of the meeting in the invitees' calendar files"}
    )
    held_at = Moment(allow_none=True)
    minutes = ma.fields.String(allow_none=True)
    confidential_minutes = ma.fields.String(
        allow_none=True,
        metadata={"description": "For the safeguarding team and the agencies named only"},
    )
    confidential_agency_ids = ma.fields.List(ma.fields.Integer())
    cancelled_at = Moment(allow_none=True)
    cancel_reason = ma.fields.String(allow_none=True)
    decision_letter_sent_on = Day(allow_none=True)
    decision_letter_due = Day(
        allow_none=True, metadata={"description": "1 working day after a conference is held"}
    )
    due_by = Day(allow_none=True, metadata={"description": "when the clock says it is due"})
    report_deadline = Day()
    quorate = ma.fields.Boolean(
        allow_none=True, metadata={"description": "null where quoracy does not apply"}
    )
    quorum_failure = ma.fields.String(
        allow_none=True, metadata={"description": "which rule failed, when not quorate"}
    )
    warnings = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "For a meeting still to be held: its time or its reports "
            "deadline has passed, as the meeting page warns"
        },
    )
    invitations = ma.fields.List(ma.fields.Nested(InvitationSchema))
    withdrawn_invitations = ma.fields.List(ma.fields.Nested(InvitationSchema))
    attendees = ma.fields.List(ma.fields.Nested(AttendeeSchema))
    decisions = ma.fields.List(ma.fields.Nested(MeetingDecisionSchema))
    actions = ma.fields.List(ma.fields.Nested(ActionSchema))


MeetingPageSchema = page_schema(MeetingSchema)


class MeetingListArgs(PageArgs):
    status = ma.fields.String(validate=codes(MeetingStatus))
    type = ma.fields.String(validate=ma.validate.Length(max=60))
    concern_id = query_id_field()
    starts_from = Day()
    starts_to = Day()


class ProposalArgs(ma.Schema):
    type = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=60),
        metadata={"description": "A meeting type's code (GET /api/v1/meeting-types/)"},
    )
    concern_id = ma.fields.List(
        query_id_field(),
        required=True,
        validate=ma.validate.Length(min=1, max=100),
        metadata={"description": "The concerns the meeting is about (repeat the parameter)"},
    )


class LeftOffSchema(ma.Schema):
    agency_id = ma.fields.Integer(attribute="agency.id")
    agency_name = ma.fields.String(attribute="agency.name")
    reason = ma.fields.String(metadata={"description": "Why it is proposed, or left off"})


class ProposedAgencySchema(LeftOffSchema):
    standard = ma.fields.Boolean(
        metadata={"description": "On the standard list: leaving it off needs a reason"}
    )


class ProposalSchema(ma.Schema):
    """Who a new meeting would invite, as the scheduling page proposes them."""

    invitees = ma.fields.List(ma.fields.Nested(ProposedAgencySchema))
    left_off = ma.fields.List(
        ma.fields.Nested(LeftOffSchema),
        attribute="excluded",
        metadata={
            "description": "Agencies a rule keeps off the list, with why (an implicated "
            "agency, a provider that is the source of risk)"
        },
    )
    missing_types = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "Agency types a rule asks for that no active agency has"},
    )


class MeetingTypeSchema(ma.Schema):
    code = ma.fields.String()
    label = ma.fields.String()
    audience = ma.fields.String()
    conference = ma.fields.Boolean()


class StandardInviteeSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    meeting_type = ma.fields.String(
        required=True,
        validate=ma.validate.Length(max=60),
        metadata={"description": "A meeting type's code (GET /api/v1/meeting-types/)"},
    )
    audience = ma.fields.String(
        load_default="any",
        validate=ma.validate.OneOf(["adult", "child", "any"]),
        metadata={"description": "Meetings about adults, children or any"},
    )
    agency_type = ma.fields.String(
        allow_none=True,
        load_default=None,
        validate=ma.validate.Length(max=60),
        metadata={"description": "Every agency of this type; or give agency_id"},
    )
    agency_id = id_field(allow_none=True, load_default=None)
    agency_name = ma.fields.String(attribute="agency.name", dump_only=True, allow_none=True)
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(max=2000),
        metadata={"description": "Shown when the agency is proposed for a meeting"},
    )
    created_at = Moment(dump_only=True)


class WorkItemSchema(ma.Schema):
    kind = ma.fields.String(metadata={"description": "What is due, e.g. a report or a letter"})
    label = ma.fields.String()
    due = Day()
    overdue = ma.fields.Boolean()
    link = ma.fields.String(metadata={"description": "The page of the record it is about"})
    detail = ma.fields.String()


class LetterSchema(ma.Schema):
    sent_on = Day(required=True, metadata={"description": "Not in the future"})
