"""The hook contract: every hook is documented (docstring and docs/plugins.md with its
exact signature) and has a test of its own, named ``test_hook_<hook>_…``, below."""

from __future__ import annotations

import inspect
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Blueprint

from core.accesslog.models import AccessLogEntry
from core.auth.roles import Role
from core.extensions import db
from plugins import (
    AgencyType,
    CasePanel,
    ChronologyEntry,
    MeetingType,
    NavigationItem,
    PanelRow,
    Permission,
    ProposedInvitee,
    RecordType,
    Report,
    ReportTable,
    hookimpl,
    hookspecs,
    record,
    requires,
)
from plugins.forms import FormDefinition, FormSchema, integer
from plugins.manager import PluginLoadError
from tests.agencies.helpers import load_demo
from tests.support.clock import set_now

ROOT = Path(__file__).resolve().parents[2]
DOCS = (ROOT / "docs" / "plugins.md").read_text()


def _hooks() -> dict[str, object]:
    return {
        name: function
        for name, function in vars(hookspecs).items()
        if callable(function) and hasattr(function, "safeguarding_hub_spec")
    }


def _signature(name: str, function: object) -> str:
    signature = inspect.signature(function)  # annotations are strings (postponed)
    params = ", ".join(f"{p.name}: {p.annotation}" for p in signature.parameters.values())
    return f"def {name}({params}) -> {signature.return_annotation}"


@pytest.mark.tooling
def test_every_hook_is_documented_with_its_exact_signature():
    hooks = _hooks()
    assert len(hooks) == 19
    for name, function in hooks.items():
        doc = inspect.getdoc(function) or ""
        assert "Called" in doc, f"{name}: say when it is called"
        for parameter in inspect.signature(function).parameters:
            assert f":param {parameter}:" in doc, f"{name}: document {parameter}"
        if inspect.signature(function).return_annotation != "None":
            assert ":return:" in doc, f"{name}: say what to return"
        assert f"### `{name}`" in DOCS, f"{name} has no section in docs/plugins.md"
        assert _signature(name, function) in DOCS, f"{name}: signature not in docs/plugins.md"


@pytest.mark.tooling
def test_every_hook_has_a_test_of_its_own():
    names = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        names.update(re.findall(r"^def (test_hook_\w+)", path.read_text(), re.MULTILINE))
    for hook in _hooks():
        assert any(n.startswith(f"test_hook_{hook}_") for n in names), f"no test for {hook}"


# --- One throwaway plugin per hook ---------------------------------------------------------


class Counter(FormSchema):
    pupils = integer("Pupils on roll", minimum=1, maximum=5000)


