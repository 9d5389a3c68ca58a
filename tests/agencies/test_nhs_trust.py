"""NHS trust plugin: PSIRF incidents, discharge notifications, quarterly training returns
with the compliance report, and health's invitation rules."""

from __future__ import annotations

from tests.agencies.helpers import error_messages, load_demo, post_form

NHS = "nhs@demo.example"
OFFICER = "officer@demo.example"
TRUST = "Northshire Hospitals NHS Foundation Trust"


def test_training_return_each_quarter_once_and_the_compliance_report(app, runner):
    demo = load_demo(app, runner)
    nhs = demo.page(NHS)
    assert "Safeguarding training return" in nhs.get("/forms/").get_data(as_text=True)
    url = "/forms/nhs_trust.training_return/new"
    answers = {
        "quarter": "2026-27-q2",
        "staff_in_scope": "1200",
        "level_1": "1150",
        "level_2": "1000",
        "level_3": "300",
    }
    too_many = post_form(nhs, url, answers | {"level_3": "1300"})
    assert error_messages(too_many.get_data(as_text=True)) == {
        "Staff trained at level 3 must not be more than staff in scope"
    }
    # issue 22: the figures' check waited until every answer was given (a second round)
    no_quarter = post_form(nhs, url, answers | {"quarter": "", "level_3": "1300"})
    assert error_messages(no_quarter.get_data(as_text=True)) >= {
        "Staff trained at level 3 must not be more than staff in scope"
    }
    assert len(error_messages(no_quarter.get_data(as_text=True))) == 2
    assert post_form(nhs, url, answers).status_code == 302
    again = post_form(nhs, url, answers)
    assert error_messages(again.get_data(as_text=True)) == {
        "Your agency has already sent this form for 2026 to 2027, quarter 2: change that one "
        "instead"
    }
    board = demo.page("board@demo.example")
    report = board.get("/reports/nhs_trust.training_compliance").get_data(as_text=True)
    assert TRUST in report and "95.8" in report and "25.0" in report
    assert '<td class="govuk-table__cell">No</td>' in report  # level 3 under 90%
    csv_text = board.get("/reports/nhs_trust.training_compliance/export.csv").get_data(as_text=True)
    assert csv_text.splitlines()[1] == f"{TRUST},2026-27-q2,1200,95.8,83.3,25.0,No"


def test_patient_safety_incident_needs_the_referral_date_when_referred(app, runner):
    demo = load_demo(app, runner)
    url = "/api/v1/forms/nhs_trust.patient_safety_incident/submissions"
    incident = {
        "incident_reference": "W123456",
        "setting": "emergency_department",
        "occurred_on": "2026-11-12",
        "safeguarding_element": "Patient disclosed financial abuse by a carer while waiting.",
        "learning_response": "after_action_review",
        "referral_made": True,
    }
    refused = demo.api(NHS).post(url, json={"data": incident})
    assert refused.json["errors"] == {"referral_made_on": ["Enter date the referral was made"]}
    created = demo.api(NHS).post(url, json={"data": incident | {"referral_made_on": "2026-11-12"}})
    assert created.status_code == 201 and created.json["subject_type"] == "agency"
    assert demo.api("police@demo.example").get(created.headers["Location"]).status_code == 404


def test_discharge_monitoring_flags_out_of_hours_without_care(app, runner):
    demo = load_demo(app, runner)
    concern = demo.concern()
    demo.involve(concern["id"], TRUST)
    url = "/api/v1/forms/nhs_trust.discharge_notification/submissions"
    discharge = {
        "discharged_at": "2026-11-14T22:40",
        "discharged_to": "Own home",
        "care_in_place": False,
    }
    created = demo.api(NHS).post(url, json={"subject_id": concern["id"], "data": discharge})
    assert created.status_code == 201, created.json
    assert created.json["data"]["discharged_at"] == "2026-11-14T22:40+00:00"
    # a Friday afternoon: in core hours; whether out of hours is never typed
    afternoon = discharge | {"discharged_at": "2026-11-13T14:00"}
    made = demo.api(NHS).post(url, json={"subject_id": concern["id"], "data": afternoon})
    assert made.status_code == 201, made.json
    typed = demo.api(NHS).post(
        url, json={"subject_id": concern["id"], "data": afternoon | {"out_of_hours": True}}
    )
    assert typed.status_code == 422 and "out_of_hours" in typed.json["errors"]
    report = (
        demo.page(OFFICER).get("/reports/nhs_trust.discharge_monitoring").get_data(as_text=True)
    )
    assert "14 November 2026 at 22:40" in report
    assert "1 out-of-hours discharge(s) without care in place." in report


def test_the_trust_is_proposed_for_its_hospital_and_when_health_is_involved(app, runner):
    from core.concerns.models import Concern
    from core.extensions import db
    from core.meetings.operations import propose_invitees

    demo = load_demo(app, runner)
    ward = demo.officer.post(
        "/api/v1/establishments/",
        json={
            "name": "Northshire General Hospital",
            "kind": "hospital_acute",
            "provider_agency_id": demo.agencies[TRUST],
        },
    ).json
    at_hospital = demo.concern(location="hospital_acute", establishment_id=ward["id"])
    involved = demo.concern()
    demo.involve(involved["id"], "Northshire Mental Health NHS Trust")
    with app.test_request_context():

        def proposed(concern):
            found = db.session.get(Concern, concern["id"])
            return {
                p.agency.name: (p.reason, p.standard)
                for p in propose_invitees("strategy_discussion", [found]).invitees
            }

        assert proposed(at_hospital)[TRUST] == (
            "NHS trust: runs Northshire General Hospital, the hospital where the concern is "
            "located",
            True,
        )
        assert proposed(involved)["Northshire Mental Health NHS Trust"] == (
            "NHS trust: health is involved in the case",
            False,
        )
        assert TRUST not in proposed(involved)
