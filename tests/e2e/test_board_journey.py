"""Journey 5: a board member runs the six-monthly attendance audit and takes the board pack."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp
import pytest
from playwright.sync_api import expect

from core.demo.operations import DEMO_PASSWORD
from tests.e2e.cases import officer_api, record_concern, schedule
from tests.support.clock import set_now

pytestmark = pytest.mark.e2e

MONDAY_MORNING = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_board_member_runs_the_attendance_audit_and_downloads_the_board_pack(
    live_app, journey, tmp_path
):
    set_now(MONDAY_MORNING)
    api = officer_api(live_app)
    concern = record_concern(api)
    meeting = schedule(api, concern["id"], "strategy_discussion", "2026-11-20T14:00:00+00:00")
    outcomes = [
        {"invitation_id": i["id"], "outcome": "attended_virtually"} for i in meeting["invitations"]
    ]
    held = api.post(f"/api/v1/meetings/{meeting['id']}/held", json={"outcomes": outcomes})
    assert held.status_code == 200, held.json
    page = journey.page

    journey.sign_in("board@demo.example", DEMO_PASSWORD)
    # board members set up two-factor sign-in before anything else
    expect(page).to_have_url(f"{live_app.url}/account/two-factor")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    journey.submit("Turn on two-factor sign-in", "two-factor-on")

    journey.open("/audits/attendance/new", "run-an-audit")
    for question, day, month in (
        ("First day of the period", "1", "7"),
        ("Last day of the period", "22", "11"),
    ):
        group = page.get_by_role("group", name=question)
        group.get_by_label("Day").fill(day)
        group.get_by_label("Month").fill(month)
        group.get_by_label("Year").fill("2026")
    journey.submit("Run the audit", "the-audit")
    main = page.locator("main")
    expect(main).to_contain_text("Northshire Police")
    expect(main).to_contain_text("Meetings held")

    with page.expect_download() as download:
        page.get_by_role("link", name="Board pack for publication").click()
    saved = tmp_path / "board-pack.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
