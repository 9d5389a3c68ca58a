"""Police plugin: investigation tracking with versions, access by sharing, one validation
path for page and API, reports and the invitation rule."""

from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db
from tests.agencies.helpers import error_messages, load_demo, post_form
from tests.conftest import csrf_token

POLICE = "police@demo.example"
NHS = "nhs@demo.example"
OFFICER = "officer@demo.example"
TRUST = "Northshire Hospitals NHS Foundation Trust"


def _answers(status: str, status_on: list[str], **extra: object) -> dict[str, object]:
    return {
        "crime_reference": "NP/26/012345",
        "officer_in_charge": "DC Priya Shah 4471",
        "offence_category": "violence",
        "reported_on": ["18", "11", "2026"],
        "status": status,
        "status_on": status_on,
        "base_version": "",
    } | extra


def _submission_count(app) -> int:
    from core.agency_forms.models import FormSubmission

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(FormSubmission))


def _user_name(app, user_id: int) -> str:
    from core.auth.models import User

    with app.app_context():
        return db.session.get(User, user_id).name


def test_police_record_an_investigation_and_its_status_history_is_on_the_timeline(app, runner):
    demo = load_demo(app, runner)
    concern = demo.concern(crime_suspected=True)
    demo.involve(concern["id"], "Northshire Police")
    demo.involve(concern["id"], TRUST)
    police = demo.page(POLICE)

    case_page = police.get(f"/concerns/{concern['id']}").get_data(as_text=True)
    new = f"/forms/police.investigation/new/{concern['id']}"
    assert f'href="{new}"' in case_page
    form_page = police.get(new).get_data(as_text=True)
    assert "Crime reference number" in form_page and "collar number" in form_page

    saved = post_form(police, new, _answers("reported", ["18", "11", "2026"]))
    assert saved.status_code == 302, saved.get_data(as_text=True)
    show = saved.headers["Location"]
    submission_id = int(show.rsplit("/", 1)[1])
    for status, day in (("under_investigation", "19"), ("charged", "21")):
        edit = f"/forms/submissions/{submission_id}/edit"
        changed = post_form(police, edit, _answers(status, [day, "11", "2026"], base_version=""))
        assert changed.status_code == 302, changed.get_data(as_text=True)

    officer = demo.page(OFFICER)
    timeline = officer.get(f"/concerns/{concern['id']}").get_data(as_text=True)
    police_name = _user_name(app, demo.users[POLICE])
    for entry in (
        "Police investigation: version 1 saved",
        "Police investigation: version 2 saved (changed: Status, Date of this status)",
        "Police investigation: version 3 saved (changed: Status, Date of this status)",
    ):
        assert entry in timeline
    assert timeline.count(f", {police_name}</span>") >= 3
    assert "Charged" in timeline  # the police panel, for the safeguarding team

    record = officer.get(show).get_data(as_text=True)
    assert record.count(police_name) >= 3
    assert "Under investigation → Charged" in record and "Reported → Under investigation" in record

    nhs = demo.page(NHS)
    assert nhs.get(show).status_code == 404
    nhs_case = nhs.get(f"/concerns/{concern['id']}").get_data(as_text=True)
    assert "Police investigation: version" not in nhs_case and "NP/26/012345" not in nhs_case
    # the API's timeline reads as the page: the trust does not see the police entries yet
    timeline_url = f"/api/v1/concerns/{concern['id']}/timeline"
    police_entries = [
        e for e in demo.api(POLICE).get(timeline_url).json if e["kind"].startswith("form.")
    ]
    assert [e["summary"] for e in police_entries][:1] == [
        "Police investigation: version 3 saved (changed: Status, Date of this status)"
    ]
    assert {e["by"] for e in police_entries} == {police_name}
    nhs_timeline = demo.api(NHS).get(timeline_url).json
    assert not [e for e in nhs_timeline if "Police investigation" in e["summary"]]

    assert "Share" in police.get(show).get_data(as_text=True)
    police.post(
        f"/forms/submissions/{submission_id}/share",
        data={"csrf_token": csrf_token(police, show), "agency_id": str(demo.agencies[TRUST])},
    )
    assert nhs.get(show).status_code == 200
    assert "Police investigation: version 3" in nhs.get(f"/concerns/{concern['id']}").get_data(
        as_text=True
    )
    shared = demo.api(NHS).get(timeline_url).json
    assert [e for e in shared if "Police investigation: version 3" in e["summary"]]


