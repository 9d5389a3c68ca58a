"""Meeting pages for the safeguarding team, and the agency portal."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import selectinload

from core.agencies.forms import agency_picker
from core.clocks import to_local
from core.db import utcnow
from core.downloads import PDF, download
from core.extensions import db
from core.forms import button_form, form_messages, form_view, page_view, run_or_rehearse, submitted
from core.meetings import clocks, forms, operations, worklist
from core.meetings.models import (
    ActionStatus,
    Invitation,
    Meeting,
    MeetingAction,
    MeetingStatus,
    Outcome,
    PlanCategory,
    Response,
    StandardInvitee,
)
from core.meetings.types import chosen_type, meeting_types, report_deadline, type_label, types_for
from core.pagination import paginate
from core.pipeline import logged, reads, record
from core.platform import current_platform
from core.policy.cases import visible_among
from core.policy.meetings import (
    can_read_report,
    invitation_recipients,
    may_read_confidential,
    own_invitations,
    own_part,
    reports_shown,
    sees_records,
    visible_meetings,
)
from core.policy.routes import requires, user_can

# --- Lists --------------------------------------------------------------------------------


@logged("meeting.list", object_type="meeting")
@page_view("meetings.schedule")
def index() -> dict[str, object]:
    status = request.args.get("status", "scheduled")
    query = visible_meetings(current_user).options(selectinload(Meeting.concerns))
    if status in {s.value for s in MeetingStatus}:
        query = query.where(Meeting.status == status)
    order = Meeting.starts_at.asc() if status == "scheduled" else Meeting.starts_at.desc()
    page = paginate(query.order_by(order, Meeting.id))
    return {"page": page, "status": status, "type_label": type_label}


@logged("meeting.work_list", object_type="meeting")
@page_view("meetings.schedule")
def work_list() -> dict[str, object]:
    items = worklist.items(to_local(utcnow()).date(), current_user.council_id)
    return {"items": items, "today": to_local(utcnow()).date()}


# --- Scheduling ----------------------------------------------------------------------------


@logged("meeting.propose", object_type="concern", object_id="concern_id")
@page_view("meetings.schedule")
def new() -> ResponseReturnValue:
    establishment_id = request.args.get("establishment_id", type=int)
    asked = request.args.getlist("concern_id", type=int)
    concerns = operations.concerns_for_meeting(current_user, asked, establishment_id)
    if concerns is None:
        abort(404)
    if not concerns:
        flash("There are no open concerns to hold a meeting about.", "error")
        return redirect(url_for("concerns.clusters" if establishment_id else "concerns.index"))
    types = types_for(concerns, establishment_id)
    code = chosen_type(types, request.args.get("type"), establishment_id)
    form = forms.ScheduleForm()
    extra_form = forms.InviteForm(
        prefix="extra", meta={"csrf": False}, blank="No other agency", cases=concerns
    )
    proposal = operations.propose_invitees(code, concerns)
    removal_errors: list[str] = []
    if form.is_submitted():
        # one round: when the page's own checks fail, the scheduling's checks (a standard
        # invitee left off without a reason...) still run, in a savepoint rolled back
        checked = form.validate()
        made: list[Meeting] = []

        def schedule() -> None:
            removed, added = form.changes(proposal, extra_form)
            values = form.values() | {"establishment_id": establishment_id}
            made.append(
                operations.schedule(
                    code, concerns, values, current_user, removed=removed, added=added
                )
            )

        failed = run_or_rehearse(schedule, checked)
        if checked and failed is None:
            flash(f"{type_label(code)} scheduled and invitations sent.", "success")
            return redirect(url_for("meetings.show", meeting_id=made[0].id))
        if failed is not None:
            if not checked:
                failed.errors = form.unseen(failed.errors)
            removal_errors = form.show_errors(failed, extra_form)
    return {
        "form": form,
        "extra_form": extra_form,
        "concerns": concerns,
        "establishment_id": establishment_id,
        "types": types,
        "code": code,
        "proposal": proposal,
        "removal_errors": removal_errors,
        "posted": request.method == "POST",
        "agency_types": current_platform().agency_types,
    }


# --- One meeting ---------------------------------------------------------------------------


@reads("meeting.view", "meeting")
@page_view("meetings.view")
def show(meeting: Meeting) -> ResponseReturnValue:
    team = user_can(current_user, "meetings.schedule")
    invited = meeting.active_invitations
    if not team:
        own = [i for i in invited if i.agency_id == current_user.agency_id]
        if own:
            return redirect(url_for("portal.invitation", invitation_id=own[0].id))
    return {
        "concerns": visible_among(current_user, meeting.concerns),
        "readable_reports": {i.id for i in invited if can_read_report(current_user, i)},
        "type_label": type_label(meeting.type),
        "quoracy": operations.quoracy(meeting),
        "warnings": operations.scheduling_warnings(meeting),
        "due_by": clocks.meeting_due_by(meeting),
        "letter_due": clocks.letter_due(meeting),
        "report_deadline": report_deadline(meeting),
        "invite_form": forms.InviteForm(
            invited=(i.agency_id for i in invited), cases=meeting.concerns
        ),
        "uninvite_form": forms.UninviteForm(),
        "invitee_forms": {i.id: forms.InviteeForm(i, prefix=f"invitee-{i.id}") for i in invited}
        if team
        else {},
        "letter_form": forms.LetterForm(),
        "today": to_local(utcnow()).date(),
        "action_statuses": ActionStatus,
        "not_emailed": {
            i.agency_id for i in invited if not invitation_recipients(i.agency_id, i.invitee)
        },
    }


@requires("meetings.schedule")
@record("meeting")
def invite(meeting: Meeting) -> ResponseReturnValue:
    form = forms.InviteForm()
    agency_id, reason = form.agency_id.data, form.reason.data or ""
    if submitted(form, lambda: operations.invite(meeting, agency_id, reason, current_user)):
        flash("Agency invited.", "success")
    else:
        flash(form_messages(form, "Check what you entered."), "error")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@record("meeting")
@record("invitation")
@button_form("meetings.schedule", forms.UninviteForm, refused=None)
def uninvite(form: forms.UninviteForm, meeting: Meeting, invitation: Invitation) -> str:
    operations.uninvite(invitation, form.reason.data, current_user)
    return f"{invitation.agency.name} is no longer invited."


@record("meeting")
@record("invitation", "update")
@button_form(
    "meetings.schedule",
    lambda meeting, invitation: forms.InviteeForm(invitation, prefix=f"invitee-{invitation.id}"),
)
def name_invitee(form: forms.InviteeForm, meeting: Meeting, invitation: Invitation) -> str:
    """The team names who attends for an invited agency (its portal page does the same)."""
    operations.name_invitee(invitation, form.invitee_id.data, current_user)
    return f"Saved: who attends for {invitation.agency.name}."


def _with_type(form: object, meeting: Meeting) -> dict[str, str]:
    return {"type_label": type_label(meeting.type)}


@record("meeting")
@form_view(
    "meetings.schedule",
    forms.RescheduleForm.for_meeting,
    aliases={"starts_at": "starts_on", "status": "starts_on"},
    context=_with_type,
)
def reschedule(form: forms.RescheduleForm, meeting: Meeting) -> str:
    operations.reschedule(meeting, form.values(), current_user)
    return "Meeting changed and invitees sent the update."


@record("meeting")
@form_view("meetings.schedule", forms.CancelForm, aliases={"status": "reason"}, context=_with_type)
def cancel(form: forms.CancelForm, meeting: Meeting) -> str:
    operations.cancel(meeting, form.reason.data or "", current_user)
    return "Meeting cancelled and invitees told."


@record("meeting")
@page_view("meetings.record", "meetings/record.html")
def record_meeting(meeting: Meeting) -> ResponseReturnValue:
    form = forms.RecordForm(meeting=meeting)
    problems: list[str] = []
    kinds = operations.decision_kinds_for(meeting)
    if form.is_submitted():
        valid = form.validate()
        values = form.values(meeting, kinds)
        # when the page's own checks fail, the meeting's run too: the first answer says all
        failed = run_or_rehearse(
            lambda: operations.record_held(meeting, values, current_user), valid
        )
        if valid and failed is None:
            flash("Meeting recorded.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
        problems = [m for ms in failed.errors.values() for m in ms] if failed else []
    return {
        "form": form,
        "problems": problems,
        "type_label": type_label(meeting.type),
        "outcomes": Outcome,
        "default_outcome": operations.default_outcome,
        "decision_kinds": kinds,
        "plan_categories": PlanCategory,
        **agency_picker("Choose the owner", meeting.concerns, request.form),
        "posted": request.form,
    }


@record("meeting")
@button_form(
    "meetings.record",
    forms.LetterForm,
    refused="Enter the date the decision letter was sent.",
    messages=False,
)
def letter(form: forms.LetterForm, meeting: Meeting) -> str:
    operations.record_decision_letter(meeting, form.sent_on.data, current_user)
    return "Decision letter recorded."


@record("meeting")
@record("meeting_action", argument="action")
@button_form(
    "meetings.record", forms.UninviteForm, refused=None
)  # only the CSRF token matters here
def action_status(form: forms.UninviteForm, meeting: Meeting, action: MeetingAction) -> str:
    operations.set_action_status(action, request.form.get("status", ""), current_user)
    return "Action updated."


@requires("meetings.view")
@reads("invitation.report_view", "meeting")
@record("invitation_report", argument="invitation")
def report_file(meeting: Meeting, invitation: Invitation) -> ResponseReturnValue:
    """The PDF an agency uploaded, for those who may read it (``can_read_report``)."""
    return download(invitation.report_pdf, PDF, invitation.report_filename or "report.pdf")


# --- Standard invitation lists (administrators) ------------------------------------------------


def _standard_lists(*_: object) -> str:
    return url_for("meetings.standard_lists")


@logged("standard_invitee.list", object_type="standard_invitee")
@form_view(
    "meetings.configure",
    forms.StandardInviteeForm,
    to=_standard_lists,
    context=lambda form: {
        "entries": operations.standard_invitees(),
        "types": meeting_types(),
        "agency_types": current_platform().agency_types,
        "remove_form": forms.UninviteForm(),
    },
)
def standard_lists(form: forms.StandardInviteeForm) -> str:
    operations.add_standard_invitee(form.values(), current_user)
    return "Added to the standard invitation list."


@record("standard_invitee", argument="entry")
@button_form("meetings.configure", forms.UninviteForm, to=_standard_lists, refused=None)
def remove_standard(form: forms.UninviteForm, entry: StandardInvitee) -> str:
    operations.remove_standard_invitee(entry, current_user)
    return "Removed from the standard invitation list."


# --- The agency portal ---------------------------------------------------------------------


@logged("invitation.list", object_type="invitation")
@page_view("meetings.respond", "portal/index.html")
def portal_index() -> dict[str, object]:
    upcoming = own_invitations(current_user)
    to_answer = list(db.session.scalars(upcoming.where(Invitation.response.is_(None))))
    answered = upcoming.where(Invitation.response.is_not(None), Meeting.starts_at >= utcnow())
    upcoming = list(db.session.scalars(answered))
    return {
        "to_answer": to_answer,
        "upcoming": upcoming,
        "type_label": type_label,
        "deadline": report_deadline,
    }


@reads("invitation.view", "own_invitation", argument="invitation", object_type="invitation")
@page_view("meetings.respond", "portal/invitation.html")
def portal_invitation(invitation: Invitation) -> ResponseReturnValue:
    meeting = invitation.meeting
    respond_form = forms.RespondForm(invitation, prefix="answer")
    report_form = forms.ReportForm(invitation, prefix="report")
    invitee_form = forms.InviteeForm(invitation, prefix="invitee")
    today = to_local(utcnow()).date()
    deadline = report_deadline(meeting)

    def send_report() -> None:
        pdf, filename = report_form.upload()
        restriction, reader_ids = report_form.restricted_to()
        text = report_form.report_text.data
        operations.submit_report(
            invitation, text, pdf, filename, current_user, restriction, reader_ids
        )

    # three forms on the page; a post without a button is taken as the answer's
    pressed = next((f for f in (invitee_form, report_form) if f.submit.data), respond_form)
    answers = [
        (
            invitee_form,
            lambda: operations.name_invitee(invitation, invitee_form.invitee_id.data, current_user),
            {"invitee_id": "invitee_id"},
            "Saved: who attends for your agency.",
        ),
        (
            respond_form,
            lambda: operations.respond(invitation, respond_form.response.data or "", current_user),
            {"status": "response"},
            "Answer sent.",
        ),
        (report_form, send_report, {"report": "report_text"}, "Report sent."),
    ]
    for form, operation, aliases, done in answers:
        if form is pressed and submitted(form, operation, aliases):
            flash(done, "success")
            return redirect(url_for("portal.invitation", invitation_id=invitation.id))
    return {
        "meeting": meeting,
        "type_label": type_label(meeting.type),
        "deadline": deadline,
        "respond_form": respond_form,
        "report_form": report_form,
        "invitee_form": invitee_form,
        "responses": Response,
        "open_for_answers": meeting.status == MeetingStatus.SCHEDULED,
        "open_for_reports": meeting.status != MeetingStatus.CANCELLED and today <= deadline,
        "today": today,
        "records": sees_records(current_user, meeting),
        "confidential": may_read_confidential(current_user, meeting),
        "own_actions": own_part(current_user, meeting)[1],
        "reports": reports_shown(current_user, meeting),
    }
