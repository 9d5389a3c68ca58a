"""A file the browser saves: every export and every uploaded file leaves through here,
as an attachment with its name (CSV through ``core.spreadsheet``, so no cell runs as a
formula)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flask import Response, stream_with_context

from core.spreadsheet import csv_lines

CSV = "text/csv"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(
    body: str | bytes | Iterator[str],
    mimetype: str,
    filename: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """``body`` as an attachment named ``filename`` (quoted, so a name with spaces or a
    comma survives)."""
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, mimetype=mimetype, headers=disposition | (headers or {}))


def csv_download(rows: Iterable[Iterable[Any]], filename: str) -> Response:
    """The rows as a CSV attachment, streamed a line at a time (an export of every
    concern does not wait for the last row, nor hold them all)."""
    return download(stream_with_context(csv_lines(rows)), CSV, filename)
