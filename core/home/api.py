"""/api/v1/clocks: the clocks in force, as the administrators' page shows them; and
/api/v1/me/work: what waits for the signed-in user, as their home page shows it."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_login import current_user

from core.api.conventions import Blueprint
from core.fields import Day
from core.home.clocks import clocks_in_force
from core.home.work import my_work
from core.policy.routes import signed_in

clocks_blp = Blueprint(
    "clocks_api", __name__, url_prefix="/clocks", description="Statutory clocks in force"
)


class ClockSchema(ma.Schema):
    name = ma.fields.String(required=True)
    label = ma.fields.String(required=True)
    days = ma.fields.Integer(required=True, metadata={"description": "Working days in force"})
    default_days = ma.fields.Integer(required=True)
    source = ma.fields.String(
        required=True, metadata={"description": "Where the default comes from"}
    )


class ClocksSchema(ma.Schema):
    clocks = ma.fields.List(ma.fields.Nested(ClockSchema), required=True)
    core_start = ma.fields.Time(required=True)
    core_end = ma.fields.Time(required=True)
    closure_days = ma.fields.List(Day(), required=True)
    bank_holidays = ma.fields.String(required=True)


@clocks_blp.get("/", "clocks.view", None, ClocksSchema)
def get_clocks() -> Any:
    """Each clock's working days, the core hours and the council's closure days."""
    return clocks_in_force()


work_blp = Blueprint(
    "work_api", __name__, url_prefix="/me/work", description="What waits for the signed-in user"
)


class TaskSchema(ma.Schema):
    key = ma.fields.String(required=True, metadata={"description": "The kind of task"})
    label = ma.fields.String(required=True)
    count = ma.fields.Integer(required=True, metadata={"description": "How many the list holds"})
    link = ma.fields.String(required=True, metadata={"description": "The page that lists them"})
    due = Day(allow_none=True, metadata={"description": "The earliest date any is due"})
    overdue = ma.fields.Boolean(required=True)


@work_blp.route("", methods=["GET"])
@signed_in
@work_blp.response(200, TaskSchema(many=True))
def get_work() -> Any:
    """Each task the user's permissions give them (screening decisions due, the handover,
    invitations to answer, reports due, actions owned, reviews, audits...), with how many
    the list behind it holds, the earliest due date and the page that lists them."""
    return my_work(current_user)
