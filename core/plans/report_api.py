"""What the plans pages do beside the plans API (core/plans/api.py): the plans report
(the page and its CSV, as JSON) and an agency's own actions across plans."""

from __future__ import annotations

from datetime import date
from typing import Any

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from core.api.fields import Day
from core.api.problems import abort
from core.clocks import add_months
from core.extensions import db
from core.pipeline import logged
from core.plans import operations, report
from core.plans.schemas import PlanActionSchema
from core.policy.plans import own_open_actions
from core.policy.routes import requires

blp = Blueprint(
    "plan_report_api", __name__, url_prefix="/plans", description="Plans: report and actions"
)


class ReportArgs(ma.Schema):
    from_ = Day(data_key="from", metadata={"description": "Default: 12 months before to"})
    to = Day(metadata={"description": "Default: today"})


class ReportRowSchema(ma.Schema):
    group = ma.fields.String(attribute="label")
    open_at_end = ma.fields.Integer(attribute="open")
    started = ma.fields.Integer()
    ended = ma.fields.Integer()


class BreakdownSchema(ma.Schema):
    title = ma.fields.String()
    rows = ma.fields.List(ma.fields.Nested(ReportRowSchema))


class PlansReportSchema(ma.Schema):
    start = Day()
    finish = Day()
    breakdowns = ma.fields.List(ma.fields.Nested(BreakdownSchema))


class OwnActionSchema(PlanActionSchema):
    plan_id = ma.fields.Integer(dump_only=True)
    concern_reference = ma.fields.String(attribute="plan.concern.reference", dump_only=True)


@blp.route("/report", methods=["GET"])
@requires("plans.report")
@blp.arguments(ReportArgs, location="query")
@blp.response(200, PlansReportSchema)
@logged("plan.report", object_type="plan")
def get_report(args: dict[str, Any]) -> Any:
    """Open, started and ended plans in the period, by category, primary support reason
    and age band: the report page and its CSV's rows."""
    today = operations.today()
    start: date = args.get("from_") or add_months(today, -12)
    finish: date = args.get("to") or today
    if finish < start:
        abort(422, errors={"to": ["The end of the period must not be before its start"]})
    return report.plans_report(start, finish)


@blp.route("/actions", methods=["GET"])
@requires("plans.act")
@blp.response(200, OwnActionSchema(many=True))
@logged("plan.actions", object_type="plan")
def list_own_actions() -> Any:
    """The actions your agency owns in the open plans of cases it works on, soonest due
    first."""
    return db.session.scalars(own_open_actions(current_user)).all()
