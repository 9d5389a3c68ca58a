"""The reports page: every plugin report the user's role may run, as a table or CSV."""

from __future__ import annotations

from flask import Response, render_template, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.pipeline import logged, record
from core.policy.reports import allowed_reports
from core.policy.routes import requires
from core.reports.source import run_report
from core.spreadsheet import csv_lines
from plugins.types import Report


@requires("reports.view")
def index() -> ResponseReturnValue:
    return render_template("reports/index.html", reports=allowed_reports(current_user))


@requires("reports.view")
@record("report")
@logged("report.run", object_type="report", object_id="name")
def show(report: Report) -> ResponseReturnValue:
    table = run_report(report, current_user)
    return render_template("reports/show.html", report=report, table=table)


@requires("reports.view")
@record("report")
@logged("report.export", object_type="report", object_id="name")
def export_csv(report: Report) -> ResponseReturnValue:
    table = run_report(report, current_user)
    return Response(
        stream_with_context(csv_lines([table.columns, *table.rows])),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename={report.name.replace('.', '-')}.csv"
        },
    )
