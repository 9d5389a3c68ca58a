"""Concerns through the API: intake, validation, clocks, repeats and involvement-scoped access."""

from __future__ import annotations

import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.auth.councils import default_council_id
from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.support.clock import set_now

PERSON = {
    "given_name": "Edith",
    "family_name": "Marsh",
    "date_of_birth": "1938-04-02",
    "nhs_number": "943 476 5919",
}


def concern_body(**overrides):
    body = {
        "received_at": "2026-11-20T10:15:00+00:00",
        "person": PERSON,
        "types_of_risk": ["financial", "psychological"],
        "location": "own_home",
        "source_of_risk": "known",
        "description": "Neighbour reports a relative taking her pension each week.",
        "route": "phone",
    }
    return body | overrides


def _setup(app, factory):
    police = factory.agency(name="Northshire Police", type="police")
    nhs = factory.agency(name="Northshire Hospitals NHS Foundation Trust", type="nhs_trust")
    council = factory.agency(name="Northshire Council", type="local_authority")
    clients = {}
    for name, role, agency in (
        ("officer", Role.SAFEGUARDING_OFFICER, council),
        ("police", Role.AGENCY_PRACTITIONER, police),
        ("nhs", Role.AGENCY_PRACTITIONER, nhs),
        ("board", Role.BOARD_MEMBER, council),
        ("admin", Role.ADMINISTRATOR, council),
    ):
        user_id = factory.user(role=role, email=f"{name}@example.org", agency_id=agency)
        clients[name] = ApiClient(app.test_client(), make_token(app, user_id))
    return clients, {"police": police, "nhs": nhs, "council": council}


def test_officer_records_a_concern_with_a_reference_and_clock(app, factory):
    clients, _ = _setup(app, factory)
    response = clients["officer"].post("/api/v1/concerns/", json=concern_body())
    assert response.status_code == 201, response.json
    body = response.json
    assert body["reference"] == "SG-2026-000001"
    assert body["types_of_risk"] == ["financial", "psychological"]
    assert body["out_of_hours"] is False and body["screening_due"] == "2026-11-23"
    assert body["person"]["nhs_number"] == "9434765919"
    assert response.headers["Location"] == f"/api/v1/concerns/{body['id']}"
    second = clients["officer"].post(
        "/api/v1/concerns/", json=concern_body(person_id=body["person"]["id"], person=None)
    )
    assert second.json["reference"] == "SG-2026-000002"


def test_christmas_eve_evening_is_out_of_hours_and_due_29_december(app_factory):
    from datetime import UTC, datetime

    from tests.conftest import Factory

    set_now(datetime(2026, 12, 24, 18, 30, tzinfo=UTC))
    app = app_factory()
    clients, _ = _setup(app, Factory(app))
    response = clients["officer"].post(
        "/api/v1/concerns/", json=concern_body(received_at="2026-12-24T18:00:00+00:00")
    )
    assert response.status_code == 201, response.json
    assert response.json["out_of_hours"] is True
    assert response.json["screening_due"] == "2026-12-29"


def test_bad_input_is_422_with_a_message_per_field_and_nothing_saved(app, factory):
    clients, _ = _setup(app, factory)
    response = clients["officer"].post(
        "/api/v1/concerns/",
        json=concern_body(received_at="2099-01-01T09:00:00+00:00", person=None),
    )
    assert response.status_code == 422
    errors = response.json["errors"]
    assert errors["received_at"] == ["The time received must not be in the future"]
    assert errors["person_id"] == ["Select the person the concern is about, or add them"]
    bad_nhs = clients["officer"].post(
        "/api/v1/concerns/", json=concern_body(person=PERSON | {"nhs_number": "9434765918"})
    )
    assert bad_nhs.status_code == 422
    assert bad_nhs.json["errors"]["nhs_number"] == [
        "Enter a valid NHS number: 10 digits, like 943 476 5919"
    ]
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM concerns")) == 0
        assert db.session.scalar(sa.text("SELECT count(*) FROM people")) == 0


def test_a_second_concern_within_12_months_is_flagged_as_a_repeat(app, factory):
    clients, _ = _setup(app, factory)
    officer = clients["officer"]
    first = officer.post(
        "/api/v1/concerns/", json=concern_body(received_at="2026-01-10T10:00:00+00:00")
    ).json
    person_id = first["person"]["id"]
    second = officer.post(
        "/api/v1/concerns/",
        json=concern_body(
            person=None, person_id=person_id, received_at="2026-11-02T10:00:00+00:00"
        ),
    ).json
    assert second["repeat_of"] == [first["reference"]]
    assert officer.get(f"/api/v1/concerns/{first['id']}").json["repeat_of"] == []


