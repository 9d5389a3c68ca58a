from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask_login import current_user

from core.api.conventions import PageArgs, id_field, page_schema, query_id_field
from core.fields import Day, Moment, codes
from core.meetings.models import PlanCategory
from core.plans import operations
from core.plans.models import Plan, PlanActionStatus, PlanKind, PlanStatus, ReviewDecision
from core.policy.cases import is_case_team
from core.policy.plans import plans_with_details, visible_actions, visible_reviews

TEXT = ma.validate.Length(max=2000)
LONG_TEXT = ma.validate.Length(max=20000)


class CategoryChangeSchema(ma.Schema):
    from_category = ma.fields.String(attribute="from_category.value")
    to_category = ma.fields.String(attribute="to_category.value")
    changed_on = Day()
    reason = ma.fields.String()
    changed_by_id = ma.fields.Integer()


class PlanActionSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    owner_agency_id = id_field(required=True)
    owner_agency_name = ma.fields.String(attribute="owner_agency.name", dump_only=True)
    owner_name = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=200)
    )
    due_on = Day(required=True)
    status = ma.fields.String(attribute="status.value", dump_only=True)
    not_done_reason = ma.fields.String(allow_none=True, dump_only=True)
    updated_at = Moment(dump_only=True)


class PlanActionUpdateSchema(ma.Schema):
    status = ma.fields.String(required=True, validate=codes(PlanActionStatus))
    not_done_reason = ma.fields.String(allow_none=True, load_default=None, validate=TEXT)


class ProgressSchema(ma.Schema):
    action_id = id_field(required=True)
    status = ma.fields.String(required=True, validate=codes(PlanActionStatus))
    note = ma.fields.String(allow_none=True, load_default=None, validate=TEXT)


class ProgressOutSchema(ma.Schema):
    action_id = ma.fields.Integer()
    status = ma.fields.String(attribute="status.value")
    note = ma.fields.String(allow_none=True)


class ReviewSchema(ma.Schema):
    reviewed_on = Day(load_default=None, allow_none=True)
    meeting_id = id_field(load_default=None, allow_none=True)
    attendees = ma.fields.String(load_default=None, allow_none=True, validate=LONG_TEXT)
    decision = ma.fields.String(required=True, validate=codes(ReviewDecision))
    end_reason = ma.fields.String(load_default=None, allow_none=True, validate=TEXT)
    notes = ma.fields.String(load_default=None, allow_none=True, validate=LONG_TEXT)
    progress = ma.fields.List(ma.fields.Nested(ProgressSchema), load_default=list)


class ReviewOutSchema(ma.Schema):
    id = ma.fields.Integer()
    reviewed_on = Day()
    meeting_id = ma.fields.Integer(allow_none=True)
    attendees = ma.fields.String(allow_none=True)
    decision = ma.fields.String(attribute="decision.value")
    notes = ma.fields.String(allow_none=True)
    progress = ma.fields.List(ma.fields.Nested(ProgressOutSchema))
    recorded_by_id = ma.fields.Integer()
    recorded_at = Moment()


WITHHELD_FROM_IMPLICATED = (
    "Null for an agency the case implicates: it reads only the plan's kind, status and "
    "the actions it owns"
)
# What an agency the case implicates does not read of a plan (``plans_with_details``).
PLAN_DETAILS = (
    "person_id",
    "meeting_id",
    "initial_category",
    "category",
    "started_on",
    "next_review_due",
    "last_reviewed_on",
    "review_overdue",
    "previous_plans",
    "ended_on",
    "end_reason",
)


class PlanSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String()
    status = ma.fields.String()
    person_id = ma.fields.Integer(
        allow_none=True, metadata={"description": WITHHELD_FROM_IMPLICATED}
    )
    concern_id = ma.fields.Integer()
    meeting_id = ma.fields.Integer(allow_none=True)
    initial_category = ma.fields.String(allow_none=True)
    category = ma.fields.String(allow_none=True)
    category_history = ma.fields.List(ma.fields.Nested(CategoryChangeSchema))
    started_on = Day(allow_none=True, metadata={"description": WITHHELD_FROM_IMPLICATED})
    next_review_due = Day(allow_none=True)
    last_reviewed_on = Day(allow_none=True)
    review_overdue = ma.fields.Boolean(allow_none=True)
    needs_attention = ma.fields.List(
        ma.fields.String(), metadata={"description": "why the plan is on the oversight list"}
    )
    previous_plans = ma.fields.Integer(
        allow_none=True, metadata={"description": "plans the person had before this one"}
    )
    ended_on = Day(allow_none=True)
    end_reason = ma.fields.String(allow_none=True)
    actions = ma.fields.List(
        ma.fields.Nested(PlanActionSchema),
        metadata={"description": "agency practitioners see their own agency's only"},
    )
    reviews = ma.fields.List(ma.fields.Nested(ReviewOutSchema))

    @ma.pre_dump
    def describe(self, plan: Plan, **_: Any) -> dict[str, Any]:
        """The plan as its reader sees it: its attention flags today, and only the
        actions the reader may see."""
        attention = operations.attention(plan, operations.today())
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
            "reviews": visible_reviews(current_user, plan),
        } | self.withheld(plan)

    @staticmethod
    def withheld(plan: Plan) -> dict[str, Any]:
        """What the reader may not read of the plan, emptied: its category history but
        for the team; everything but its kind, status and the reader's own actions for
        an agency the case implicates."""
        hidden: dict[str, Any] = {}
        if not is_case_team(current_user):
            hidden["category_history"] = []
        if plan.id not in plans_with_details(current_user, [plan]):
            hidden |= dict.fromkeys(PLAN_DETAILS) | {"needs_attention": []}
        return hidden


PlanPageSchema = page_schema(PlanSchema)


class PlanCreateSchema(ma.Schema):
    concern_id = id_field(required=True)
    kind = ma.fields.String(load_default=None, allow_none=True, validate=codes(PlanKind))
    meeting_id = id_field(load_default=None, allow_none=True)
    category = ma.fields.String(load_default=None, allow_none=True, validate=codes(PlanCategory))
    started_on = Day(load_default=None, allow_none=True)


class PlanUpdateSchema(ma.Schema):
    """Change a child protection plan's category; the earlier one stays in the history."""

    category = ma.fields.String(required=True, validate=codes(PlanCategory))
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    changed_on = Day(load_default=None, allow_none=True)


class PlanEndSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=2000))
    ended_on = Day(required=True)


class PlanListArgs(PageArgs):
    status = ma.fields.String(validate=codes(PlanStatus))
    kind = ma.fields.String(validate=codes(PlanKind))
    category = ma.fields.String(validate=codes(PlanCategory))
    concern_id = query_id_field()
    person_id = query_id_field()
    review_overdue = ma.fields.Boolean(
        metadata={"description": "open plans whose review date has passed"}
    )
    needs_attention = ma.fields.Boolean(
        metadata={
            "description": "open plans with a review overdue, or open over 6 months "
            "without a review in the last 6 months"
        }
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
