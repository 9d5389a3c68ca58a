"""A chronology as a file: CSV, or a PDF for a review (WeasyPrint). The pages and the API
export through these, with the filters already read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Response, render_template

from core.chronology import operations
from core.chronology.operations import Event
from core.concerns.models import Concern
from core.downloads import PDF, csv_download, download
from core.pdf import html_to_pdf
from core.people.models import Person


def chronology_pdf(title: str, events: Sequence[Event], filters: dict[str, Any]) -> bytes:
    html = render_template("chronology/pdf.html", title=title, events=events, filters=filters)
    return html_to_pdf(html)


def _file(events: list[Event], filters: dict[str, Any], title: str, name: str) -> Response:
    shown = operations.filtered(events, filters)
    if name.endswith(".csv"):
        return csv_download(operations.csv_rows(shown), name)
    return download(chronology_pdf(title, shown, operations.applied(filters)), PDF, name)


def case_file(concern: Concern, user: Any, filters: dict[str, Any], kind: str) -> Response:
    """The case's chronology as ``user`` may read it, filtered, as a ``csv`` or ``pdf``."""
    events = operations.case_events(concern, user)
    title = f"Chronology: {concern.reference}"
    return _file(events, filters, title, f"chronology-{concern.reference}.{kind}")


def person_file(person: Person, user: Any, filters: dict[str, Any], kind: str) -> Response:
    """The person's chronology across the cases ``user`` may see, as a ``csv`` or ``pdf``."""
    events = operations.person_events(person, user)
    title = f"Chronology: {person.full_name}"
    return _file(events, filters, title, f"chronology-person-{person.id}.{kind}")
