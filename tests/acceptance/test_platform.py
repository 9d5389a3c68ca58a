"""Platform acceptance: access log chain, plugins, route declarations, migrations, demo."""

from __future__ import annotations

import itertools
import logging
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Blueprint

import plugins.manager
from core import create_app
from core.accesslog.models import AccessLogEntry
from core.auth.roles import Role
from core.extensions import db
from core.policy.routes import routes_without_permission
from plugins import AgencyType, NavigationItem, Permission, hookimpl, public, requires
from plugins.manager import PluginLoadError
from tests.support.database import (
    base_config,
    drop_append_only_triggers,
    empty_database,
)

# --- Access log --------------------------------------------------------------------------


def _some_activity(auth, client):
    auth.as_role(Role.ADMINISTRATOR)
    client.get("/admin/users/")
    client.get("/admin/agencies/")
    auth.sign_out()


def test_access_log_is_append_only_in_the_database(app, auth, client):
    _some_activity(auth, client)
    with app.app_context(), pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text("UPDATE access_log SET action = 'x' WHERE id = 1"))
    with app.app_context(), pytest.raises(sa.exc.DBAPIError, match="append-only"):
        db.session.execute(sa.text("DELETE FROM access_log WHERE id = 1"))


def test_verify_passes_then_names_the_row_changed_by_sql(
    app, auth, client, runner, restore_triggers
):
    _some_activity(auth, client)
    clean = runner.invoke(args=["access-log", "verify"])
    assert clean.exit_code == 0, clean.output
    assert "intact" in clean.output
    with app.app_context():
        ids = (
            db.session.execute(sa.select(AccessLogEntry.id).order_by(AccessLogEntry.id))
            .scalars()
            .all()
        )
        db.session.commit()  # release the read lock before altering the table
        assert len(ids) >= 4
        target = ids[2]
        with db.engine.begin() as connection:
            drop_append_only_triggers(connection)
            connection.execute(
                sa.text("UPDATE access_log SET action = 'sign_out' WHERE id = :id"), {"id": target}
            )
    broken = runner.invoke(args=["access-log", "verify"])
    assert broken.exit_code == 1
    assert f"row {target}" in broken.output


def test_verify_names_the_row_after_a_deleted_one(app, auth, client, runner, restore_triggers):
    _some_activity(auth, client)
    with app.app_context():
        ids = (
            db.session.execute(sa.select(AccessLogEntry.id).order_by(AccessLogEntry.id))
            .scalars()
            .all()
        )
        db.session.commit()  # release the read lock before altering the table
        with db.engine.begin() as connection:
            drop_append_only_triggers(connection)
            connection.execute(sa.text("DELETE FROM access_log WHERE id = :id"), {"id": ids[1]})
    broken = runner.invoke(args=["access-log", "verify"])
    assert broken.exit_code == 1 and f"row {ids[2]}" in broken.output


