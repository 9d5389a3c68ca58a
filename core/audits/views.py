"""Attendance audit pages: the list, running one, the audit with its chart, its exports,
and the board's actions."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.downloads import CSV, PDF, download
from core.forms import choices, submitted
from core.pagination import paginate
from core.pipeline import logged, record
from core.policy import audits as _record_types  # noqa: F401  (declares the audits' types)
from core.policy.audits import visible_attendance_audits
from core.policy.figures import exports_are_published
from core.policy.routes import requires

from . import operations
from .chart import attendance_chart, shown_threshold
from .export import audit_csv, board_pack, csv_filename, pdf_filename
from .forms import BoardActionForm, BoardActionUpdateForm, RunAuditForm
from .models import AttendanceAudit, BoardAction
from .report import audit_report, published_version, shown


def _report(audit: AttendanceAudit, export: bool) -> Any:
    asked = request.args.get("published")
    return audit_report(audit, published_version(current_user, asked, export))


@requires("attendance_audits.view")
@logged("attendance_audit.list", object_type="attendance_audit")
def index() -> ResponseReturnValue:
    page = paginate(
        visible_attendance_audits(current_user).order_by(
            AttendanceAudit.period_end.desc(), AttendanceAudit.run_at.desc()
        )
    )
    return render_template("audits/index.html", page=page)


@requires("attendance_audits.run")
def new() -> ResponseReturnValue:
    form = RunAuditForm()
    if request.method == "GET":
        form.period_start.data, form.period_end.data = operations.default_period(operations.today())
    ran: list[AttendanceAudit] = []
    if submitted(
        form,
        lambda: ran.append(
            operations.run_attendance_audit(
                form.period_start.data, form.period_end.data, current_user
            )
        ),
    ):
        flash("Audit run and stored.", "success")
        return redirect(url_for("attendance_audits.show", audit_id=ran[0].id))
    return render_template("audits/new.html", form=form)


@requires("attendance_audits.view")
@logged("attendance_audit.view", object_type="attendance_audit", object_id="audit_id")
@record("attendance_audit", argument="audit")
def show(audit: AttendanceAudit) -> ResponseReturnValue:
    report = _report(audit, export=False)
    return render_template(
        "audits/show.html",
        report=report,
        chart=attendance_chart(report),
        threshold=shown_threshold(audit.threshold),
        figure=shown,
        published_exports=exports_are_published(current_user),
    )


@requires("attendance_audits.view")
@logged("attendance_audit.export", object_type="attendance_audit", object_id="audit_id")
@record("attendance_audit", argument="audit")
def download_csv(audit: AttendanceAudit) -> ResponseReturnValue:
    report = _report(audit, export=True)
    return download(audit_csv(report), CSV, csv_filename(report))


@requires("attendance_audits.view")
@logged("attendance_audit.board_pack", object_type="attendance_audit", object_id="audit_id")
@record("attendance_audit", argument="audit")
def download_pdf(audit: AttendanceAudit) -> ResponseReturnValue:
    report = _report(audit, export=True)
    return download(board_pack(report), PDF, pdf_filename(report))


@requires("board_actions.manage")
@logged("attendance_audit.view", object_type="attendance_audit", object_id="audit_id")
@record("attendance_audit", argument="audit")
def new_action(audit: AttendanceAudit) -> ResponseReturnValue:
    below = operations.agencies_below_threshold(audit)
    form = BoardActionForm()
    form.agency_id.choices = choices([("", "Choose an agency"), *below])
    if request.method == "GET" and request.args.get("agency_id"):
        form.agency_id.data = form.agency_id.coerce(request.args["agency_id"])
    if submitted(
        form,
        lambda: operations.add_board_action(
            audit,
            {
                "agency_id": form.agency_id.data,
                "action": form.action.data,
                "owner": form.owner.data,
                "due_on": form.due_on.data,
            },
            current_user,
        ),
    ):
        flash("Board action recorded.", "success")
        return redirect(url_for("attendance_audits.show", audit_id=audit.id) + "#board-actions")
    return render_template("audits/action_new.html", audit=audit, form=form, below=below)


@requires("board_actions.manage")
@logged("board_action.view", object_type="board_action", object_id="action_id")
@record("attendance_audit", argument="audit")
@record("board_action", argument="chosen")
def action(audit: AttendanceAudit, chosen: BoardAction) -> ResponseReturnValue:
    form = BoardActionUpdateForm()
    if request.method == "GET":
        form.status.data = chosen.status.value
        form.note.data = chosen.note
    if submitted(
        form,
        lambda: operations.update_board_action(
            chosen, {"status": form.status.data, "note": form.note.data}, current_user
        ),
    ):
        flash("Board action updated.", "success")
        return redirect(url_for("attendance_audits.show", audit_id=audit.id) + "#board-actions")
    agency = operations.agency_names({chosen.agency_id}).get(chosen.agency_id, "")
    return render_template(
        "audits/action.html", audit=audit, record=chosen, agency=agency, form=form
    )
