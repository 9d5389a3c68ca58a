"""Closing with outcomes, reopening, and establishment clusters."""

from __future__ import annotations

from datetime import UTC, timedelta

from core.auth.roles import Role
from core.db import utcnow
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import csrf_token


def _officer(app, factory):
    return ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )


def test_closing_without_outcome_msp_and_feedback_lists_the_three_missing_items(app, factory):
    officer = _officer(app, factory)
    concern = officer.post(
        "/api/v1/concerns/",
        json=concern_body(msp_asked="asked_expressed", referrer_name="A neighbour"),
    ).json
    refused = officer.post(f"/api/v1/concerns/{concern['id']}/closure", json={})
    assert refused.status_code == 422
    assert refused.json["errors"] == {
        "risk_outcome": ["Record the outcome of the risk assessment"],
        "msp_achieved": ["Record whether the outcomes the person wanted were achieved"],
        "feedback": ["Record the feedback given to the person and to the referrer"],
    }
    assert officer.get(f"/api/v1/concerns/{concern['id']}").json["status"] == "open"


def test_closing_with_everything_then_reopening_with_a_reason(app, factory):
    officer = _officer(app, factory)
    concern = officer.post(
        "/api/v1/concerns/",
        json=concern_body(msp_asked="asked_expressed", referrer_name="A neighbour"),
    ).json
    url = f"/api/v1/concerns/{concern['id']}"
    closure = {
        "risk_outcome": "identified_action",
        "msp_achieved": "partially",
        "feedback_person_on": "2026-11-20",
        "feedback_person_method": "Home visit",
        "feedback_referrer_on": "2026-11-20",
        "feedback_referrer_method": "Phone",
    }
    missing_after = officer.post(url + "/closure", json=closure)
    assert missing_after.status_code == 422 and "risk_after_action" in missing_after.json["errors"]
    closed = officer.post(url + "/closure", json=closure | {"risk_after_action": "reduced"})
    assert closed.status_code == 200, closed.json
    assert closed.json["status"] == "closed" and closed.json["risk_outcome"] == "identified_action"
    assert officer.post(url + "/reopen", json={"reason": ""}).status_code == 422
    reopened = officer.post(url + "/reopen", json={"reason": "New information from the GP"})
    assert reopened.status_code == 200 and reopened.json["status"] == "open"


def test_closing_and_reopening_on_the_page(app, auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    officer = _officer(app, auth.factory)
    concern = officer.post(
        "/api/v1/concerns/",
        json=concern_body(msp_asked="asked_expressed", referrer_name="A neighbour"),
    ).json
    page_url = f"/concerns/{concern['id']}/close"
    token = csrf_token(client, page_url)
    page = client.post(page_url, data={"csrf_token": token}).get_data(as_text=True)
    for message in (
        "Record the outcome of the risk assessment",
        "Record whether the outcomes the person wanted were achieved",
        "Record the feedback given to the person and to the referrer",
    ):
        assert message in page
    done = client.post(
        page_url,
        data={
            "csrf_token": token,
            "risk_outcome": "none_no_action",
            "msp_achieved": "fully",
            "feedback_person_on": ["20", "11", "2026"],
            "feedback_person_method": "Visit",
            "feedback_referrer_on": ["20", "11", "2026"],
            "feedback_referrer_method": "Phone",
        },
    )
    assert done.status_code == 302
    case = client.get(f"/concerns/{concern['id']}").get_data(as_text=True)
    assert "No risk identified and no action taken" in case and "Reopen the concern" in case
    assert "Closed: No risk identified and no action taken" in case


def test_third_concern_at_a_care_home_in_90_days_makes_a_cluster(app, auth, client, factory):
    officer = _officer(app, factory)
    home = officer.post(
        "/api/v1/establishments/",
        json={"name": "Meadowbank House", "kind": "care_home_residential"},
    ).json
    other = officer.post(
        "/api/v1/establishments/", json={"name": "Oak Lodge", "kind": "care_home_nursing"}
    ).json
    now = utcnow()

    def at(days_ago, establishment):
        received = (now - timedelta(days=days_ago)).astimezone(UTC).isoformat()
        body = concern_body(
            received_at=received,
            location="care_home_residential",
            source_of_risk="service_provider",
            establishment_id=establishment,
        )
        assert officer.post("/api/v1/concerns/", json=body).status_code == 201

    at(100, home["id"])  # outside the window
    at(60, home["id"])
    at(10, home["id"])
    at(5, other["id"])
    assert officer.get("/api/v1/clusters/").json == []
    at(1, home["id"])
    clusters = officer.get("/api/v1/clusters/").json
    assert [(c["establishment_name"], c["concerns"]) for c in clusters] == [("Meadowbank House", 3)]
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    page = client.get("/concerns/clusters").get_data(as_text=True)
    assert "Meadowbank House" in page and "Oak Lodge" not in page
    police = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.AGENCY_PRACTITIONER))
    )
    assert police.get("/api/v1/clusters/").status_code == 403


def _child_with_a_plan(app, factory):
    from tests.plans.helpers import child_with_conference

    world, concern_id, _ = child_with_conference(
        app, factory, {"kind": "child_protection_plan", "plan_category": "NEG"}
    )
    [plan] = world.clients["officer"].get(f"/api/v1/plans/?concern_id={concern_id}").json["items"]
    return world, concern_id, plan


CHILD_CLOSURE = {
    "closure_reason": "RC7",
    "primary_need": "N1",
    "family_outcome": "stepped_down",
    "feedback_person_on": "2026-12-01",
    "feedback_person_method": "Home visit",
}


