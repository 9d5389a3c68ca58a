"""Repeat referrals (issue 25, item 5; Dudley's plan 6.2: "record & recognise repeat
referrals ... Half yearly audits"): a concern about a person who had another received in
the 12 months before, with the previous concern's outcome and the days between; the team
reads the cases (page, CSV, API), the board the figures only, partners nothing."""

from __future__ import annotations

import csv
import io

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.meetings.helpers import build_world, record_concern

PERIOD = "from=2025-01-01&to=2026-11-23"
PAGE_PERIOD = {
    "from-day": "1",
    "from-month": "1",
    "from-year": "2025",
    "to-day": "23",
    "to-month": "11",
    "to-year": "2026",
}


def _three_concerns(world):
    """A, then B 364 days later (a repeat of A), then C 365 days after B (none: a year
    and a day is outside the window) about the same adult; D about someone else."""
    first = record_concern(
        world, child=False, referral_source=None, received_at="2024-06-03T10:00:00+00:00"
    )
    person = world.clients["officer"].get(f"/api/v1/concerns/{first}").json["person"]["id"]
    again = {"child": False, "referral_source": None, "person_id": person, "person": None}
    second = record_concern(world, received_at="2025-06-02T10:00:00+00:00", **again)
    third = record_concern(world, received_at="2026-06-02T10:00:00+00:00", **again)
    record_concern(world, child=False, referral_source=None)
    return first, second, third


def test_the_team_reads_the_repeats_with_the_previous_outcome_and_the_gap(app, factory, auth):
    world = build_world(app, factory)
    first, second, third = _three_concerns(world)
    officer = world.clients["officer"]
    decided = officer.post(
        f"/api/v1/concerns/{first}/decision",
        json={"decision": "no_further_action", "reason": "No care and support needs"},
    )
    assert decided.status_code == 200, decided.json
    closed = officer.post(
        f"/api/v1/concerns/{first}/closure",
        json={
            "risk_outcome": "none_no_action",
            "feedback_person_on": "2026-11-20",
            "feedback_person_method": "Letter",
        },
    )
    assert closed.status_code == 200, closed.json

    report = officer.get(f"/api/v1/returns/repeats?{PERIOD}").json
    assert (report["concerns"], report["repeats"], report["repeat_rate"]) == (3, 1, 1 / 3)
    [case] = report["cases"]
    assert (case["concern_id"], case["previous_concern_id"]) == (second, first)
    assert case["days_between"] == 364
    assert case["previous_outcome"] == "No risk identified and no action taken"
    assert [(r["name"], r["received"], r["repeats"]) for r in report["by_team"]] == [
        ("Not recorded", 3, 1)
    ]
    # the window's edges: a period starting the day of the repeat holds it, one starting
    # the next day does not; the dashboard's repeat rate agrees
    edge = officer.get("/api/v1/returns/repeats?from=2025-06-02&to=2025-06-02").json
    assert edge["repeats"] == 1
    later = officer.get("/api/v1/returns/repeats?from=2025-06-03&to=2026-11-23").json
    assert (later["repeats"], later["cases"]) == (0, [])
    dashboard = officer.get(f"/api/v1/dashboard?{PERIOD}").json
    assert dashboard["repeat_concern_rate"] == 1 / 3
    assert dashboard["by_area"][0]["repeats"] == 1

    auth.sign_in("officer@example.org")
    page = auth.client.get("/returns/repeats", query_string=PAGE_PERIOD)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and f"/concerns/{second}" in text
    assert f'/concerns/{third}"' not in text
    assert "/returns/repeats" in auth.client.get("/returns/").get_data(as_text=True)
    download = auth.client.get("/returns/repeats.csv", query_string=PAGE_PERIOD)
    assert download.status_code == 200 and download.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert [(r["days_between"], r["previous_outcome"]) for r in rows] == [
        ("364", "No risk identified and no action taken")
    ]
    wrong = auth.client.get("/returns/repeats", query_string=PAGE_PERIOD | {"to-month": "13"})
    assert wrong.status_code == 400 and "Error:" in wrong.get_data(as_text=True)


def test_the_board_sees_the_figures_only_and_partners_nothing(app, factory, auth):
    world = build_world(app, factory)
    _, second, _ = _three_concerns(world)
    reference = world.clients["officer"].get(f"/api/v1/concerns/{second}").json["reference"]
    board_id = factory.user(role=Role.BOARD_MEMBER, email="board@example.org")
    board = ApiClient(app.test_client(), make_token(app, board_id))
    figures = board.get(f"/api/v1/returns/repeats?{PERIOD}")
    assert figures.status_code == 200
    assert (figures.json["repeats"], figures.json["cases"]) == (1, None)
    assert reference not in figures.get_data(as_text=True)
    auth.as_role(Role.BOARD_MEMBER)
    page = auth.client.get("/returns/repeats", query_string=PAGE_PERIOD).get_data(as_text=True)
    assert "Figures only: no case is named." in page and reference not in page
    assert auth.client.get("/returns/repeats.csv").status_code == 403

    police = world.clients["police"]
    assert police.get("/api/v1/returns/repeats").status_code == 403
    auth.sign_out()
    auth.sign_in("police@example.org")
    assert auth.client.get("/returns/repeats").status_code == 403
    assert auth.client.get("/returns/repeats.csv").status_code == 403
