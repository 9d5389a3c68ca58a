"""What the plans pages do beside the plans API (core/plans/api.py): the plans report
(the page and its CSV, as JSON) and an agency's own actions across plans."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core.api.conventions import Blueprint
from core.extensions import db
from core.pipeline import logged
from core.plans import operations, report
from core.plans.schemas import OwnActionSchema, PlansReportSchema, ReportArgs
from core.policy.plans import own_open_actions

blp = Blueprint(
    "plan_report_api", __name__, url_prefix="/plans", description="Plans: report and actions"
)


@blp.get("/report", "plans.report", ReportArgs, PlansReportSchema)
@logged("plan.report", object_type="plan")
def get_report(args: dict[str, Any]) -> Any:
    """Open, started and ended plans in the period, by category, primary support reason
    and age band: the report page and its CSV's rows."""
    start, finish = report.period(args.get("from_"), args.get("to"), operations.today())
    return report.plans_report(start, finish, current_user.council_id)


@blp.get("/actions", "plans.act", None, OwnActionSchema(many=True))
@logged("plan.actions", object_type="plan")
def list_own_actions() -> Any:
    """The actions your agency owns in the open plans of cases it works on, soonest due
    first."""
    return db.session.scalars(own_open_actions(current_user)).all()