def test_police_see_only_involved_concerns_and_lose_access_when_removed(app, factory):
    clients, agencies = _setup(app, factory)
    officer, police = clients["officer"], clients["police"]
    referred = police.post("/api/v1/concerns/", json=concern_body()).json
    assert referred["referrer_agency_id"] == agencies["police"]
    other = officer.post("/api/v1/concerns/", json=concern_body()).json

    listed = police.get("/api/v1/concerns/").json
    assert [item["id"] for item in listed["items"]] == [referred["id"]]
    assert police.get(f"/api/v1/concerns/{referred['id']}").status_code == 200
    hidden = police.get(f"/api/v1/concerns/{other['id']}")
    assert hidden.status_code == 404
    assert police.get("/api/v1/concerns/999999").json == hidden.json  # same as missing
    with app.app_context():
        denied = (
            db.session.execute(
                sa.select(AccessLogEntry.object_id).where(
                    AccessLogEntry.action == "concern.view", AccessLogEntry.outcome == "denied"
                )
            )
            .scalars()
            .all()
        )
    assert str(other["id"]) in denied

    added = officer.post(
        f"/api/v1/concerns/{other['id']}/involvements",
        json={"agency_id": agencies["police"], "note": "Crime suspected: theft"},
    )
    assert added.status_code == 201, added.json
    assert police.get(f"/api/v1/concerns/{other['id']}").status_code == 200
    removed = officer.client.delete(
        f"/api/v1/concerns/{other['id']}/involvements/{added.json['id']}?reason=No%20crime",
        headers=officer.headers(),
    )
    assert removed.status_code == 204
    assert police.get(f"/api/v1/concerns/{other['id']}").status_code == 404
    no_reason = officer.client.delete(
        f"/api/v1/concerns/{referred['id']}/involvements/{referred['involvements'][0]['id']}",
        headers=officer.headers(),
    )
    assert no_reason.status_code == 422


def test_practitioners_cannot_refer_as_another_agency_or_link_people(app, factory):
    clients, agencies = _setup(app, factory)
    response = clients["police"].post(
        "/api/v1/concerns/",
        json=concern_body(referrer_agency_id=agencies["nhs"], person_id=1, person=None),
    )
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"referrer_agency_id", "person_id"}


def test_board_and_administrators_see_no_case(app, factory):
    clients, _ = _setup(app, factory)
    concern = clients["officer"].post("/api/v1/concerns/", json=concern_body()).json
    for who in ("board", "admin"):
        assert clients[who].get(f"/api/v1/concerns/{concern['id']}").status_code == 404
        assert clients[who].get("/api/v1/concerns/").status_code == 403
        assert clients[who].get("/api/v1/people/").status_code == 403


def test_screening_decision_checks_adult_or_child_options(app, factory):
    clients, _ = _setup(app, factory)
    officer = clients["officer"]
    adult = officer.post("/api/v1/concerns/", json=concern_body()).json
    wrong = officer.post(
        f"/api/v1/concerns/{adult['id']}/decision", json={"decision": "early_help", "reason": "x"}
    )
    assert wrong.status_code == 422 and "for an adult" in wrong.json["errors"]["decision"][0]
    made = officer.post(
        f"/api/v1/concerns/{adult['id']}/decision",
        json={"decision": "section_42_enquiry", "reason": "Financial abuse likely"},
    )
    assert made.status_code == 200 and made.json["decision"] == "section_42_enquiry"
    again = officer.post(
        f"/api/v1/concerns/{adult['id']}/decision", json={"decision": "signposted", "reason": "x"}
    )
    assert again.status_code == 422
    police = clients["police"]
    assert (
        police.post(
            f"/api/v1/concerns/{adult['id']}/decision",
            json={"decision": "signposted", "reason": "x"},
        ).status_code
        == 403
    )


def test_list_filters(app, factory):
    clients, _ = _setup(app, factory)
    officer = clients["officer"]
    officer.post("/api/v1/concerns/", json=concern_body(types_of_risk=["neglect"]))
    ooh = officer.post(
        "/api/v1/concerns/", json=concern_body(received_at="2026-11-21T12:00:00+00:00")
    ).json
    assert [i["id"] for i in officer.get("/api/v1/concerns/?out_of_hours=true").json["items"]] == [
        ooh["id"]
    ]
    assert officer.get("/api/v1/concerns/?type_of_risk=neglect").json["total"] == 1
    assert officer.get("/api/v1/concerns/?undecided=true").json["total"] == 2
    assert (
        officer.get("/api/v1/concerns/?received_from=2026-11-21&received_to=2026-11-21").json[
            "total"
        ]
        == 1
    )


def test_people_search_and_duplicate_candidates(app, factory):
    from core.people.operations import possible_duplicates

    clients, _ = _setup(app, factory)
    officer = clients["officer"]
    created = officer.post("/api/v1/people/", json=PERSON)
    assert created.status_code == 201
    assert officer.get("/api/v1/people/?name=mar").json["total"] == 1
    assert officer.get("/api/v1/people/?nhs_number=943%20476%205919").json["total"] == 1
    with app.app_context():
        from datetime import date

        same = possible_duplicates(
            {
                "given_name": "edith",
                "family_name": "MARSH",
                "date_of_birth": date(1938, 4, 2),
                "nhs_number": None,
            },
            default_council_id(),
        )
        assert [p.id for p in same] == [created.json["id"]]
