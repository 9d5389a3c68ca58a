"""A provider proposes an establishment it runs; the team confirms or declines it (issue
22, item 4: "a provider cannot add the establishment it needs"). A proposed place is
seen by the team and its provider only, and offered for concerns and forms once
confirmed."""

from __future__ import annotations

import html
import re

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.conftest import Auth, Factory, csrf_token

HOME = {
    "name": "Larch Lodge",
    "kind": "care_home_residential",
    "cqc_location_id": "1-987654321",
    "address": "4 Larch Road, Northtown",
    "postcode": "NE1 4ST",
}


def _world(app, factory):
    provider = factory.agency(name="Larch Care Ltd", type="care_provider")
    police = factory.agency(name="Northshire Police", type="police")
    users = {
        "carer": factory.user(
            role=Role.AGENCY_PRACTITIONER, email="carer@example.org", agency_id=provider
        ),
        "police": factory.user(
            role=Role.AGENCY_PRACTITIONER, email="police@example.org", agency_id=police
        ),
        "officer": factory.user(role=Role.SAFEGUARDING_OFFICER, email="officer@example.org"),
    }
    apis = {name: ApiClient(app.test_client(), make_token(app, uid)) for name, uid in users.items()}
    return provider, apis


def _page(app, email: str):
    client = app.test_client()
    assert Auth(client, Factory(app)).sign_in(email).status_code == 302
    return client


def _named_in_a_concern(client) -> list[int]:
    """The establishments the concern form offers."""
    page = client.get("/concerns/new").get_data(as_text=True)
    select = page[page.index('name="establishment_id"') :]
    select = select[: select.index("</select>")]
    return [int(v) for v in re.findall(r'value="(\d+)"', select)]


def test_a_provider_proposes_a_home_and_the_team_confirms_it(app, factory):
    provider, api = _world(app, factory)
    carer = _page(app, "carer@example.org")
    listed = html.unescape(carer.get("/establishments/").get_data(as_text=True))
    assert 'href="/establishments/propose"' in listed
    forms = html.unescape(carer.get("/forms/").get_data(as_text=True))
    assert 'href="/establishments/propose"' in forms  # beside the provider alert it needs

    sent = carer.post(
        "/establishments/propose",
        data=HOME | {"csrf_token": csrf_token(carer, "/establishments/propose")},
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    place = int(sent.headers["Location"].rsplit("/", 1)[1])
    shown = html.unescape(carer.get(f"/establishments/{place}").get_data(as_text=True))
    assert "Awaiting confirmation" in shown and "Larch Care Ltd" in shown

    read = api["carer"].get(f"/api/v1/establishments/{place}").json
    assert (read["status"], read["provider_agency_id"]) == ("proposed", provider)
    # not another agency's to see, nor yet to name in a concern or a form
    assert api["police"].get(f"/api/v1/establishments/{place}").status_code == 404
    assert place not in [
        e["id"] for e in api["police"].get("/api/v1/establishments/").json["items"]
    ]
    alert = f"/forms/care_home.provider_alert/new/{place}"
    assert carer.get(alert).status_code == 404
    officer = _page(app, "officer@example.org")
    assert place not in _named_in_a_concern(officer)

    # the team's home page has it to confirm, and the list behind the link is it
    work = {t["key"]: t for t in api["officer"].get("/api/v1/me/work").json}
    task = work["establishments_proposed"]
    assert task["count"] == 1 and task["link"] == "/establishments/?status=proposed"
    waiting = html.unescape(officer.get(task["link"]).get_data(as_text=True))
    assert "Larch Lodge" in waiting and "Awaiting confirmation" in waiting

    confirmed = officer.post(
        f"/establishments/{place}/confirm",
        data={"csrf_token": csrf_token(officer, f"/establishments/{place}")},
    )
    assert confirmed.status_code == 302
    assert api["police"].get(f"/api/v1/establishments/{place}").json["status"] == "confirmed"
    assert place in _named_in_a_concern(officer)
    assert carer.get(alert).status_code == 200
    again = api["officer"].post(f"/api/v1/establishments/{place}/confirm")
    assert again.status_code == 422, "only a proposed establishment is confirmed"


def test_the_team_declines_a_proposal_saying_why_and_bad_input_is_refused(app, factory):
    _, api = _world(app, factory)
    refused = api["carer"].post("/api/v1/establishments/proposals", json={"name": ""})
    assert refused.status_code == 422
    assert set(refused.json["errors"]) >= {"name", "kind"}
    assert api["officer"].post("/api/v1/establishments/proposals", json=HOME).status_code == 403

    proposed = api["carer"].post("/api/v1/establishments/proposals", json=HOME)
    assert proposed.status_code == 201, proposed.json
    place = proposed.json["id"]
    assert proposed.json["status"] == "proposed"
    unsaid = api["officer"].post(f"/api/v1/establishments/{place}/decline", json={"reason": ""})
    assert unsaid.status_code == 422
    declined = api["officer"].post(
        f"/api/v1/establishments/{place}/decline",
        json={"reason": "Larch Lodge is registered to another provider"},
    )
    assert declined.status_code == 200, declined.json
    assert declined.json["status"] == "declined"
    carer = _page(app, "carer@example.org")
    shown = html.unescape(carer.get(f"/establishments/{place}").get_data(as_text=True))
    assert "Declined" in shown and "registered to another provider" in shown
    concern = api["officer"].post(
        "/api/v1/concerns/",
        json={
            "received_at": "2026-11-20T10:15:00+00:00",
            "person": {"given_name": "Ada", "family_name": "Lane", "date_of_birth": "1938-02-02"},
            "is_child": False,
            "types_of_risk": ["neglect"],
            "location": "care_home_residential",
            "establishment_id": place,
            "source_of_risk": "service_provider",
            "description": "Left without food.",
            "route": "phone",
        },
    )
    assert concern.status_code == 422
    assert "establishment_id" in concern.json["errors"]
