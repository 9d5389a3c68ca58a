"""A quiet start: the ``flask`` commands ``make run`` uses, and the app making a PDF, print
no library progress lines (WeasyPrint's and fontTools' INFO) and no warnings, at the
default log level."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).with_name("flask")

MAKE_A_PDF = """
from core import create_app
from core.pdf import html_to_pdf

app = create_app()
with app.app_context():
    pdf = html_to_pdf("<h1>Board pack</h1><p>Quarter 3</p>")
print("pdf", pdf[:5].decode())
"""

# the libraries' own progress lines at INFO (core/__init__.py, QUIET_LIBRARIES)
LIBRARY_PROGRESS = ("INFO:weasyprint", "INFO:fontTools", "INFO:alembic.runtime.plugins")

pytestmark = pytest.mark.tooling  # about the code base: run once, on SQLite


def _environment(tmp_path: Path) -> dict[str, str]:
    keep = {name: value for name, value in os.environ.items() if name != "LOG_LEVEL"}
    return keep | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'quiet.sqlite3'}",
        "PYTHONWARNINGS": "default",  # show any warning, as a fresh install would
    }


def _run(command: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        command,
        cwd=ROOT,
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_flask_commands_print_no_library_noise_or_warnings(tmp_path):
    for args in (["db", "upgrade", "heads"], ["plugins", "list"], ["agencies", "types"]):
        done = _run([str(FLASK), "--app", "core", *args], tmp_path)
        noise = [
            line
            for line in done.stderr.splitlines()
            if "Warning" in line or line.startswith(LIBRARY_PROGRESS)
        ]
        assert noise == [], (args, done.stderr)


def test_making_a_pdf_prints_no_weasyprint_or_fonttools_progress(tmp_path):
    done = _run([sys.executable, "-c", MAKE_A_PDF], tmp_path)
    assert done.stdout.strip() == "pdf %PDF-"
    assert "weasyprint" not in done.stderr.lower(), done.stderr
    assert "fonttools" not in done.stderr.lower(), done.stderr
    assert "Warning" not in done.stderr, done.stderr