def test_each_row_chains_to_the_previous(app, auth, client):
    _some_activity(auth, client)
    with app.app_context():
        rows = (
            db.session.execute(sa.select(AccessLogEntry).order_by(AccessLogEntry.id))
            .scalars()
            .all()
        )
    assert rows[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(rows):
        assert after.prev_hash == before.row_hash


# --- Plugins -----------------------------------------------------------------------------


def test_plugins_list_shows_core_defaults_and_agency_plugins(runner):
    result = runner.invoke(args=["plugins", "list"])
    assert result.exit_code == 0
    for name in (
        "core.defaults [core]",
        "agencies.police [shipped]",
        "agencies.nhs_trust [shipped]",
        "agencies.care_home [shipped]",
    ):
        assert name in result.output
    assert "register_agency_types" in result.output and "register_blueprints" in result.output


class SchoolsPlugin:
    """A throwaway plugin registered for one test only."""

    __name__ = "test.schools"

    @hookimpl
    def register_agency_types(self):
        return [AgencyType("school", "School", "A school or academy")]

    @hookimpl
    def register_permissions(self):
        return [
            Permission("schools.view", "See schools pages", frozenset({Role.SAFEGUARDING_OFFICER}))
        ]

    @hookimpl
    def register_blueprints(self):
        bp = Blueprint("schools", __name__, url_prefix="/schools")

        @bp.route("/")
        @requires("schools.view")
        def index():
            return "schools home"

        @bp.route("/undeclared")
        def undeclared():
            return "should never be served"

        @bp.route("/ghost")
        @requires("no.such.permission")
        def ghost():
            return "should never be served"

        @bp.route("/boom")
        @public
        def boom():
            raise RuntimeError("kaboom")

        return [bp]

    @hookimpl
    def navigation_items(self, user):
        return [NavigationItem("Schools", "schools.index", "schools.view")]

    @hookimpl
    def configure_app(self, app):
        app.config["SCHOOLS_CONFIGURED"] = True


def test_a_throwaway_plugin_is_registered_for_one_test(app_factory, auth):
    app = app_factory(EXTRA_PLUGINS=[SchoolsPlugin()])
    assert app.config["SCHOOLS_CONFIGURED"] is True
    result = app.test_cli_runner().invoke(args=["plugins", "list"])
    assert "test.schools [test]" in result.output
    client = app.test_client()
    from tests.conftest import Auth, Factory

    Auth(client, Factory(app)).as_role(Role.SAFEGUARDING_OFFICER)
    assert client.get("/schools/").get_data(as_text=True) == "schools home"
    assert 'href="/schools/"' in client.get("/").get_data(as_text=True)


def test_the_throwaway_plugin_is_gone_in_the_next_test(app, runner):
    assert "test.schools" not in runner.invoke(args=["plugins", "list"]).output
    assert "school" not in app.extensions["safeguarding_hub"].agency_types


def test_navigation_only_shows_items_the_role_holds(app_factory):
    app = app_factory(EXTRA_PLUGINS=[SchoolsPlugin()])
    from tests.conftest import Auth, Factory

    client = app.test_client()
    Auth(client, Factory(app)).as_role(Role.AUDITOR)
    assert client.get("/schools/").status_code == 403
    assert 'href="/schools/"' not in client.get("/").get_data(as_text=True)


def test_every_route_declares_a_permission(app):
    assert routes_without_permission(app) == []


def test_an_undeclared_route_is_caught_and_refused(app_factory):
    app = app_factory(EXTRA_PLUGINS=[SchoolsPlugin()])
    missing = routes_without_permission(app)
    assert missing == ["/schools/ghost (schools.ghost)", "/schools/undeclared (schools.undeclared)"]
    from tests.conftest import Auth, Factory

    client = app.test_client()
    Auth(client, Factory(app)).as_role(Role.ADMINISTRATOR)
    assert client.get("/schools/undeclared").status_code == 403
    assert client.get("/schools/ghost").status_code == 403
    with app.app_context():
        denied = (
            db.session.execute(
                sa.select(AccessLogEntry.object_id).where(
                    AccessLogEntry.action == "route.undeclared"
                )
            )
            .scalars()
            .all()
        )
    assert denied == ["schools.undeclared", "schools.ghost"]


class TypoPlugin:
    __name__ = "test.typo"

    @hookimpl
    def register_agency_typo(self):
        return []


def test_a_hook_implementation_matching_no_spec_stops_start_up(app_factory):
    with pytest.raises(PluginLoadError, match="register_agency_typo"):
        app_factory(EXTRA_PLUGINS=[TypoPlugin()])


class ClashPlugin:
    __name__ = "test.clash"

    @hookimpl
    def register_agency_types(self):
        return [AgencyType("police", "Another police")]


def test_two_plugins_registering_one_agency_type_stop_start_up(app_factory):
    with pytest.raises(PluginLoadError, match="agency type 'police'"):
        app_factory(EXTRA_PLUGINS=[ClashPlugin()])


def _install_plugin(monkeypatch, tmp_path, name, target):
    """Install a distribution that declares ``name`` in the plugins entry point group."""
    dist = tmp_path / f"{name}_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        f"[{plugins.manager.ENTRY_POINT_GROUP}]\n{name} = {target}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))


