"""The findings report as a PDF for the board (WeasyPrint)."""

from __future__ import annotations

from flask import render_template

from core.casefile.report import Findings
from core.pdf import html_to_pdf


def findings_pdf(figures: Findings, quarter_label: str, rows: list[list[object]]) -> bytes:
    html = render_template(
        "casefile/report_pdf.html", figures=figures, quarter_label=quarter_label, rows=rows
    )
    return html_to_pdf(html)
