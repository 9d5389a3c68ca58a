"""/api/v1/plans: protection plans, their actions and reviews."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user

from core.api.conventions import Blueprint, documented_update, paginate
from core.errors import abort
from core.extensions import db
from core.pipeline import logged, reads, record
from core.plans import operations, report, schemas
from core.plans.models import Plan, PlanAction
from core.policy.cases import load_visible_concern
from core.policy.plans import own_open_actions, visible_actions, visible_plans

blp = Blueprint("plans_api", __name__, url_prefix="/plans", description="Protection plans")
PLAN = "/<id:plan_id>"


@blp.get("/", "plans.view", schemas.PlanListArgs, schemas.PlanPageSchema)
@logged("plan.list", object_type="plan")
def list_plans(args: dict[str, Any]) -> dict[str, Any]:
    """The plans you may see, oldest review date first."""
    query = operations.filtered(visible_plans(current_user), args, operations.today())
    return paginate(query, args["page"], args["page_size"])


@blp.post("/", "plans.manage", schemas.PlanCreateSchema, schemas.PlanSchema, status=201)
def create_plan(data: dict[str, Any]) -> Any:
    """Start a plan for the person of a concern. A child protection plan needs the
    held initial conference that decided on it (`meeting_id`) and a `category`."""
    if load_visible_concern(current_user, data["concern_id"]) is None:
        abort(422, errors={"concern_id": ["Select the concern the plan is for"]})
    return operations.start_plan(data, current_user)


@blp.get(PLAN, "plans.view", None, schemas.PlanSchema)
@reads("plan.view", "plan")
def get_plan(plan: Plan) -> Any:
    """One plan (404 unless your agency is involved in its case)."""
    return plan


@blp.patch(PLAN, "plans.manage", schemas.PlanUpdateSchema, schemas.PlanSchema)
@documented_update(blp)
@record("plan")
def update_plan(data: dict[str, Any], plan: Plan) -> Any:
    """Change a child protection plan's category, with the reason; needs If-Match."""
    operations.change_category(plan, data, current_user)
    return plan


@blp.post(PLAN + "/end", "plans.manage", schemas.PlanEndSchema, schemas.PlanSchema)
@record("plan")
def end_plan(data: dict[str, Any], plan: Plan) -> Any:
    """End the plan: the reason and the date are required."""
    return operations.end_plan(plan, data, current_user)


@blp.get(PLAN + "/actions", "plans.view", None, schemas.PlanActionSchema(many=True))
@reads("plan.view", "plan")
def list_actions(plan: Plan) -> Any:
    """The plan's actions; agency practitioners see their own agency's."""
    return visible_actions(current_user, plan)


@blp.post(
    PLAN + "/actions",
    "plans.manage",
    schemas.PlanActionSchema,
    schemas.PlanActionSchema,
    status=201,
)
@record("plan")
def add_action(data: dict[str, Any], plan: Plan) -> Any:
    """Add an action with its owner agency (which becomes involved in the case)."""
    return operations.add_action(plan, data, current_user)


ACTION = PLAN + "/actions/<id:action_id>"


@blp.get(ACTION, "plans.view", None, schemas.PlanActionSchema)
@reads("plan.view", "plan")
@record("plan_action")
def get_action(plan: Plan, plan_action: PlanAction) -> Any:
    return plan_action


@blp.patch(ACTION, "plans.view", schemas.PlanActionUpdateSchema, schemas.PlanActionSchema)
@documented_update(blp)
@record("plan")
@record("plan_action", "update")
def update_action(data: dict[str, Any], plan: Plan, plan_action: PlanAction) -> Any:
    """Set an action's `status` (`not_done` needs `not_done_reason`): the owning agency
    or the safeguarding team; needs If-Match."""
    operations.update_action(plan_action, data, current_user)
    return plan_action


@blp.get(PLAN + "/reviews", "plans.view", None, schemas.ReviewOutSchema(many=True))
@reads("plan.view", "plan", "reviews")
def list_reviews(plan: Plan) -> Any:
    """The plan's reviews (the safeguarding team: their progress rows name every
    agency's actions)."""
    return plan.reviews


@blp.post(
    PLAN + "/reviews", "plans.manage", schemas.ReviewSchema, schemas.ReviewOutSchema, status=201
)
@record("plan")
def add_review(data: dict[str, Any], plan: Plan) -> Any:
    """Record a review: children's at a held review conference (`meeting_id`), adults'
    with `reviewed_on` and `attendees`; progress on actions; the decision (`end` needs
    `end_reason`). The next review date moves on."""
    review = operations.record_review(plan, data, current_user)
    return review, {"Location": url_for(".get_plan", plan_id=plan.id)}


# --- Beside the pages: the plans report (the page and its CSV) and an agency's own actions.

report_blp = Blueprint(
    "plan_report_api", __name__, url_prefix="/plans", description="Plans: report and actions"
)


@report_blp.get("/report", "plans.report", schemas.ReportArgs, schemas.PlansReportSchema)
@logged("plan.report", object_type="plan")
def get_report(args: dict[str, Any]) -> Any:
    """Open, started and ended plans in the period, by category, primary support reason
    and age band: the report page and its CSV's rows."""
    start, finish = report.period(args.get("from_"), args.get("to"), operations.today())
    return report.plans_report(start, finish, current_user.council_id)


@report_blp.get("/actions", "plans.act", None, schemas.OwnActionSchema(many=True))
@logged("plan.actions", object_type="plan")
def list_own_actions() -> Any:
    """The actions your agency owns in the open plans of cases it works on, soonest due
    first."""
    return db.session.scalars(own_open_actions(current_user)).all()