def test_an_entry_point_plugin_that_fails_to_import_stops_start_up(
    app_factory, monkeypatch, tmp_path
):
    _install_plugin(monkeypatch, tmp_path, "broken", "no_such_module_xyz")
    with pytest.raises(PluginLoadError, match=r"'broken' .*failed to load: ModuleNotFoundError"):
        app_factory(LOAD_ENTRYPOINT_PLUGINS=True, PLUGINS_ALLOW=["*"])


def test_installed_plugins_load_only_when_allowed(app_factory, monkeypatch, tmp_path):
    _install_plugin(monkeypatch, tmp_path, "example", "tests.acceptance.example_plugin")
    off = app_factory(LOAD_ENTRYPOINT_PLUGINS=True, PLUGINS_ALLOW=[])
    listing = off.test_cli_runner().invoke(args=["plugins", "list"]).output
    assert "example [installed, not enabled" in listing
    assert "probation_service" not in off.extensions["safeguarding_hub"].agency_types
    on = app_factory(LOAD_ENTRYPOINT_PLUGINS=True, PLUGINS_ALLOW=["example"])
    assert "example [entry point]" in on.test_cli_runner().invoke(args=["plugins", "list"]).output
    assert "probation_service" in on.extensions["safeguarding_hub"].agency_types
    denied = app_factory(
        LOAD_ENTRYPOINT_PLUGINS=True, PLUGINS_ALLOW=["*"], PLUGINS_DENY=["example"]
    )
    assert "probation_service" not in denied.extensions["safeguarding_hub"].agency_types


# --- Migrations --------------------------------------------------------------------------


def test_upgrade_on_an_empty_database_gives_exactly_the_models(tmp_path: Path):
    from flask_migrate import downgrade, upgrade

    def drift() -> list:
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, db.metadata)

    with empty_database(tmp_path) as url:
        app = create_app(base_config() | {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            try:
                upgrade()
                assert drift() == []
                downgrade(revision="base")
                upgrade()
                assert drift() == []
            finally:
                db.session.remove()
                db.engine.dispose()


def test_migration_files_are_dated_and_have_real_downgrades():
    versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    files = sorted(versions.glob("*.py"))
    assert files
    for path in files:
        assert re.match(r"\d{4}_\d{2}_\d{2}_[0-9a-f]+_\w+\.py$", path.name), path.name
        source = path.read_text()
        downgrade_body = source.split("def downgrade():", 1)[1]
        assert "op." in downgrade_body or "drop_" in downgrade_body, path.name


# --- Demo data, pages --------------------------------------------------------------------

DEMO_SIGN_INS = [
    "admin@demo.example",
    "officer@demo.example",
    "manager@demo.example",
    "police@demo.example",
    "nhs@demo.example",
    "carehome@demo.example",
    "board@demo.example",
    "auditor@demo.example",
]


def test_demo_load_is_idempotent_and_every_sign_in_works(app, runner):
    from core.auth.models import Agency, User
    from core.concerns.models import Concern
    from tests.conftest import Auth, Factory

    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and "8 users added" in first.output
    assert "31 children's cases and 18 adults' concerns added" in first.output
    assert all(email in first.output for email in DEMO_SIGN_INS)
    again = runner.invoke(args=["demo", "load"]).output
    assert "0 agencies and 0 users added, 0 children's cases and 0 adults' concerns" in again
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 8
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Agency)) == 10
        children = sa.select(sa.func.count()).select_from(Concern).where(Concern.is_child)
        assert db.session.scalar(children) == 31
    for email in DEMO_SIGN_INS:
        client = app.test_client()
        response = Auth(client, Factory(app)).sign_in(email, "demo-safeguarding")
        assert response.status_code == 302, email


def test_demo_accounts_only_loads_no_cases(app, runner):
    from core.concerns.models import Concern

    loaded = runner.invoke(args=["demo", "load", "--accounts-only"])
    assert (
        loaded.exit_code == 0 and "8 users added, 0 children's cases and 0 adults'" in loaded.output
    )
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Concern)) == 0


