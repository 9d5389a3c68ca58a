"""The demo county shows tasks between teams: the out-of-hours team's follow-up for the
day team from last night's handover, and a late-night check nobody marked done, overdue
on the work list."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.demo.test_workday import _api, _load

WEDNESDAY = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)


def test_the_demo_has_a_task_for_the_day_team_and_one_overdue(app, runner, clock):
    _load(app, runner, clock, WEDNESDAY)
    officer = _api(app, "officer@demo.example")
    day_tray = officer.get("/api/v1/tasks?tray=team").json["items"]
    assert [(t["assignee_team"], t["from_handover"], t["overdue"]) for t in day_tray] == [
        ("day", True, False)
    ]
    assert day_tray[0]["due_on"] == "2026-03-11"
    night_tray = officer.get("/api/v1/tasks?tray=team&team=out_of_hours").json["items"]
    assert [t["overdue"] for t in night_tray] == [True]
    manager = _api(app, "manager@demo.example")
    late = [i for i in manager.get("/api/v1/meetings/work").json if i["kind"] == "task"]
    assert len(late) == 1 and "Late-night check" in late[0]["label"]
    timeline = officer.get(f"/api/v1/concerns/{day_tray[0]['concern_id']}/timeline").json
    assert any(
        e["summary"] == "Task set from the out-of-hours handover for the day team, "
        "due 11 March 2026 11:00"
        for e in timeline
    ), [e["summary"] for e in timeline]
