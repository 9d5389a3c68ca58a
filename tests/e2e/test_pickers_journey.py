"""The agency picker in the browser (issue 23, item 2): on an instance serving two councils
the officer types into the enhanced picker, chooses another council's agency from the
autocomplete and involves it; without JavaScript the same page is a plain select of the
case's council's agencies."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from core.agencies.operations import create_agency
from core.auth.models import Council
from core.concerns.models import Involvement
from core.demo.operations import DEMO_PASSWORD
from core.extensions import db
from tests.e2e.cases import officer_api, record_concern
from tests.support.clock import set_now

pytestmark = pytest.mark.e2e

MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def _another_council(live_app) -> int:
    """Southshire, a second council, served by its own trust: the other council's agency."""
    with live_app.app.app_context():
        council = Council(name="Southshire County Council")
        db.session.add(council)
        db.session.flush()
        trust = create_agency(
            name="Southshire Health Trust", type="nhs_trust", council_ids=[council.id]
        )
        db.session.commit()
        return trust.id


def _involved(live_app, concern_id: int) -> set[int]:
    with live_app.app.app_context():
        return set(
            db.session.scalars(
                sa.select(Involvement.agency_id).where(Involvement.concern_id == concern_id)
            )
        )


def test_the_officer_finds_another_council_s_agency_with_the_picker(browser, live_app, journey):
    set_now(MONDAY_MORNING)
    trust = _another_council(live_app)
    concern = record_concern(officer_api(live_app), child=False)
    page = journey.page

    journey.sign_in("officer@demo.example", DEMO_PASSWORD)
    journey.open(f"/concerns/{concern['id']}/involve", "involve")
    picker = page.get_by_role("combobox", name="Agency")
    expect(picker).to_have_attribute("aria-autocomplete", "list")  # the autocomplete's input
    expect(page.locator("select#agency_id-select")).to_be_hidden()
    picker.fill("southshire")
    option = page.get_by_role("option", name=re.compile("Southshire Health Trust"))
    expect(option).to_contain_text("serves other councils")
    journey.check("picker-searched")  # the open list passes axe-core too
    option.click()
    expect(picker).to_have_value("Southshire Health Trust")
    page.get_by_label("Why is this agency involved?").fill("She moved from Southshire")
    journey.submit("Involve agency", "involved")
    assert trust in _involved(live_app, concern["id"])

    # without JavaScript: the plain select, of the case's council's agencies only
    context = browser.new_context(base_url=live_app.url, locale="en-GB", java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto("/sign-in")
        plain.get_by_label("Email address").fill("officer@demo.example")
        plain.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        with plain.expect_navigation():
            plain.get_by_role("button", name="Sign in").click()
        plain.goto(f"/concerns/{concern['id']}/involve")
        select = plain.locator("select#agency_id")
        expect(select).to_be_visible()
        labels = select.locator("option").all_text_contents()
        assert "Northshire Police" in labels and "Southshire Health Trust" not in labels
        select.select_option(label="Northshire Police")
        plain.get_by_label("Why is this agency involved?").fill("Welfare check requested")
        with plain.expect_navigation():
            plain.get_by_role("button", name="Involve agency").click()
        assert live_app.agency_id("Northshire Police") in _involved(live_app, concern["id"])
    finally:
        context.close()
