"""The agency pickers (issue 23, item 2): on an instance serving two councils the case,
meeting and plan action pages offer in their select only the agencies serving the case's
council (and the value chosen already); any active agency found by the search is
accepted, an unknown or inactive one is refused with a clear message; the search answers
the council's agencies first, on the pages (the session) and the API (a token)."""

from __future__ import annotations

import html
import re

from core.agencies.forms import AgencyField
from core.agencies.operations import update_agency
from core.auth.models import Agency, Council
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, record_concern, schedule

OTHER_COUNCIL_AGENCIES = 30
NOTE = "The person moved here from Southshire"


def _select(page: str, name: str) -> tuple[str, dict[int, str], int | None]:
    """The opening tag of the select called ``name``, its options (id: name) and the one
    selected."""
    found = re.search(rf'(<select[^>]*name="{name}"[^>]*>)(.*?)</select>', page, re.S)
    assert found, f"no select {name}"
    options = re.findall(r'<option value="(\d+)"( selected)?[^>]*>([^<]*)</option>', found[2])
    chosen = [int(v) for v, s, _ in options if s]
    return (
        found[1],
        {int(v): html.unescape(label).strip() for v, _, label in options},
        chosen[0] if chosen else None,
    )


def _two_councils(app, factory):
    """The meeting tests' world (every agency serving the instance's first council), a
    second council served by many agencies (one of them inactive), and a case of the first
    council."""
    world = build_world(app, factory)
    with app.app_context():
        council = Council(name="Southshire County Council")
        db.session.add(council)
        db.session.commit()
        south = council.id
    trust = factory.agency(name="Southshire Health Trust", type="nhs_trust", council_ids=[south])
    for number in range(OTHER_COUNCIL_AGENCIES):
        factory.agency(name=f"Southshire Agency {number:02d}", council_ids=[south])
    closed = factory.agency(name="Southshire Closed Agency", council_ids=[south])
    with app.app_context():
        update_agency(db.session.get(Agency, closed), active=False)
        db.session.commit()
    return world, south, trust, closed


def _own_agencies(world) -> dict[int, str]:
    return {
        world.agencies[k]: name
        for k, name in (
            ("council", "Northshire Council"),
            ("csc", "Northshire Children's Social Care"),
            ("police", "Northshire Police"),
            ("nhs", "Northshire Hospitals NHS Trust"),
            ("school", "Northshire Academy"),
            ("housing", "Northshire Homes"),
        )
    }


def test_the_case_page_offers_the_council_s_agencies_and_takes_any_active_one(
    app, auth, client, factory
):
    world, _, trust, closed = _two_councils(app, factory)
    concern_id = record_concern(world, child=False)
    auth.sign_in("officer@example.org")
    own = _own_agencies(world)
    # recording a concern: the team's referring agency, from its council's
    tag, options, _ = _select(
        client.get("/concerns/new").get_data(as_text=True), "referrer_agency_id"
    )
    assert options == own and 'data-picker="agencies"' in tag
    url = f"/concerns/{concern_id}/involve"
    tag, options, _ = _select(client.get(url).get_data(as_text=True), "agency_id")
    assert options == own  # none of the 32 other council's
    assert 'data-picker="agencies"' in tag
    assert 'data-search-url="/agencies/search?council_id=' in tag
    # an inactive agency, one that does not exist, one past any id: a clear message each
    for refused in (closed, 987654, 2**63):
        answer = client.post(
            url, data={"csrf_token": csrf_token(client, url), "agency_id": refused, "note": NOTE}
        )
        assert answer.status_code == 200
        assert html.escape(AgencyField.UNKNOWN, quote=True) in answer.get_data(as_text=True)
    # the form shown again with another error keeps the agency the search found
    again = client.post(
        url, data={"csrf_token": csrf_token(client, url), "agency_id": trust, "note": ""}
    ).get_data(as_text=True)
    _, options, chosen = _select(again, "agency_id")
    assert chosen == trust and options == own | {trust: "Southshire Health Trust"}
    # the other council's agency, as the autocomplete posts it, is involved
    saved = client.post(
        url, data={"csrf_token": csrf_token(client, url), "agency_id": trust, "note": NOTE}
    )
    assert saved.status_code == 302
    case = world.clients["officer"].get(f"/api/v1/concerns/{concern_id}").json
    assert trust in [i["agency_id"] for i in case["involvements"]]
    # the concerns list's agency filter: the council's agencies, and the one filtered by
    tag, options, _ = _select(client.get("/concerns/").get_data(as_text=True), "agency_id")
    assert set(options) == set(own) and 'data-picker="agencies"' in tag
    listed = client.get(f"/concerns/?agency_id={trust}").get_data(as_text=True)
    _, options, chosen = _select(listed, "agency_id")
    assert chosen == trust and set(options) == set(own) | {trust}
    assert f'href="/concerns/{concern_id}"' in listed


