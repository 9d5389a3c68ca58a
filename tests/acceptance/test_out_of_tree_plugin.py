"""A third-party plugin installed through the ``safeguarding_hub.plugins`` entry point,
written outside the repository and used with no change to the core: a schools plugin
with one form and one report, found by importlib.metadata as if pip had installed it."""

from __future__ import annotations

import sys
import textwrap

import pytest

from core.auth.roles import Role
from tests.agencies.helpers import error_messages, load_demo, post_form

PLUGIN = textwrap.dedent(
    '''
    """Schools: a pupil welfare check on a concern, and the pupils missing school."""

    from plugins import AgencyType, Report, ReportTable, Role, hookimpl
    from plugins.forms import FormDefinition, FormSchema, choice, date, integer


    class WelfareCheck(FormSchema):
        checked_on = date("Date of the welfare check")
        attendance = integer("Attendance this term (%)", minimum=0, maximum=100)
        seen_by = choice(
            "Seen by",
            [("dsl", "Designated safeguarding lead"), ("teacher", "Class teacher")],
        )


    def low_attendance(query):
        found = sorted(
            (check.answers["checked_on"], check.answers["attendance"])
            for check in query.submissions("schools.welfare_check")
            if check.answers["attendance"] < 90
        )
        return ReportTable(("Checked on", "Attendance %"), sorted(found, key=lambda r: r[1]))


    @hookimpl
    def register_agency_types():
        return [AgencyType("school", "School", "A maintained school or academy.")]


    @hookimpl
    def register_forms():
        return [
            FormDefinition(
                "schools.welfare_check",
                "Pupil welfare check",
                WelfareCheck,
                attaches_to="concern",
                writers=frozenset({"school"}),
            )
        ]


    @hookimpl
    def register_reports():
        return [
            Report(
                "schools.low_attendance",
                "Pupils with low attendance",
                "Welfare checks where attendance this term is under 90%.",
                frozenset({Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER}),
                low_attendance,
            )
        ]
    '''
)


@pytest.fixture
def installed_schools_plugin(tmp_path, monkeypatch):
    """What ``pip install safeguarding-hub-schools`` leaves behind: the package and its
    dist-info with the entry point, on the import path."""
    (tmp_path / "safeguarding_schools").mkdir()
    (tmp_path / "safeguarding_schools" / "__init__.py").write_text(PLUGIN)
    dist = tmp_path / "safeguarding_hub_schools-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: safeguarding-hub-schools\nVersion: 0.1.0\n"
    )
    (dist / "entry_points.txt").write_text(
        "[safeguarding_hub.plugins]\nschools = safeguarding_schools\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield
    sys.modules.pop("safeguarding_schools", None)


def test_an_installed_plugin_adds_a_form_and_a_report_without_touching_the_core(
    installed_schools_plugin, app_factory
):
    from core.policy.routes import routes_without_permission

    app = app_factory(LOAD_ENTRYPOINT_PLUGINS=True, PLUGINS_ALLOW=["schools"])
    listing = app.test_cli_runner().invoke(args=["plugins", "list"]).output
    assert "schools [entry point]" in listing
    assert "register_forms, register_reports" in listing
    assert routes_without_permission(app) == []

    demo = load_demo(app, app.test_cli_runner())
    from tests.conftest import Factory

    school = Factory(app).agency(name="Northshire Academy", type="school")
    Factory(app).user(Role.AGENCY_PRACTITIONER, email="dsl@academy.example", agency_id=school)
    concern = demo.concern(child=True)
    demo.agencies["Northshire Academy"] = school
    demo.involve(concern["id"], "Northshire Academy")

    from tests.conftest import TEST_PASSWORD, csrf_token

    client = app.test_client()
    client.post(
        "/sign-in",
        data={
            "email": "dsl@academy.example",
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token(client, "/sign-in"),
        },
    )
    url = f"/forms/schools.welfare_check/new/{concern['id']}"
    page = client.get(url).get_data(as_text=True)
    assert "Pupil welfare check" in page and "Attendance this term (%)" in page

    refused = post_form(
        client, url, {"checked_on": ["3", "11", "2026"], "attendance": "lots", "seen_by": ""}
    )
    assert refused.status_code == 200
    assert error_messages(refused.get_data(as_text=True)) == {
        "Attendance this term (%) must be a whole number, like 12",
        "Select seen by",
    }
    saved = post_form(
        client, url, {"checked_on": ["3", "11", "2026"], "attendance": "72", "seen_by": "dsl"}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)

    officer = demo.page("officer@demo.example")
    assert "Pupils with low attendance" in officer.get("/reports/").get_data(as_text=True)
    csv_text = officer.get("/reports/schools.low_attendance/export.csv").get_data(as_text=True)
    assert csv_text.splitlines() == ["Checked on,Attendance %", "2026-11-03,72"]
