"""Setting, completing, reassigning and cancelling tasks, and the trays they sit in.
Every change goes on the case's timeline (without the task's words: the timeline is
read by every agency fully involved, the task by those it is for) and in the access log.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.accesslog import operations as access_log
from core.auth.models import Agency, User
from core.clocks import LOCAL_ZONE, in_range, to_local
from core.concerns.models import Concern, ConcernStatus, add_event
from core.concerns.operations import calendar
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.policy.tasks import possible_agencies, possible_assignees, team_on_shift, visible_tasks
from core.tasks.models import Task, TaskStatus, TaskTeam

TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
TITLE_MAX = 200
TEXT_MAX = 20000
ASSIGNEE = "assignee"  # the field every message about who it is for is said against


# --- Trays ------------------------------------------------------------------------------

TRAYS = ("mine", "team", "set")
TRAY_LABELS = {"mine": "Tasks for you", "team": "Tasks for your team", "set": "Tasks you set"}


def _ordered(query: sa.Select[Any]) -> sa.Select[Any]:
    return query.options(
        selectinload(Task.concern),
        selectinload(Task.assignee_user),
        selectinload(Task.assignee_agency),
        selectinload(Task.set_by),
    ).order_by(Task.due_at, Task.id)


def tray(
    user: Any, name: str, *, team: TaskTeam | None = None, status: TaskStatus | None = None
) -> sa.Select[Any]:
    """The open tasks (or those of ``status``) of one tray, soonest due first: given to
    ``user`` (``mine``), to their team (``team``: the shift's, or ``team`` for the
    safeguarding team), or set by them (``set``); all of what they may see."""
    query = visible_tasks(user).where(Task.status == (status or TaskStatus.OPEN))
    if name == "mine":
        query = query.where(Task.assignee_user_id == user.id)
    elif name == "set":
        query = query.where(Task.set_by_id == user.id)
    else:
        shift = team_on_shift(user, calendar(), utcnow())
        if shift is None:
            query = query.where(sa.false())
        elif shift == TaskTeam.AGENCY:
            query = query.where(
                Task.assignee_team == TaskTeam.AGENCY, Task.assignee_agency_id == user.agency_id
            )
        else:  # the safeguarding team reads either shift's tray; its own by default
            chosen = team if team in (TaskTeam.DAY, TaskTeam.OUT_OF_HOURS) else shift
            query = query.where(Task.assignee_team == chosen)
    return _ordered(query)


@dataclass(frozen=True)
class Tray:
    name: str
    label: str
    tasks: list[Task]
    team: TaskTeam | None = None


def home_trays(user: Any, limit: int = 10) -> list[Tray]:
    """The home page's trays: for you, for your team (named), and those you set."""
    shift = team_on_shift(user, calendar(), utcnow())
    trays = []
    for name in TRAYS:
        if name == "set" and shift not in (TaskTeam.DAY, TaskTeam.OUT_OF_HOURS):
            continue  # partners set no tasks
        if name == "team" and shift is None:
            continue  # a practitioner who is not their agency's contact has no team tray
        label = TRAY_LABELS[name]
        if name == "team" and shift is not None:
            label = f"Tasks for your team ({team_label(shift, user)})"
        tasks = list(db.session.scalars(tray(user, name).limit(limit)))
        trays.append(Tray(name, label, tasks, shift if name == "team" else None))
    return trays


def team_label(team: TaskTeam, user: Any) -> str:
    """The team as a sentence names it: "the day team", "Northshire Police's safeguarding
    contacts"."""
    if team == TaskTeam.AGENCY:
        return f"{user.agency.name}'s safeguarding contacts"
    return team.label.lower()


def case_tasks(user: Any, concern: Concern) -> list[Task]:
    """The case's tasks the user may see, open ones first, soonest due first."""
    query = visible_tasks(user).where(Task.concern_id == concern.id)
    open_first = sa.case((Task.status == TaskStatus.OPEN, 0), else_=1)
    return list(
        db.session.scalars(
            _ordered(query).order_by(None).order_by(open_first, Task.due_at, Task.id)
        )
    )


