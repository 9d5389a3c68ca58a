"""/api/v1/tasks: the trays (given to you, to your team, set by you), one task, and
completing, reassigning and cancelling it; /api/v1/concerns/{id}/tasks: a case's tasks
and setting one. The same operations and rules as the pages."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core.api.conventions import Blueprint, paginate
from core.concerns.models import Concern
from core.pipeline import logged, record
from core.policy import tasks as _record_types  # noqa: F401  (declares "task")
from core.tasks import operations
from core.tasks.models import Task, TaskStatus, TaskTeam
from core.tasks.schemas import (
    CaseTaskPageSchema,
    CaseTaskSchema,
    TaskAssigneeSchema,
    TaskAssigneesSchema,
    TaskCancelSchema,
    TaskCompleteSchema,
    TaskCreateSchema,
    TaskTrayArgs,
)

blp = Blueprint("tasks_api", __name__, url_prefix="/tasks", description="Tasks between teams")
case_blp = Blueprint(
    "case_tasks_api", __name__, url_prefix="/concerns", description="A case's tasks"
)
TASK = "/<id:task_id>"


@blp.get("", "tasks.view", TaskTrayArgs, CaseTaskPageSchema)
@logged("task.list", object_type="task")
def list_tasks(args: dict[str, Any]) -> Any:
    """One tray, soonest due first: ``mine`` (given to you), ``team`` (your team's: the
    day or out-of-hours team by the shift of the moment, or ``team``; a partner's
    safeguarding contacts, their agency's) or ``set`` (by you); open ones unless
    ``status``."""
    team = TaskTeam(args["team"]) if args.get("team") else None
    query = operations.tray(
        current_user, args["tray"], team=team, status=TaskStatus(args["status"])
    )
    return paginate(query, args["page"], args["page_size"])


@blp.get(TASK, "tasks.view", None, CaseTaskSchema)
@logged("task.view", object_type="task", object_id="task")
@record("task")
def get_task(task: Task) -> Any:
    """A task you may see (404 otherwise)."""
    return task


@blp.post(TASK + "/complete", "tasks.complete", TaskCompleteSchema, CaseTaskSchema)
@record("task")
def complete_task(data: dict[str, Any], task: Task) -> Any:
    """Mark an open task done, saying what was done (``note``); 422 once it is done or
    cancelled."""
    return operations.complete(task, data["note"], current_user)


@blp.post(TASK + "/reassign", "tasks.set", TaskAssigneeSchema, CaseTaskSchema)
@record("task")
def reassign_task(data: dict[str, Any], task: Task) -> Any:
    """Give an open task to another person or team (as when setting one)."""
    return operations.reassign(task, data, current_user)


@blp.post(TASK + "/cancel", "tasks.set", TaskCancelSchema, CaseTaskSchema)
@record("task")
def cancel_task(data: dict[str, Any], task: Task) -> Any:
    """Cancel an open task, saying why (``reason``)."""
    return operations.cancel(task, data["reason"], current_user)


@case_blp.get("/<id:concern_id>/tasks", "tasks.view", None, CaseTaskSchema(many=True))
@logged("task.list", object_type="concern", object_id="concern")
@record("concern")
def list_case_tasks(concern: Concern) -> Any:
    """The case's tasks you may see (a partner: those given to it or to you), open ones
    first."""
    return operations.case_tasks(current_user, concern)


@case_blp.get("/<id:concern_id>/tasks/assignees", "tasks.set", None, TaskAssigneesSchema)
@record("concern")
def list_assignees(concern: Concern) -> Any:
    """Who a task about the case may be for: the teams, the involved agencies with a
    safeguarding contact, and the people (the team's, the involved agencies')."""
    return operations.assignees(concern)


@case_blp.post("/<id:concern_id>/tasks", "tasks.set", TaskCreateSchema, CaseTaskSchema, status=201)
@record("concern")
def set_task(data: dict[str, Any], concern: Concern) -> Any:
    """Set a task about the case for a person (``assignee_user_id``: an active member of
    the safeguarding team or of an agency involved) or a team (``assignee_team``: ``day``,
    ``out_of_hours``, or ``agency`` with ``assignee_agency_id``: an involved agency's
    safeguarding contacts), due on ``due_on`` (today or later), by ``due_time`` if
    given. 422 says what is wrong."""
    return operations.set_task(concern, data, current_user)
