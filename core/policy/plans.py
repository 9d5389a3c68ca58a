"""Who may see which plan: those who may see its case. Agency practitioners see only
their own agency's actions in it; an agency the case implicates sees nothing else of the
plan than its kind, its status and those actions (``plans_with_details``); its category
history is the team's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.accesslog import operations as access_log
from core.concerns.models import Concern
from core.plans.models import Plan, PlanAction, PlanStatus
from core.policy.cases import implicated_cases, is_case_team, own_council, visible_concerns
from core.policy.records import load_visible
from core.policy.resources import Resource, declare, from_query
from core.policy.routes import user_can


def visible_plans(user: Any) -> sa.Select[tuple[Plan]]:
    query = sa.select(Plan)
    if is_case_team(user):
        return query.join(Concern, Concern.id == Plan.concern_id).where(
            Concern.deleted_at.is_(None), own_council(user)
        )
    visible_ids = visible_concerns(user).with_only_columns(Concern.id)
    return query.where(Plan.concern_id.in_(visible_ids.scalar_subquery()))


def load_visible_plan(user: Any, plan_id: int) -> Plan | None:
    return load_visible(visible_plans(user), Plan, plan_id, "plan")


def visible_actions(user: Any, plan: Plan) -> list[PlanAction]:
    if is_case_team(user):
        return list(plan.actions)
    return [a for a in plan.actions if a.owner_agency_id == user.agency_id]


def plans_with_details(user: Any, plans: Iterable[Plan]) -> set[int]:
    """Those of the plans whose person, category, dates and reviews ``user`` reads: all
    but those of a case that implicates their agency (issue 19: only the actions it
    owns). One query for a page of plans."""
    plans = list(plans)
    implicated = implicated_cases(user, {p.concern_id for p in plans})
    return {p.id for p in plans if p.concern_id not in implicated}


def visible_reviews(user: Any, plan: Plan) -> list[Any]:
    """A plan's reviews, whose progress rows name every agency's actions: for the
    safeguarding team (the plan page shows them to it alone)."""
    return list(plan.reviews) if is_case_team(user) else []


def load_own_action(user: Any, plan: Plan, action_id: int) -> PlanAction | None:
    """An action of ``plan`` the user may change: any for the safeguarding team, their
    own agency's for a practitioner. Anything else is logged as denied."""
    action = next((a for a in visible_actions(user, plan) if a.id == action_id), None)
    if action is None:
        access_log.record_denied("plan.action", object_type="plan_action", object_id=action_id)
    return action


def own_open_actions(user: Any) -> sa.Select[tuple[PlanAction]]:
    """The actions the user's agency owns in open plans of cases it is involved in, by
    due date (the agency portal's list)."""
    visible_ids = visible_plans(user).with_only_columns(Plan.id).scalar_subquery()
    return (
        sa.select(PlanAction)
        .join(Plan, Plan.id == PlanAction.plan_id)
        .where(
            PlanAction.owner_agency_id == user.agency_id,
            PlanAction.plan_id.in_(visible_ids),
            Plan.status == PlanStatus.OPEN,
        )
        .options(selectinload(PlanAction.plan).selectinload(Plan.concern))
        .order_by(PlanAction.due_on, PlanAction.id)
    )


def may_update_action(user: Any, _: PlanAction) -> bool:
    """The owning agency (through the portal) or the safeguarding team sets an action's
    status; the action is already one the user may see (their own agency's)."""
    return is_case_team(user) or user_can(user, "plans.act")


PLAN = declare(
    Resource(
        "plan",
        "plan_id",
        from_query(visible_plans, Plan),
        model=Plan,
        rules={"reviews": lambda user, _: is_case_team(user)},
        api_endpoint="plans_api.get_plan",
        url_ids=lambda plan: {"plan_id": plan.id},
    )
)
PLAN_ACTION = declare(
    Resource(
        "plan_action",
        "action_id",
        lambda user, action_id, loaded: next(
            (a for a in visible_actions(user, loaded["plan"]) if a.id == action_id), None
        ),
        model=PlanAction,
        rules={"update": may_update_action},
        denied="plan.action",
        api_endpoint="plans_api.get_action",
        url_ids=lambda action: {"plan_id": action.plan_id, "action_id": action.id},
    )
)
