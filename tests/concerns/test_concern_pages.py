"""Concern pages: record, bad input, duplicates, case page, decision, involvement."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from core.auth.roles import Role
from core.extensions import db
from tests.conftest import Auth, Factory, csrf_token
from tests.support.clock import set_now
from tests.support.pages import page_errors

FORM = {
    "given_name": "Edith", "family_name": "Marsh",
    "date_of_birth": ["2", "4", "1938"], "nhs_number": "943 476 5919", "sex": "female",
    "is_child": "adult", "received_on": ["20", "11", "2026"], "received_time": "10:15",
    "route": "phone", "referrer_agency_id": "", "referrer_name": "A neighbour",
    "referrer_role": "", "types_of_risk": ["financial", "psychological"], "location": "own_home",
    "establishment_id": "", "source_of_risk": "known",
    "description": "Neighbour reports a relative taking her pension.",
    "lacked_capacity": "no", "msp_asked": "asked_expressed",
    "desired_outcomes": "Keep her money safe",
    "level_of_need": "",
}  # fmt: skip


def _post(client, data):
    data = dict(data, csrf_token=csrf_token(client, "/concerns/new"))
    return client.post("/concerns/new", data=data)


def _count(app, table):
    with app.app_context():
        return db.session.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608


def test_officer_records_a_concern_and_sees_the_case_page(app, auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    response = _post(client, FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "SG-2026-000001: Edith Marsh" in page
    assert "Financial or Material Abuse, Psychological Abuse" in page
    assert "Monday 23 November 2026" in page  # screening due: 1 working day after Friday
    assert "Concern SG-2026-000001 recorded" in page  # the timeline


def test_bad_input_shows_the_error_summary_and_saves_nothing(app, auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    bad = dict(FORM, received_on=["1", "1", "2099"], given_name="", nhs_number="9434765918")
    page = _post(client, bad).get_data(as_text=True)
    # every problem on the first submit: the page's own and the cross-field ones
    title, summary, beside = page_errors(page)
    assert title.startswith("Error:")
    assert {
        "Enter the person's first name",
        "The time received must not be in the future",
        "Enter a valid NHS number: 10 digits, like 943 476 5919",
    } <= set(summary), summary
    assert sorted(beside) == sorted(summary)
    _post(client, dict(FORM, received_on=["1", "1", "2099"]))
    page = _post(client, dict(FORM, received_on=["1", "1", "2099"])).get_data(as_text=True)
    assert "The time received must not be in the future" in page
    page = _post(client, dict(FORM, nhs_number="9434765918")).get_data(as_text=True)
    assert "Enter a valid NHS number" in page
    assert _count(app, "concerns") == 0 and _count(app, "people") == 0


def test_a_matching_person_is_offered_before_a_new_record(app, auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    assert _post(client, FORM).status_code == 302
    warned = _post(client, FORM).get_data(as_text=True)
    assert "This person may already have a record" in warned
    assert _count(app, "concerns") == 1
    with app.app_context():
        person_id = db.session.scalar(sa.text("SELECT id FROM people"))
    assert _post(client, dict(FORM, use_person_id=str(person_id))).status_code == 302
    assert _count(app, "people") == 1 and _count(app, "concerns") == 2
    second = client.get("/concerns/2").get_data(as_text=True)
    assert "Repeat concern" in second and "SG-2026-000001" in second
    assert _post(client, dict(FORM, use_person_id="new")).status_code == 302
    assert _count(app, "people") == 2


def test_decision_and_involvement_from_the_case_page(app, auth, client, factory):
    police = factory.agency(name="Northshire Police", type="police")
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    _post(client, FORM)
    token = csrf_token(client, "/concerns/1/decision")
    refused = client.post(
        "/concerns/1/decision", data={"csrf_token": token, "decision": "early_help", "reason": ""}
    )
    assert "Give the reason for the decision" in refused.get_data(as_text=True)
    made = client.post(
        "/concerns/1/decision",
        data={"csrf_token": token, "decision": "section_42_enquiry", "reason": "Likely theft"},
    )
    assert made.status_code == 302
    page = client.get("/concerns/1").get_data(as_text=True)
    assert "Section 42 enquiry: Likely theft" in page and ">Met<" in page

    token = csrf_token(client, "/concerns/1/involve")
    client.post(
        "/concerns/1/involve",
        data={"csrf_token": token, "agency_id": str(police), "note": "Crime suspected"},
    )
    assert "Added by the safeguarding team: Crime suspected" in client.get("/concerns/1").get_data(
        as_text=True
    )

    police_client = app.test_client()
    Auth(police_client, factory).as_role(Role.AGENCY_PRACTITIONER, agency_id=police)
    assert police_client.get("/concerns/1").status_code == 200
    assert "SG-2026-000001" in police_client.get("/concerns/").get_data(as_text=True)
    with app.app_context():
        involvement_id = db.session.scalar(sa.text("SELECT id FROM involvements"))
    token = csrf_token(client, "/concerns/1")
    client.post(
        f"/concerns/1/involvements/{involvement_id}/remove",
        data={"csrf_token": token, "reason": "No crime"},
    )
    assert police_client.get("/concerns/1").status_code == 404
    assert "SG-2026-000001" not in police_client.get("/concerns/").get_data(as_text=True)


def test_christmas_eve_concern_on_the_page(app_factory):
    set_now(datetime(2026, 12, 24, 19, 0, tzinfo=UTC))
    app = app_factory()
    client = app.test_client()
    Auth(client, Factory(app)).as_role(Role.SAFEGUARDING_OFFICER)
    response = _post(client, dict(FORM, received_on=["24", "12", "2026"], received_time="18:00"))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Received out of hours" in page and "Tuesday 29 December 2026" in page


def test_board_member_gets_no_concern_pages(auth, client):
    auth.as_role(Role.BOARD_MEMBER)
    assert client.get("/concerns/").status_code == 403
    assert client.get("/concerns/new").status_code == 403
