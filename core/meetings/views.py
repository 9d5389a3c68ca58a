"""Meeting pages for the safeguarding team, and the agency portal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import selectinload

from core.agencies.forms import agency_choices
from core.clocks import to_local
from core.db import utcnow
from core.downloads import PDF, download
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import failures, flashed, form_messages, form_page, rehearsed, submitted
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
from core.pipeline import logged, record
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


def _page(meeting: Meeting) -> str:
    return url_for("meetings.show", meeting_id=meeting.id)


# --- Lists --------------------------------------------------------------------------------


@requires("meetings.schedule")
@logged("meeting.list", object_type="meeting")
def index() -> ResponseReturnValue:
    status = request.args.get("status", "scheduled")
    query = visible_meetings(current_user).options(selectinload(Meeting.concerns))
    if status in {s.value for s in MeetingStatus}:
        query = query.where(Meeting.status == status)
    order = Meeting.starts_at.asc() if status == "scheduled" else Meeting.starts_at.desc()
    page = paginate(query.order_by(order, Meeting.id))
    return render_template("meetings/index.html", page=page, status=status, type_label=type_label)


@requires("meetings.schedule")
@logged("meeting.work_list", object_type="meeting")
def work_list() -> ResponseReturnValue:
    items = worklist.items(to_local(utcnow()).date(), current_user.council_id)
    return render_template("meetings/work_list.html", items=items, today=to_local(utcnow()).date())


# --- Scheduling ----------------------------------------------------------------------------


@requires("meetings.schedule")
@logged("meeting.propose", object_type="concern", object_id="concern_id")
def new() -> ResponseReturnValue:
    establishment_id = request.args.get("establishment_id", type=int)
    concerns = operations.concerns_for_meeting(
        current_user, request.args.getlist("concern_id", type=int), establishment_id
    )
    if concerns is None:
        abort(404)
    if not concerns:
        flash("There are no open concerns to hold a meeting about.", "error")
        return redirect(url_for("concerns.clusters" if establishment_id else "concerns.index"))
    types = types_for(concerns, establishment_id)
    code = chosen_type(types, request.args.get("type"), establishment_id)
    form = forms.ScheduleForm()
    extra_form = forms.InviteForm(
        prefix="extra",
        meta={"csrf": False},
        blank="No other agency",
        council_id=concerns[0].council_id,
    )
    proposal = operations.propose_invitees(code, concerns)
    removal_errors: list[str] = []
    if form.is_submitted():
        # one round: when the page's own checks fail, the scheduling's checks (a standard
        # invitee left off without a reason...) still run, in a savepoint rolled back
        checked = form.validate()
        savepoint = db.session.begin_nested()
        try:
            removed, added = form.changes(proposal, extra_form)
            values = form.values() | {"establishment_id": establishment_id}
            meeting = operations.schedule(
                code, concerns, values, current_user, removed=removed, added=added
            )
        except ValidationFailed as failed:
            savepoint.rollback()
            if not checked:
                failed.errors = form.unseen(failed.errors)
            removal_errors = form.show_errors(failed, extra_form)
        except (TypeError, ValueError):
            savepoint.rollback()  # what the page's own checks already refuse
            if checked:
                raise
        else:
            if checked:
                savepoint.commit()
                flash(f"{type_label(code)} scheduled and invitations sent.", "success")
                return redirect(_page(meeting))
            savepoint.rollback()
    return render_template(
        "meetings/new.html",
        form=form,
        extra_form=extra_form,
        concerns=concerns,
        establishment_id=establishment_id,
        types=types,
        code=code,
        proposal=proposal,
        removal_errors=removal_errors,
        posted=request.method == "POST",
        agency_types=current_platform().agency_types,
    )


# --- One meeting ---------------------------------------------------------------------------


@requires("meetings.view")
@logged("meeting.view", object_type="meeting", object_id="meeting_id")
@record("meeting")
def show(meeting: Meeting) -> ResponseReturnValue:
    if not user_can(current_user, "meetings.schedule"):
        own = [i for i in meeting.active_invitations if i.agency_id == current_user.agency_id]
        if own:
            return redirect(url_for("portal.invitation", invitation_id=own[0].id))
    return render_template(
        "meetings/show.html",
        meeting=meeting,
        concerns=visible_among(current_user, meeting.concerns),
        readable_reports={
            i.id for i in meeting.active_invitations if can_read_report(current_user, i)
        },
        type_label=type_label(meeting.type),
        quoracy=operations.quoracy(meeting),
        warnings=operations.scheduling_warnings(meeting),
        due_by=clocks.meeting_due_by(meeting),
        letter_due=clocks.letter_due(meeting),
        report_deadline=report_deadline(meeting),
        invite_form=forms.InviteForm(
            invited=(i.agency_id for i in meeting.active_invitations),
            council_id=meeting.concerns[0].council_id if meeting.concerns else None,
        ),
        uninvite_form=forms.UninviteForm(),
        invitee_forms={
            i.id: forms.InviteeForm(i, prefix=f"invitee-{i.id}") for i in meeting.active_invitations
        }
        if user_can(current_user, "meetings.schedule")
        else {},
        letter_form=forms.LetterForm(),
        today=to_local(utcnow()).date(),
        action_statuses=ActionStatus,
        not_emailed={
            i.agency_id
            for i in meeting.active_invitations
            if not invitation_recipients(i.agency_id, i.invitee)
        },
    )


@requires("meetings.schedule")
@record("meeting")
def invite(meeting: Meeting) -> ResponseReturnValue:
    form = forms.InviteForm()
    if submitted(
        form,
        lambda: operations.invite(
            meeting, form.agency_id.data, form.reason.data or "", current_user
        ),
    ):
        flash("Agency invited.", "success")
    else:
        flash(form_messages(form, "Check what you entered."), "error")
    return redirect(_page(meeting))


@requires("meetings.schedule")
@record("meeting")
@record("invitation")
def uninvite(meeting: Meeting, invitation: Invitation) -> ResponseReturnValue:
    form = forms.UninviteForm()
    if form.validate_on_submit():
        flashed(
            lambda: operations.uninvite(invitation, form.reason.data, current_user),
            f"{invitation.agency.name} is no longer invited.",
        )
    return redirect(_page(meeting))


@requires("meetings.schedule")
@record("meeting")
@record("invitation", "update")
def name_invitee(meeting: Meeting, invitation: Invitation) -> ResponseReturnValue:
    """The team names who attends for an invited agency (its portal page does the same)."""
    form = forms.InviteeForm(invitation, prefix=f"invitee-{invitation.id}")
    if form.validate_on_submit():
        flashed(
            lambda: operations.name_invitee(invitation, form.invitee_id.data, current_user),
            f"Saved: who attends for {invitation.agency.name}.",
        )
    else:
        flash(form_messages(form, "Check what you entered."), "error")
    return redirect(_page(meeting))


@requires("meetings.schedule")
@record("meeting")
def reschedule(meeting: Meeting) -> ResponseReturnValue:
    form = forms.RescheduleForm.for_meeting(meeting)
    return form_page(
        form,
        lambda: operations.reschedule(meeting, form.values(), current_user),
        done="Meeting changed and invitees sent the update.",
        to=_page(meeting),
        template="meetings/reschedule.html",
        aliases={"starts_at": "starts_on", "status": "starts_on"},
        meeting=meeting,
        type_label=type_label(meeting.type),
    )


@requires("meetings.schedule")
@record("meeting")
def cancel(meeting: Meeting) -> ResponseReturnValue:
    form = forms.CancelForm()
    return form_page(
        form,
        lambda: operations.cancel(meeting, form.reason.data or "", current_user),
        done="Meeting cancelled and invitees told.",
        to=_page(meeting),
        template="meetings/cancel.html",
        aliases={"status": "reason"},
        meeting=meeting,
        type_label=type_label(meeting.type),
    )


@requires("meetings.record")
@record("meeting")
def record_meeting(meeting: Meeting) -> ResponseReturnValue:
    form = forms.RecordForm()
    problems: list[str] = []
    kinds = operations.decision_kinds_for(meeting)
    if form.is_submitted():
        valid = form.validate()
        values = form.values(meeting, kinds)
        if valid:
            problems = failures(lambda: operations.record_held(meeting, values, current_user))
            if not problems:
                flash("Meeting recorded.", "success")
                return redirect(_page(meeting))
        else:  # the meeting's own checks too, so the first answer says everything
            failed = rehearsed(lambda: operations.record_held(meeting, values, current_user))
            problems = [m for ms in failed.errors.values() for m in ms] if failed else []
    return render_template(
        "meetings/record.html",
        meeting=meeting,
        form=form,
        problems=problems,
        type_label=type_label(meeting.type),
        outcomes=Outcome,
        default_outcome=operations.default_outcome,
        decision_kinds=kinds,
        plan_categories=PlanCategory,
        agencies=agency_choices("Choose the owner"),
        posted=request.form,
    )


@requires("meetings.record")
@record("meeting")
def letter(meeting: Meeting) -> ResponseReturnValue:
    form = forms.LetterForm()
    if form.validate_on_submit():
        flashed(
            lambda: operations.record_decision_letter(meeting, form.sent_on.data, current_user),
            "Decision letter recorded.",
        )
    else:
        flash("Enter the date the decision letter was sent.", "error")
    return redirect(_page(meeting))


@requires("meetings.record")
@record("meeting")
@record("meeting_action", argument="action")
def action_status(meeting: Meeting, action: MeetingAction) -> ResponseReturnValue:
    form = forms.UninviteForm()  # only the CSRF token matters here
    if form.validate_on_submit():
        flashed(
            lambda: operations.set_action_status(
                action, request.form.get("status", ""), current_user
            ),
            "Action updated.",
        )
    return redirect(_page(meeting))


@requires("meetings.view")
@logged("invitation.report_view", object_type="meeting", object_id="meeting_id")
@record("meeting")
@record("invitation_report", argument="invitation")
def report_file(meeting: Meeting, invitation: Invitation) -> ResponseReturnValue:
    """The PDF an agency uploaded, for those who may read it (``can_read_report``)."""
    return download(invitation.report_pdf, PDF, invitation.report_filename or "report.pdf")


# --- Standard invitation lists (administrators) ------------------------------------------------


@requires("meetings.configure")
@logged("standard_invitee.list", object_type="standard_invitee")
def standard_lists() -> ResponseReturnValue:
    form = forms.StandardInviteeForm()
    if submitted(form, lambda: operations.add_standard_invitee(form.values(), current_user)):
        flash("Added to the standard invitation list.", "success")
        return redirect(url_for("meetings.standard_lists"))
    entries = operations.standard_invitees()
    return render_template(
        "meetings/standard_lists.html",
        form=form,
        entries=entries,
        types=meeting_types(),
        agency_types=current_platform().agency_types,
        remove_form=forms.UninviteForm(),
    )


@requires("meetings.configure")
@record("standard_invitee", argument="entry")
def remove_standard(entry: StandardInvitee) -> ResponseReturnValue:
    if forms.UninviteForm().validate_on_submit():
        operations.remove_standard_invitee(entry, current_user)
        flash("Removed from the standard invitation list.", "success")
    return redirect(url_for("meetings.standard_lists"))


# --- The agency portal ---------------------------------------------------------------------


@requires("meetings.respond")
@logged("invitation.list", object_type="invitation")
def portal_index() -> ResponseReturnValue:
    upcoming = own_invitations(current_user)
    to_answer = list(db.session.scalars(upcoming.where(Invitation.response.is_(None))))
    answered = upcoming.where(Invitation.response.is_not(None), Meeting.starts_at >= utcnow())
    upcoming = list(db.session.scalars(answered))
    return render_template(
        "portal/index.html",
        to_answer=to_answer,
        upcoming=upcoming,
        type_label=type_label,
        deadline=report_deadline,
    )


@requires("meetings.respond")
@logged("invitation.view", object_type="invitation", object_id="invitation_id")
@record("own_invitation", argument="invitation")
def portal_invitation(invitation: Invitation) -> ResponseReturnValue:
    meeting = invitation.meeting
    respond_form = forms.RespondForm(invitation, prefix="answer")
    report_form = forms.ReportForm(invitation, prefix="report")
    invitee_form = forms.InviteeForm(invitation, prefix="invitee")
    open_for_answers = meeting.status == MeetingStatus.SCHEDULED
    today = to_local(utcnow()).date()
    deadline = report_deadline(meeting)
    open_for_reports = meeting.status != MeetingStatus.CANCELLED and today <= deadline
    # three forms on the page; a post without a button is taken as the answer's
    pressed = next((f for f in (invitee_form, report_form) if f.submit.data), respond_form)
    if pressed is invitee_form and submitted(
        invitee_form,
        lambda: operations.name_invitee(invitation, invitee_form.invitee_id.data, current_user),
        {"invitee_id": "invitee_id"},
    ):
        flash("Saved: who attends for your agency.", "success")
        return redirect(url_for("portal.invitation", invitation_id=invitation.id))
    if pressed is respond_form and submitted(
        respond_form,
        lambda: operations.respond(invitation, respond_form.response.data or "", current_user),
        {"status": "response"},
    ):
        flash("Answer sent.", "success")
        return redirect(url_for("portal.invitation", invitation_id=invitation.id))

    def send_report() -> None:
        pdf, filename = report_form.upload()
        restriction, reader_ids = report_form.restricted_to()
        operations.submit_report(
            invitation,
            report_form.report_text.data,
            pdf,
            filename,
            current_user,
            restriction,
            reader_ids,
        )

    if pressed is report_form and submitted(report_form, send_report, {"report": "report_text"}):
        flash("Report sent.", "success")
        return redirect(url_for("portal.invitation", invitation_id=invitation.id))
    return render_template(
        "portal/invitation.html",
        invitation=invitation,
        meeting=meeting,
        type_label=type_label(meeting.type),
        deadline=deadline,
        respond_form=respond_form,
        report_form=report_form,
        invitee_form=invitee_form,
        responses=Response,
        open_for_answers=open_for_answers,
        open_for_reports=open_for_reports,
        today=today,
        records=sees_records(current_user, meeting),
        confidential=may_read_confidential(current_user, meeting),
        own_actions=own_part(current_user, meeting)[1],
        reports=reports_shown(current_user, meeting),
    )
