"""Access is decided in one place: no role is compared outside ``core/policy/`` (the
route permissions and the object rules). Views, operations and templates ask the policy
(``user_can``, ``second_factor_required``, the ``core.policy`` modules)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "core" / "policy"

# A role compared with a role, a set of roles or a role's name, in Python or Jinja.
ROLE_COMPARISON = re.compile(
    r"""\brole(?:\.value)?\s*(?:==|!=|\bnot\s+in\b|\bin\b)\s*(?:Role\.|[A-Z_]*ROLES\b|[A-Z_]+\b|\w+\.roles\b|["'(\[{])"""
    r"""|\bRole\.[A-Z_]+\s*(?:==|!=)"""
)


def role_comparisons(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if ROLE_COMPARISON.search(line)]


def test_no_role_is_compared_outside_the_policy():
    found = []
    for folder in ("core", "plugins", "agencies"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in {".py", ".html"} or POLICY in path.parents:
                continue
            found += [
                f"{path.relative_to(ROOT)}: {line}"
                for line in role_comparisons(path.read_text("utf-8"))
            ]
    assert found == []


@pytest.mark.parametrize(
    "line",
    [
        "if current_user.role == Role.AUDITOR:",
        "if user.role not in report.roles:",  # caught: a role's membership is decided
        "return user.role in SECOND_FACTOR_ROLES",
        '{% if current_user.role == "auditor" %}',
        '{% if user.role.value in ("administrator", "board_member") %}',
        ".where(User.role == Role.AUDITOR)",
        "if Role.BOARD_MEMBER == user.role:",
    ],
)
def test_the_check_catches_the_comparisons_that_were_moved(line):
    assert role_comparisons(line) == [line]


@pytest.mark.parametrize(
    "line",
    [
        'click.echo(f"Created user {user.id} ({user.role.value})")',
        "role = current_user.role",
        'if "role" in values and values["role"] != user.role:',
        "ROLE_VALUES = [role.value for role in Role]",
    ],
)
def test_using_a_role_without_deciding_access_is_not_flagged(line):
    assert role_comparisons(line) == []
