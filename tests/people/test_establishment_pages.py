"""Establishment pages: list, page with the concerns the viewer may see and cluster status,
adding and changing with validation."""

from __future__ import annotations

from datetime import UTC, datetime

from core.auth.roles import Role
from tests.conftest import Auth, csrf_token
from tests.support.clock import set_now

PLACE = {
    "name": "Larkspur Court", "kind": "care_home_nursing", "cqc_location_id": "1-123456789",
    "ods_code": "", "address": "Larkspur Road, Northshire", "postcode": "NE2 1AB",
    "provider_agency_id": "",
}  # fmt: skip


def _post(client, url, data):
    return client.post(url, data=dict(data, csrf_token=csrf_token(client, url)))


def _text(response):
    return response.get_data(as_text=True)


def test_add_an_establishment(records, auth, client, factory):
    provider = factory.agency(name="Larkspur Care Ltd", type="care_provider")
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    response = _post(client, "/establishments/new", dict(PLACE, provider_agency_id=str(provider)))
    assert response.status_code == 302, _text(response)
    page = _text(client.get(response.headers["Location"]))
    for shown in (
        "Larkspur Court", "Care Home – Nursing", "1-123456789",
        "Larkspur Road, Northshire, NE2 1AB", "Larkspur Care Ltd",
    ):  # fmt: skip
        assert shown in page, shown
    listing = _text(client.get("/establishments/"))
    assert "Larkspur Court" in listing and "Care Home – Nursing" in listing
    assert records.log_entries("establishment.create") == [("1", "allowed")]


def test_bad_establishment_details_get_the_error_summary_and_save_nothing(records, auth, client):
    records.establishment(name="Existing", cqc_location_id="1-123456789", ods_code="RX1")
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    page = _text(
        _post(
            client,
            "/establishments/new",
            dict(PLACE, name="", kind="", cqc_location_id="123", ods_code="TOO-LONG!"),
        )
    )
    assert "There is a problem" in page
    assert "Enter the establishment" in page
    assert "Select what kind of place this is" in page
    page = _text(
        _post(
            client,
            "/establishments/new",
            dict(PLACE, cqc_location_id="123", ods_code="TOO-LONG!", postcode="nowhere"),
        )
    )
    assert "CQC location id must be 1- followed by digits" in page
    assert "ODS code must be 3 to 5 letters or digits" in page
    assert "Enter a real postcode" in page
    page = _text(
        _post(
            client, "/establishments/new", dict(PLACE, kind="moon_base", provider_agency_id="999")
        )
    )
    assert "Select what kind of place this is" in page
    assert "Select the agency that runs this establishment" in page
    taken = _text(_post(client, "/establishments/new", dict(PLACE, ods_code="rx1")))
    assert "Another establishment already has this CQC location id" in taken
    assert "Another establishment already has this ODS code" in taken
    assert records.scalar("SELECT count(*) FROM establishments") == 1


def test_change_an_establishment(records, auth, client):
    place = records.establishment(name="Old Name", cqc_location_id="1-123456789")
    records.establishment(name="Other Place", ods_code="RX2")
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    url = f"/establishments/{place}/edit"
    assert 'value="Old Name"' in _text(client.get(url))
    saved = _post(client, url, dict(PLACE, name="New Name", kind="hospital_acute", version="1"))
    assert saved.status_code == 302, _text(saved)  # keeping its own CQC id is fine
    page = _text(client.get(f"/establishments/{place}"))
    assert "New Name" in page and "Hospital – Acute" in page
    clash = _text(_post(client, url, dict(PLACE, ods_code="RX2", version="2")))
    assert "Another establishment already has this ODS code" in clash
    stale = _text(_post(client, url, dict(PLACE, name="Stale", version="1")))
    assert "Someone else changed this record" in stale
    blank = _text(_post(client, url, dict(PLACE, name=" ", version="2")))
    assert "There is a problem" in blank
    assert records.scalar("SELECT name FROM establishments WHERE id = :id", id=place) == "New Name"
    assert records.log_entries("establishment.update") == [(str(place), "allowed")]


def test_establishment_page_shows_only_concerns_the_viewer_may_see(app, records, factory, client):
    police = factory.agency(name="Northshire Police", type="police")
    nhs = factory.agency(name="Northshire NHS Trust", type="nhs_trust")
    place = records.establishment(name="Heron Ward")
    seen = records.concern(records.person(), establishment_id=place, referrer_agency_id=police)
    unseen = records.concern(records.person(), establishment_id=place, referrer_agency_id=nhs)
    Auth(client, factory).as_role(Role.AGENCY_PRACTITIONER, agency_id=police)
    page = _text(client.get(f"/establishments/{place}"))
    assert f"/concerns/{seen}" in page and f"/concerns/{unseen}" not in page
    assert "Change details" not in page and "cluster" not in page.lower()
    assert client.get("/establishments/").status_code == 200
    assert client.get("/establishments/new").status_code == 403
    assert client.get(f"/establishments/{place}/edit").status_code == 403
    assert records.log_entries("establishment.view") == [(str(place), "allowed")]


def test_cluster_status_on_the_establishment_page(app_factory):
    from tests.conftest import Factory
    from tests.people.conftest import Records

    set_now(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    app = app_factory()
    factory = Factory(app)
    records = Records(app, factory)
    client = app.test_client()
    quiet = records.establishment(name="Quiet House")
    busy = records.establishment(name="Busy House")
    records.concern(records.person(), establishment_id=quiet)
    for _ in range(3):
        records.concern(records.person(), establishment_id=busy)
    Auth(client, factory).as_role(Role.SAFEGUARDING_OFFICER)
    assert "Cluster: 3 concerns in the last 90 days" in _text(client.get(f"/establishments/{busy}"))
    assert "Not a cluster: 1 concern in the last 90 days (3 make a cluster)" in _text(
        client.get(f"/establishments/{quiet}")
    )
    listing = _text(client.get("/establishments/"))
    assert listing.count(">Cluster</strong>") == 1


def test_board_members_get_no_establishment_pages(records, auth, client):
    place = records.establishment()
    auth.as_role(Role.BOARD_MEMBER)
    assert client.get("/establishments/").status_code == 403
    # one record answers as if it did not exist: board members see figures only
    assert client.get(f"/establishments/{place}").status_code == 404


def test_api_refuses_a_second_establishment_with_one_ods_code(app, records, client, factory):
    from tests.api.conftest import ApiClient, make_token

    records.establishment(name="Northshire General", kind="hospital_acute", ods_code="RX1AB")
    api = ApiClient(client, make_token(app, factory.user(Role.SAFEGUARDING_OFFICER)))
    response = api.post(
        "/api/v1/establishments/",
        json={"name": "Copy", "kind": "hospital_acute", "ods_code": "rx1ab"},
    )
    assert response.status_code == 422
    assert response.json["errors"] == {
        "ods_code": ["Another establishment already has this ODS code"]
    }
    assert records.scalar("SELECT count(*) FROM establishments") == 1
