"""CSV and Excel exports of the returns, with small counts suppressed for the board."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from flask import current_app

from core.clocks import to_local
from core.policy.figures import exports_are_published
from core.returns.dashboard import Counted
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


def counted_line(counted: Counted[Any]) -> str:
    """When the figures were counted, as the pages say it (``counted_note``)."""
    at = to_local(counted.counted_at).strftime("%-d %B %Y, %H:%M")
    how = "from the records" if counted.directly else "from the figures summary"
    return f"Figures counted at {at}, {how}."


def table_csv(table: Table, threshold: int, counted: Counted[Any]) -> str:
    """The table, then a blank row and when its figures were counted."""
    return csv_text([*table_rows(table, threshold), [], [counted_line(counted)]])


SIGN_OFF = (
    "Local authority",
    "Name of the person signing off",
    "Job title",
    "Email address",
    "Date signed off",
)
VOLUNTARY_COLOUR = "DDEBF7"  # the template's blue cells


def workbook(collection: Collection, threshold: int, counted: Counted[Any] | None = None) -> bytes:
    """The submission's layout: a Sign Off sheet to complete (SDCS refuses a file without
    it), then one sheet per table named by its code, with the voluntary cells shaded blue
    and the mandatory ones white, as the SAC data template marks them; each says when its
    figures were counted."""
    # imported on first use: openpyxl adds about 8 MB to every worker, for one export
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    voluntary_fill = PatternFill("solid", start_color=VOLUNTARY_COLOUR)
    book = Workbook()
    sign_off = book.active
    assert sign_off is not None
    sign_off.title = "Sign Off"
    sign_off.append(safe_row([f"Safeguarding Adults Collection {collection.label}: sign off"]))
    sign_off.append(safe_row([]))
    for label in SIGN_OFF:
        sign_off.append(safe_row([label, ""]))
    sign_off["A1"].font = Font(bold=True)
    sign_off.column_dimensions["A"].width = 40
    sign_off.column_dimensions["B"].width = 50
    bold = Font(bold=True)
    for table in collection.tables:
        sheet = book.create_sheet(table.code)
        sheet.append(safe_row([f"{table.code}: {table.title}"]))
        sheet.append(safe_row([table.counts]))
        when = f" {counted_line(counted)}" if counted is not None else ""
        about = f"Financial year {collection.label}. Blue cells are voluntary.{when}"
        sheet.append(safe_row([about]))
        sheet.append(safe_row([]))
        for values in table_rows(table, threshold):
            sheet.append(safe_row(values))
        for cell in (sheet["A1"], *sheet[5]):
            cell.font = bold
        for index, voluntary in enumerate(table.voluntary, start=2):
            if voluntary:
                for (cell,) in sheet.iter_rows(min_row=5, min_col=index, max_col=index):
                    cell.fill = voluntary_fill
        sheet.column_dimensions["A"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
