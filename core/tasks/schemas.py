"""The tasks API's bodies and answers."""

from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs, id_field, page_schema
from core.fields import Day, Moment, codes
from core.tasks.models import TaskStatus, TaskTeam
from core.tasks.operations import TRAYS

TEAM_CODES = codes(TaskTeam)
TEXT = ma.validate.Length(max=20000)


class TaskAssigneeSchema(ma.Schema):
    """Who a task is for: a person, or a team (an agency's contacts name the agency)."""

    assignee_user_id = id_field(load_default=None, allow_none=True)
    assignee_team = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=TEAM_CODES,
        metadata={"description": "day, out_of_hours or agency (with assignee_agency_id)"},
    )
    assignee_agency_id = id_field(load_default=None, allow_none=True)


class TaskCreateSchema(TaskAssigneeSchema):
    title = ma.fields.String(load_default=None, validate=ma.validate.Length(max=200))
    details = ma.fields.String(load_default=None, allow_none=True, validate=TEXT)
    due_on = Day(load_default=None, allow_none=True)
    due_time = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=5),
        metadata={"description": "HH:MM, local time; without it the task is due by the day's end"},
    )
    from_handover = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Made from the out-of-hours handover"},
    )


class TaskCompleteSchema(ma.Schema):
    note = ma.fields.String(required=True, validate=TEXT, metadata={"description": "What was done"})


class TaskCancelSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=TEXT)


class CaseTaskSchema(ma.Schema):
    id = ma.fields.Integer()
    concern_id = ma.fields.Integer()
    concern_reference = ma.fields.String(attribute="concern.reference")
    title = ma.fields.String()
    details = ma.fields.String(allow_none=True)
    due_on = Day()
    due_at = Moment(metadata={"description": "When it becomes overdue"})
    due_time_given = ma.fields.Boolean()
    overdue = ma.fields.Boolean()
    assignee_user_id = ma.fields.Integer(allow_none=True)
    assignee_team = ma.fields.Function(lambda t: t.assignee_team.value if t.assignee_team else None)
    assignee_agency_id = ma.fields.Integer(allow_none=True)
    assignee = ma.fields.String(attribute="assignee_label")
    status = ma.fields.Function(lambda t: t.status.value)
    set_by = ma.fields.String(attribute="set_by.name")
    set_at = Moment()
    from_handover = ma.fields.Boolean()
    completed_at = Moment(allow_none=True)
    completion_note = ma.fields.String(allow_none=True)
    cancelled_at = Moment(allow_none=True)
    cancel_reason = ma.fields.String(allow_none=True)


CaseTaskPageSchema = page_schema(CaseTaskSchema)


class TaskTrayArgs(PageArgs):
    tray = ma.fields.String(
        load_default="mine",
        validate=ma.validate.OneOf(TRAYS),
        metadata={"description": "mine (given to you), team (your team's) or set (by you)"},
    )
    team = ma.fields.String(
        load_default=None,
        validate=ma.validate.OneOf([TaskTeam.DAY.value, TaskTeam.OUT_OF_HOURS.value]),
        metadata={
            "description": "The safeguarding team's tray to read: day or out_of_hours "
            "(default: the shift of the moment)"
        },
    )
    status = ma.fields.String(load_default=TaskStatus.OPEN.value, validate=codes(TaskStatus))


class TaskTeamChoiceSchema(ma.Schema):
    code = ma.fields.String()
    label = ma.fields.String()


class TaskAgencyChoiceSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class TaskPersonChoiceSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    agency_name = ma.fields.String(attribute="agency.name")


class TaskAssigneesSchema(ma.Schema):
    teams = ma.fields.List(ma.fields.Nested(TaskTeamChoiceSchema))
    agencies = ma.fields.List(
        ma.fields.Nested(TaskAgencyChoiceSchema),
        metadata={"description": "For assignee_team agency, as assignee_agency_id"},
    )
    people = ma.fields.List(ma.fields.Nested(TaskPersonChoiceSchema))
