"""The import contracts (.importlinter, run by `make layers`) hold, and they catch what they
are there to catch: a copy of the tree with one deliberate cycle, or an agency importing
the core, breaks them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.tooling  # about the code base: run once, on SQLite


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(tree / ".importlinter")],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def copy_of_the_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packages, the contracts and the contract type of ours, outside the checkout."""
    tree = tmp_path_factory.mktemp("tree")
    ignore = shutil.ignore_patterns("__pycache__", "static", "templates")
    for package in ("core", "plugins", "agencies"):
        shutil.copytree(ROOT / package, tree / package, ignore=ignore)
    (tree / "tests" / "support").mkdir(parents=True)
    for name in ("tests/__init__.py", "tests/support/__init__.py"):
        (tree / name).write_text("")
    shutil.copy(ROOT / "tests/support/import_contracts.py", tree / "tests/support")
    shutil.copy(ROOT / ".importlinter", tree)
    return tree


def edited(tree: Path, module: str, line: str):
    """A context in which ``module`` of the copy has ``line`` added at its end."""
    path = tree / module
    original = path.read_text()

    class Edit:
        def __enter__(self) -> None:
            path.write_text(original + "\n" + line + "\n")

        def __exit__(self, *exc: object) -> None:
            path.write_text(original)

    return Edit()


def test_the_contracts_hold_on_the_tree():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.lower().replace("0 broken", "")


def test_a_copy_of_the_tree_keeps_them_too(copy_of_the_tree):
    result = lint_imports(copy_of_the_tree)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_deliberate_cycle_breaks_the_no_cycle_contract(copy_of_the_tree):
    # core.mail.models is imported by core.mail.operations; making the model import the
    # operations back closes a cycle of two modules, hidden inside a function
    cycle = "def _later():\n    from core.mail import operations  # noqa\n"
    with edited(copy_of_the_tree, "core/mail/models.py", cycle):
        result = lint_imports(copy_of_the_tree)
    assert result.returncode == 1
    assert "No import cycle anywhere in core, plugins and agencies BROKEN" in result.stdout
    assert "core.mail.models -> core.mail.operations" in result.stdout
    assert "core.mail.operations -> core.mail.models" in result.stdout


def test_an_agency_reaching_into_the_core_breaks_the_facade(copy_of_the_tree):
    with edited(copy_of_the_tree, "agencies/police/__init__.py", "import core.concerns.models"):
        result = lint_imports(copy_of_the_tree)
    assert result.returncode == 1
    assert "Agencies use only the plugin API BROKEN" in result.stdout
    assert "agencies.police -> core.concerns.models" in result.stdout


def test_a_helper_reaching_into_an_area_breaks_the_base_contract(copy_of_the_tree):
    with edited(copy_of_the_tree, "core/clocks.py", "from core.concerns import models"):
        result = lint_imports(copy_of_the_tree)
    assert result.returncode == 1
    assert "The shared helpers know no area BROKEN" in result.stdout


def test_the_plugin_api_handing_out_a_core_class_breaks_the_facade(copy_of_the_tree):
    with edited(copy_of_the_tree, "plugins/reports.py", "from core.concerns.models import Concern"):
        result = lint_imports(copy_of_the_tree)
    assert result.returncode == 1
    assert "The plugin API hides the core (it uses only core.clocks) BROKEN" in result.stdout