def overdue(now: datetime, limit: int) -> list[Task]:
    """Open tasks past their due moment, of cases not deleted, oldest due first (the
    safeguarding team's work list)."""
    return list(
        db.session.scalars(
            _ordered(
                sa.select(Task)
                .join(Concern, Concern.id == Task.concern_id)
                .where(
                    Concern.deleted_at.is_(None),
                    Task.status == TaskStatus.OPEN,
                    Task.due_at < now,
                )
            ).limit(limit)
        )
    )


def assignees(concern: Concern) -> dict[str, Any]:
    """Who a task about ``concern`` may be for: the two shifts' teams, the involved
    agencies with a safeguarding contact, the people who may work on it."""
    return {
        "teams": [
            {"code": team.value, "label": team.label}
            for team in (TaskTeam.DAY, TaskTeam.OUT_OF_HOURS)
        ],
        "agencies": list(db.session.scalars(possible_agencies(concern))),
        "people": list(db.session.scalars(possible_assignees(concern))),
    }


# --- Checking what is asked -------------------------------------------------------------


def due_moment(day: date, at: time | None) -> datetime:
    """When a task due on ``day`` (at ``at``) becomes overdue: that time, local; without
    one, the end of the day."""
    if at is not None:
        return datetime.combine(day, at, LOCAL_ZONE)
    return datetime.combine(day + timedelta(days=1), time.min, LOCAL_ZONE)


