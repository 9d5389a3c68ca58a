"""Statements a busy request runs are built once, in their modules or at first use
(benchmarks/RESULTS.md, API creation, sixth session). One built at import must not name
an ORM relationship: that configures every mapper at once, before the models a module
does not import exist (``core.auth.tokens`` did: importing ``core.concerns.operations``
first failed, and so did a fresh clone's suite, collecting). Each such module imports
on its own, in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.tooling  # about the code base: run once, on SQLite


@pytest.mark.parametrize(
    "module",
    [
        "core.auth.tokens",
        "core.api.conventions",
        "core.returns.summary",
        "core.accesslog.operations",
        "core.concerns.operations",
    ],
)
def test_a_module_with_statements_built_once_imports_on_its_own(module, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": f"sqlite:///{tmp_path / 'alone.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
