"""The dependencies are locked: `requirements.lock` (made by `make lock`, pip-compile with
hashes) pins every package `make` installs, and agrees with the ranges in setup.cfg."""

from __future__ import annotations

import configparser
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")
# pip freeze leaves these out: the installer and the build tools it brings
INSTALLER = {"pip", "setuptools", "wheel"}
PROJECT = "safeguarding-hub"

pytestmark = pytest.mark.tooling  # about the code base: run once, on SQLite


def declared(setup_cfg: str, pyproject: str) -> list[Requirement]:
    """Every requirement setup.cfg and the build system declare: runtime, each extra, build."""
    parser = configparser.ConfigParser()
    parser.read_string(setup_cfg)
    lines = parser.get("options", "install_requires").splitlines()
    for extra in parser.options("options.extras_require"):
        lines += parser.get("options.extras_require", extra).splitlines()
    lines += tomllib.loads(pyproject)["build-system"]["requires"]
    return [Requirement(line.strip()) for line in lines if line.strip()]


def pins(lock: str) -> dict[str, str]:
    """Package name (normalised) to its pinned version, each with its hashes."""
    pinned: dict[str, str] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", lock):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{match.group(1)} is pinned without a hash"
            pinned[canonicalize_name(match.group(1))] = match.group(2)
    return pinned


def disagreements(setup_cfg: str, pyproject: str, lock: str) -> list[str]:
    """What setup.cfg asks for that the lock does not give: run `make lock` to mend."""
    pinned = pins(lock)
    found = []
    for requirement in declared(setup_cfg, pyproject):
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None:
            found.append(f"{requirement.name} is not in the lock")
        elif not requirement.specifier.contains(version, prereleases=True):
            asked = f"setup.cfg asks {requirement}"
            found.append(f"{requirement.name}: the lock has {version}, {asked}")
    return found


def _sources() -> tuple[str, str, str]:
    return (
        (ROOT / "setup.cfg").read_text(),
        (ROOT / "pyproject.toml").read_text(),
        LOCK.read_text(),
    )


def test_the_lock_gives_what_setup_cfg_asks_for():
    assert disagreements(*_sources()) == []


def test_a_pin_changed_in_setup_cfg_without_make_lock_is_caught():
    setup_cfg, pyproject, lock = _sources()
    changed = re.sub(r"(?m)^(\s+)Flask>=[^\n]+$", r"\1Flask>=99", setup_cfg, count=1)
    added = setup_cfg.replace("    pytest>=8\n", "    pytest>=8\n    left-pad>=1\n", 1)
    assert changed != setup_cfg and added != setup_cfg
    assert disagreements(changed, pyproject, lock) == [
        "Flask: the lock has " + pins(lock)["flask"] + ", setup.cfg asks Flask>=99"
    ]
    assert disagreements(added, pyproject, lock) == ["left-pad is not in the lock"]


def test_every_pin_has_a_hash_and_the_lock_is_not_empty():
    assert len(pins(LOCK.read_text())) > 50


def test_a_lock_line_without_a_hash_is_refused():
    with pytest.raises(AssertionError, match="flask is pinned without a hash"):
        pins("flask==3.1.3\n    # via safeguarding-hub\n")


@pytest.mark.skipif(
    Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(),
    reason="checks the environment `make` builds (.venv), not this one",
)
def test_the_environment_make_builds_holds_exactly_the_lock():
    """`pip freeze` of the venv equals the lock: nothing more, nothing else."""
    installed = {
        canonicalize_name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if canonicalize_name(dist.metadata["Name"]) != PROJECT
    }
    assert installed == pins(LOCK.read_text())
    assert set(installed) >= INSTALLER
