"""The static checks `make test` runs: the repository's semgrep rules catch what they are
for, and the template bug they found stays fixed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from core.auth.roles import Role
from tests.concerns.test_sign_off import MONDAY, Team
from tests.conftest import csrf_token
from tests.support.clock import set_now

ROOT = Path(__file__).resolve().parents[2]
SEMGREP = Path(sys.executable).with_name("semgrep")

BAD_PYTHON = """
import sqlalchemy as sa
from flask import render_template_string
from markupsafe import Markup

def find(session, name):
    session.execute(sa.text(f"SELECT * FROM people WHERE family_name = '{name}'"))
    session.execute(sa.text("SELECT * FROM people WHERE id = " + name))
    session.execute(f"DELETE FROM people WHERE id = {name}")
    return Markup(f"<b>{name}</b>"), render_template_string(name)

def serve(app):
    app.run(debug=True)
"""

GOOD_PYTHON = """
import sqlalchemy as sa

def find(session, name):
    query = sa.text("SELECT * FROM people WHERE family_name = :name")
    return session.execute(query, {"name": name})
"""

BAD_TEMPLATE = """
<p>{{ person.name | safe }}</p>
{{ govukSummaryList({"rows": [{"key": {"text": "By"}, "value": {"html": "By " ~ user.name}}]}) }}
"""


def _semgrep(target: Path) -> list[str]:
    result = subprocess.run(
        [
            str(SEMGREP),
            "scan",
            "--config",
            str(ROOT / ".semgrep" / "rules.yml"),
            "--metrics=off",
            "--disable-version-check",
            "--json",
            "--quiet",
            str(target),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | {"SEMGREP_ENABLE_VERSION_CHECK": "0"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return sorted(
        finding["check_id"].rsplit(".", 1)[-1] for finding in json.loads(result.stdout)["results"]
    )


@pytest.mark.tooling
def test_semgrep_rules_catch_unsafe_sql_markup_debug_and_unescaped_templates(tmp_path):
    (tmp_path / "bad.py").write_text(BAD_PYTHON)
    (tmp_path / "good.py").write_text(GOOD_PYTHON)
    (tmp_path / "bad.html").write_text(BAD_TEMPLATE)
    found = _semgrep(tmp_path)
    assert found == [
        "flask-debug-on",
        "markup-from-formatted-string",
        "render-template-string",
        "sql-built-from-strings",
        "sql-built-from-strings",
        "sql-built-from-strings",
        "template-html-param-from-concatenation",
        "template-safe-filter",
    ]


@pytest.mark.tooling
def test_the_code_base_passes_its_own_semgrep_rules():
    assert _semgrep(ROOT / "core") == []


def test_a_managers_name_is_escaped_on_the_signed_off_case_page(app_factory):
    """The sign-off line used to be joined with ~ and passed as "html": a name holding
    markup came out unescaped."""
    set_now(MONDAY)
    app = app_factory(SCREENING_SIGN_OFF=["*"])
    team = Team(app)
    with app.app_context():
        from core.auth.models import User
        from core.extensions import db

        manager = db.session.execute(
            db.select(User).where(User.role == Role.SAFEGUARDING_MANAGER)
        ).scalar_one()
        manager.name = "<i>Mallory</i>"
        db.session.commit()
    concern = team.concern()
    team.decide_on_page("officer", concern["id"])
    form_url = f"/concerns/{concern['id']}/decision/sign-off"
    client = team.pages["manager"]
    signed = client.post(
        form_url, data={"csrf_token": csrf_token(client, form_url), "outcome": "signed_off"}
    )
    assert signed.status_code == 302
    html = team.pages["officer"].get(f"/concerns/{concern['id']}").get_data(as_text=True)
    assert "<i>Mallory</i>" not in html
    assert "Signed off by <i>Mallory</i>" in unescape(" ".join(html.split()))
