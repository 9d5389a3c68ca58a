"""/api/v1/reports: the plugins' reports, as the reports page lists and shows them."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_login import current_user

from core.api.conventions import Blueprint
from core.pipeline import logged, record
from core.policy.reports import allowed_reports
from core.policy.routes import requires
from core.reports.source import run_report
from plugins.types import Report

blp = Blueprint("reports_api", __name__, url_prefix="/reports", description="Plugin reports")


class ReportSummarySchema(ma.Schema):
    name = ma.fields.String(metadata={"description": "<plugin>.<report>"})
    title = ma.fields.String()
    description = ma.fields.String()


class ReportTableSchema(ReportSummarySchema):
    columns = ma.fields.List(ma.fields.String(), metadata={"description": "Column headings"})
    rows = ma.fields.List(
        ma.fields.List(ma.fields.Raw(allow_none=True)),
        metadata={"description": "One list per row, in the columns' order"},
    )
    notes = ma.fields.List(ma.fields.String(), metadata={"description": "Shown above the table"})


@blp.get("/", "reports.view", None, ReportSummarySchema(many=True))
def list_reports() -> Any:
    """The reports your role may run (and, for agency practitioners, your agency's kind)."""
    return allowed_reports(current_user)


@blp.route("/<name>", methods=["GET"])
@requires("reports.view")
@record("report")
@blp.response(200, ReportTableSchema)
@logged("report.run", object_type="report", object_id="name")
def get_report(report: Report) -> Any:
    """Run the report over what you may see: the table the page shows and the CSV holds
    (404 for a report you may not run, logged)."""
    table = run_report(report, current_user)
    return {
        "name": report.name,
        "title": report.title,
        "description": report.description,
        "columns": list(table.columns),
        "rows": [list(row) for row in table.rows],
        "notes": list(table.notes),
    }