def test_demo_data_is_refused_in_production(app_factory):
    production = app_factory(ENV_NAME="production", SECRET_KEY="s" * 48, SESSION_COOKIE_SECURE=True)
    result = production.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0 and "Refusing" in result.output


def test_officer_signs_in_with_demo_data_and_sees_the_officer_home_page(app, runner):
    from tests.conftest import Auth, Factory

    runner.invoke(args=["demo", "load"])
    client = app.test_client()
    Auth(client, Factory(app)).sign_in("officer@demo.example", "demo-safeguarding")
    page = client.get("/").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Safeguarding officer</h1>' in page


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (Role.ADMINISTRATOR, "Administration"),
        (Role.SAFEGUARDING_MANAGER, "Safeguarding manager"),
        (Role.AGENCY_PRACTITIONER, "Your agency's safeguarding work"),
        (Role.BOARD_MEMBER, "Safeguarding board"),
        (Role.AUDITOR, "Case file audit"),
    ],
)
def test_each_role_has_its_own_home_page(auth, client, role, heading):
    auth.as_role(role)
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in client.get("/").get_data(as_text=True)


def test_pages_have_our_name_and_no_gov_uk_branding(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert "Safeguarding Hub" in page
    for mark in (
        "govuk-logo",
        "govuk-crest",
        "GOV.UK",
        "Crown copyright",
        "Open Government Licence",
    ):
        assert mark not in page
    with client.get("/static/build/app.css") as css:
        assert css.status_code == 200
        assert b"GDS Transport" not in css.data and b"govuk-" in css.data


def test_not_found_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_server_error_page_shows_an_incident_id_that_is_in_the_log(app_factory, caplog):
    app = app_factory(EXTRA_PLUGINS=[SchoolsPlugin()], TESTING=False, PROPAGATE_EXCEPTIONS=False)
    caplog.set_level(logging.ERROR)
    response = app.test_client().get("/schools/boom")
    assert response.status_code == 500
    incident = re.search(r'id="incident-id">(\w+)<', response.get_data(as_text=True)).group(1)
    assert any(incident in record.getMessage() and record.exc_info for record in caplog.records)


def test_health_check_needs_no_sign_in(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_every_non_admin_role_is_refused_admin_pages_and_it_is_logged(app, auth, client):
    for role in (Role.SAFEGUARDING_OFFICER, Role.AGENCY_PRACTITIONER, Role.BOARD_MEMBER):
        auth.as_role(role)
        for path in ("/admin/users/", "/admin/agencies/", "/admin/access-log/", "/plugins"):
            assert client.get(path).status_code == 403, (role, path)
        auth.sign_out()
    with app.app_context():
        refused = db.session.scalar(
            sa.select(sa.func.count()).where(AccessLogEntry.action == "route.forbidden")
        )
    assert refused == 12


def test_behind_a_proxy_the_client_address_is_logged(app_factory, factory):
    app = app_factory(PROXY_FIX_HOPS=1)
    Factory = type(factory)
    Factory(app).user(email="proxied@example.org")
    client = app.test_client()
    from tests.conftest import csrf_token

    token = csrf_token(client, "/sign-in")
    client.post(
        "/sign-in",
        data={"email": "proxied@example.org", "password": "wrong-password-1", "csrf_token": token},
        headers={"X-Forwarded-For": "203.0.113.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.2"},
    )
    with app.app_context():
        addresses = (
            db.session.execute(
                sa.select(AccessLogEntry.remote_addr).where(AccessLogEntry.action == "sign_in")
            )
            .scalars()
            .all()
        )
    assert addresses == ["203.0.113.7"]


def test_two_plugins_with_one_blueprint_name_stop_start_up(app_factory):
    class Twin:
        __name__ = "test.twin"

        @hookimpl
        def register_blueprints(self):
            return [Blueprint("auth", __name__)]

    with pytest.raises(PluginLoadError, match="blueprint named 'auth'"):
        app_factory(EXTRA_PLUGINS=[Twin()])