class Everything:
    """Implements every hook; records what the event hooks were told."""

    __name__ = "test.everything"

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    @hookimpl
    def configure_app(self, app):
        app.config.setdefault("EVERYTHING_LIMIT", 7)

    @hookimpl
    def register_agency_types(self):
        return [AgencyType("youth_service", "Youth service")]

    @hookimpl
    def register_permissions(self):
        return [Permission("everything.view", "See it", frozenset({Role.SAFEGUARDING_OFFICER}))]

    @hookimpl
    def register_meeting_types(self):
        return [MeetingType("professionals_meeting", "Professionals meeting", audience="child")]

    @hookimpl
    def register_blueprints(self):
        bp = Blueprint("everything", __name__, url_prefix="/everything")

        @bp.route("/")
        @requires("everything.view")
        def index():
            return "everything"

        @bp.route("/visits/<int:visit_id>")
        @requires("everything.view")
        @record("everything_visit", argument="visit")
        def visit(visit):
            return visit["title"]

        @bp.route("/visits/<int:visit_id>/edit")
        @requires("everything.view")
        @record("everything_visit", "update", argument="visit")
        def edit_visit(visit):
            return f"changed {visit['title']}"

        return [bp]

    @hookimpl
    def register_resources(self):
        # two home visits the officers see; only the first may be changed
        visits = {1: {"id": 1, "title": "Visit one"}, 2: {"id": 2, "title": "Visit two"}}
        return [
            RecordType(
                "everything_visit",
                "visit_id",
                lambda user, visit_id, loaded: visits.get(visit_id),
                rules={"update": lambda user, visit: visit["id"] == 1},
            )
        ]

    @hookimpl
    def register_api_blueprints(self, api):
        blp = api.Blueprint("everything_api", __name__, url_prefix="/everything")

        @blp.route("/", methods=["GET"])
        @requires("everything.view")
        def read():
            """Everything."""
            return {"ok": True}

        return [blp]

    @hookimpl
    def register_forms(self):
        return [
            FormDefinition(
                "everything.roll",
                "School roll",
                Counter,
                attaches_to="agency",
                writers=frozenset({"education"}),
            )
        ]

    @hookimpl
    def register_reports(self):
        return [
            Report(
                "everything.tally",
                "Tally",
                "Counts to three",
                frozenset({Role.SAFEGUARDING_OFFICER}),
                lambda query: ReportTable(("n",), [(1,), (2,), (3,)]),
            )
        ]

    @hookimpl
    def invitation_rules(self, context):
        if context.meeting_type == "professionals_meeting":
            return [ProposedInvitee("Youth work knows the family", agency_type="youth_service")]
        return []

    @hookimpl
    def navigation_items(self, user):
        return [NavigationItem("Everything", "everything.index", "everything.view", order=60)]

    @hookimpl
    def case_panels(self, concern, user):
        return [CasePanel("Everything panel", (PanelRow("Reference", concern.reference),))]

    @hookimpl
    def chronology_entries(self, concern, forms):
        # a home visit on the day the case was received, from the referrer's agency; the
        # forms it may read are those the reader may read
        assert forms.history("everything.roll") == []
        return [
            ChronologyEntry(
                date(2026, 11, 20),
                concern.referrer_agency_id,
                "everything.visit",
                "Home visit",
                f"Visited about {concern.reference}",
                "key",
            )
        ]

    @hookimpl
    def concern_recorded(self, concern):
        self.events.append(("recorded", concern))

    @hookimpl
    def case_closed(self, concern):
        self.events.append(("closed", concern))

    @hookimpl
    def meeting_held(self, meeting):
        self.events.append(("held", meeting))

    @hookimpl
    def plan_reviewed(self, plan):
        self.events.append(("reviewed", plan))

    @hookimpl
    def case_purging(self, case, connection):
        self.events.append(("purging", case))


@pytest.fixture
def everything(app_factory):
    plugin = Everything()
    app = app_factory(EXTRA_PLUGINS=[plugin])
    demo = load_demo(app, app.test_cli_runner())
    return plugin, app, demo


def test_hook_configure_app_adds_a_setting(everything):
    _, app, _ = everything
    assert app.config["EVERYTHING_LIMIT"] == 7


def test_hook_register_agency_types_adds_a_type(everything):
    _, app, _ = everything
    assert "youth_service" in app.extensions["safeguarding_hub"].agency_types


def test_hook_register_permissions_grants_a_route(everything):
    _, _, demo = everything
    assert demo.page("officer@demo.example").get("/everything/").status_code == 200
    assert demo.page("police@demo.example").get("/everything/").status_code == 403


def test_hook_register_blueprints_serves_pages(everything):
    _, _, demo = everything
    assert demo.page("officer@demo.example").get("/everything/").get_data(as_text=True) == (
        "everything"
    )


def test_hook_register_api_blueprints_serves_the_api(everything):
    _, _, demo = everything
    assert demo.officer.get("/api/v1/everything/").json == {"ok": True}


