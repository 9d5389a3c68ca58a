"""Positions of trust (issue 24, item 3): the person alleged to have caused harm works or
volunteers in a position of trust, the case says so, and a PiPoT referral (an adult's
case; Care and support statutory guidance, 14.120 to 14.132) is made from it, with the
employer's actions and an outcome that closes it; the team's report lists the open ones
by employer and age, the board reads the figures only."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, record_concern
from tests.support.clock import set_now
from tests.support.pages import page_errors


def test_a_pipot_referral_from_the_care_home_case_is_reported_and_its_outcome_closes_it(
    app, factory, auth
):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    home = officer.post(
        "/api/v1/establishments/", json={"name": "Meadowbank House", "kind": "care_home_nursing"}
    )
    assert home.status_code == 201, home.json
    concern_id = record_concern(
        world,
        child=False,
        location="care_home_nursing",
        establishment_id=home.json["id"],
        source_of_risk="service_provider",
        types_of_risk=["physical"],
        description="A resident found with a fractured wrist after the night shift.",
    )
    alleged_url = f"/api/v1/concerns/{concern_id}/alleged-people"
    staff = {"given_name": "Carl", "family_name": "Night"}
    # the position of trust needs where and the role
    unsaid = officer.post(
        alleged_url,
        json={"person": staff, "relationship_kind": "other", "relationship_detail": "Carer"}
        | {"trust_capacity": "employed"},
    )
    assert unsaid.status_code == 422
    assert set(unsaid.json["errors"]) == {"trust_employer", "trust_role"}
    named = officer.post(
        alleged_url,
        json={
            "person": staff,
            "relationship_kind": "other",
            "relationship_detail": "Paid carer at the home",
            "trust_capacity": "employed",
            "trust_establishment_id": home.json["id"],
            "trust_role": "Night care assistant",
        },
    )
    assert named.status_code == 201, named.json
    assert named.json["employer"] == "Meadowbank House"
    alleged_id = named.json["id"]

    # the case page flags it; the referral is made from the case page
    auth.sign_in("officer@example.org")
    case_page = html.unescape(auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True))
    assert "Position of trust" in case_page and "Make a PiPoT referral" in case_page
    url = f"/concerns/{concern_id}/alleged/{alleged_id}/trust-referral"
    refused = auth.client.post(url, data={"csrf_token": csrf_token(auth.client, url)})
    title, summary, _ = page_errors(refused.get_data(as_text=True))
    assert refused.status_code == 200 and title.startswith("Error:")
    assert "Enter the day it was referred" in summary
    made = auth.client.post(
        url,
        data={
            "csrf_token": csrf_token(auth.client, url),
            "referred_on": ["23", "11", "2026"],
            "referred_to": "Pat Lowe, PiPoT lead",
        },
    )
    assert made.status_code == 302, made.get_data(as_text=True)
    [referral] = officer.get(f"/api/v1/concerns/{concern_id}/trust-referrals").json
    assert (referral["process"], referral["open"], referral["employer"]) == (
        "pipot",
        True,
        "Meadowbank House",
    )
    referral_url = f"/api/v1/concerns/{concern_id}/trust-referrals/{referral['id']}"
    again = officer.post(
        f"/api/v1/concerns/{concern_id}/trust-referrals",
        json={"alleged_id": alleged_id, "referred_on": "2026-11-23", "referred_to": "LADO"},
    )
    assert again.status_code == 422 and "alleged_id" in again.json["errors"]
    acted = officer.post(
        referral_url + "/actions",
        json={"action": "suspended", "taken_on": "2026-11-23", "notes": "Pending the enquiry"},
    )
    assert acted.status_code == 200, acted.json
    assert [a["action"] for a in acted.json["actions"]] == ["suspended"]

    # on the team's report, by employer and age; 45 days later it is 30 to 90 days old
    set_now(datetime(2027, 1, 7, 12, 0, tzinfo=UTC))
    auth.sign_in("officer@example.org")  # the session of 45 days ago is over
    report = officer.get("/api/v1/returns/positions-of-trust").json
    assert report["open"] == 1
    [employer] = report["employers"]
    assert employer["name"] == "Meadowbank House"
    assert employer["referrals"][0]["person_name"] == "Carl Night"
    assert employer["referrals"][0]["days_open"] == 45
    assert {c["code"]: c["count"] for c in report["by_age"]} == {
        "under_30": 0,
        "30_to_90": 1,
        "over_90": 0,
    }
    team_page = html.unescape(auth.client.get("/returns/positions-of-trust").get_data(as_text=True))
    assert "Meadowbank House" in team_page and "Carl Night" in team_page
    assert "/returns/positions-of-trust" in auth.client.get("/returns/").get_data(as_text=True)

    # the board: figures only
    board = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.BOARD_MEMBER)))
    figures = board.get("/api/v1/returns/positions-of-trust").json
    assert figures["employers"] is None and figures["open"] == 1
    assert board.get(referral_url).status_code == 404

    # agencies: a contributor or an implicated agency never reads the referral
    for agency, level in (("police", "contributor"), ("nhs", "implicated")):
        involved = officer.post(
            f"/api/v1/concerns/{concern_id}/involvements",
            json={"agency_id": world.agencies[agency], "note": "Asked to help"},
        )
        assert involved.status_code == 201, involved.json
        changed = officer.patch(
            f"/api/v1/concerns/{concern_id}/involvements/{involved.json['id']}",
            json={"level": level, "reason": "Their part only"},
        )
        assert changed.status_code == 200, changed.json
        assert world.clients[agency].get(referral_url).status_code in (403, 404)
        assert world.clients[agency].get("/api/v1/returns/positions-of-trust").status_code == 403

    # the outcome: one of the guidance's, and it closes the referral
    odd = officer.post(
        referral_url + "/outcome", json={"outcome": "dubious", "outcome_on": "2027-01-06"}
    )
    assert odd.status_code == 422 and "outcome" in odd.json["errors"]
    early = officer.post(
        referral_url + "/outcome", json={"outcome": "unfounded", "outcome_on": "2026-11-01"}
    )
    assert early.status_code == 422 and "outcome_on" in early.json["errors"]
    closed = officer.post(
        referral_url + "/outcome", json={"outcome": "substantiated", "outcome_on": "2027-01-06"}
    )
    assert closed.status_code == 200, closed.json
    assert (closed.json["open"], closed.json["outcome_on"]) == (False, "2027-01-06")
    late = officer.post(
        referral_url + "/actions", json={"action": "none", "taken_on": "2027-01-07"}
    )
    assert late.status_code == 422
    report = officer.get("/api/v1/returns/positions-of-trust").json
    assert (report["open"], report["closed"], report["employers"]) == (0, 1, [])
    assert {c["code"]: c["count"] for c in report["by_outcome"]}["substantiated"] == 1
    shown = html.unescape(
        auth.client.get(f"/concerns/{concern_id}/trust-referrals/{referral['id']}").get_data(
            as_text=True
        )
    )
    assert "Substantiated on 6 January 2027" in shown and "Suspended" in shown
    case_page = html.unescape(auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True))
    assert "Referred 23 November 2026 to Pat Lowe, PiPoT lead</a>: substantiated" in case_page

    # a child's case goes to the LADO
    child_case = record_concern(world, child=True)
    teacher = officer.post(
        f"/api/v1/concerns/{child_case}/alleged-people",
        json={
            "person": {"given_name": "Tom", "family_name": "Reed"},
            "relationship_kind": "other",
            "relationship_detail": "Teacher",
            "trust_capacity": "employed",
            "trust_agency_id": world.agencies["school"],
            "trust_role": "Class teacher",
        },
    )
    assert teacher.status_code == 201, teacher.json
    lado = officer.post(
        f"/api/v1/concerns/{child_case}/trust-referrals",
        json={"alleged_id": teacher.json["id"], "referred_on": "2027-01-07", "referred_to": "LADO"},
    )
    assert lado.status_code == 201, lado.json
    assert (lado.json["process"], lado.json["employer"]) == ("lado", "Northshire Academy")
