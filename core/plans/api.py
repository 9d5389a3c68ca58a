"""/api/v1/plans: protection plans, their actions and reviews."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from core.api.conventions import (
    documented_create,
    documented_update,
    etag_for,
    idempotent,
    paginate,
    require_if_match,
    validation_as_422,
)
from core.api.problems import abort
from core.extensions import db
from core.pipeline import logged
from core.plans import operations
from core.plans.models import Plan, PlanAction, PlanReview
from core.plans.schemas import (
    PlanActionSchema,
    PlanActionUpdateSchema,
    PlanCreateSchema,
    PlanEndSchema,
    PlanListArgs,
    PlanPageSchema,
    PlanSchema,
    PlanUpdateSchema,
    ReviewOutSchema,
    ReviewSchema,
)
from core.policy.cases import is_case_team, load_visible_concern
from core.policy.plans import load_own_action, load_visible_plan, visible_actions, visible_plans
from core.policy.routes import requires

blp = Blueprint("plans_api", __name__, url_prefix="/plans", description="Protection plans")
ID = "<int(min=1, max=2147483647):{}>"
PLAN = "/" + ID.format("plan_id")


def describe(plan: Plan) -> dict[str, Any]:
    today = operations.today()
    attention = operations.attention(plan, today)
    return {
        "id": plan.id,
        "kind": plan.kind.value,
        "status": plan.status.value,
        "person_id": plan.person_id,
        "concern_id": plan.concern_id,
        "meeting_id": plan.meeting_id,
        "initial_category": plan.initial_category.value if plan.initial_category else None,
        "category": plan.category.value if plan.category else None,
        "category_history": plan.category_changes,
        "started_on": plan.started_on,
        "next_review_due": plan.next_review_due,
        "last_reviewed_on": plan.last_reviewed_on,
        "review_overdue": attention.review_overdue,
        "needs_attention": attention.reasons,
        "previous_plans": operations.previous_plans(plan),
        "ended_on": plan.ended_on,
        "end_reason": plan.end_reason,
        "actions": visible_actions(current_user, plan),
        "reviews": plan.reviews,
    }


def _plan_or_404(plan_id: int) -> Plan:
    plan = load_visible_plan(current_user, plan_id)
    if plan is None:
        abort(404)
    return plan


@blp.route("/", methods=["GET"])
@requires("plans.view")
@blp.arguments(PlanListArgs, location="query")
@blp.response(200, PlanPageSchema)
@logged("plan.list", object_type="plan")
def list_plans(args: dict[str, Any]) -> dict[str, Any]:
    """The plans you may see, oldest review date first."""
    today = operations.today()
    query = visible_plans(current_user).order_by(
        Plan.next_review_due.is_(None), Plan.next_review_due, Plan.id
    )
    for name in ("status", "kind", "category", "concern_id", "person_id"):
        if name in args:
            query = query.where(getattr(Plan, name) == args[name])
    if "review_overdue" in args:
        clause = operations.review_overdue_clause(today)
        query = query.where(clause if args["review_overdue"] else ~clause)
    if "needs_attention" in args:
        clause = operations.needs_attention_clause(today)
        query = query.where(clause if args["needs_attention"] else ~clause)
    query = query.options(
        selectinload(Plan.actions).selectinload(PlanAction.owner_agency),
        selectinload(Plan.reviews).selectinload(PlanReview.progress),
        selectinload(Plan.category_changes),
    )
    page = paginate(query, args["page"], args["page_size"])
    page["items"] = [describe(p) for p in page["items"]]
    return page


@blp.route("/", methods=["POST"])
@requires("plans.manage")
@idempotent
@documented_create(blp)
@blp.arguments(PlanCreateSchema)
@blp.response(201, PlanSchema)
def create_plan(data: dict[str, Any]) -> Any:
    """Start a plan for the person of a concern. A child protection plan needs the
    held initial conference that decided on it (`meeting_id`) and a `category`."""
    if load_visible_concern(current_user, data["concern_id"]) is None:
        abort(422, errors={"concern_id": ["Select the concern the plan is for"]})
    with validation_as_422():
        plan = operations.start_plan(data, current_user)
    db.session.flush()
    return describe(plan), {
        "Location": url_for(".get_plan", plan_id=plan.id),
        "ETag": etag_for(plan),
    }


@blp.route(PLAN, methods=["GET"])
@requires("plans.view")
@blp.response(200, PlanSchema)
@logged("plan.view", object_type="plan", object_id="plan_id")
def get_plan(plan_id: int) -> Any:
    """One plan (404 unless your agency is involved in its case)."""
    plan = _plan_or_404(plan_id)
    return describe(plan), {"ETag": etag_for(plan)}


@blp.route(PLAN, methods=["PATCH"])
@requires("plans.manage")
@blp.arguments(PlanUpdateSchema)
@blp.response(200, PlanSchema)
@documented_update(blp)
def update_plan(data: dict[str, Any], plan_id: int) -> Any:
    """Change a child protection plan's category, with the reason; needs If-Match."""
    plan = _plan_or_404(plan_id)
    require_if_match(plan)
    with validation_as_422():
        operations.change_category(plan, data, current_user)
    db.session.flush()
    return describe(plan), {"ETag": etag_for(plan)}


