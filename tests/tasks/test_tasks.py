"""Tasks between teams (issue 24, item 4; Derbyshire's out-of-hours service, seeds/002):
the out-of-hours team asks the day team for follow-ups and the day team the out-of-hours
team for late-night checks; the safeguarding team asks a partner's safeguarding contacts.
A task is set about a case for a person or a team, sits in the trays of the home page,
is done with a note, reassigned or cancelled with a reason, and when late reaches the
managers' work list."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, record_concern
from tests.support.pages import page_errors

# Monday 23 November 2026, 23:00 (GMT): out of hours; the next morning in core hours.
NIGHT = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
MORNING = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
AFTER_DUE = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return html.unescape(response.get_data(as_text=True))


def test_an_out_of_hours_task_to_the_day_team_reaches_its_tray_then_the_work_list(
    app, factory, auth, clock
):
    """The acceptance point: an out-of-hours officer's task to the day team appears in the
    day team's tray and, once overdue (the clock moved on), on the manager's work list."""
    world = build_world(app, factory)
    clock.set(NIGHT)
    concern = record_concern(
        world, child=False, received_at="2026-11-23T22:30:00+00:00", route="out_of_hours"
    )
    reference = world.clients["officer"].get(f"/api/v1/concerns/{concern}").json["reference"]
    factory.user(role=Role.SAFEGUARDING_OFFICER, email="night@example.org")
    auth.sign_in("night@example.org")

    # the handover offers a task for the day team for each concern handed over
    handover = _page(auth.client, "/concerns/handover")
    new = f"/tasks/new?concern_id={concern}&team=day&from_handover=1"
    assert new.replace("&", "&amp;") in auth.client.get("/concerns/handover").get_data(as_text=True)
    assert "Make a task for the day team" in handover
    form = _page(auth.client, new)
    assert '<option selected value="team:day">' in form or 'value="team:day" selected' in form
    made = auth.client.post(
        new,
        data={
            "csrf_token": csrf_token(auth.client, new),
            "title": "Visit to check she is safe after the night call",
            "details": "Neighbour called at 22:30; police attended.",
            "due_on": ["24", "11", "2026"],
            "due_time": "10:00",
            "assignee": "team:day",
        },
    )
    assert made.status_code == 302, page_errors(made.get_data(as_text=True))
    assert made.headers["Location"].endswith("/concerns/handover")
    # the night officer's home page lists it among the tasks they set
    night_home = _page(auth.client, "/")
    assert "Tasks you set" in night_home and "Visit to check she is safe" in night_home

    # the next morning the day team's tray holds it (home page and API)
    clock.set(MORNING)
    day = world.clients["officer"]
    tray = day.get("/api/v1/tasks?tray=team").json
    assert [t["title"] for t in tray["items"]] == [
        "Visit to check she is safe after the night call"
    ]
    task = tray["items"][0]
    assert (task["assignee_team"], task["from_handover"], task["overdue"]) == ("day", True, False)
    auth.client = app.test_client()  # the night's session has ended
    factory.user(role=Role.SAFEGUARDING_OFFICER, email="day@example.org")
    auth.sign_in("day@example.org")
    home = _page(auth.client, "/")
    assert "Tasks for your team (the day team)" in home
    assert "Visit to check she is safe" in home
    # the out-of-hours team's tray, read in the day, does not hold it
    assert day.get("/api/v1/tasks?tray=team&team=out_of_hours").json["items"] == []

    manager = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_MANAGER))
    )
    assert not [i for i in manager.get("/api/v1/meetings/work").json if i["kind"] == "task"]
    clock.set(AFTER_DUE)
    late = [i for i in manager.get("/api/v1/meetings/work").json if i["kind"] == "task"]
    assert len(late) == 1 and late[0]["overdue"], late
    assert reference in late[0]["label"] and "the day team" in late[0]["label"]
    assert late[0]["link"].endswith(f"/tasks/{task['id']}")
    auth.client = app.test_client()  # the night's session has ended
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    work_list = _page(auth.client, "/meetings/work")
    assert "Visit to check she is safe" in work_list
    # the manager's home page counts it in the work list's line, overdue
    work = {t["key"]: t for t in manager.get("/api/v1/me/work").json}
    assert work["work_list"]["overdue"] and work["work_list"]["count"] >= 1

    assert day.get(f"/api/v1/tasks/{task['id']}").json["overdue"] is True
    # done, with a note: off the work list and the tray; on the timeline and the log
    done = day.post(f"/api/v1/tasks/{task['id']}/complete", json={"note": "Visited at 10:40."})
    assert done.status_code == 200, done.json
    assert done.json["status"] == "done"
    assert not [i for i in manager.get("/api/v1/meetings/work").json if i["kind"] == "task"]
    assert day.get("/api/v1/tasks?tray=team").json["items"] == []
    again = day.post(f"/api/v1/tasks/{task['id']}/complete", json={"note": "Twice"})
    assert again.status_code == 422 and "status" in again.json["errors"]
    timeline = [e["summary"] for e in day.get(f"/api/v1/concerns/{concern}/timeline").json]
    set_by_night = "Task set from the out-of-hours handover for the day team, due 24 November 2026"
    assert f"{set_by_night} 10:00" in timeline
    assert "Task for the day team done" in timeline
    with app.app_context():
        actions = set(
            db.session.scalars(
                sa.select(AccessLogEntry.action).where(AccessLogEntry.object_type == "task")
            )
        )
    assert {"task.set", "task.complete", "task.view", "task.list"} <= actions


def test_reassigning_and_cancelling_and_the_case_page(app, factory, auth, clock):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    concern = record_concern(world, child=False)
    made = officer.post(
        f"/api/v1/concerns/{concern}/tasks",
        json={
            "title": "Late-night check on the home",
            "due_on": "2026-11-23",
            "due_time": "22:00",
            "assignee_team": "out_of_hours",
        },
    )
    assert made.status_code == 201, made.json
    task = made.json
    assert made.headers["Location"].endswith(f"/api/v1/tasks/{task['id']}")
    other = factory.user(role=Role.SAFEGUARDING_OFFICER, email="ahmed@example.org")
    moved = officer.post(f"/api/v1/tasks/{task['id']}/reassign", json={"assignee_user_id": other})
    assert moved.status_code == 200, moved.json
    assert moved.json["assignee_user_id"] == other and moved.json["assignee_team"] is None
    same = officer.post(f"/api/v1/tasks/{task['id']}/reassign", json={"assignee_user_id": other})
    assert same.status_code == 422 and "assignee" in same.json["errors"]
    mine = ApiClient(app.test_client(), make_token(app, other))
    assert [t["id"] for t in mine.get("/api/v1/tasks?tray=mine").json["items"]] == [task["id"]]

    # the case page lists it, with a way to set another
    auth.sign_in("ahmed@example.org")
    case_page = _page(auth.client, f"/concerns/{concern}")
    assert "Late-night check on the home" in case_page
    assert f"/tasks/new?concern_id={concern}" in case_page
    # cancelling needs a reason, on the page as on the API
    url = f"/tasks/{task['id']}"
    refused = auth.client.post(url + "/cancel", data={"csrf_token": csrf_token(auth.client, url)})
    assert refused.status_code == 302
    assert "Give the reason for cancelling the task" in _page(auth.client, url)
    blank = officer.post(f"/api/v1/tasks/{task['id']}/cancel", json={"reason": " "})
    assert blank.status_code == 422
    cancelled = auth.client.post(
        url + "/cancel",
        data={"csrf_token": csrf_token(auth.client, url), "reason": "Police visited instead"},
    )
    assert cancelled.status_code == 302
    page = _page(auth.client, url)
    assert "Cancelled" in page and "Police visited instead" in page
    timeline = [e["summary"] for e in officer.get(f"/api/v1/concerns/{concern}/timeline").json]
    assert any(s.startswith("Task for the out-of-hours team reassigned to") for s in timeline)
    assert any(s.startswith("Task for Test User") and s.endswith("cancelled") for s in timeline)


def test_need_to_know_partners_see_only_their_agencys_tasks_and_the_board_none(app, factory, auth):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    police_case = record_concern(world, child=False, referrer_agency_id=world.agencies["police"])
    for_police = officer.post(
        f"/api/v1/concerns/{police_case}/tasks",
        json={
            "title": "Share the crime reference",
            "due_on": "2026-11-30",
            "assignee_team": "agency",
            "assignee_agency_id": world.agencies["police"],
        },
    ).json
    for_day_team = officer.post(
        f"/api/v1/concerns/{police_case}/tasks",
        json={"title": "Ring the daughter", "due_on": "2026-11-30", "assignee_team": "day"},
    ).json
    police, nhs = world.clients["police"], world.clients["nhs"]
    assert police.get(f"/api/v1/tasks/{for_police['id']}").status_code == 200
    team_tray = police.get("/api/v1/tasks?tray=team").json["items"]
    assert [t["id"] for t in team_tray] == [for_police["id"]]
    # the police see neither the team's own task on their case nor another agency's
    assert police.get(f"/api/v1/tasks/{for_day_team['id']}").status_code == 404
    listed = police.get(f"/api/v1/concerns/{police_case}/tasks").json
    assert [t["id"] for t in listed] == [for_police["id"]]
    assert nhs.get(f"/api/v1/tasks/{for_police['id']}").status_code == 404
    assert nhs.get(f"/api/v1/concerns/{police_case}/tasks").status_code == 404
    assert (
        nhs.post(f"/api/v1/tasks/{for_police['id']}/complete", json={"note": "Done"}).status_code
        == 404
    )
    # partners complete their own; they set, reassign and cancel none
    assert (
        police.post(f"/api/v1/tasks/{for_police['id']}/cancel", json={"reason": "x"}).status_code
        == 403
    )
    assert (
        police.post(f"/api/v1/concerns/{police_case}/tasks", json={"title": "x"}).status_code == 403
    )
    done = police.post(f"/api/v1/tasks/{for_police['id']}/complete", json={"note": "NP/26/1"})
    assert done.status_code == 200, done.json
    # the police's home page: the tray of their agency's contacts; none of tasks set
    auth.sign_in("police@example.org")
    home = _page(auth.client, "/")
    assert "Tasks for your team (Northshire Police's safeguarding contacts)" in home
    assert "Tasks you set" not in home
    auth.client = app.test_client()

    auth.sign_in("nhs@example.org")
    assert auth.client.get(f"/tasks/{for_police['id']}").status_code == 404
    # once the police are no longer involved, their task is out of their sight
    involvements = officer.get(f"/api/v1/concerns/{police_case}").json["involvements"]
    police_involvement = next(
        i["id"] for i in involvements if i["agency_id"] == world.agencies["police"]
    )
    removed = officer.delete(
        f"/api/v1/concerns/{police_case}/involvements/{police_involvement}?reason=Closed"
    )
    assert removed.status_code == 204, removed.json
    assert police.get(f"/api/v1/tasks/{for_police['id']}").status_code == 404
    assert police.get("/api/v1/tasks?tray=team&status=done").json["items"] == []
    board = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.BOARD_MEMBER)))
    assert board.get("/api/v1/tasks").status_code == 403
    assert board.get(f"/api/v1/tasks/{for_police['id']}").status_code in (403, 404)


def test_a_task_needs_a_future_due_date_and_a_real_assignee(app, factory, auth):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    concern = record_concern(world, child=False)
    url = f"/api/v1/concerns/{concern}/tasks"
    base = {"title": "Check on him", "due_on": "2026-11-30", "assignee_team": "day"}
    past = officer.post(url, json=base | {"due_on": "2026-11-20"})
    assert past.status_code == 422
    assert past.json["errors"] == {"due_on": ["The due date must be today or in the future"]}
    earlier_today = officer.post(url, json=base | {"due_on": "2026-11-23", "due_time": "09:00"})
    assert earlier_today.json["errors"] == {"due_time": ["The due time must be in the future"]}
    assert officer.post(url, json=base | {"due_on": "2026-11-23"}).status_code == 201

    disabled = factory.user(role=Role.SAFEGUARDING_OFFICER)
    with app.app_context():
        from core.auth.models import User

        db.session.get(User, disabled).active = False
        db.session.commit()
    board = factory.user(role=Role.BOARD_MEMBER)
    not_involved = world.users["housing"]
    for assignee in (
        {"assignee_user_id": 987654},
        {"assignee_user_id": disabled},
        {"assignee_user_id": board},
        {"assignee_user_id": not_involved},
        {"assignee_team": "agency", "assignee_agency_id": world.agencies["housing"]},
        {"assignee_team": "agency"},
        {"assignee_team": None},
        {"assignee_team": "day", "assignee_user_id": world.users["officer"]},
    ):
        refused = officer.post(url, json=base | {"assignee_team": None} | assignee)
        assert refused.status_code == 422, (assignee, refused.json)
        assert list(refused.json["errors"]) == ["assignee"], (assignee, refused.json)
    unknown = officer.post(url, json=base | {"assignee_team": "night"})
    assert unknown.status_code == 422 and "assignee_team" in unknown.json["errors"]

    # the page says every problem at once, in the error summary, and saves nothing
    auth.sign_in("officer@example.org")
    new = f"/tasks/new?concern_id={concern}"
    refused = auth.client.post(
        new,
        data={
            "csrf_token": csrf_token(auth.client, new),
            "due_on": ["20", "11", "2026"],
            "assignee": "user:987654",
        },
    )
    title, summary, _ = page_errors(refused.get_data(as_text=True))
    assert title.startswith("Error:")
    assert set(summary) == {
        "Enter what the task is",
        "The due date must be today or in the future",
        "Choose an active member of the safeguarding team or of an agency involved in the case",
    }
    assert len(officer.get(f"/api/v1/concerns/{concern}/tasks").json) == 1