def test_hook_register_resources_loads_authorises_and_logs_the_plugin_s_records(everything):
    _, app, demo = everything
    officer = demo.page("officer@demo.example")
    assert officer.get("/everything/visits/1").get_data(as_text=True) == "Visit one"
    assert officer.get("/everything/visits/99").status_code == 404
    assert officer.get("/everything/visits/2/edit").status_code == 403
    assert officer.get("/everything/visits/1/edit").get_data(as_text=True) == "changed Visit one"
    with app.app_context():
        refused = db.session.execute(
            sa.select(AccessLogEntry.action, AccessLogEntry.object_type, AccessLogEntry.object_id)
            .where(AccessLogEntry.outcome == "denied", AccessLogEntry.action.like("everything%"))
            .order_by(AccessLogEntry.id)
        ).all()
    assert [tuple(row) for row in refused] == [
        ("everything_visit.view", "everything_visit", "99"),
        ("everything_visit.update", "everything_visit", "2"),
    ]


def test_hook_register_resources_refuses_a_name_the_platform_uses(app_factory):
    class Clash:
        __name__ = "test.clash_resource"

        @hookimpl
        def register_resources(self):
            return [RecordType("concern", "concern_id", lambda user, concern_id, loaded: None)]

    with pytest.raises(PluginLoadError, match="Record type 'concern' is declared twice"):
        app_factory(EXTRA_PLUGINS=[Clash()])


def test_hook_register_meeting_types_adds_a_type(everything):
    _, _, demo = everything
    codes = {t["code"] for t in demo.officer.get("/api/v1/meeting-types/").json}
    assert "professionals_meeting" in codes


def test_hook_invitation_rules_proposes_with_a_reason(everything):
    from core.agencies.operations import create_agency
    from core.concerns.models import Concern
    from core.meetings.operations import propose_invitees

    _, app, demo = everything
    concern = demo.concern(child=True)
    with app.test_request_context():
        create_agency(name="Northshire Youth", type="youth_service")
        found = db.session.get(Concern, concern["id"])
        proposal = propose_invitees("professionals_meeting", [found])
    assert {p.agency.name: p.reason for p in proposal.invitees}["Northshire Youth"] == (
        "Youth work knows the family"
    )


def test_hook_navigation_items_adds_a_link(everything):
    _, _, demo = everything
    assert 'href="/everything/"' in demo.page("officer@demo.example").get("/").get_data(
        as_text=True
    )


def test_hook_register_forms_gives_the_form_a_page_and_api(everything):
    _, _, demo = everything
    forms = {f["name"]: f for f in demo.officer.get("/api/v1/forms/").json}
    assert forms["everything.roll"]["fields"][0]["label"] == "Pupils on roll"
    assert forms["everything.roll"]["writers"] == ["education"]


def test_hook_register_forms_refuses_a_clash_and_a_bad_form(app_factory):
    class Clash:
        __name__ = "test.clash"

        @hookimpl
        def register_forms(self):
            from agencies.police.forms import INVESTIGATION

            return [INVESTIGATION]

    with pytest.raises(PluginLoadError, match=r"form 'police\.investigation'"):
        app_factory(EXTRA_PLUGINS=[Clash()])

    class BadName:
        __name__ = "test.bad"

        @hookimpl
        def register_forms(self):
            return [FormDefinition("Roll", "Roll", Counter, "agency", frozenset({"police"}))]

    with pytest.raises(PluginLoadError, match=r"'<plugin>\.<form>'"):
        app_factory(EXTRA_PLUGINS=[BadName()])


def test_hook_register_reports_lists_runs_and_exports(everything):
    _, _, demo = everything
    officer = demo.page("officer@demo.example")
    assert "Tally" in officer.get("/reports/").get_data(as_text=True)
    assert officer.get("/reports/everything.tally/export.csv").get_data(as_text=True) == (
        "n\r\n1\r\n2\r\n3\r\n"
    )
    manager = demo.page("manager@demo.example")
    assert "Tally" not in manager.get("/reports/").get_data(as_text=True)
    assert manager.get("/reports/everything.tally").status_code == 404


def test_hook_case_panels_adds_a_panel_to_the_case_page(everything):
    _, _, demo = everything
    concern = demo.concern()
    page = demo.page("officer@demo.example").get(f"/concerns/{concern['id']}")
    text = page.get_data(as_text=True)
    assert "Everything panel" in text and concern["reference"] in text


