"""A closed case's clocks show as stopped, never "Due": a clock not met when the case
closed stops on that day (overdue if it had run out by then)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from core.auth.roles import Role
from core.clocks import ClockStatus
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body
from tests.support.clock import set_now
from tests.support.enquiries import conclude_enquiry


def test_a_clock_stopped_before_it_was_met():
    today = date(2026, 12, 10)
    running = ClockStatus(due=date(2026, 12, 5), met_on=None, today=today)
    assert (running.label, running.overdue) == ("Overdue", True)
    stopped = ClockStatus(
        due=date(2026, 12, 5), met_on=None, today=today, stopped_on=date(2026, 12, 1)
    )
    assert (stopped.label, stopped.overdue, stopped.stopped) == (
        "Stopped: case closed",
        False,
        True,
    )
    late = ClockStatus(
        due=date(2026, 12, 5), met_on=None, today=today, stopped_on=date(2026, 12, 8)
    )
    assert (late.label, late.overdue) == ("Stopped: case closed when overdue", True)
    met = ClockStatus(
        due=date(2026, 12, 5), met_on=date(2026, 12, 4), today=today, stopped_on=date(2026, 12, 8)
    )
    assert (met.label, met.stopped) == ("Met", False)


def test_a_closed_cases_page_shows_its_clocks_stopped(app, auth, factory):
    set_now(datetime(2026, 11, 20, 11, 0, tzinfo=UTC))
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    concern = officer.post(
        "/api/v1/concerns/", json=concern_body(received_at="2026-11-20T10:15:00+00:00")
    ).json
    url = f"/api/v1/concerns/{concern['id']}"
    decided = officer.post(
        url + "/decision", json={"decision": "section_42_enquiry", "reason": "Risk of harm"}
    )
    assert decided.status_code == 200, decided.json
    assert conclude_enquiry(officer, concern["id"]).status_code == 200
    closed = officer.post(
        url + "/closure",
        json={
            "risk_outcome": "none_no_action",
            "feedback_person_on": "2026-11-20",
            "feedback_person_method": "Phone",
        },
    )
    assert closed.status_code == 200, closed.json
    set_now(datetime(2026, 11, 20, 11, 0, tzinfo=UTC) + timedelta(days=30))
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    page = auth.client.get(f"/concerns/{concern['id']}").get_data(as_text=True)
    assert "Stopped: case closed" in page  # the strategy discussion's clock
    tags = re.findall(r'<strong class="govuk-tag[^"]*">([^<]*)</strong>', page)
    assert "Due" not in tags and "Overdue" not in tags
