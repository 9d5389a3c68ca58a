"""Care home plugin: provider details, provider alerts with CQC regulation 18 tracking,
reports and the provider's invitation rule."""

from __future__ import annotations

from tests.agencies.helpers import load_demo

CAREHOME = "carehome@demo.example"
OFFICER = "officer@demo.example"
PROVIDER = "Meadowbank Care Ltd"


def _care_home(demo, name="Meadowbank House", cqc="1-555000111"):
    response = demo.officer.post(
        "/api/v1/establishments/",
        json={
            "name": name,
            "kind": "care_home_residential",
            "cqc_location_id": cqc,
            "provider_agency_id": demo.agencies[PROVIDER],
        },
    )
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def _proposal_page(demo, concern_id):
    officer = demo.page(OFFICER)
    return officer.get(f"/meetings/new?concern_id={concern_id}&type=strategy_discussion").get_data(
        as_text=True
    )


def test_strategy_meeting_at_a_care_home_proposes_its_provider_with_the_reason(app, runner):
    demo = load_demo(app, runner)
    home = _care_home(demo)
    concern = demo.concern(location="care_home_residential", establishment_id=home)
    page = _proposal_page(demo, concern["id"])
    assert "Meadowbank Care Ltd" in page
    assert "Care provider: runs Meadowbank House, where the concern is located" in page
    assert "is not proposed" not in page


def test_when_the_provider_is_the_source_of_risk_it_is_not_proposed_and_why(app, runner):
    demo = load_demo(app, runner)
    home = _care_home(demo)
    concern = demo.concern(
        location="care_home_residential",
        establishment_id=home,
        source_of_risk="service_provider",
        types_of_risk=["organisational"],
    )
    page = _proposal_page(demo, concern["id"])
    assert f'name="invite_{demo.agencies[PROVIDER]}"' not in page
    assert (
        "<strong>Meadowbank Care Ltd</strong> is not proposed: the provider of Meadowbank House "
        "is the source of risk, so it is not invited; commissioning and CQC liaison are "
        "proposed instead"
    ) in page
    assert "Northshire Commissioning and Quality Team" in page
    assert "CQC North Local Inspection Team" in page
    assert "CQC liaison: the provider of Meadowbank House is the source of risk" in page


def test_provider_details_refuse_a_bad_cqc_location_id(app, runner):
    demo = load_demo(app, runner)
    home = _care_home(demo)
    url = "/api/v1/forms/care_home.provider_details/submissions"
    details = {
        "cqc_location_id": "1-555000111",
        "care_type": "residential",
        "beds": 40,
        "provider": "Meadowbank Care Ltd",
    }
    carehome = demo.api(CAREHOME)
    bad = carehome.post(
        url, json={"subject_id": home, "data": details | {"cqc_location_id": "555"}}
    )
    assert bad.status_code == 422
    assert bad.json["errors"] == {
        "cqc_location_id": ["CQC location ID must be 1- followed by digits, like 1-123456789"]
    }
    assert carehome.post(url, json={"subject_id": home, "data": details}).status_code == 201
    other = _care_home(demo, "Elsewhere Lodge", "1-555000999")
    from core.extensions import db
    from core.people.models import Establishment

    with app.app_context():
        db.session.get(Establishment, other).provider_agency_id = demo.agencies[
            "Riverside Nursing Homes"
        ]
        db.session.commit()
    # a provider writes only about the establishments it runs
    assert carehome.post(url, json={"subject_id": other, "data": details}).status_code == 422


def test_late_and_incomplete_alerts_are_reported(app, runner):
    demo = load_demo(app, runner)
    home = _care_home(demo)
    url = "/api/v1/forms/care_home.provider_alert/submissions"
    carehome = demo.api(CAREHOME)
    complete_on_time = {
        "incident_on": "2026-11-02",
        "what_happened": "Resident A fell and staff member B did not report it.",
        "immediate_actions": "Staff member B suspended pending investigation.",
        "family_informed": True,
        "cqc_notified_on": "2026-11-03",
    }
    late = complete_on_time | {"incident_on": "2026-11-05", "cqc_notified_on": "2026-11-12"}
    incomplete = {"incident_on": "2026-11-09", "what_happened": "Medication missed for resident C."}
    for data in (complete_on_time, late, incomplete):
        assert carehome.post(url, json={"subject_id": home, "data": data}).status_code == 201
    officer = demo.page(OFFICER)
    report = officer.get("/reports/care_home.late_or_incomplete_alerts").get_data(as_text=True)
    assert ">2 November 2026<" not in report
    assert "5 November 2026" in report and "12 November 2026" in report
    assert (
        "Immediate actions taken, Has the family or representative been told?, Date CQC" in report
    )
    csv_text = officer.get("/reports/care_home.provider_safeguarding/export.csv").get_data(
        as_text=True
    )
    assert csv_text.splitlines()[0] == (
        "Provider,Concerns,Establishments with a cluster,Late CQC notifications"
    )
    assert "Meadowbank Care Ltd,0,0,2" in csv_text
