"""CSV and Excel exports of the returns, with small counts suppressed for the board."""

from __future__ import annotations

import io
from collections.abc import Iterable

from flask import current_app
from openpyxl import Workbook
from openpyxl.styles import Font

from core.policy.figures import exports_are_published
from core.returns.sac import Collection, Table
from core.spreadsheet import csv_text, safe_row

SUPPRESSED = "*"


def suppression_threshold(user: object) -> int:
    """Counts from 1 up to (not including) this are shown as ``*`` in exports for board
    members (``core.policy.figures``); 0 suppresses nothing."""
    if not exports_are_published(user):
        return 0
    return int(current_app.config.get("BOARD_SUPPRESS_BELOW", 5))


def shown(value: int, threshold: int) -> int | str:
    return SUPPRESSED if 0 < value < threshold else value


def table_rows(table: Table, threshold: int) -> Iterable[list[int | str]]:
    yield [table.row_heading, *table.columns]
    for row in table.rows:
        yield [row.label, *(shown(v, threshold) for v in row.values)]


def table_csv(table: Table, threshold: int) -> str:
    return csv_text(table_rows(table, threshold))


def workbook(collection: Collection, threshold: int) -> bytes:
    """One sheet per table, named by its code, as councils submit the return."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    for table in collection.tables:
        sheet = book.create_sheet(table.code)
        sheet.append(safe_row([f"{table.code}: {table.title}"]))
        sheet.append(safe_row([table.counts]))
        sheet.append(safe_row([f"Financial year {collection.label}"]))
        sheet.append(safe_row([]))
        for values in table_rows(table, threshold):
            sheet.append(safe_row(values))
        for cell in (sheet["A1"], *sheet[5]):
            cell.font = bold
        sheet.column_dimensions["A"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
