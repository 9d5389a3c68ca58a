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