@blp.route(PLAN + "/end", methods=["POST"])
@requires("plans.manage")
@blp.arguments(PlanEndSchema)
@blp.response(200, PlanSchema)
def end_plan(data: dict[str, Any], plan_id: int) -> Any:
    """End the plan: the reason and the date are required."""
    plan = _plan_or_404(plan_id)
    with validation_as_422():
        operations.end_plan(plan, data, current_user)
    db.session.flush()
    return describe(plan), {"ETag": etag_for(plan)}


@blp.route(PLAN + "/actions", methods=["GET"])
@requires("plans.view")
@blp.response(200, PlanActionSchema(many=True))
@logged("plan.view", object_type="plan", object_id="plan_id")
def list_actions(plan_id: int) -> Any:
    """The plan's actions; agency practitioners see their own agency's."""
    plan = _plan_or_404(plan_id)
    return visible_actions(current_user, plan)


@blp.route(PLAN + "/actions", methods=["POST"])
@requires("plans.manage")
@idempotent
@documented_create(blp)
@blp.arguments(PlanActionSchema)
@blp.response(201, PlanActionSchema)
def add_action(data: dict[str, Any], plan_id: int) -> Any:
    """Add an action with its owner agency (which becomes involved in the case)."""
    plan = _plan_or_404(plan_id)
    with validation_as_422():
        action = operations.add_action(plan, data, current_user)
    db.session.flush()
    return action, {
        "Location": url_for(".get_action", plan_id=plan.id, action_id=action.id),
        "ETag": etag_for(action),
    }


@blp.route(PLAN + "/actions/" + ID.format("action_id"), methods=["GET"])
@requires("plans.view")
@blp.response(200, PlanActionSchema)
@logged("plan.view", object_type="plan", object_id="plan_id")
def get_action(plan_id: int, action_id: int) -> Any:
    plan = _plan_or_404(plan_id)
    action = load_own_action(current_user, plan, action_id)
    if action is None:
        abort(404)
    return action, {"ETag": etag_for(action)}


@blp.route(PLAN + "/actions/" + ID.format("action_id"), methods=["PATCH"])
@requires("plans.view")
@blp.arguments(PlanActionUpdateSchema)
@blp.response(200, PlanActionSchema)
@documented_update(blp)
def update_action(data: dict[str, Any], plan_id: int, action_id: int) -> Any:
    """Set an action's `status` (`not_done` needs `not_done_reason`): the owning agency
    or the safeguarding team; needs If-Match."""
    plan = _plan_or_404(plan_id)
    if not is_case_team(current_user) and not _may_act(current_user):
        abort(403, detail="Only the owning agency or the safeguarding team can change this")
    action = load_own_action(current_user, plan, action_id)
    if action is None:
        abort(404)
    require_if_match(action)
    with validation_as_422():
        operations.update_action(action, data, current_user)
    db.session.flush()
    return action, {"ETag": etag_for(action)}


def _may_act(user: Any) -> bool:
    from core.policy.routes import user_can

    return user_can(user, "plans.act")


@blp.route(PLAN + "/reviews", methods=["GET"])
@requires("plans.view")
@blp.response(200, ReviewOutSchema(many=True))
@logged("plan.view", object_type="plan", object_id="plan_id")
def list_reviews(plan_id: int) -> Any:
    plan = _plan_or_404(plan_id)
    return plan.reviews


@blp.route(PLAN + "/reviews", methods=["POST"])
@requires("plans.manage")
@idempotent
@documented_create(blp)
@blp.arguments(ReviewSchema)
@blp.response(201, ReviewOutSchema)
def add_review(data: dict[str, Any], plan_id: int) -> Any:
    """Record a review: children's at a held review conference (`meeting_id`), adults'
    with `reviewed_on` and `attendees`; progress on actions; the decision (`end` needs
    `end_reason`). The next review date moves on."""
    plan = _plan_or_404(plan_id)
    with validation_as_422():
        review = operations.record_review(plan, data, current_user)
    db.session.flush()
    return review, {"Location": url_for(".get_plan", plan_id=plan.id)}
