"""No CSV or Excel cell an export writes can run as a formula in a spreadsheet program."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from core.auth.models import Agency
from core.extensions import db
from core.returns.export import workbook
from core.returns.periods import Period
from core.returns.sac import Collection, Row, Table
from core.spreadsheet import csv_text, safe_cell
from tests.audits.helpers import build_audit_world

ROOT = Path(__file__).resolve().parents[2]
EVIL = '=HYPERLINK("http://evil.example","x")'


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (EVIL, "'" + EVIL),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3+cmd|x", "'-2+3+cmd|x"),
        ("@SUM(1,1)", "'@SUM(1,1)"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("-0.25", "-0.25"),  # a number stays a number
        ("12", "12"),
        ("Northshire Police", "Northshire Police"),
        (7, 7),
        (None, None),
    ],
)
def test_a_cell_that_could_run_is_written_as_text(value, written):
    assert safe_cell(value) == written


def test_csv_text_neutralises_every_cell():
    rows = list(csv.reader(io.StringIO(csv_text([["name", "rate"], [EVIL, "-0.5"]]))))
    assert rows == [["name", "rate"], ["'" + EVIL, "-0.5"]]


def test_attendance_audit_csv_neutralises_an_agency_name(app, factory):
    audit_world = build_audit_world(app, factory)
    with app.app_context():
        db.session.get(Agency, audit_world.world.agencies["police"]).name = EVIL
        db.session.commit()
    manager = audit_world.manager
    audit = manager.post(
        "/api/v1/audits/attendance/",
        json={"period_start": "2026-01-01", "period_end": "2026-06-30"},
    ).json
    response = manager.get(f"/api/v1/audits/attendance/{audit['id']}?format=csv")
    names = [r["agency_name"] for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))]
    assert "'" + EVIL in names and EVIL not in names


def test_returns_workbook_writes_no_formula(app):
    table = Table(
        code="SG1",
        title=EVIL,
        counts="Concerns",
        row_heading="-Heading",
        columns=("=A1",),
        rows=[Row(label="@label", values=[3])],
    )
    collection = Collection(2025, Period(date(2025, 4, 1), date(2026, 3, 31)), [table])
    with app.app_context():
        book = load_workbook(io.BytesIO(workbook(collection, 0)))
    cells = [c for row in book["SG1"].iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {"SG1: " + EVIL, "'-Heading", "'=A1", "'@label", 3} <= {c.value for c in cells}


def test_every_export_writes_through_the_one_helper():
    """A new export that opens its own csv writer or worksheet would skip the guard."""
    found = []
    for folder in ("core", "plugins", "agencies"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "spreadsheet.py":
                continue
            text = path.read_text()
            if re.search(r"csv\.(writer|DictWriter)\(", text):
                found.append(str(path.relative_to(ROOT)))
            if re.search(r"\.append\((?!safe_row\()", text) and "openpyxl" in text:
                found.append(str(path.relative_to(ROOT)))
    assert found == []
