"""The safeguarding officer's journeys, in the browser."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from core.demo.operations import DEMO_PASSWORD
from tests.e2e.journey import pick_agency
from tests.support.clock import set_now

pytestmark = pytest.mark.e2e

MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def fill_date(group, day: str, month: str, year: str) -> None:
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_officer_records_a_concern_decides_and_schedules_a_strategy_meeting(live_app, journey):
    set_now(MONDAY_MORNING)
    page = journey.page
    journey.sign_in("officer@demo.example", DEMO_PASSWORD)

    journey.open("/concerns/new", "record-a-concern")
    journey.submit("Record concern", "record-a-concern-errors")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's first name")
    page.get_by_label("First name").fill("Mia")
    page.get_by_label("Last name").fill("Hart")
    fill_date(page.get_by_role("group", name="Date of birth"), "3", "1", "2017")
    page.get_by_label("Child (under 18)").check()
    fill_date(page.get_by_role("group", name="Date received"), "23", "11", "2026")
    page.get_by_label("Time received").fill("09:05")
    pick_agency(page, page.get_by_label("Referring agency"), "Northshire Police")
    categories = page.get_by_role("group", name="Children: categories of abuse or neglect")
    categories.get_by_label("Physical abuse").check()
    page.get_by_label("Area (optional)", exact=True).select_option(label="Brackenmoor")
    page.get_by_label("Where the risk arose").select_option(label="Own Home")
    page.get_by_label("Source of risk").select_option(label="Other – Known to individual")
    page.get_by_label("What happened").fill("Bruising to both upper arms seen at school.")
    page.get_by_label("Children: who referred the child").select_option(label="Police")
    journey.submit("Record concern", "case-page")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mia Hart")
    reference = page.get_by_role("heading", level=1).inner_text().split(":")[0]

    journey.follow("Record the screening decision", "screening-decision")
    page.get_by_label("Strategy discussion (section 47)").check()
    page.get_by_label("Reason").fill("Unexplained injuries to a child: strategy discussion today.")
    journey.submit("Record decision", "decided")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Decision recorded: Strategy discussion (section 47)"
    )

    journey.tab("Meetings", "case-meetings")
    journey.follow("Schedule a meeting", "schedule-a-meeting")
    expect(page.get_by_label("Type of meeting")).to_have_value("strategy_discussion")
    for agency in ("Northshire Police", "Northshire Hospitals NHS Foundation Trust"):
        expect(page.get_by_role("checkbox", name=re.compile(agency))).to_be_checked()
    fill_date(page.get_by_role("group", name="Date"), "24", "11", "2026")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Venue").fill("Room 2, County Hall")
    journey.submit("Schedule and send invitations", "meeting-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Strategy discussion")
    attendance = page.get_by_role("table", name="Invited agencies")
    expect(attendance).to_contain_text("Northshire Police")
    expect(attendance).to_contain_text("Northshire Hospitals NHS Foundation Trust")
    expect(page.locator(".govuk-caption-l")).to_contain_text(reference)

    journey.follow(reference, "case-with-meeting")
    expect(page.locator("main")).to_contain_text("Strategy discussion")


def test_officer_records_the_conference_and_starts_a_protection_plan(live_app, journey):
    from tests.e2e.cases import officer_api, record_concern, schedule

    set_now(MONDAY_MORNING)
    api = officer_api(live_app)
    concern = record_concern(api)
    meeting = schedule(
        api, concern["id"], "initial_child_protection_conference", "2026-12-07T10:00:00+00:00"
    )
    invited = {i["agency_name"] for i in meeting["invitations"]}
    assert {"Northshire Police", "Northshire Hospitals NHS Foundation Trust"} <= invited
    set_now(datetime(2026, 12, 7, 15, 0, tzinfo=UTC))

    page = journey.page
    journey.sign_in("officer@demo.example", DEMO_PASSWORD)
    journey.open(f"/meetings/{meeting['id']}", "conference")
    journey.follow("Record the meeting", "record-the-conference")
    for agency in sorted(invited):
        outcome = "Attended virtually" if agency == "Northshire Police" else "Attended in person"
        page.get_by_role("group", name=re.compile(f"^{re.escape(agency)}")).get_by_label(
            outcome
        ).check()
    page.get_by_label("Name of attendee 1").fill("Dr Asha Patel")
    page.get_by_label("Role of attendee 1").fill("Named doctor for safeguarding")
    page.get_by_label("Child protection plan", exact=True).check()
    page.locator("#decision-note-child_protection_plan").fill("Unanimous")
    page.get_by_label("Category of a child protection plan").select_option(
        label="Physical abuse (PHY)"
    )
    page.get_by_label("Action 1").fill("Paediatric follow-up appointment")
    pick_agency(page, page.get_by_label("Owner").first, "Northshire Hospitals NHS Foundation Trust")
    fill_date(page.get_by_role("group", name="Due").first, "21", "12", "2026")
    page.get_by_label("Minutes", exact=True).fill(
        "Conference held; all agencies shared their information."
    )
    journey.submit("Record the meeting", "conference-recorded")
    expect(page.locator("#quoracy")).to_have_text("Quorate")
    expect(page.locator("main")).to_contain_text("Child protection plan: Physical abuse. Unanimous")
    actions = page.get_by_role("table", name="Actions")
    expect(actions).to_contain_text("Paediatric follow-up appointment")
    expect(actions).to_contain_text("Northshire Hospitals NHS Foundation Trust")
    expect(page.get_by_role("table", name="Invited agencies")).to_contain_text("Attended virtually")

    # the conference's decision starts the child protection plan
    journey.follow(concern["reference"], "case-after-conference")
    journey.tab("Plans", "case-plans")
    plans = page.locator("main ul", has_text="Child protection plan")
    expect(plans).to_contain_text("started 07 December 2026")
    journey.follow("Child protection plan (physical abuse)", "plan")
    expect(page.locator("main")).to_contain_text("Next review due07 March 2027")

    journey.follow("Add an action", "add-a-plan-action")
    page.get_by_label("Action").fill("Health visitor to see Mia weekly")
    owner = page.get_by_label("Agency that owns it")
    pick_agency(page, owner, "Northshire Hospitals NHS Foundation Trust")
    fill_date(page.get_by_role("group", name="Due date"), "4", "1", "2027")
    journey.submit("Add the action", "plan-with-action")
    expect(page.locator("main")).to_contain_text("Health visitor to see Mia weekly")