def test_hook_chronology_entries_adds_events_to_the_chronology(everything):
    _, _, demo = everything
    concern = demo.concern()
    url = f"/api/v1/concerns/{concern['id']}/chronology"
    events = demo.officer.get(url).json["events"]
    [visit] = [e for e in events if e["kind"] == "everything.visit"]
    assert visit["summary"] == f"Visited about {concern['reference']}"
    assert visit["kind_label"] == "Home visit" and visit["significance"] == "key"
    assert demo.officer.get(url + "?kind=everything.visit").json["events"] == [visit]
    with pytest.raises(ValueError, match="significance"):
        ChronologyEntry(date(2026, 1, 1), None, "x.y", "X", "x", "urgent")


def test_hook_concern_recorded_is_told_about_the_new_concern(everything):
    plugin, _, demo = everything
    concern = demo.concern(crime_suspected=True)
    [(_, summary)] = [e for e in plugin.events if e[0] == "recorded"]
    assert summary.id == concern["id"] and summary.crime_suspected is True


def test_hook_case_closed_is_told_the_outcome(everything):
    plugin, _, demo = everything
    concern = demo.concern(msp_asked="asked_expressed")
    closed = demo.officer.post(
        f"/api/v1/concerns/{concern['id']}/closure",
        json={
            "risk_outcome": "identified_action",
            "risk_after_action": "reduced",
            "msp_achieved": "partially",
            "feedback_person_on": "2026-11-20",
            "feedback_person_method": "Home visit",
        },
    )
    assert closed.status_code == 200, closed.json
    [(_, summary)] = [e for e in plugin.events if e[0] == "closed"]
    assert summary.id == concern["id"] and summary.risk_outcome == "identified_action"


def test_hook_concern_recorded_raising_saves_nothing(app_factory):
    class Refuse:
        __name__ = "test.refuse"

        @hookimpl
        def concern_recorded(self, concern):
            raise RuntimeError("refused by plugin")

    app = app_factory(EXTRA_PLUGINS=[Refuse()])
    demo = load_demo(app, app.test_cli_runner())
    with pytest.raises(RuntimeError, match="refused by plugin"):
        demo.concern()
    with app.app_context():
        from core.concerns.models import Concern

        assert db.session.scalar(sa.select(sa.func.count()).select_from(Concern)) == 0


def test_hook_meeting_held_is_told_about_the_meeting(everything):
    plugin, _, demo = everything
    concern = demo.concern(child=True)
    meeting = demo.officer.post(
        "/api/v1/meetings/",
        json={
            "type": "strategy_discussion",
            "concern_ids": [concern["id"]],
            "starts_at": "2026-11-21T10:00:00+00:00",
            "venue": "County Hall",
        },
    ).json
    outcomes = [
        {"invitation_id": i["id"], "outcome": "attended_in_person"} for i in meeting["invitations"]
    ]
    held = demo.officer.post(f"/api/v1/meetings/{meeting['id']}/held", json={"outcomes": outcomes})
    assert held.status_code == 200, held.json
    [(_, seen)] = [e for e in plugin.events if e[0] == "held"]
    assert seen.id == meeting["id"] and seen.concern_ids == (concern["id"],)


def test_hook_plan_reviewed_is_told_about_the_review(everything):
    plugin, _, demo = everything
    concern = demo.concern(child=False)
    plan = demo.officer.post("/api/v1/plans/", json={"concern_id": concern["id"]}).json
    today = plan["started_on"]
    reviewed = demo.officer.post(
        f"/api/v1/plans/{plan['id']}/reviews",
        json={"reviewed_on": today, "attendees": "Officer; the person", "decision": "amend"},
    )
    assert reviewed.status_code == 201, reviewed.json
    [(_, seen)] = [e for e in plugin.events if e[0] == "reviewed"]
    assert (seen.id, seen.kind, seen.concern_id, seen.decision) == (
        plan["id"],
        "adult_safeguarding",
        concern["id"],
        "amend",
    )
    assert seen.reviewed_on == date.fromisoformat(today)
    assert seen.next_review_due is not None


