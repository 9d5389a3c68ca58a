"""/api/v1/clocks: the clocks in force, as the administrators' page shows them."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from core.api.conventions import Blueprint
from core.fields import Day
from core.home.clocks import clocks_in_force
from core.policy.routes import requires

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


@clocks_blp.route("/", methods=["GET"])
@requires("clocks.view")
@clocks_blp.response(200, ClocksSchema)
def get_clocks() -> Any:
    """Each clock's working days, the core hours and the council's closure days."""
    return clocks_in_force()
