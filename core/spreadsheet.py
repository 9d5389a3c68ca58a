"""Every CSV and Excel export is written through here, so no cell can run as a formula.

A spreadsheet program treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some programs, a tab or carriage return) as a formula: an agency named
``=HYPERLINK("http://evil.example","x")`` would become a live link in a board pack
(OWASP, "CSV Injection"). Such a cell is written with a leading apostrophe, which the
programs show as text. Plain numbers, negative ones included, are left as numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: Any) -> Any:
    """The value as a cell no spreadsheet will evaluate."""
    if isinstance(value, str) and value.startswith(FORMULA_LEADS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def csv_text(rows: Iterable[Iterable[Any]], lineterminator: str = "\r\n") -> str:
    """The rows as one CSV document."""
    return "".join(csv_lines(rows, lineterminator))


def csv_lines(rows: Iterable[Iterable[Any]], lineterminator: str = "\r\n") -> Iterator[str]:
    """The rows as CSV, one line at a time (for a streamed response)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    for row in rows:
        writer.writerow(safe_row(row))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