def test_a_childs_case_cannot_close_while_its_plan_is_open(app, factory, clock):
    world, concern_id, plan = _child_with_a_plan(app, factory)
    officer = world.clients["officer"]
    url = f"/api/v1/concerns/{concern_id}/closure"
    refused = officer.post(url, json=CHILD_CLOSURE)
    assert refused.status_code == 422
    assert refused.json["errors"]["plan"] == [
        "End the child protection plan started on 1 December 2026 first: "
        "a child's case cannot close while its plan is open"
    ]
    assert officer.get(f"/api/v1/concerns/{concern_id}").json["status"] == "open"
    clock.advance(timedelta(days=1))
    plan_url = f"/api/v1/plans/{plan['id']}"
    etag = officer.get(plan_url).headers["ETag"]
    ended = officer.post(
        f"{plan_url}/end",
        json={"reason": "Risk reduced: the review conference ended it", "ended_on": "2026-12-02"},
        headers={"If-Match": etag},
    )
    assert ended.status_code == 200, ended.json
    closed = officer.post(url, json=CHILD_CLOSURE)
    assert closed.status_code == 200, closed.json


def test_the_close_page_names_the_open_plan(app, factory, auth):
    _world, concern_id, _plan = _child_with_a_plan(app, factory)
    auth.sign_in("officer@example.org")
    page_url = f"/concerns/{concern_id}/close"
    page = auth.client.post(
        page_url,
        data={
            "csrf_token": csrf_token(auth.client, page_url),
            "closure_reason": "RC7",
            "primary_need": "N1",
            "feedback_person_on": ["1", "12", "2026"],
            "feedback_person_method": "Visit",
        },
    )
    assert page.status_code == 200
    assert "a child&#39;s case cannot close while its plan is open" in page.get_data(as_text=True)


def test_msp_achievement_is_taken_only_where_outcomes_were_expressed(app, factory):
    officer = _officer(app, factory)
    closure = {
        "risk_outcome": "none_no_action",
        "feedback_person_on": "2026-11-20",
        "feedback_person_method": "Home visit",
        "feedback_referrer_on": "2026-11-20",
        "feedback_referrer_method": "Phone",
    }
    for asked in ("not_asked", "not_recorded", "dont_know", "asked_not_expressed"):
        concern = officer.post(
            "/api/v1/concerns/", json=concern_body(msp_asked=asked, referrer_name="A neighbour")
        ).json
        url = f"/api/v1/concerns/{concern['id']}/closure"
        refused = officer.post(url, json=closure | {"msp_achieved": "fully"})
        assert refused.status_code == 422, asked
        assert "only where the person was asked and expressed" in str(
            refused.json["errors"]["msp_achieved"]
        )
        closed = officer.post(url, json=closure)  # and not demanded either
        assert closed.status_code == 200, (asked, closed.json)


ADULT_CLOSURE = {
    "risk_outcome": "none_no_action",
    "feedback_person_on": "2026-11-20",
    "feedback_person_method": "Home visit",
}


def test_an_adults_case_with_open_work_closes_only_with_a_managers_reason(app, factory):
    from tests.meetings.helpers import build_world, record_concern

    world = build_world(app, factory)
    concern_id = record_concern(world, child=False)
    officer = world.clients["officer"]
    plan = officer.post("/api/v1/plans/", json={"concern_id": concern_id}).json
    action = officer.post(
        f"/api/v1/plans/{plan['id']}/actions",
        json={
            "description": "Review the care package",
            "owner_agency_id": world.agencies["nhs"],
            "due_on": plan["next_review_due"],
        },
    )
    assert action.status_code == 201, action.json
    url = f"/api/v1/concerns/{concern_id}/closure"
    refused = officer.post(url, json=ADULT_CLOSURE)
    assert refused.status_code == 422
    [message] = refused.json["errors"]["override_reason"]
    assert "an open adult safeguarding plan; 1 open plan action" in message
    assert "a safeguarding manager may close it anyway" in message
    # an officer cannot override
    officer_override = officer.post(url, json=ADULT_CLOSURE | {"override_reason": "Moved away"})
    assert officer_override.status_code == 422
    assert "Only a safeguarding manager" in officer_override.json["errors"]["override_reason"][0]

    manager = ApiClient(
        app.test_client(),
        make_token(
            app,
            factory.user(role=Role.SAFEGUARDING_MANAGER, agency_id=world.agencies["council"]),
        ),
    )
    closed = manager.post(
        url, json=ADULT_CLOSURE | {"override_reason": "The person moved out of the area"}
    )
    assert closed.status_code == 200, closed.json
    timeline = manager.get(f"/api/v1/concerns/{concern_id}").json
    assert timeline["status"] == "closed"


def test_nothing_open_needs_no_reason(app, factory):
    officer = _officer(app, factory)
    concern = officer.post("/api/v1/concerns/", json=concern_body()).json
    url = f"/api/v1/concerns/{concern['id']}/closure"
    refused = officer.post(url, json=ADULT_CLOSURE | {"override_reason": "Because"})
    assert refused.status_code == 422
    assert officer.post(url, json=ADULT_CLOSURE).status_code == 200


def test_no_risk_identified_with_action_taken_asks_no_result(app, factory):
    officer = _officer(app, factory)
    concern = officer.post("/api/v1/concerns/", json=concern_body()).json
    url = f"/api/v1/concerns/{concern['id']}/closure"
    closed = officer.post(url, json=ADULT_CLOSURE | {"risk_outcome": "none_action"})
    assert closed.status_code == 200, closed.json
    assert closed.json["risk_after_action"] is None
