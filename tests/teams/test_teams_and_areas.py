"""The council's teams and areas (issue 25, items 5 and 8; Somerset's cases by area): kept
by administrators, a team user's team holds the cases they record, the area is chosen at
intake and both change later on the timeline; the list filters by them; a child's case
closes with the outcome for the family; the dashboard counts by team and by area. With
nothing configured everything works as before and the figures say "Not recorded"."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, record_concern
from tests.support.pages import page_errors

ADULT = {"child": False, "referral_source": None}
FEEDBACK = {"feedback_person_on": "2026-11-20", "feedback_person_method": "Home visit"}


def _admin(app, factory):
    return ApiClient(app.test_client(), make_token(app, factory.user(role=Role.ADMINISTRATOR)))


def test_with_nothing_configured_it_works_as_today(app, factory, auth):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    concern_id = record_concern(world, **ADULT)
    read = officer.get(f"/api/v1/concerns/{concern_id}").json
    assert (read["team_id"], read["team"], read["locality_id"], read["area"]) == (None,) * 4
    figures = officer.get("/api/v1/dashboard").json
    assert [(r["id"], r["name"], r["received"]) for r in figures["by_team"]] == [
        (None, "Not recorded", 1)
    ]
    assert [(r["name"], r["open_at_end"]) for r in figures["by_area"]] == [("Not recorded", 1)]
    auth.sign_in("officer@example.org")
    intake = auth.client.get("/concerns/new").get_data(as_text=True)
    assert 'name="locality_id"' not in intake, "no areas: nothing to choose"
    listing = auth.client.get("/concerns/").get_data(as_text=True)
    assert 'name="team_id"' not in listing
    case = html.unescape(auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True))
    assert "Team holding the case" in case and "Not recorded" in case


def test_administrators_keep_teams_and_areas_and_the_team_holds_its_cases(app, factory, auth):
    world = build_world(app, factory)
    admin = _admin(app, factory)
    adults = admin.post("/api/v1/teams/", json={"name": "Adult safeguarding team"})
    assert adults.status_code == 201, adults.json
    edt = admin.post("/api/v1/teams/", json={"name": "Emergency Duty Team (out of hours)"}).json
    twice = admin.post("/api/v1/teams/", json={"name": "adult safeguarding TEAM"})
    assert twice.json["errors"]["name"] == ["A team with this name already exists"]
    north, south = (
        admin.post("/api/v1/areas/", json={"name": name}).json for name in ("Mendip", "Sedgemoor")
    )
    # the officer joins the adult team; a partner's practitioner belongs to no team
    officer_url = f"/api/v1/users/{world.users['officer']}"
    joined = admin.patch(
        officer_url,
        json={"team_id": adults.json["id"]},
        headers={"If-Match": admin.get(officer_url).headers["ETag"]},
    )
    assert joined.status_code == 200 and joined.json["team_id"] == adults.json["id"]
    police_url = f"/api/v1/users/{world.users['police']}"
    refused = admin.patch(
        police_url,
        json={"team_id": edt["id"]},
        headers={"If-Match": admin.get(police_url).headers["ETag"]},
    )
    assert refused.json["errors"]["team_id"] == [
        "Only safeguarding officers and managers belong to a team: leave the team out"
    ]

    # the team chooses the area at intake; left out, the case's area is not recorded
    officer = world.clients["officer"]
    body = {
        "received_at": "2026-11-20T10:15:00+00:00",
        "person": {"given_name": "Ada", "family_name": "Lane", "date_of_birth": "1938-02-02"},
        "is_child": False,
        "types_of_risk": ["neglect"],
        "location": "own_home",
        "source_of_risk": "known",
        "description": "Found without food.",
    }
    unsaid = officer.post("/api/v1/concerns/", json=body)
    assert (unsaid.status_code, unsaid.json["locality_id"]) == (201, None)
    wrong = officer.post("/api/v1/concerns/", json=body | {"locality_id": 999999})
    assert wrong.status_code == 422 and "locality_id" in wrong.json["errors"]
    held = officer.post("/api/v1/concerns/", json=body | {"locality_id": north["id"]}).json
    assert (held["team"], held["area"]) == ("Adult safeguarding team", "Mendip")
    referred = world.clients["police"].post("/api/v1/concerns/", json=body)
    assert referred.status_code == 201, referred.json
    assert (referred.json["team_id"], referred.json["locality_id"]) == (None, None)

    # the team moves a case, on its timeline; a team no longer in use is not offered
    moved = officer.put(
        f"/api/v1/concerns/{referred.json['id']}/team",
        json={"team_id": edt["id"], "locality_id": south["id"]},
    )
    assert moved.status_code == 200, moved.json
    timeline = officer.get(f"/api/v1/concerns/{referred.json['id']}/timeline").json
    assert any(
        e["summary"] == "Team holding the case: Emergency Duty Team (out of hours); Area: Sedgemoor"
        for e in timeline
    )
    edt_url = f"/api/v1/teams/{edt['id']}"
    retired = admin.patch(
        edt_url, json={"active": False}, headers={"If-Match": admin.get(edt_url).headers["ETag"]}
    )
    assert retired.status_code == 200 and retired.json["active"] is False
    stale = officer.put(
        f"/api/v1/concerns/{held['id']}/team", json={"team_id": edt["id"], "locality_id": None}
    )
    assert stale.json["errors"]["team_id"] == [
        "The team Emergency Duty Team (out of hours) is no longer in use: choose another"
    ]

    # the list filters by team and by area, page and API alike
    by_team = officer.get(f"/api/v1/concerns/?team_id={edt['id']}").json["items"]
    assert [c["id"] for c in by_team] == [referred.json["id"]]
    by_area = officer.get(f"/api/v1/concerns/?locality_id={north['id']}").json["items"]
    assert [c["id"] for c in by_area] == [held["id"]]
    wrong = officer.get("/api/v1/concerns/?team_id=nine")
    assert wrong.status_code == 422
    auth.sign_in("officer@example.org")
    page = auth.client.get(f"/concerns/?locality_id={south['id']}").get_data(as_text=True)
    assert referred.json["reference"] in page and held["reference"] not in page

    exported = auth.client.get(f"/concerns/export.csv?team_id={edt['id']}").get_data(as_text=True)
    assert exported.splitlines()[1].endswith(",Emergency Duty Team (out of hours),Sedgemoor")
    intake = auth.client.get("/concerns/new").get_data(as_text=True)
    assert 'name="locality_id"' in intake and "Mendip" in intake
    auth.sign_out()
    auth.as_role(Role.ADMINISTRATOR)
    user_page = auth.client.get(f"/admin/users/{world.users['officer']}").get_data(as_text=True)
    assert 'name="team_id"' in user_page and "Adult safeguarding team" in user_page
    assert "Emergency Duty Team" in auth.client.get("/admin/teams/").get_data(as_text=True)
    auth.sign_out()
    auth.sign_in("officer@example.org")

    # the case page's form says what is wrong
    url = f"/concerns/{held['id']}/team"
    bad = auth.client.post(
        url, data={"csrf_token": csrf_token(auth.client, url), "team_id": "x", "locality_id": ""}
    )
    title, summary, _ = page_errors(bad.get_data(as_text=True))
    assert title.startswith("Error:") and summary == ["Choose the team from the list"]


def test_a_childs_case_closes_with_the_outcome_for_the_family(app, factory, auth):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    child = record_concern(world)
    decided = officer.post(
        f"/api/v1/concerns/{child}/decision",
        json={"decision": "no_further_action", "reason": "Needs met by the school"},
    )
    assert decided.status_code == 200, decided.json
    auth.sign_in("officer@example.org")
    url = f"/concerns/{child}/close"
    form = {
        "csrf_token": csrf_token(auth.client, url),
        "closure_reason": "RC7",
        "feedback_person_on": ["20", "11", "2026"],
        "feedback_person_method": "Visit",
    }
    refused = auth.client.post(url, data=form)
    title, summary, _ = page_errors(refused.get_data(as_text=True))
    assert title.startswith("Error:")
    assert "Select the outcome for the child and family" in summary
    odd = auth.client.post(url, data=form | {"family_outcome": "adopted_by_wolves"})
    assert odd.status_code == 200 and "Error:" in odd.get_data(as_text=True)
    closed = auth.client.post(url, data=form | {"family_outcome": "stepped_down"})
    assert closed.status_code == 302, closed.get_data(as_text=True)
    case = html.unescape(auth.client.get(f"/concerns/{child}").get_data(as_text=True))
    assert "Stepped down to early help" in case
    assert officer.get(f"/api/v1/concerns/{child}").json["family_outcome"] == "stepped_down"

    adult = record_concern(world, **ADULT)
    officer.post(
        f"/api/v1/concerns/{adult}/decision",
        json={"decision": "no_further_action", "reason": "No care and support needs"},
    )
    wrong = officer.post(
        f"/api/v1/concerns/{adult}/closure",
        json=FEEDBACK | {"risk_outcome": "none_no_action", "family_outcome": "stepped_down"},
    )
    assert wrong.json["errors"]["family_outcome"] == [
        "The outcome for the child and family is recorded for children's cases only"
    ]


def test_the_dashboard_counts_by_team_and_area_and_outcomes_at_closure(app, factory, clock):
    world = build_world(app, factory)
    admin = _admin(app, factory)
    team = admin.post("/api/v1/teams/", json={"name": "Children's assessment team"}).json
    officer = world.clients["officer"]
    clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    before = record_concern(world, received_at="2026-09-15T10:00:00+00:00")  # open at start
    during = [
        record_concern(world, received_at=f"2026-10-0{day}T10:00:00+00:00") for day in (5, 6, 7)
    ]
    after = record_concern(world, received_at="2026-11-20T10:00:00+00:00")  # after the end
    area = admin.post("/api/v1/areas/", json={"name": "Taunton & WS"}).json
    for concern_id in (before, during[0], during[1], after):
        officer.put(
            f"/api/v1/concerns/{concern_id}/team",
            json={"team_id": team["id"], "locality_id": area["id"]},
        )
    for concern_id in (during[0], after):
        officer.post(
            f"/api/v1/concerns/{concern_id}/decision",
            json={"decision": "no_further_action", "reason": "Needs met"},
        )
    clock.set(datetime(2026, 10, 20, 12, 0, tzinfo=UTC))
    closed = officer.post(
        f"/api/v1/concerns/{during[0]}/closure",
        json={
            "closure_reason": "RC7",
            "family_outcome": "maintained_at_home",
            "feedback_person_on": "2026-10-20",
            "feedback_person_method": "Visit",
        },
    )
    assert closed.status_code == 200, closed.json
    clock.set(datetime(2026, 11, 23, 12, 0, tzinfo=UTC))
    officer.post(
        f"/api/v1/concerns/{after}/closure",
        json={"closure_reason": "RC7", "family_outcome": "looked_after"} | FEEDBACK,
    )

    figures = officer.get("/api/v1/dashboard?from=2026-10-01&to=2026-10-31").json
    rows = {r["name"]: r for r in figures["by_team"]}
    assert {
        k: rows["Children's assessment team"][k] for k in ("open_at_end", "received", "closed")
    } == {
        "open_at_end": 2,  # before and during[1]: during[0] closed in October
        "received": 2,
        "closed": 1,
    }
    assert (rows["Not recorded"]["received"], rows["Not recorded"]["open_at_end"]) == (1, 1)
    assert [r["name"] for r in figures["by_area"]] == ["Taunton & WS", "Not recorded"]
    assert figures["by_area"][0]["received"] == 2
    children = {o["outcome"]: o["closed"] for o in figures["outcomes_at_closure"]["children"]}
    assert children["maintained_at_home"] == 1 and children["looked_after"] == 0
    assert children[None] == 0
    assert all(o["closed"] == 0 for o in figures["outcomes_at_closure"]["adults"])
