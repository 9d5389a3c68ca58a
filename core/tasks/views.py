"""The tasks pages: the trays, setting a task about a case (from the case page or the
out-of-hours handover), a task with what can be done to it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.concerns.models import Concern
from core.concerns.operations import calendar
from core.db import utcnow
from core.extensions import db
from core.forms import flashed, form_messages, submitted
from core.pagination import paginate
from core.pipeline import logged, record
from core.policy import tasks as _record_types  # noqa: F401  (declares "task")
from core.policy.routes import requires, user_can
from core.policy.tasks import team_on_shift
from core.tasks import forms, operations
from core.tasks.models import Task, TaskStatus, TaskTeam


def _task_page(task: Task) -> str:
    return url_for("tasks.show", task_id=task.id)


@requires("tasks.view")
@logged("task.list", object_type="task")
def index() -> ResponseReturnValue:
    """One tray, as the home page lists it, in full (``tray``, ``team``, ``status``)."""
    name = request.args.get("tray", "mine")
    name = name if name in operations.TRAYS else "mine"
    team_code = request.args.get("team", "")
    team = TaskTeam(team_code) if team_code in ("day", "out_of_hours") else None
    status_code = request.args.get("status", TaskStatus.OPEN.value)
    status = TaskStatus(status_code) if status_code in set(TaskStatus) else TaskStatus.OPEN
    shift = team_on_shift(current_user, calendar(), utcnow())
    page = paginate(operations.tray(current_user, name, team=team, status=status))
    named = team or shift
    return render_template(
        "tasks/index.html",
        page=page,
        tray=name,
        team=named,
        shift=shift,
        status=status,
        statuses=TaskStatus,
        labels=operations.TRAY_LABELS,
        team_label=operations.team_label(named, current_user) if named else "",
        now=utcnow(),
    )


@requires("tasks.set")
@record("concern")
def new(concern: Concern) -> ResponseReturnValue:
    """Set a task about the case; from the handover, for the day team by default."""
    team = request.args.get("team", "")
    from_handover = request.args.get("from_handover") == "1"
    form = forms.TaskForm(
        concern, data={"assignee": f"team:{team}"} if team in ("day", "out_of_hours") else None
    )
    made: list[Task] = []
    if submitted(
        form,
        lambda: made.append(
            operations.set_task(
                concern, form.values() | {"from_handover": from_handover}, current_user
            )
        ),
        {"concern_id": "title"},
    ):
        flash(f"Task set for {made[0].assignee_label}.", "success")
        return redirect(url_for("concerns.handover") if from_handover else _task_page(made[0]))
    return render_template(
        "tasks/new.html", concern=concern, form=form, from_handover=from_handover
    )


@requires("tasks.view")
@logged("task.view", object_type="task", object_id="task")
@record("task")
def show(task: Task) -> ResponseReturnValue:
    is_open = task.status == TaskStatus.OPEN
    return render_template(
        "tasks/show.html",
        task=task,
        now=utcnow(),
        complete_form=forms.CompleteForm(formdata=None)
        if is_open and user_can(current_user, "tasks.complete")
        else None,
        cancel_form=forms.CancelForm(formdata=None)
        if is_open and user_can(current_user, "tasks.set")
        else None,
        can_reassign=is_open and user_can(current_user, "tasks.set"),
    )


@requires("tasks.complete")
@record("task")
def complete(task: Task) -> ResponseReturnValue:
    form = forms.CompleteForm()
    if form.validate_on_submit():
        flashed(lambda: operations.complete(task, form.note.data, current_user), "Task done.")
    else:
        flash(form_messages(form, "Say what was done"), "error")
    return redirect(_task_page(task))


@requires("tasks.set")
@record("task")
def cancel(task: Task) -> ResponseReturnValue:
    form = forms.CancelForm()
    if form.validate_on_submit():
        flashed(lambda: operations.cancel(task, form.reason.data, current_user), "Task cancelled.")
    else:
        flash(form_messages(form, "Give the reason for cancelling the task"), "error")
    return redirect(_task_page(task))


@requires("tasks.set")
@record("task")
def reassign(task: Task) -> ResponseReturnValue:
    if task.status != TaskStatus.OPEN:
        flash(f"The task is {task.status.label.lower()}: it cannot be reassigned", "error")
        return redirect(_task_page(task))
    form = forms.ReassignForm(
        task.concern,
        data={"assignee": forms.assignee_value(task)} if request.method == "GET" else None,
    )
    if submitted(
        form,
        lambda: operations.reassign(task, forms.assignee_values(form.assignee.data), current_user),
    ):
        db.session.flush()
        flash(f"Task reassigned to {task.assignee_label}.", "success")
        return redirect(_task_page(task))
    return render_template("tasks/reassign.html", task=task, form=form)