def test_hook_register_migrations_brings_the_plugin_s_own_branch(app_factory, tmp_path):
    """A plugin's own tables arrive with its Alembic branch: `upgrade heads` creates them
    beside the core's, and `downgrade <branch>@base` removes them alone."""
    from flask_migrate import downgrade, upgrade

    from tests.plugins.branch_plugin import BranchPlugin, home_visits

    app = app_factory(EXTRA_PLUGINS=[BranchPlugin()])
    with app.app_context():
        upgrade(revision="heads")
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"branch_plugin_home_visits", "concerns", "plans"} <= tables
        heads = db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()
        assert "b1a2c3d4e5f6" in set(heads)
        db.session.execute(home_visits.select()).all()  # the plugin's table is usable
        db.session.commit()
        downgrade(revision="branch_plugin@base")
        tables = set(sa.inspect(db.engine).get_table_names())
        assert "branch_plugin_home_visits" not in tables and "concerns" in tables
        db.session.remove()
        db.engine.dispose()

    class Missing:
        __name__ = "test.missing_migrations"

        @hookimpl
        def register_migrations(self):
            return [str(tmp_path / "nowhere")]

    with pytest.raises(PluginLoadError, match="does not exist"):
        app_factory(EXTRA_PLUGINS=[Missing()])


class WithoutPurging:
    """The branch plugin's table, but no ``case_purging``: its rows block a purge."""

    __name__ = "test.branch_plugin_without_purging"

    @hookimpl
    def register_migrations(self) -> list[str]:
        from tests.plugins.branch_plugin import VERSIONS

        return [VERSIONS]


def test_hook_case_purging_removes_a_plugin_s_rows_in_the_purge_transaction(app_factory):
    """A plugin table that refers to a case: without ``case_purging`` the purge stops and
    nothing of the case is deleted; with it the plugin's rows go with the case."""
    from flask_migrate import downgrade, upgrade

    from core.concerns.models import CaseNote, Concern
    from tests.plugins.branch_plugin import BranchPlugin, home_visits
    from tests.safety.test_retention import TODAY, Council, _at

    plugin = BranchPlugin()
    set_now(TODAY)
    app = app_factory(EXTRA_PLUGINS=[plugin])
    with app.app_context():
        upgrade(revision="heads")
        db.session.remove()
    try:
        _, concern_id = Council(app).case("Ada", received=_at(2015), closed=_at(2019, 3))
        with app.app_context():
            person_id = db.session.get(Concern, concern_id).person_id
            db.session.execute(
                home_visits.insert().values(concern_id=concern_id, visited_on=date(2015, 2, 1))
            )
            db.session.commit()

        set_now(TODAY)

        blocked = app_factory(EXTRA_PLUGINS=[WithoutPurging()])
        stopped = blocked.test_cli_runner().invoke(args=["retention", "run"])
        assert stopped.exit_code == 1 and "IntegrityError" in repr(stopped.exception)
        with app.app_context():
            assert db.session.get(Concern, concern_id) is not None
            assert db.session.scalar(
                sa.select(sa.func.count()).where(CaseNote.concern_id == concern_id)
            )

        purged = app.test_cli_runner().invoke(args=["retention", "run"])
        assert purged.exit_code == 0, purged.output
        [case] = plugin.purged
        assert (case.concern_id, case.person_ids, case.plan_ids, case.meeting_ids) == (
            concern_id,
            (person_id,),
            (),
            (),
        )
        with app.app_context():
            assert db.session.get(Concern, concern_id) is None
            assert db.session.execute(home_visits.select()).all() == []
            db.session.remove()
    finally:
        with app.app_context():
            downgrade(revision="branch_plugin@base")
            db.session.remove()
