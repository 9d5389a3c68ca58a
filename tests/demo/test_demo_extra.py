"""Faker is the demo extra, not a runtime requirement: without it the app and its CLI
start, and `demo load` says how to get it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

WITHOUT_FAKER = """
import sys
sys.modules["faker"] = None  # as if the demo extra were not installed
from click.testing import CliRunner
from core import create_app
from tests.support.database import base_config

app = create_app(base_config() | {"SQLALCHEMY_DATABASE_URI": "sqlite:///%s"})
runner = app.test_cli_runner()
print("help", runner.invoke(args=["--help"]).exit_code)
upgraded = runner.invoke(args=["db", "upgrade", "heads"])
print("upgrade", upgraded.exit_code)
loaded = runner.invoke(args=["demo", "load"])
print("load", loaded.exit_code)
print(loaded.output)
"""

pytestmark = pytest.mark.tooling  # about the code base: run once, on SQLite


def test_the_app_starts_without_the_demo_extra_and_demo_load_says_what_to_install(tmp_path):
    script = WITHOUT_FAKER % (tmp_path / "plain.sqlite3")
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:3] == ["help 0", "upgrade 0", "load 1"], done.stdout
    assert "install the demo extra (pip install 'safeguarding-hub[demo]'" in done.stdout
