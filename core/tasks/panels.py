"""The core's case page panel of tasks: the case's tasks the reader may see (a partner:
those given to it or to them; the board and auditors see none), with a link to set one."""

from __future__ import annotations

from typing import Any

from flask import url_for

from core.clocks import to_local
from core.concerns.models import Concern
from core.db import utcnow
from core.extensions import db
from core.policy.routes import user_can
from core.tasks.operations import case_tasks
from plugins.types import CasePanel, CaseSummary, PanelRow


def tasks_panel(concern: CaseSummary, user: Any) -> CasePanel | None:
    if not user_can(user, "tasks.view"):
        return None
    case = db.session.get(Concern, concern.id)
    assert case is not None  # the case page shows a case the user may see
    now = utcnow()
    rows = []
    for task in case_tasks(user, case):
        due = f"{task.due_on:%-d %B %Y}" + (
            f" {to_local(task.due_at):%H:%M}" if task.due_time_given else ""
        )
        state = "overdue" if task.is_overdue(now) else task.status.label.lower()
        rows.append(
            PanelRow(
                task.title,
                f"For {task.assignee_label}, due {due} ({state})",
                url_for("tasks.show", task_id=task.id),
            )
        )
    links: tuple[tuple[str, str], ...] = ()
    if user_can(user, "tasks.set") and concern.status == "open":
        links = (("Set a task", url_for("tasks.new", concern_id=concern.id)),)
    return CasePanel("Tasks", tuple(rows), links, empty="No tasks.", order=20)
