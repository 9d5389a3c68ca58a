"""One unit of work per request (core/pipeline.py): views never commit; the request
commits after the view when it succeeds, rolls back when it fails (keeping the refusals it
noted in the access log), and answers a record changed meanwhile with 409 or 412."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Blueprint

from core.accesslog import operations as access_log
from core.accesslog.models import AccessLogEntry
from core.auth.models import Agency
from core.auth.roles import Role
from core.extensions import csrf, db
from core.pipeline import declared_read, logged
from plugins import hookimpl, public
from tests.api.conftest import ApiClient, make_token

ROOT = Path(__file__).resolve().parents[2]


def _add_agency(name: str) -> None:
    db.session.add(Agency(name=name, type="local_authority"))
    db.session.flush()
    access_log.record("uow.write", object_type="agency", object_id=name)


def _clash(name: str) -> None:
    """Someone else changes the agency between this request's read and its write."""
    agency = db.session.execute(sa.select(Agency).where(Agency.name == name)).scalar_one()
    db.session.execute(
        sa.update(Agency)
        .where(Agency.id == agency.id)
        .values(version=Agency.version + 1)
        .execution_options(synchronize_session=False)
    )
    agency.name = name + " (renamed)"


class UnitOfWorkPlugin:
    __name__ = "test.unit_of_work"

    @hookimpl
    def register_blueprints(self):
        pages = Blueprint("uow", __name__, url_prefix="/uow")
        api = Blueprint("uow_api", __name__, url_prefix="/api/v1/uow")

        @pages.route("/write/<name>")
        @public
        def write(name):
            _add_agency(name)
            return "written"

        @pages.route("/refuse/<name>")
        @public
        def refuse(name):
            _add_agency(name)
            access_log.record("uow.refused", object_type="agency", allowed=False)
            return "not like that", 422

        @pages.route("/raise/<name>")
        @public
        def fail(name):
            _add_agency(name)
            raise RuntimeError("the view failed after writing")

        @pages.route("/clash/<name>")
        @public
        def clash(name):
            _clash(name)
            return "renamed"

        @pages.route("/read/<int:agency_id>", methods=["GET", "POST"])
        @public
        @logged("uow.read", object_type="agency", object_id="agency_id")
        def read(agency_id):
            if db.session.get(Agency, agency_id) is None:
                return "no such agency", 404
            return "read"

        @api.route("/clash/<name>")
        @public
        def clash_api(name):
            _clash(name)
            return {"renamed": True}

        csrf.exempt(pages)  # a test's own routes, posted to without a form
        return [pages, api]


@pytest.fixture
def uow_app(app_factory):
    return app_factory(EXTRA_PLUGINS=[UnitOfWorkPlugin()])


def _agencies(app, name: str) -> list[str]:
    with app.app_context():
        return list(
            db.session.execute(sa.select(Agency.name).where(Agency.name.startswith(name)))
            .scalars()
            .all()
        )


def _logged(app, action: str) -> list[tuple[str | None, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(AccessLogEntry.object_id, AccessLogEntry.outcome).where(
                AccessLogEntry.action == action
            )
        ).all()
        return [tuple(row) for row in rows]


def test_a_successful_request_commits_its_work_and_its_log_entry(uow_app):
    response = uow_app.test_client().get("/uow/write/Kept Agency")
    assert response.status_code == 200
    assert _agencies(uow_app, "Kept Agency") == ["Kept Agency"]
    assert _logged(uow_app, "uow.write") == [("Kept Agency", "allowed")]


def test_a_failed_request_writes_nothing_but_keeps_its_refusals(uow_app):
    response = uow_app.test_client().get("/uow/refuse/Refused Agency")
    assert response.status_code == 422
    assert _agencies(uow_app, "Refused Agency") == []
    assert _logged(uow_app, "uow.write") == []
    assert _logged(uow_app, "uow.refused") == [(None, "denied")]
    with uow_app.app_context():
        assert access_log.verify_chain().intact


def test_an_exception_in_the_view_writes_nothing(uow_app):
    with pytest.raises(RuntimeError):
        uow_app.test_client().get("/uow/raise/Broken Agency")
    assert _agencies(uow_app, "Broken Agency") == []
    assert _logged(uow_app, "uow.write") == []


@pytest.mark.parametrize(("path", "status"), [("/uow/clash/", 409), ("/api/v1/uow/clash/", 412)])
def test_a_record_changed_meanwhile_is_refused_and_left_alone(uow_app, path, status):
    uow_app.test_client().get("/uow/write/Shared Agency")
    response = uow_app.test_client().get(path + "Shared Agency")
    assert response.status_code == status
    assert "changed since you read it" in response.get_data(as_text=True)
    assert _agencies(uow_app, "Shared Agency") == ["Shared Agency"]


def test_a_read_declared_on_the_route_is_logged_by_the_pipeline_when_it_succeeds(uow_app):
    client = uow_app.test_client()
    client.get("/uow/write/Read Agency")
    with uow_app.app_context():
        agency_id = db.session.execute(
            sa.select(Agency.id).where(Agency.name == "Read Agency")
        ).scalar_one()
    assert client.get(f"/uow/read/{agency_id}").status_code == 200
    assert client.post(f"/uow/read/{agency_id}").status_code == 200  # a change: not a read
    assert client.get(f"/uow/read/{agency_id + 1000}").status_code == 404
    assert _logged(uow_app, "uow.read") == [(str(agency_id), "allowed")]


def test_the_api_and_pages_declare_their_reads(app, factory):
    """The product's own routes: an agency read through the API is logged once, by the
    declaration on the route."""
    assert declared_read(app, "agencies_api.get_agency") is not None
    admin = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.ADMINISTRATOR)))
    agency_id = admin.get("/api/v1/agencies/").json["items"][0]["id"]
    assert admin.get(f"/api/v1/agencies/{agency_id}").status_code == 200
    assert _logged(app, "agency.view") == [(str(agency_id), "allowed")]


@pytest.mark.tooling
def test_no_view_or_api_module_commits_by_hand():
    """The pipeline is the only place a request's work is committed."""
    offenders = []
    for folder in ("core", "plugins", "agencies"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name not in {"views.py", "api.py", "account.py"}:
                continue
            for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
                if "db.session.commit()" in line:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []
