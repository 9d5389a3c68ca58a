"""/api/v1/plans: protection plans, their actions and reviews."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user

from core.api.conventions import (
    Blueprint,
    documented_update,
    paginate,
)
from core.errors import abort
from core.pipeline import logged, record
from core.plans import operations, schemas
from core.plans.models import Plan, PlanAction
from core.policy.cases import load_visible_concern
from core.policy.plans import visible_actions, visible_plans
from core.policy.routes import requires

blp = Blueprint("plans_api", __name__, url_prefix="/plans", description="Protection plans")
PLAN = "/<id:plan_id>"


@blp.route("/", methods=["GET"])
@requires("plans.view")
@blp.arguments(schemas.PlanListArgs, location="query")
@blp.response(200, schemas.PlanPageSchema)
@logged("plan.list", object_type="plan")
def list_plans(args: dict[str, Any]) -> dict[str, Any]:
    """The plans you may see, oldest review date first."""
    query = operations.filtered(visible_plans(current_user), args, operations.today())
    return paginate(query, args["page"], args["page_size"])


@blp.route("/", methods=["POST"])
@requires("plans.manage")
@blp.arguments(schemas.PlanCreateSchema)
@blp.response(201, schemas.PlanSchema)
def create_plan(data: dict[str, Any]) -> Any:
    """Start a plan for the person of a concern. A child protection plan needs the
    held initial conference that decided on it (`meeting_id`) and a `category`."""
    if load_visible_concern(current_user, data["concern_id"]) is None:
        abort(422, errors={"concern_id": ["Select the concern the plan is for"]})
    return operations.start_plan(data, current_user)


@blp.route(PLAN, methods=["GET"])
@requires("plans.view")
@blp.response(200, schemas.PlanSchema)
@logged("plan.view", object_type="plan", object_id="plan_id")
@record("plan")
def get_plan(plan: Plan) -> Any:
    """One plan (404 unless your agency is involved in its case)."""
    return plan


@blp.route(PLAN, methods=["PATCH"])
@requires("plans.manage")
@blp.arguments(schemas.PlanUpdateSchema)
@blp.response(200, schemas.PlanSchema)
@documented_update(blp)
@record("plan")
def update_plan(data: dict[str, Any], plan: Plan) -> Any:
    """Change a child protection plan's category, with the reason; needs If-Match."""
    operations.change_category(plan, data, current_user)
    return plan


@blp.route(PLAN + "/end", methods=["POST"])
@requires("plans.manage")
@blp.arguments(schemas.PlanEndSchema)
@blp.response(200, schemas.PlanSchema)
@record("plan")
def end_plan(data: dict[str, Any], plan: Plan) -> Any:
    """End the plan: the reason and the date are required."""
    return operations.end_plan(plan, data, current_user)


@blp.route(PLAN + "/actions", methods=["GET"])
@requires("plans.view")
@blp.response(200, schemas.PlanActionSchema(many=True))
@logged("plan.view", object_type="plan", object_id="plan_id")
@record("plan")
def list_actions(plan: Plan) -> Any:
    """The plan's actions; agency practitioners see their own agency's."""
    return visible_actions(current_user, plan)


@blp.route(PLAN + "/actions", methods=["POST"])
@requires("plans.manage")
@blp.arguments(schemas.PlanActionSchema)
@blp.response(201, schemas.PlanActionSchema)
@record("plan")
def add_action(data: dict[str, Any], plan: Plan) -> Any:
    """Add an action with its owner agency (which becomes involved in the case)."""
    return operations.add_action(plan, data, current_user)


ACTION = PLAN + "/actions/<id:action_id>"


@blp.route(ACTION, methods=["GET"])
@requires("plans.view")
@blp.response(200, schemas.PlanActionSchema)
@logged("plan.view", object_type="plan", object_id="plan_id")
@record("plan")
@record("plan_action")
def get_action(plan: Plan, plan_action: PlanAction) -> Any:
    return plan_action


@blp.route(ACTION, methods=["PATCH"])
@requires("plans.view")
@blp.arguments(schemas.PlanActionUpdateSchema)
@blp.response(200, schemas.PlanActionSchema)
@documented_update(blp)
@record("plan")
@record("plan_action", "update")
def update_action(data: dict[str, Any], plan: Plan, plan_action: PlanAction) -> Any:
    """Set an action's `status` (`not_done` needs `not_done_reason`): the owning agency
    or the safeguarding team; needs If-Match."""
    operations.update_action(plan_action, data, current_user)
    return plan_action


@blp.route(PLAN + "/reviews", methods=["GET"])
@requires("plans.view")
@blp.response(200, schemas.ReviewOutSchema(many=True))
@logged("plan.view", object_type="plan", object_id="plan_id")
@record("plan", "reviews")
def list_reviews(plan: Plan) -> Any:
    """The plan's reviews (the safeguarding team: their progress rows name every
    agency's actions)."""
    return plan.reviews


@blp.route(PLAN + "/reviews", methods=["POST"])
@requires("plans.manage")
@blp.arguments(schemas.ReviewSchema)
@blp.response(201, schemas.ReviewOutSchema)
@record("plan")
def add_review(data: dict[str, Any], plan: Plan) -> Any:
    """Record a review: children's at a held review conference (`meeting_id`), adults'
    with `reviewed_on` and `attendees`; progress on actions; the decision (`end` needs
    `end_reason`). The next review date moves on."""
    review = operations.record_review(plan, data, current_user)
    return review, {"Location": url_for(".get_plan", plan_id=plan.id)}
