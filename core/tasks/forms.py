"""The tasks pages' forms. What is wrong beyond 'is it there' is the operations' to say,
so the pages and the API give the same messages."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from core.concerns.models import Concern
from core.db import record_id
from core.forms import DateInput, DayField, HubForm, choices
from core.tasks.models import Task, TaskTeam
from core.tasks.operations import assignees


def assignee_choices(concern: Concern) -> list[Any]:
    """The teams first, then the involved agencies' contacts, then the people: the
    values say which (``team:day``, ``agency:12``, ``user:34``)."""
    offered = assignees(concern)
    teams = [(f"team:{t['code']}", t["label"]) for t in offered["teams"]]
    agencies = [
        (f"agency:{a.id}", f"{a.name}'s safeguarding contacts") for a in offered["agencies"]
    ]
    people = [(f"user:{u.id}", f"{u.name} ({u.agency.name})") for u in offered["people"]]
    return choices([("", "Choose who it is for"), *teams, *agencies, *people])


def assignee_values(chosen: str | None) -> dict[str, Any]:
    """The select's value as the operations take it (an unknown one as nobody)."""
    kind, _, value = (chosen or "").partition(":")
    values: dict[str, Any] = {
        "assignee_user_id": None,
        "assignee_team": None,
        "assignee_agency_id": None,
    }
    if kind == "team":
        values["assignee_team"] = value
    elif kind == "agency" and (agency_id := record_id(value)):
        values |= {"assignee_team": TaskTeam.AGENCY.value, "assignee_agency_id": agency_id}
    elif kind == "user" and (user_id := record_id(value)):
        values["assignee_user_id"] = user_id
    return values


def assignee_value(task: Task) -> str:
    if task.assignee_user_id is not None:
        return f"user:{task.assignee_user_id}"
    if task.assignee_team == TaskTeam.AGENCY:
        return f"agency:{task.assignee_agency_id}"
    return f"team:{task.assignee_team.value}" if task.assignee_team else ""


def assignee_field() -> SelectField:
    return SelectField(
        "Who is it for?",
        widget=GovSelect(),
        validate_choice=False,
        description="A team (the day team, the out-of-hours team, an agency's safeguarding "
        "contacts) or a person",
    )


class TaskForm(HubForm):
    title = StringField(
        "What needs doing",
        widget=GovTextInput(),
        validators=[Length(max=200)],
        description="One line, for example: Visit to check the person is safe",
    )
    details = TextAreaField(
        "Details (optional)", widget=GovTextArea(), validators=[Length(max=20000)]
    )
    due_on = DayField(
        "Due date",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date the task is due")],
        description="For example, 14 12 2026",
    )
    due_time = StringField(
        "Due time (optional)",
        widget=GovTextInput(),
        validators=[Length(max=5)],
        description="For example, 09:30. Without a time it is due by the end of the day",
    )
    assignee = assignee_field()
    submit = SubmitField("Set the task", widget=GovSubmitInput())

    def __init__(self, concern: Concern, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignee.choices = assignee_choices(concern)

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title.data,
            "details": self.details.data,
            "due_on": self.due_on.data,
            "due_time": self.due_time.data,
        } | assignee_values(self.assignee.data)


class ReassignForm(HubForm):
    assignee = assignee_field()
    submit = SubmitField("Reassign the task", widget=GovSubmitInput())

    def __init__(self, concern: Concern, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignee.choices = assignee_choices(concern)


class CompleteForm(HubForm):
    note = TextAreaField(
        "What was done",
        widget=GovTextArea(),
        validators=[DataRequired("Say what was done"), Length(max=20000)],
    )
    submit = SubmitField("Mark as done", widget=GovSubmitInput())


class CancelForm(HubForm):
    reason = TextAreaField(
        "Why is it cancelled?",
        widget=GovTextArea(),
        validators=[DataRequired("Give the reason for cancelling the task"), Length(max=20000)],
    )
    submit = SubmitField("Cancel the task", widget=GovSubmitInput())
