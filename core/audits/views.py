"""Attendance audit pages: the list, running one, the audit with its chart, its exports,
and the board's actions."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.accesslog import operations as access_log
from core.extensions import db
from core.forms import attempt, choices
from core.pagination import paginate
from core.pipeline import logged
from core.policy.routes import requires

from . import operations
from .chart import attendance_chart, shown_threshold
from .export import audit_csv, board_pack, csv_filename, pdf_filename
from .forms import BoardActionForm, BoardActionUpdateForm, RunAuditForm
from .models import AttendanceAudit, BoardAction
from .report import audit_report, published_version, shown


def _audit(audit_id: int) -> AttendanceAudit:
    audit = db.session.get(AttendanceAudit, audit_id)
    if audit is None:
        abort(404)
    return audit


def _report(audit: AttendanceAudit, export: bool) -> Any:
    asked = request.args.get("published")
    return audit_report(audit, published_version(current_user, asked, export))


@requires("attendance_audits.view")
@logged("attendance_audit.list", object_type="attendance_audit")
def index() -> ResponseReturnValue:
    page = paginate(
        sa.select(AttendanceAudit).order_by(
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
    if form.validate_on_submit() and attempt(
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
def show(audit_id: int) -> ResponseReturnValue:
    audit = _audit(audit_id)
    report = _report(audit, export=False)
    return render_template(
        "audits/show.html",
        report=report,
        chart=attendance_chart(report),
        threshold=shown_threshold(audit.threshold),
        figure=shown,
    )


@requires("attendance_audits.view")
@logged("attendance_audit.export", object_type="attendance_audit", object_id="audit_id")
def download_csv(audit_id: int) -> ResponseReturnValue:
    report = _report(_audit(audit_id), export=True)
    return Response(
        audit_csv(report),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{csv_filename(report)}"'},
    )


@requires("attendance_audits.view")
def download_pdf(audit_id: int) -> ResponseReturnValue:
    report = _report(_audit(audit_id), export=True)
    pdf = board_pack(report)
    access_log.record(
        "attendance_audit.board_pack", object_type="attendance_audit", object_id=audit_id
    )
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{pdf_filename(report)}"'},
    )


@requires("board_actions.manage")
@logged("attendance_audit.view", object_type="attendance_audit", object_id="audit_id")
def new_action(audit_id: int) -> ResponseReturnValue:
    audit = _audit(audit_id)
    below = operations.agencies_below_threshold(audit)
    form = BoardActionForm()
    form.agency_id.choices = choices([("", "Choose an agency"), *below])
    if request.method == "GET" and request.args.get("agency_id"):
        form.agency_id.data = form.agency_id.coerce(request.args["agency_id"])
    if form.validate_on_submit() and attempt(
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
def action(audit_id: int, action_id: int) -> ResponseReturnValue:
    audit = _audit(audit_id)
    record = db.session.get(BoardAction, action_id)
    if record is None or record.audit_id != audit.id:
        abort(404)
    form = BoardActionUpdateForm()
    if request.method == "GET":
        form.status.data = record.status.value
        form.note.data = record.note
    if form.validate_on_submit() and attempt(
        form,
        lambda: operations.update_board_action(
            record, {"status": form.status.data, "note": form.note.data}, current_user
        ),
    ):
        flash("Board action updated.", "success")
        return redirect(url_for("attendance_audits.show", audit_id=audit.id) + "#board-actions")
    agency = operations.agency_names({record.agency_id}).get(record.agency_id, "")
    access_log.record("board_action.view", object_type="board_action", object_id=record.id)
    return render_template(
        "audits/action.html", audit=audit, record=record, agency=agency, form=form
    )
