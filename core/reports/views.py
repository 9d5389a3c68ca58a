"""The reports page: every plugin report the user's role may run, as a table or CSV."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.downloads import csv_download
from core.pipeline import logged, record
from core.policy.reports import allowed_reports
from core.policy.routes import requires
from core.reports.source import run_report
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
    return csv_download([table.columns, *table.rows], f"{report.name.replace('.', '-')}.csv")
