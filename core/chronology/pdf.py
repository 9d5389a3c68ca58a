"""A chronology as a PDF for a review (WeasyPrint)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import render_template

from core.chronology.operations import Event
from core.pdf import html_to_pdf


def chronology_pdf(title: str, events: Sequence[Event], filters: dict[str, Any]) -> bytes:
    html = render_template("chronology/pdf.html", title=title, events=events, filters=filters)
    return html_to_pdf(html)
