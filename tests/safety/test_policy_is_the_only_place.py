"""Access is decided in one place: no role is compared outside ``core/policy/`` (the
route permissions and the object rules). Views, operations and templates ask the policy
(``user_can``, ``second_factor_required``, the ``core.policy`` modules)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "core" / "policy"

# A role compared with a role, a set of roles or a role's name, in Python or Jinja,
# whichever way it is written: ``user.role == Role.X``, ``getattr(user, "role") != …``,
# ``role in SOME_ROLES``, ``User.role.in_(…)`` in a query, a role's value in a template.
ROLE = r"""(?:\brole(?:\.value)?|getattr\([^()]*["']role["'][^()]*\))"""
ROLE_COMPARISON = re.compile(
    ROLE + r"""\s*(?:==|!=|\bnot\s+in\b|\bin\b)\s*"""
    r"""(?:Role\.|[A-Z_]*ROLES\b|[A-Z_]+\b|\w+\.roles\b|["'(\[{])"""
    r"""|\bRole\.[A-Z_]+\s*(?:==|!=)"""
    r"""|\.role\.in_\("""
)

pytestmark = pytest.mark.tooling  # about the code base: run once, on SQLite


def role_comparisons(text: str) -> list[str]:
    """Each comparison found, with the words round it (a comparison may span lines)."""
    flat = " ".join(text.split())
    return [flat[max(0, m.start() - 30) : m.end() + 30] for m in ROLE_COMPARISON.finditer(flat)]


def test_no_role_is_compared_outside_the_policy():
    found = []
    for folder in ("core", "plugins", "agencies"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in {".py", ".html"} or POLICY in path.parents:
                continue
            found += [
                f"{path.relative_to(ROOT)}: …{snippet}…"
                for snippet in role_comparisons(path.read_text("utf-8"))
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
        'return export and getattr(user, "role", None) == Role.BOARD_MEMBER',
        'if getattr(user, "role", None) != Role.BOARD_MEMBER:',
        "User.role.in_([Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER])",
        "or chair.role\n            not in (\n                Role.SAFEGUARDING_OFFICER,",
    ],
)
def test_the_check_catches_the_comparisons_that_were_moved(line):
    assert len(role_comparisons(line)) == 1


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