def test_the_meeting_and_plan_action_pages_offer_the_council_s_agencies(app, auth, client, factory):
    world, _, trust, closed = _two_councils(app, factory)
    concern_id = record_concern(world, child=False)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00").json
    invited = {i["agency_id"] for i in meeting["invitations"]}
    auth.sign_in("officer@example.org")
    page = client.get(f"/meetings/{meeting['id']}").get_data(as_text=True)
    _, options, _ = _select(page, "agency_id")
    assert set(options) == set(_own_agencies(world)) - invited
    invite = f"/meetings/{meeting['id']}/invite"
    token = csrf_token(client, f"/meetings/{meeting['id']}")
    refused = client.post(invite, data={"csrf_token": token, "agency_id": closed, "reason": "R"})
    assert refused.status_code == 302
    shown = client.get(refused.location).get_data(as_text=True)
    assert html.escape(AgencyField.UNKNOWN, quote=True) in shown
    made = client.post(invite, data={"csrf_token": token, "agency_id": trust, "reason": NOTE})
    assert made.status_code == 302
    after = world.clients["officer"].get(f"/api/v1/meetings/{meeting['id']}").json
    assert trust in [i["agency_id"] for i in after["invitations"]]

    # the record page's action owners: the same, and an owner posted stays chosen
    record = f"/meetings/{meeting['id']}/record"
    tag, options, _ = _select(client.get(record).get_data(as_text=True), "action-0-owner")
    assert options == _own_agencies(world) and 'data-picker="agencies"' in tag
    posted = {"csrf_token": csrf_token(client, record), "action-0-owner": str(trust)}
    shown = client.post(record, data=posted).get_data(as_text=True)
    _, options, chosen = _select(shown, "action-0-owner")
    assert chosen == trust and options == _own_agencies(world) | {trust: "Southshire Health Trust"}

    plan = world.clients["officer"].post("/api/v1/plans/", json={"concern_id": concern_id}).json
    url = f"/plans/{plan['id']}/actions/new"
    _, options, _ = _select(client.get(url).get_data(as_text=True), "owner_agency_id")
    assert options == _own_agencies(world)
    body = {"description": "Review the care package", "due_on": ["1", "2", "2027"]}
    body |= {"owner_agency_id": trust}
    added = client.post(url, data={"csrf_token": csrf_token(client, url)} | body)
    assert added.status_code == 302, added.get_data(as_text=True)
    actions = world.clients["officer"].get(f"/api/v1/plans/{plan['id']}").json["actions"]
    assert [a["owner_agency_id"] for a in actions] == [trust]


def test_a_single_council_s_pickers_offer_every_active_agency(app, auth, client, factory):
    world = build_world(app, factory)
    closed = factory.agency(name="Northshire Closed Agency")
    with app.app_context():
        update_agency(db.session.get(Agency, closed), active=False)
        db.session.commit()
    concern_id = record_concern(world, child=False)
    auth.sign_in("officer@example.org")
    page = client.get(f"/concerns/{concern_id}/involve").get_data(as_text=True)
    tag, options, _ = _select(page, "agency_id")
    assert options == _own_agencies(world) and 'data-picker="agencies"' in tag


def test_the_search_answers_the_council_s_agencies_first(app, auth, client, factory):
    world, south, trust, closed = _two_councils(app, factory)
    auth.sign_in("police@example.org")  # a partner may search, as they may list agencies
    with app.app_context():
        north = db.session.get(Agency, world.agencies["police"]).councils[0].id
    found = client.get(f"/agencies/search?q=shire%20h&council_id={north}").json
    assert [a["name"] for a in found] == [
        "Northshire Homes",
        "Northshire Hospitals NHS Trust",
        "Southshire Health Trust",
    ]
    assert [a["serves_council"] for a in found] == [True, True, False]
    southern = client.get(f"/agencies/search?q=SHIRE%20H&council_id={south}").json
    assert [a["id"] for a in southern] == [trust, *[a["id"] for a in found[:2]]]
    many = client.get(f"/agencies/search?q=southshire&council_id={north}").json
    assert len(many) == 20 and closed not in [a["id"] for a in many]  # at most 20, active
    # the API answers the same to a token
    api = ApiClient(app.test_client(), make_token(app, world.users["police"]))
    assert api.get(f"/api/v1/agencies/search?q=shire%20h&council_id={north}").json == found
    coded = factory.agency(name="Eastshire Mental Health", type="nhs_trust", ods_code="RX9")
    assert [a["id"] for a in api.get("/api/v1/agencies/search?q=rx9").json] == [coded]
    # bad input: a clear 400 on the page's route, 422 on the API
    for query, field in (
        ("", "q"),
        ("q=%20%20", "q"),
        ("q=" + "a" * 101, "q"),
        ("q=shire&council_id=abc", "council_id"),
        ("q=shire&council_id=987654", "council_id"),
        ("q=shire&council_id=99999999999999999999", "council_id"),
    ):
        answer = client.get(f"/agencies/search?{query}")
        assert answer.status_code == 400 and field in answer.json["errors"], query
        problem = api.get(f"/api/v1/agencies/search?{query}")
        assert problem.status_code == 422 and field in problem.json["errors"], query
    # signed out: the page sends to sign in; the API answers 401
    auth.sign_out()
    assert client.get("/agencies/search?q=shire").status_code == 302
    assert app.test_client().get("/api/v1/agencies/search?q=shire").status_code == 401