def _clean_due(values: Mapping[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    day, raw_time = values.get("due_on"), (values.get("due_time") or "").strip()
    at = None
    if raw_time:
        found = TIME.match(raw_time)
        if found is None:
            errors["due_time"] = ["Enter the time as hours and minutes, like 14:30"]
        else:
            at = time(int(found.group(1)), int(found.group(2)))
    if not isinstance(day, date):
        errors["due_on"] = ["Enter the date the task is due"]
        return {}
    if not in_range(day):
        errors["due_on"] = ["Enter a due date from 1900 to 2100"]
        return {}
    now = utcnow()
    moment = due_moment(day, at)
    if day < to_local(now).date():
        errors["due_on"] = ["The due date must be today or in the future"]
    elif moment <= now and "due_time" not in errors:
        errors["due_time"] = ["The due time must be in the future"]
    return {"due_on": day, "due_at": moment, "due_time_given": at is not None}


def clean_assignee(
    concern: Concern, values: Mapping[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    """Exactly one of a person (``assignee_user_id``) or a team (``assignee_team``, with
    ``assignee_agency_id`` for an agency's contacts): a real active person who may work on
    the case, or a known team."""
    user_id, team_code = values.get("assignee_user_id"), values.get("assignee_team")
    agency_id = values.get("assignee_agency_id")
    if (user_id is None) == (not team_code):
        errors[ASSIGNEE] = ["Choose who the task is for: a person or a team"]
        return {}
    if user_id is not None:
        person = db.session.scalar(possible_assignees(concern).where(User.id == user_id))
        if person is None:
            errors[ASSIGNEE] = [
                "Choose an active member of the safeguarding team or of an agency involved "
                "in the case"
            ]
            return {}
        return {"assignee_user_id": person.id, "assignee_team": None, "assignee_agency_id": None}
    try:
        team = TaskTeam(str(team_code))
    except ValueError:
        errors[ASSIGNEE] = ["Choose the day team, the out-of-hours team or an agency"]
        return {}
    if team != TaskTeam.AGENCY:
        if agency_id is not None:
            errors[ASSIGNEE] = ["An agency is named for an agency's safeguarding contacts only"]
            return {}
        return {"assignee_user_id": None, "assignee_team": team, "assignee_agency_id": None}
    agency = (
        db.session.scalar(possible_agencies(concern).where(Agency.id == agency_id))
        if agency_id is not None
        else None
    )
    if agency is None:
        errors[ASSIGNEE] = ["Choose an agency involved in the case that has a safeguarding contact"]
        return {}
    return {"assignee_user_id": None, "assignee_team": team, "assignee_agency_id": agency.id}


def _text(
    values: Mapping[str, Any],
    name: str,
    missing: str | None,
    limit: int,
    errors: dict[str, list[str]],
) -> str | None:
    text = (values.get(name) or "").strip()
    if not text:
        if missing:
            errors[name] = [missing]
        return None
    if len(text) > limit:
        errors[name] = [f"{NAMES[name]} must be {limit:,} characters or fewer"]
    return text


NAMES = {
    "title": "The title",
    "details": "The details",
    "note": "The note",
    "reason": "The reason",
}


def _open_case(concern: Concern) -> None:
    if concern.status != ConcernStatus.OPEN or concern.deleted_at is not None:
        raise ValidationFailed.single("concern_id", "The case is closed: reopen it to set a task")


def _open_task(task: Task, doing: str) -> None:
    if task.status != TaskStatus.OPEN:
        raise ValidationFailed.single(
            "status", f"The task is {task.status.label.lower()}: it cannot be {doing}"
        )


def _get(model: Any, record_id: int | None) -> Any:
    return db.session.get(model, record_id) if record_id is not None else None


def _when(task: Task) -> str:
    local = to_local(task.due_at) if task.due_time_given else None
    return f"{task.due_on:%-d %B %Y}" + (f" {local:%H:%M}" if local else "")


# --- Changes ----------------------------------------------------------------------------


def set_task(concern: Concern, values: Mapping[str, Any], user: User) -> Task:
    """Give a task about ``concern`` to a person or a team, due by a day (and a time)."""
    _open_case(concern)
    errors: dict[str, list[str]] = {}
    title = _text(values, "title", "Enter what the task is", TITLE_MAX, errors)
    details = _text(values, "details", None, TEXT_MAX, errors)
    due = _clean_due(values, errors)
    assignee = clean_assignee(concern, values, errors)
    if errors:
        raise ValidationFailed(errors)
    task = Task(
        concern_id=concern.id,
        title=title,
        details=details,
        set_by_id=user.id,
        from_handover=bool(values.get("from_handover")),
        **due,
        **assignee,
    )
    db.session.add(task)
    db.session.flush()
    origin = " from the out-of-hours handover" if task.from_handover else ""
    add_event(
        concern, user, "task.set", f"Task set{origin} for {task.assignee_label}, due {_when(task)}"
    )
    access_log.record("task.set", object_type="task", object_id=task.id)
    return task


def complete(task: Task, note: str | None, user: User) -> Task:
    """Mark an open task done, saying what was done."""
    _open_task(task, "completed")
    errors: dict[str, list[str]] = {}
    text = _text({"note": note}, "note", "Say what was done", TEXT_MAX, errors)
    if errors:
        raise ValidationFailed(errors)
    task.status, task.completed_at, task.completed_by_id = TaskStatus.DONE, utcnow(), user.id
    task.completion_note = text
    db.session.flush()
    add_event(task.concern, user, "task.completed", f"Task for {task.assignee_label} done")
    access_log.record("task.complete", object_type="task", object_id=task.id)
    return task


def reassign(task: Task, values: Mapping[str, Any], user: User) -> Task:
    """Give an open task to another person or team."""
    _open_task(task, "reassigned")
    errors: dict[str, list[str]] = {}
    assignee = clean_assignee(task.concern, values, errors)
    if not errors and (
        assignee["assignee_user_id"] == task.assignee_user_id
        and assignee["assignee_team"] == task.assignee_team
        and assignee["assignee_agency_id"] == task.assignee_agency_id
    ):
        errors[ASSIGNEE] = ["The task is already for them: choose someone else"]
    if errors:
        raise ValidationFailed(errors)
    before = task.assignee_label
    task.assignee_team = assignee["assignee_team"]
    task.assignee_user = _get(User, assignee["assignee_user_id"])
    task.assignee_agency = _get(Agency, assignee["assignee_agency_id"])
    db.session.flush()
    add_event(
        task.concern,
        user,
        "task.reassigned",
        f"Task for {before} reassigned to {task.assignee_label}",
    )
    access_log.record("task.reassign", object_type="task", object_id=task.id)
    return task


def cancel(task: Task, reason: str | None, user: User) -> Task:
    """Cancel an open task, saying why."""
    _open_task(task, "cancelled")
    errors: dict[str, list[str]] = {}
    text = _text(
        {"reason": reason}, "reason", "Give the reason for cancelling the task", TEXT_MAX, errors
    )
    if errors:
        raise ValidationFailed(errors)
    task.status, task.cancelled_at, task.cancelled_by_id = TaskStatus.CANCELLED, utcnow(), user.id
    task.cancel_reason = text
    db.session.flush()
    add_event(task.concern, user, "task.cancelled", f"Task for {task.assignee_label} cancelled")
    access_log.record("task.cancel", object_type="task", object_id=task.id)
    return task
