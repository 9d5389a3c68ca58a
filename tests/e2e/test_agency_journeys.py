"""Partner agencies' journeys, in the browser: the police answer an invitation with a report,
the NHS trust updates the plan action it owns."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.demo.operations import DEMO_PASSWORD
from tests.e2e.cases import officer_api, record_concern, schedule
from tests.support.clock import set_now
from tests.support.files import one_page_pdf

pytestmark = pytest.mark.e2e

MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PDF = one_page_pdf()


def police_invited_to_a_conference(live_app):
    set_now(MONDAY_MORNING)
    api = officer_api(live_app)
    concern = record_concern(api)
    meeting = schedule(
        api, concern["id"], "initial_child_protection_conference", "2026-12-07T10:00:00+00:00"
    )
    return concern, meeting


def test_police_send_apologies_with_a_pdf_report(live_app, journey, tmp_path):
    concern, meeting = police_invited_to_a_conference(live_app)
    report = Path(tmp_path) / "police-report.pdf"
    report.write_bytes(PDF)
    page = journey.page

    journey.sign_in("police@demo.example", DEMO_PASSWORD)
    journey.open("/portal/", "portal")
    expect(page.locator("main")).to_contain_text(concern["reference"])
    journey.follow("Initial child protection conference", "invitation")
    page.get_by_label("Apologies").check()
    journey.submit("Send answer", "answered")
    page.get_by_label("Or upload it as a PDF (5 MB at most)").set_input_files(report)
    journey.submit("Send report", "report-sent")
    expect(page.locator("main")).to_contain_text("Sent")

    journey.sign_out()
    journey.sign_in("officer@demo.example", DEMO_PASSWORD)
    journey.open(f"/meetings/{meeting['id']}", "officer-sees-the-report")
    police_row = page.get_by_role("row", name="Northshire Police")
    expect(police_row).to_contain_text("Apologies")
    expect(police_row.get_by_role("link", name="PDF")).to_be_visible()


def test_police_record_an_investigation_on_the_case(live_app, journey):
    """The police fill in their investigation form from the case page; it shows on the
    case in their agency forms panel."""
    concern, _ = police_invited_to_a_conference(live_app)
    page = journey.page
    journey.sign_in("police@demo.example", DEMO_PASSWORD)
    journey.open(f"/concerns/{concern['id']}", "case-page")
    journey.tab("Forms", "case-forms")
    journey.follow("Fill in: Police investigation", "investigation-form")
    page.get_by_label("Crime reference number").fill("NP/26/123456")
    page.get_by_label("Officer in charge").fill("DC Sam Lewis 4471")
    page.get_by_label("Offence category").select_option(label="Violence against the person")
    for question in ("Date reported to the police", "Date of this status"):
        group = page.get_by_role("group", name=question)
        group.get_by_label("Day").fill("20")
        group.get_by_label("Month").fill("11")
        group.get_by_label("Year").fill("2026")
    page.get_by_label("Under investigation").check()
    journey.submit("Save", "investigation-saved")
    expect(page.locator("main")).to_contain_text("NP/26/123456")
    journey.open(f"/concerns/{concern['id']}", "case-with-the-investigation")
    expect(page.locator("main")).to_contain_text("Police investigation")


def test_nhs_practitioner_updates_the_action_their_trust_owns(live_app, journey):
    set_now(MONDAY_MORNING)
    api = officer_api(live_app)
    concern = record_concern(api, child=False)
    plan = api.post("/api/v1/plans/", json={"concern_id": concern["id"]}).json
    trust = live_app.agency_id("Northshire Hospitals NHS Foundation Trust")
    police = live_app.agency_id("Northshire Police")
    for description, owner in (
        ("District nurse to check medication daily", trust),
        ("Police welfare visit", police),
    ):
        created = api.post(
            f"/api/v1/plans/{plan['id']}/actions",
            json={"description": description, "owner_agency_id": owner, "due_on": "2026-11-30"},
        )
        assert created.status_code == 201, created.json
    page = journey.page

    journey.sign_in("nhs@demo.example", DEMO_PASSWORD)
    journey.open("/plans/actions", "our-plan-actions")
    actions = page.get_by_role("table", name="Plan actions")
    expect(actions).to_contain_text("District nurse to check medication daily")
    expect(actions).not_to_contain_text("Police welfare visit")
    # the demo's trust owns actions of its own: update this one, from its row
    ours = actions.get_by_role("row").filter(has_text="District nurse to check medication daily")
    journey.follow("Update the status", "update-the-action", within=ours)
    page.get_by_label("In progress").check()
    journey.submit("Save the status", "action-updated")
    expect(page.get_by_role("table", name="Plan actions")).to_contain_text("In progress")

    journey.open(f"/plans/{plan['id']}", "plan-as-the-trust")
    expect(page.locator("main")).to_contain_text("District nurse to check medication daily")
    expect(page.locator("main")).not_to_contain_text("Police welfare visit")
    status = api.get(f"/api/v1/plans/{plan['id']}").json["actions"][0]["status"]
    assert status == "in_progress"