def test_page_and_api_give_the_same_validation_messages(app, runner):
    demo = load_demo(app, runner)
    concern = demo.concern(crime_suspected=True)
    demo.involve(concern["id"], "Northshire Police")
    bad = {
        "crime_reference": "??",
        "officer_in_charge": "",
        "offence_category": "",
        "reported_on": ["31", "2", "2026"],
        "status": "arrested",
        "status_on": ["", "", ""],
    }
    page = post_form(
        demo.page(POLICE), f"/forms/police.investigation/new/{concern['id']}", bad
    ).get_data(as_text=True)
    on_page = error_messages(page)

    api = demo.api(POLICE).post(
        "/api/v1/forms/police.investigation/submissions",
        json={
            "subject_id": concern["id"],
            "data": {
                "crime_reference": "??",
                "officer_in_charge": "",
                "offence_category": "",
                "reported_on": "2026-02-31",
                "status": "arrested",
                "status_on": None,
            },
        },
    )
    assert api.status_code == 422
    in_api = {m for messages in api.json["errors"].values() for m in messages}
    assert on_page == in_api
    assert "Date reported to the police must be a real date" in in_api
    assert "Select status" in in_api and "Enter officer in charge" in in_api
    assert _submission_count(app) == 0


def test_investigation_through_the_api_with_versions_and_etags(app, runner):
    demo = load_demo(app, runner)
    concern = demo.concern(crime_suspected=True)
    demo.involve(concern["id"], "Northshire Police")
    police = demo.api(POLICE)
    data = {
        "crime_reference": "NP/26/000777",
        "officer_in_charge": "DS Tom Reed 1201",
        "offence_category": "fraud",
        "reported_on": "2026-11-18",
        "status": "reported",
        "status_on": "2026-11-18",
    }
    url = "/api/v1/forms/police.investigation/submissions"
    created = police.post(url, json={"subject_id": concern["id"], "data": data})
    assert created.status_code == 201, created.json
    location = created.headers["Location"]
    assert (
        police.client.put(
            location, json={"data": data | {"status": "charged"}}, headers=police.headers()
        ).status_code
        == 428
    )
    updated = police.client.put(
        location,
        json={"data": data | {"status": "charged", "status_on": "2026-11-20"}},
        headers=police.headers({"If-Match": created.headers["ETag"]}),
    )
    assert updated.status_code == 200, updated.json
    assert updated.json["version"] == 2
    versions = police.get(location + "/versions").json
    assert [v["number"] for v in versions] == [2, 1]
    assert {c["field"] for c in versions[0]["changes"]} == {"status", "status_on"}
    assert demo.api(NHS).get(location).status_code == 404
    nhs_create = demo.api(NHS).post(url, json={"subject_id": concern["id"], "data": data})
    assert nhs_create.status_code == 403
    assert demo.officer.get(location).status_code == 200


