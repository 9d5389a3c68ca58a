"""Home page = my work (issue 22, item 1): after `demo load`, each role's home page lists
what waits for it, each with how many, the earliest due date and a link; every count is
the length of the list behind its link, read here through the public API."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.conftest import Auth, Factory

NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture
def county(app, runner, clock):
    clock.set(NOW)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    return app


def _api(app, name: str) -> ApiClient:
    from core.auth.models import User

    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.email == f"{name}@demo.example"))
    return ApiClient(app.test_client(), make_token(app, user_id, days=365))


def _work(api: ApiClient) -> dict[str, dict]:
    response = api.get("/api/v1/me/work")
    assert response.status_code == 200, response.json
    return {task["key"]: task for task in response.json}


def _total(api: ApiClient, path: str) -> int:
    body = api.get(path).json
    return body["total"] if isinstance(body, dict) else len(body)


def test_the_teams_counts_are_the_lists_behind_them(county):
    officer = _api(county, "officer")
    work = _work(officer)
    overdue = work["screening_overdue"]
    assert overdue["count"] >= 1 and overdue["overdue"] is True
    assert overdue["link"] == "/concerns/?overdue=true"
    assert overdue["count"] == _total(officer, "/api/v1/concerns/?overdue=true")
    today = work["screening_due_today"]
    assert today["count"] >= 1 and today["due"] == "2026-03-11" and today["overdue"] is False
    assert today["count"] == _total(officer, "/api/v1/concerns/?due_today=true")
    assert work["handover"]["count"] == 2
    assert work["handover"]["count"] == len(officer.get("/api/v1/handover").json["concerns"])
    assert work["work_list"]["count"] == len(officer.get("/api/v1/meetings/work").json)
    attention = work["plans_attention"]
    assert attention["count"] >= 1, "the child protection plan whose review is overdue"
    assert attention["count"] == _total(officer, "/api/v1/plans/?needs_attention=true")
    assert "sign_off" not in work and "oversight" not in work, "the manager's"

    manager = _work(_api(county, "manager"))
    assert {"sign_off", "oversight", "attendance_audit", "board_actions"} <= set(manager)
    assert manager["attendance_audit"]["count"] == 0, "the demo ran the last half year's"


def test_the_home_page_shows_the_same_tasks_and_links_reach_the_lists(county):
    client = county.test_client()
    auth = Auth(client, Factory(county))
    assert auth.sign_in("officer@demo.example", "demo-safeguarding").status_code == 302
    page = html.unescape(client.get("/").get_data(as_text=True))
    work = _work(_api(county, "officer"))
    shown = [task for task in work.values() if task["count"]]
    assert shown
    for task in shown:
        row = re.search(rf'data-task="{task["key"]}">(.*?)</tr>', page, re.S)
        assert row, task["key"]
        assert f'href="{task["link"]}"' in row.group(1) and f">{task['count']}<" in row.group(1)
        assert client.get(task["link"]).status_code == 200, task["link"]
    listed = html.unescape(client.get("/concerns/?due_today=true").get_data(as_text=True))
    assert listed.count('class="govuk-table__row"') - 1 == work["screening_due_today"]["count"]


def test_partners_find_what_they_must_answer_send_and_do(county):
    police = _api(county, "police")
    work = _work(police)
    assert set(work) == {"invitations", "reports", "actions"}
    police_id = police.get("/api/v1/me").json["agency"]["id"]
    scheduled = police.get("/api/v1/meetings/?status=scheduled").json["items"]
    unanswered = [
        i
        for m in scheduled
        for i in m["invitations"]
        if i["agency_id"] == police_id and i["response"] is None
    ]
    assert work["invitations"]["count"] == len(unanswered) >= 1
    assert work["actions"]["count"] == len(police.get("/api/v1/plans/actions").json) + len(
        police.get("/api/v1/meetings/actions").json
    )
    nhs = _work(_api(county, "nhs"))
    assert nhs["actions"]["count"] == 2 and nhs["actions"]["overdue"] is True


def test_auditors_board_and_administrators_have_their_own(county):
    auditor = _work(_api(county, "auditor"))
    assert auditor["casefile_reviews"]["count"] == 1
    board_api = _api(county, "board")
    board = _work(board_api)
    audits = board_api.get("/api/v1/audits/attendance/").json["items"]
    actions = [
        action
        for audit in audits
        for action in board_api.get(f"/api/v1/audits/attendance/{audit['id']}").json[
            "board_actions"
        ]
        if action["status"] in ("open", "in_progress")
    ]
    assert board["board_actions"]["count"] == len(actions) >= 1
    assert board["board_actions"]["due"] == min(a["due_on"] for a in actions)
    admin = _work(_api(county, "admin"))
    assert admin == {
        "failed_email": {
            "key": "failed_email",
            "label": "Emails that could not be sent",
            "count": 1,  # the demo's one invitation the mail server refused
            "link": "/admin/outbox/?status=failed",
            "due": None,
            "overdue": False,
        }
    }
    assert _total(_api(county, "admin"), "/api/v1/outbox/?status=failed") == 1
