"""The reports page: every plugin report the user's role may run, as a table or CSV."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, render_template, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.accesslog import operations as access_log
from core.clocks import to_local
from core.db import utcnow
from core.pipeline import logged
from core.platform import current_platform
from core.policy.reports import may_run
from core.policy.routes import requires
from core.spreadsheet import csv_lines
from plugins.reports import ReportQuery
from plugins.types import Report, ReportTable


def allowed_reports(user: Any) -> list[Report]:
    return sorted(
        (r for r in current_platform().reports.values() if may_run(user, r)),
        key=lambda r: r.title,
    )


def _report(name: str) -> Report:
    report = current_platform().reports.get(name)
    if report is None or not may_run(current_user, report):
        access_log.record_denied("report.run", object_type="report", object_id=name)
        abort(404)
    return report


def _run(report: Report) -> ReportTable:
    query = ReportQuery(
        user=current_user, today=to_local(utcnow()).date(), config=dict(current_app.config)
    )
    return report.run(query)


@requires("reports.view")
def index() -> ResponseReturnValue:
    return render_template("reports/index.html", reports=allowed_reports(current_user))


@requires("reports.view")
@logged("report.run", object_type="report", object_id="name")
def show(name: str) -> ResponseReturnValue:
    report = _report(name)
    table = _run(report)
    return render_template("reports/show.html", report=report, table=table)


@requires("reports.view")
@logged("report.export", object_type="report", object_id="name")
def export_csv(name: str) -> ResponseReturnValue:
    report = _report(name)
    table = _run(report)
    return Response(
        stream_with_context(csv_lines([table.columns, *table.rows])),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name.replace('.', '-')}.csv"},
    )