def test_police_reports_list_and_export_csv(app, runner):
    demo = load_demo(app, runner)
    suspected = demo.concern(crime_suspected=True)
    investigated = demo.concern(crime_suspected=True)
    demo.involve(investigated["id"], "Northshire Police")
    response = demo.api(POLICE).post(
        "/api/v1/forms/police.investigation/submissions",
        json={
            "subject_id": investigated["id"],
            "data": {
                "crime_reference": "NP/26/000778",
                "officer_in_charge": "DS Tom Reed 1201",
                "offence_category": "violence",
                "reported_on": "2026-11-18",
                "status": "under_investigation",
                "status_on": "2026-11-19",
            },
        },
    )
    assert response.status_code == 201
    officer = demo.page(OFFICER)
    listing = officer.get("/reports/").get_data(as_text=True)
    assert "Open police investigations by status and age" in listing
    assert "Missing looked-after children" in listing
    report = officer.get("/reports/police.open_investigations").get_data(as_text=True)
    assert "Under investigation" in report
    csv_text = officer.get("/reports/police.crime_without_investigation/export.csv").get_data(
        as_text=True
    )
    assert csv_text.splitlines()[0] == "Concern,Received"
    assert suspected["reference"] in csv_text and investigated["reference"] not in csv_text
    nhs = demo.page(NHS)
    assert "Open police investigations" not in nhs.get("/reports/").get_data(as_text=True)
    assert nhs.get("/reports/police.open_investigations").status_code == 404
    board = demo.page("board@demo.example")
    assert board.get("/reports/police.open_investigations").status_code == 404


def test_missing_child_report_flags_a_late_return_interview(app, runner):
    demo = load_demo(app, runner)
    concern = demo.concern(child=True)
    demo.involve(concern["id"], "Northshire Police")
    url = "/api/v1/forms/police.missing_child/submissions"
    episode = {
        "missing_from": "Hillside children's home",
        "placement": "childrens_home",
        "missing_at": "2026-11-10T21:00:00+00:00",
        "reported_at": "2026-11-10T22:10:00+00:00",
        "risk": "medium",
        "returned_at": "2026-11-11T09:00:00+00:00",
        "interview_at": "2026-11-16T10:00:00+00:00",
    }
    early = episode | {"interview_at": "2026-11-09T10:00:00+00:00"}
    refused = demo.api(POLICE).post(url, json={"subject_id": concern["id"], "data": early})
    assert refused.json["errors"] == {
        "interview_at": ["Return home interview must be after the return"]
    }
    assert (
        demo.api(POLICE).post(url, json={"subject_id": concern["id"], "data": episode}).status_code
        == 201
    )
    report = demo.page(OFFICER).get("/reports/police.missing_children").get_data(as_text=True)
    assert "No: late" in report and "11 November 2026 at 09:00" in report


def test_police_are_proposed_for_child_strategy_discussions_and_adult_ones_with_a_crime(
    app, runner
):
    from core.concerns.models import Concern
    from core.meetings.operations import propose_invitees

    demo = load_demo(app, runner)
    child = demo.concern(child=True)
    adult = demo.concern()
    crime = demo.concern(crime_suspected=True)
    with app.test_request_context():

        def proposed(concern, code):
            found = db.session.get(Concern, concern["id"])
            return {p.agency.name: p.reason for p in propose_invitees(code, [found]).invitees}

        assert "Northshire Police" in proposed(child, "strategy_discussion")
        assert "Northshire Police" in proposed(child, "initial_child_protection_conference")
        assert "Northshire Police" not in proposed(adult, "strategy_discussion")
        assert proposed(crime, "strategy_discussion")["Northshire Police"] == (
            "Police: a crime is suspected"
        )


def test_the_missing_child_form_is_for_childrens_cases_only(app, runner):
    demo = load_demo(app, runner)
    adult = demo.concern()
    child = demo.concern(child=True)
    for case in (adult, child):
        demo.involve(case["id"], "Northshire Police")
    police = demo.page(POLICE)
    adult_page = police.get(f"/concerns/{adult['id']}").get_data(as_text=True)
    child_page = police.get(f"/concerns/{child['id']}").get_data(as_text=True)
    assert "Fill in: Missing looked-after child" not in adult_page
    assert "Fill in: Missing looked-after child" in child_page
    assert "Fill in: Police investigation" in adult_page  # a form for both stays
    assert police.get(f"/forms/police.missing_child/new/{adult['id']}").status_code == 404
    refused = demo.api(POLICE).post(
        "/api/v1/forms/police.missing_child/submissions",
        json={"subject_id": adult["id"], "data": {"missing_from": "Home"}},
    )
    assert refused.status_code == 422
    assert refused.json["errors"]["subject_id"] == [
        "Missing looked-after child is for children's cases only: this case is not"
    ]
