"""An import inside a function says why it is there (ARCHITECTURE.md, "Layers"): a comment
on its line or just above the imports it opens. Imports hidden in functions were how the
import cycles were got round; the cycles are gone (tests/platform/test_layers.py), and an
import that stays in a function is one with a reason (the app factory's, an optional extra)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "plugins", "agencies")

pytestmark = pytest.mark.tooling  # about the code base: run once, on SQLite


def _explained(lines: list[str], lineno: int) -> bool:
    """A comment on the import's line, or on the line above the run of import (and
    ``try:``) lines it belongs to."""
    if "#" in lines[lineno - 1]:
        return True
    index = lineno - 2
    while index >= 0:
        text = lines[index].strip()
        if text.startswith("#"):
            return True
        if not (text.startswith(("import ", "from ")) or text == "try:"):
            return False
        index -= 1
    return False


def unexplained_imports(root: Path) -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            source = path.read_text()
            lines = source.splitlines()
            for function in ast.walk(ast.parse(source)):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.Import | ast.ImportFrom) and not _explained(
                        lines, node.lineno
                    ):
                        found.append(f"{path.relative_to(root)}:{node.lineno}")
    return sorted(set(found))


def test_every_import_inside_a_function_says_why():
    assert unexplained_imports(ROOT) == []


def test_an_unexplained_one_is_found(tmp_path):
    module = tmp_path / "core" / "area.py"
    module.parent.mkdir()
    module.write_text(
        "import os\n\n\ndef f():\n    # an optional extra\n    import faker\n\n\n"
        "def g():\n    x = 1\n    import json\n    return x\n"
    )
    assert unexplained_imports(tmp_path) == ["core/area.py:11"]
