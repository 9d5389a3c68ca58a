"""Libraries only a few routes need are loaded when first used, not in every worker
(core/pdf.py, core/returns/export.py, core/extensions.py; ARCHITECTURE.md, "Memory"): a
process that has made the app holds none of them, and making a PDF or checking an upload
loads them then, as migrating loads Alembic (tests/support/database.py migrates every test
database through ``flask_migrate.upgrade``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ON_FIRST_USE = ("weasyprint", "pypdf", "openpyxl", "alembic", "flask_migrate")

WORKER = """
import json, sys
from core import create_app

app = create_app()
loaded = {name: name in sys.modules for name in %r}
from core.pdf import html_to_pdf, is_pdf

with app.app_context():
    pdf = html_to_pdf("<h1>Letter</h1>")
print(json.dumps({"after_app": loaded, "pdf_checked": is_pdf(pdf),
                  "after_pdf": {name: name in sys.modules for name in %r}}))
"""

pytestmark = pytest.mark.tooling  # about the code base: run once, on SQLite


def test_an_app_made_has_not_loaded_what_only_a_few_routes_need(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", WORKER % (ON_FIRST_USE, ON_FIRST_USE)],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'lazy.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert not any(seen["after_app"].values()), seen["after_app"]
    # used, they load: the PDF written with WeasyPrint is read back with pypdf
    assert seen["pdf_checked"] is True
    assert seen["after_pdf"]["weasyprint"] and seen["after_pdf"]["pypdf"]
