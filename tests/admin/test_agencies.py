"""Administrators list, create and change agencies; bad input is refused and nothing saved."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.auth.models import Agency
from core.auth.roles import Role
from core.extensions import db
from tests.auth.helpers import count, log_entries, post_form, row_text


def _agency(app, name):
    with app.app_context():
        return db.session.execute(sa.select(Agency).where(Agency.name == name)).scalar_one_or_none()


def _error_summary_shows(html, field, message):
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert f'href="#{field}"' in html, f"no summary link to #{field}"
    assert message in html, message


def test_agency_list_shows_every_agency(app, auth, client, factory):
    auth.as_role(Role.ADMINISTRATOR)
    police_id = factory.agency(name="Northshire Police", type="police")
    factory.agency(name="Riverside Housing", type="housing", active=False)
    response = client.get("/admin/agencies/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Northshire Police" in html and "Riverside Housing" in html
    assert "Housing" in html and "Inactive" in html
    assert f'href="/admin/agencies/{police_id}"' in html
    assert log_entries(app, action="agency.list")


def test_administrator_creates_an_agency(app, auth, client):
    admin_id = auth.as_role(Role.ADMINISTRATOR)
    response = post_form(
        client,
        "/admin/agencies/new",
        {"name": "  Eastfield Academy  ", "type": "education", "ods_code": "", "active": "y"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/agencies/"
    listing = client.get("/admin/agencies/").get_data(as_text=True)
    assert "Agency Eastfield Academy created." in listing

    agency = _agency(app, "Eastfield Academy")
    assert agency is not None and agency.type == "education" and agency.active
    assert agency.ods_code is None
    [entry] = log_entries(app, action="agency.create", user_id=admin_id)
    assert entry.outcome == "allowed" and entry.object_id == str(agency.id)
    assert "Eastfield" not in row_text(entry)  # no names in the log line


def test_administrator_edits_an_agency(app, auth, client, factory):
    admin_id = auth.as_role(Role.ADMINISTRATOR)
    agency_id = factory.agency(name="Northshire NHS Trust", type="other")
    page = client.get(f"/admin/agencies/{agency_id}")
    assert page.status_code == 200 and "Northshire NHS Trust" in page.get_data(as_text=True)
    assert log_entries(app, action="agency.view", object_id=str(agency_id))

    response = post_form(
        client,
        f"/admin/agencies/{agency_id}",
        {
            "name": "Northshire Hospitals NHS Trust",
            "type": "other",
            "ods_code": "rx1",
            "active": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        agency = db.session.get(Agency, agency_id)
        assert agency.name == "Northshire Hospitals NHS Trust"
        assert agency.ods_code == "RX1"  # stored upper case
        assert agency.active is False
    [entry] = log_entries(app, action="agency.update")
    assert entry.user_id == admin_id and entry.object_id == str(agency_id)


INVALID = [
    pytest.param(
        {"name": "northshire police", "type": "police"},
        "name",
        "An agency with this name already exists",
        id="duplicate-name",
    ),
    pytest.param(
        {"name": "New Trust", "type": "other", "ods_code": "R-1!"},
        "ods_code",
        "ODS code must be 3 to 5 letters or digits, like RX1 or RX1AB",
        id="bad-ods-code",
    ),
    pytest.param(
        {"name": "New Trust", "type": "other", "ods_code": "TOOLONG1"},
        "ods_code",
        "ODS code must be 3 to 5 letters or digits, like RX1 or RX1AB",
        id="long-ods-code",
    ),
    pytest.param(
        {"name": "New Home", "type": "other", "cqc_code": "123456789"},
        "cqc_code",
        "CQC id must be 1- followed by digits, like 1-123456789",
        id="bad-cqc-code",
    ),
    pytest.param(
        {"name": "New Trust", "type": "spaceship"},
        "type",
        "Select the type of agency",
        id="unknown-type",
    ),
    pytest.param(
        {"name": "New Trust", "type": ""}, "type", "Select the type of agency", id="no-type"
    ),
    pytest.param({"name": "  ", "type": "other"}, "name", "Enter the agency", id="no-name"),
    pytest.param(
        {"name": "New Trust", "type": "other", "ods_code": "RX9"},
        "ods_code",
        "Another agency already has this code",
        id="duplicate-ods-code",
    ),
]


@pytest.mark.parametrize(("data", "field", "message"), INVALID)
def test_agency_form_refuses_bad_input_and_saves_nothing(
    app, auth, client, factory, data, field, message
):
    auth.as_role(Role.ADMINISTRATOR)
    factory.agency(name="Northshire Police", type="police", ods_code="RX9")
    agencies_before = count(app, Agency)
    creates_before = len(log_entries(app, action="agency.create"))

    response = post_form(client, "/admin/agencies/new", {**data, "active": "y"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    _error_summary_shows(html, field, message)
    assert "govuk-error-message" in html  # the message is also shown at the field
    assert count(app, Agency) == agencies_before
    assert len(log_entries(app, action="agency.create")) == creates_before


def test_agency_form_lists_every_problem_at_once(app, auth, client, factory):
    auth.as_role(Role.ADMINISTRATOR)
    factory.agency(name="Northshire Police", type="police")
    before = count(app, Agency)
    html = post_form(
        client,
        "/admin/agencies/new",
        {"name": "NORTHSHIRE POLICE", "type": "spaceship", "ods_code": "?", "cqc_code": "1-2"},
    ).get_data(as_text=True)
    for field, message in [
        ("name", "An agency with this name already exists"),
        ("type", "Select the type of agency"),
        ("ods_code", "ODS code must be 3 to 5 letters or digits"),
        ("cqc_code", "CQC id must be 1- followed by digits"),
    ]:
        _error_summary_shows(html, field, message)
    assert count(app, Agency) == before


def test_renaming_an_agency_to_another_ones_name_is_refused(app, auth, client, factory):
    auth.as_role(Role.ADMINISTRATOR)
    factory.agency(name="Northshire Police", type="police")
    agency_id = factory.agency(name="Riverside Housing", type="housing")
    response = post_form(
        client,
        f"/admin/agencies/{agency_id}",
        {"name": "Northshire Police", "type": "housing", "active": "y"},
    )
    _error_summary_shows(response.get_data(as_text=True), "name", "already exists")
    with app.app_context():
        assert db.session.get(Agency, agency_id).name == "Riverside Housing"
    assert not log_entries(app, action="agency.update")


def test_unknown_agency_is_404(auth, client):
    auth.as_role(Role.ADMINISTRATOR)
    assert client.get("/admin/agencies/999999").status_code == 404
