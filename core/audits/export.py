"""The attendance audit as CSV and as a PDF board pack (WeasyPrint)."""

from __future__ import annotations

from itertools import chain

from flask import render_template

from core.pdf import html_to_pdf
from core.spreadsheet import csv_text

from .chart import attendance_chart, shown_threshold
from .report import AuditReport, shown

CSV_COLUMNS = (
    "agency_id",
    "agency_name",
    "meeting_type",
    "meeting_type_label",
    "invited",
    "attended",
    "apologies_with_report",
    "apologies_without_report",
    "did_not_attend",
    "attendance_rate",
    "contribution_rate",
    "omitted_invitations",
    "below_threshold",
    "previous_attendance_rate",
    "attendance_rate_change",
    "previous_contribution_rate",
    "contribution_rate_change",
)


def _csv_value(row: object, name: str) -> str:
    """Rates as fractions from 0 to 1 (as in the API); withheld figures as [c]; no figure
    as an empty cell."""
    if name == "below_threshold" and name not in getattr(row, "withheld", ()):
        return "true" if getattr(row, name) else "false"
    text = shown(row, name)
    return "" if text == "–" else text


def audit_csv(report: AuditReport) -> str:
    rows = ([_csv_value(row, name) for name in CSV_COLUMNS] for row in report.rows)
    return csv_text(chain([CSV_COLUMNS], rows), lineterminator="\n")


def csv_filename(report: AuditReport) -> str:
    audit = report.audit
    suffix = "-published" if report.published else ""
    return f"attendance-audit-{audit.id}-{audit.period_start}-{audit.period_end}{suffix}.csv"


def pdf_filename(report: AuditReport) -> str:
    return csv_filename(report).removesuffix(".csv") + ".pdf"


def board_pack(report: AuditReport) -> bytes:
    """The board pack: the chart, the tables, quoracy and the board actions."""

    html = render_template(
        "audits/board_pack.html",
        report=report,
        chart=attendance_chart(report, "pack-chart"),
        threshold=shown_threshold(report.audit.threshold),
        figure=shown,
    )
    return html_to_pdf(html)
