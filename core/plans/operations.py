"""Starting, changing, reviewing and ending protection plans, and their actions.

Every change is refused as a whole with every problem listed (``ValidationFailed``),
goes on the case timeline and into the access log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from core.accesslog import operations as access_log
from core.auth.models import Agency, User
from core.clocks import ClockStatus, add_months, to_local
from core.concerns.models import Concern, ConcernStatus, InvolvementReason
from core.concerns.operations import add_event, ensure_involved
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.meetings.clocks import Clock
from core.meetings.models import DecisionKind, Meeting, MeetingStatus, PlanCategory
from core.plans.models import (
    ActionProgress,
    Plan,
    PlanAction,
    PlanActionStatus,
    PlanCategoryChange,
    PlanKind,
    PlanReview,
    PlanStatus,
    ReviewDecision,
)
from core.platform import current_platform
from plugins.types import ReviewedPlan

# Working Together 2023: the first review conference within 3 months of the initial
# conference, then at most every 6 months.
CHILD_FIRST_REVIEW_MONTHS = 3
CHILD_LATER_REVIEW_MONTHS = 6
# A child in need plan: Working Together 2023 (chapter 2, "child in need plans") asks for
# regular reviews and sets no interval; this is the local default.
CIN_REVIEW_MONTHS = 3
# open this long without a review, a plan is listed for the safeguarding team
UNREVIEWED_MONTHS = 6
STARTING_CONFERENCES = {
    PlanKind.CHILD: "initial_child_protection_conference",
    PlanKind.ADULT: "adult_protection_conference",
}
STARTING_DECISIONS = {
    PlanKind.CHILD: DecisionKind.CHILD_PROTECTION_PLAN,
    PlanKind.ADULT: DecisionKind.PROTECTION_PLAN,
}
REVIEW_CONFERENCE = "review_child_protection_conference"


def today() -> date:
    return to_local(utcnow()).date()


def adult_review_months() -> int:
    return int(current_app.config.get("ADULT_PLAN_REVIEW_MONTHS", 6))


def _review_months(kind: PlanKind, first: bool) -> int:
    if kind == PlanKind.CHILD:
        return CHILD_FIRST_REVIEW_MONTHS if first else CHILD_LATER_REVIEW_MONTHS
    if kind == PlanKind.CHILD_IN_NEED:
        return CIN_REVIEW_MONTHS
    return adult_review_months()


def first_review_due(kind: PlanKind, started_on: date) -> date:
    return add_months(started_on, _review_months(kind, first=True))


def next_review_after(kind: PlanKind, reviewed_on: date) -> date:
    return add_months(reviewed_on, _review_months(kind, first=False))


def _label(plan: Plan) -> str:
    if plan.kind == PlanKind.CHILD and plan.category is not None:
        return f"{plan.kind.label} ({plan.category.label.lower()})"
    return plan.kind.label


def _category(
    raw: Any, errors: dict[str, list[str]], field: str = "category"
) -> PlanCategory | None:
    """The category chosen, or None with the message in ``errors`` (which stop the
    change before the None is used)."""
    try:
        return PlanCategory(raw)
    except ValueError:
        errors[field] = [
            "Choose the category: " + ", ".join(f"{c.value} ({c.label})" for c in PlanCategory)
        ]
        return None


def _text(values: dict[str, Any], name: str) -> str:
    return str(values.get(name) or "").strip()


def _date(
    values: dict[str, Any], name: str, errors: dict[str, list[str]], label: str
) -> date | None:
    raw = values.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        errors[name] = [f"Enter {label} as a real date"]
        return None


# --- Starting ----------------------------------------------------------------------------


def open_plan_of(person_id: int, kind: PlanKind) -> Plan | None:
    return db.session.scalar(
        sa.select(Plan).where(
            Plan.person_id == person_id, Plan.kind == kind, Plan.status == PlanStatus.OPEN
        )
    )


def previous_plans(plan: Plan) -> int:
    """How many plans the person had before this one (any kind, ended)."""
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Plan)
            .where(
                Plan.person_id == plan.person_id,
                Plan.id != plan.id,
                Plan.started_on <= plan.started_on,
                Plan.status == PlanStatus.ENDED,
            )
        )
        or 0
    )


def start_plan(values: dict[str, Any], user: User) -> Plan:
    """Start a plan for the person of ``concern_id``. Child protection plans start from
    the initial conference that decided on one (``meeting_id``); adults' plans from an
    adult protection conference or directly."""
    errors: dict[str, list[str]] = {}
    concern = db.session.get(Concern, values.get("concern_id") or 0)
    if concern is None or concern.deleted_at is not None:
        raise ValidationFailed.single("concern_id", "Select the concern the plan is for")
    if concern.status == ConcernStatus.CLOSED:
        errors["concern_id"] = ["A plan cannot start on a closed concern: reopen it first"]
    kind = PlanKind.CHILD if concern.is_child else PlanKind.ADULT
    requested = values.get("kind")
    if concern.is_child and requested == PlanKind.CHILD_IN_NEED.value:
        kind = PlanKind.CHILD_IN_NEED
        if open_plan_of(concern.person_id, PlanKind.CHILD) is not None:
            # CIN census rules 4001, 4016 and 4017: never both at once
            errors["kind"] = [
                "The child has an open child protection plan: a child in need plan follows "
                "it when it ends"
            ]
    elif requested and requested != kind.value:
        who = "a child" if concern.is_child else "an adult"
        errors["kind"] = [f"{concern.reference} is about {who}: the plan is a {kind.label.lower()}"]
    meeting: Meeting | None = None
    meeting_id = values.get("meeting_id")
    if meeting_id and kind == PlanKind.CHILD_IN_NEED:
        errors["meeting_id"] = ["A child in need plan does not start from a conference"]
    elif meeting_id:
        meeting = db.session.get(Meeting, meeting_id)
        problem = _starting_meeting_problem(meeting, concern, kind)
        if problem:
            errors["meeting_id"] = [problem]
    elif kind == PlanKind.CHILD:
        errors["meeting_id"] = [
            "A child protection plan starts from the initial child protection conference "
            "that decided on it: select the conference"
        ]
    category = None
    if kind == PlanKind.CHILD:
        category = _category(values.get("category"), errors)
    elif values.get("category"):
        errors["category"] = ["Only child protection plans have a category"]
    started_on = _date(values, "started_on", errors, "the start date")
    if meeting is not None and meeting.held_at is not None and "meeting_id" not in errors:
        started_on = started_on or to_local(meeting.held_at).date()
    started_on = started_on or today()
    if started_on > today():
        errors["started_on"] = ["The start date must not be in the future"]
    elif started_on < to_local(concern.received_at).date():
        errors["started_on"] = ["A plan cannot start before the concern was received"]
    if open_plan_of(concern.person_id, kind) is not None:
        errors["concern_id"] = [f"This person already has an open {kind.label.lower()}"]
    in_need = open_plan_of(concern.person_id, PlanKind.CHILD_IN_NEED)
    if kind == PlanKind.CHILD and in_need is not None and started_on < in_need.started_on:
        errors["started_on"] = ["The child in need plan open for the child started later"]
    if errors:
        raise ValidationFailed(errors)
    if kind == PlanKind.CHILD and in_need is not None:
        # the child protection plan replaces the child in need plan (census rule 4001)
        _end(in_need, started_on, "Replaced by a child protection plan", user)
    plan = Plan(
        kind=kind,
        person_id=concern.person_id,
        concern_id=concern.id,
        meeting_id=meeting.id if meeting else None,
        initial_category=category,
        category=category,
        started_on=started_on,
        next_review_due=first_review_due(kind, started_on),
        created_by_id=user.id,
    )
    db.session.add(plan)
    db.session.flush()
    add_event(concern, user, "plan.started", f"{_label(plan)} started on {_day(started_on)}")
    access_log.record("plan.start", object_type="plan", object_id=plan.id)
    return plan


def _starting_meeting_problem(meeting: Meeting | None, concern: Concern, kind: PlanKind) -> str:
    expected = STARTING_CONFERENCES[kind]
    if meeting is None or meeting.type != expected or concern not in meeting.concerns:
        return (
            f"Select a held {expected.replace('_', ' ')} of {concern.reference} "
            "that decided on a plan"
        )
    if meeting.status != MeetingStatus.HELD:
        return "The conference has not been recorded as held yet"
    if STARTING_DECISIONS[kind] not in {d.kind for d in meeting.decisions}:
        return f"The conference did not decide on a {kind.label.lower()}"
    return ""


def start_from_conference(meeting: Meeting, user: User) -> list[Plan]:
    """Called when a conference is recorded: its plan decision starts the plan for each
    of its concerns whose person has no open plan of that kind yet."""
    started = []
    for kind, conference in STARTING_CONFERENCES.items():
        if meeting.type != conference:
            continue
        decisions = [d for d in meeting.decisions if d.kind == STARTING_DECISIONS[kind]]
        if not decisions:
            continue
        for concern in meeting.concerns:
            if open_plan_of(concern.person_id, kind) is not None:
                continue
            started.append(
                start_plan(
                    {
                        "concern_id": concern.id,
                        "meeting_id": meeting.id,
                        "category": decisions[0].plan_category.value
                        if decisions[0].plan_category
                        else None,
                    },
                    user,
                )
            )
    return started


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _require_open(plan: Plan) -> None:
    if plan.status != PlanStatus.OPEN:
        raise ValidationFailed.single("status", f"This plan ended on {_day(plan.ended_on)}")  # type: ignore[arg-type]


# --- Category ------------------------------------------------------------------------------


def change_category(plan: Plan, values: dict[str, Any], user: User) -> Plan:
    _require_open(plan)
    errors: dict[str, list[str]] = {}
    if plan.kind != PlanKind.CHILD:
        raise ValidationFailed.single("category", "Only child protection plans have a category")
    new = _category(values.get("category"), errors)
    if "category" not in errors and new == plan.category:
        errors["category"] = [f"The plan's category is already {new.label.lower()}"]
    reason = _text(values, "reason")
    if not reason:
        errors["reason"] = ["Say why the category changes"]
    changed_on = _date(values, "changed_on", errors, "the date of the change") or today()
    if changed_on > today() or changed_on < plan.started_on:
        errors["changed_on"] = ["The change must be between the plan's start and today"]
    if errors:
        raise ValidationFailed(errors)
    assert plan.category is not None
    plan.category_changes.append(
        PlanCategoryChange(
            from_category=plan.category,
            to_category=new,
            changed_on=changed_on,
            reason=reason,
            changed_by_id=user.id,
        )
    )
    add_event(
        plan.concern,
        user,
        "plan.category",
        f"Child protection plan category changed from {plan.category.label.lower()} "
        f"to {new.label.lower()}: {reason}",
    )
    plan.category = new
    access_log.record("plan.category", object_type="plan", object_id=plan.id)
    return plan


# --- Actions -------------------------------------------------------------------------------


def add_action(plan: Plan, values: dict[str, Any], user: User) -> PlanAction:
    _require_open(plan)
    errors: dict[str, list[str]] = {}
    description = _text(values, "description")
    if not description:
        errors["description"] = ["Describe the action"]
    elif len(description) > 2000:
        errors["description"] = ["Keep the action to 2,000 characters"]
    agency = db.session.get(Agency, values.get("owner_agency_id") or 0)
    if agency is None or not agency.active:
        errors["owner_agency_id"] = ["Select the agency that owns the action"]
    owner_name = _text(values, "owner_name")[:200] or None
    due_on = _date(values, "due_on", errors, "the due date")
    if due_on is None and "due_on" not in errors:
        errors["due_on"] = ["Enter the date the action is due"]
    elif due_on is not None and due_on < plan.started_on:
        errors["due_on"] = ["The due date must not be before the plan started"]
    if errors:
        raise ValidationFailed(errors)
    assert agency is not None and due_on is not None
    action = PlanAction(
        description=description,
        owner_agency_id=agency.id,
        owner_name=owner_name,
        due_on=due_on,
        updated_by_id=user.id,
    )
    plan.actions.append(action)
    db.session.flush()
    # owning an action in the plan involves the agency in the case (the involvement rule)
    # no note: its reason reads "Owns an action in the plan", and the action's wording is
    # for its owner and the team only (need to know), never on the list of agencies
    ensure_involved(plan.concern, agency.id, InvolvementReason.ACTION_OWNER, "", user)
    add_event(
        plan.concern,
        user,
        "plan.action",
        # not its wording, which is for its owner and the team (need to know)
        f"Plan action for {agency.name}, due {_day(due_on)}",
    )
    access_log.record("plan.action.add", object_type="plan", object_id=plan.id)
    return action


def update_action(action: PlanAction, values: dict[str, Any], user: User) -> PlanAction:
    """Set an action's status (the owning agency or the safeguarding team); "not done"
    needs a reason."""
    _require_open(action.plan)
    errors: dict[str, list[str]] = {}
    try:
        status = PlanActionStatus(values.get("status"))
    except ValueError:
        raise ValidationFailed.single(
            "status",
            "Choose the status: " + ", ".join(s.value for s in PlanActionStatus),
        ) from None
    reason = _text(values, "not_done_reason")
    if status == PlanActionStatus.NOT_DONE and not reason:
        errors["not_done_reason"] = ["Say why the action was not done"]
    if errors:
        raise ValidationFailed(errors)
    before = action.status
    action.status = status
    action.not_done_reason = reason or None if status == PlanActionStatus.NOT_DONE else None
    action.updated_at = utcnow()
    action.updated_by_id = user.id
    if before != status:
        add_event(
            action.plan.concern,
            user,
            "plan.action.status",
            f"Plan action of {action.owner_agency.name} is now {status.label.lower()}"
            + (f": {reason}" if status == PlanActionStatus.NOT_DONE else ""),
        )
    access_log.record("plan.action.update", object_type="plan", object_id=action.plan_id)
    return action


# --- Reviews -------------------------------------------------------------------------------


def record_review(plan: Plan, values: dict[str, Any], user: User) -> PlanReview:
    """A review: who took part, progress on each action, and the decision. Ending the
    plan at a review needs the reason."""
    _require_open(plan)
    errors: dict[str, list[str]] = {}
    meeting: Meeting | None = None
    reviewed_on = _date(values, "reviewed_on", errors, "the review date")
    if plan.kind == PlanKind.CHILD:
        meeting = db.session.get(Meeting, values.get("meeting_id") or 0)
        if (
            meeting is None
            or meeting.type != REVIEW_CONFERENCE
            or plan.concern not in meeting.concerns
            or meeting.status != MeetingStatus.HELD
        ):
            errors["meeting_id"] = [
                "A child protection plan is reviewed at a review child protection "
                f"conference: select a held one of {plan.concern.reference}"
            ]
        elif meeting.held_at is not None:
            reviewed_on = to_local(meeting.held_at).date()
    attendees = _text(values, "attendees") or None
    if plan.kind in (PlanKind.ADULT, PlanKind.CHILD_IN_NEED) and not attendees:
        errors["attendees"] = ["List who took part in the review"]
    if reviewed_on is None and "reviewed_on" not in errors and "meeting_id" not in errors:
        errors["reviewed_on"] = ["Enter the date of the review"]
    elif reviewed_on is not None and not (plan.started_on <= reviewed_on <= today()):
        errors["reviewed_on"] = ["The review date must be between the plan's start and today"]
    try:
        decision = ReviewDecision(values.get("decision"))
    except ValueError:
        errors["decision"] = ["Choose the decision: continue, amend or end the plan"]
        decision = ReviewDecision.CONTINUE
    end_reason = _text(values, "end_reason")
    if decision == ReviewDecision.END and not end_reason:
        errors["end_reason"] = ["Say why the plan ends"]
    progress = _clean_progress(plan, values.get("progress") or [], errors)
    if errors:
        raise ValidationFailed(errors)
    assert reviewed_on is not None
    review = PlanReview(
        reviewed_on=reviewed_on,
        meeting_id=meeting.id if meeting else None,
        attendees=attendees,
        decision=decision,
        notes=_text(values, "notes") or None,
        recorded_by_id=user.id,
        progress=progress,
    )
    plan.reviews.append(review)
    for row in progress:
        row.action.status = row.status
        row.action.updated_at = utcnow()
        row.action.updated_by_id = user.id
    plan.last_reviewed_on = max(reviewed_on, plan.last_reviewed_on or reviewed_on)
    plan.next_review_due = next_review_after(plan.kind, plan.last_reviewed_on)
    add_event(
        plan.concern,
        user,
        "plan.reviewed",
        f"{_label(plan)} reviewed on {_day(reviewed_on)}: {decision.label.lower()}",
    )
    if decision == ReviewDecision.END:
        _end(plan, reviewed_on, end_reason, user)
    db.session.flush()
    access_log.record("plan.review", object_type="plan", object_id=plan.id)
    current_platform().hook.plan_reviewed(
        plan=ReviewedPlan(
            id=plan.id,
            kind=plan.kind.value,
            concern_id=plan.concern_id,
            reviewed_on=reviewed_on,
            decision=decision.value,
            next_review_due=plan.next_review_due,
        )
    )
    return review


def _clean_progress(
    plan: Plan, rows: list[dict[str, Any]], errors: dict[str, list[str]]
) -> list[ActionProgress]:
    by_id = {a.id: a for a in plan.actions}
    result = []
    for row in rows:
        action = by_id.get(row.get("action_id") or 0)
        if action is None:
            errors.setdefault("progress", []).append(
                f"Action {row.get('action_id')} is not one of this plan's"
            )
            continue
        try:
            status = PlanActionStatus(row.get("status"))
        except ValueError:
            errors.setdefault("progress", []).append(
                f"Choose the status of the action for {action.owner_agency.name}"
            )
            continue
        note = str(row.get("note") or "").strip() or None
        result.append(ActionProgress(action=action, status=status, note=note))
    return result


# --- Ending --------------------------------------------------------------------------------


def end_plan(plan: Plan, values: dict[str, Any], user: User) -> Plan:
    _require_open(plan)
    errors: dict[str, list[str]] = {}
    reason = _text(values, "reason")
    if not reason:
        errors["reason"] = ["Say why the plan ends"]
    ended_on = _date(values, "ended_on", errors, "the end date")
    if ended_on is None and "ended_on" not in errors:
        errors["ended_on"] = ["Enter the date the plan ends"]
    elif ended_on is not None and not (plan.started_on <= ended_on <= today()):
        errors["ended_on"] = ["The end date must be between the plan's start and today"]
    if errors:
        raise ValidationFailed(errors)
    assert ended_on is not None
    _end(plan, ended_on, reason, user)
    return plan


def _end(plan: Plan, ended_on: date, reason: str, user: User) -> None:
    plan.status = PlanStatus.ENDED
    plan.ended_on = ended_on
    plan.end_reason = reason
    plan.next_review_due = None
    add_event(
        plan.concern, user, "plan.ended", f"{_label(plan)} ended on {_day(ended_on)}: {reason}"
    )
    access_log.record("plan.end", object_type="plan", object_id=plan.id)


# --- Oversight -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attention:
    review_overdue: bool
    unreviewed: bool

    @property
    def reasons(self) -> list[str]:
        result = []
        if self.review_overdue:
            result.append("Review overdue")
        if self.unreviewed:
            result.append(f"Open over {UNREVIEWED_MONTHS} months without a review")
        return result


def unreviewed_since(day: date) -> date:
    return add_months(day, -UNREVIEWED_MONTHS)


def review_overdue_clause(day: date) -> sa.ColumnElement[bool]:
    return sa.and_(Plan.status == PlanStatus.OPEN, Plan.next_review_due < day)


def unreviewed_clause(day: date) -> sa.ColumnElement[bool]:
    """Open more than six months with no review in the last six months."""
    cutoff = unreviewed_since(day)
    return sa.and_(
        Plan.status == PlanStatus.OPEN,
        Plan.started_on < cutoff,
        sa.or_(Plan.last_reviewed_on.is_(None), Plan.last_reviewed_on < cutoff),
    )


def attention(plan: Plan, day: date) -> Attention:
    cutoff = unreviewed_since(day)
    open_ = plan.status == PlanStatus.OPEN
    return Attention(
        review_overdue=open_ and plan.next_review_due is not None and plan.next_review_due < day,
        unreviewed=open_
        and plan.started_on < cutoff
        and (plan.last_reviewed_on is None or plan.last_reviewed_on < cutoff),
    )


def needs_attention_clause(day: date) -> sa.ColumnElement[bool]:
    return sa.or_(review_overdue_clause(day), unreviewed_clause(day))


def plans_of(concern: Concern) -> list[Plan]:
    return list(
        db.session.scalars(
            sa.select(Plan).where(Plan.concern_id == concern.id).order_by(Plan.started_on, Plan.id)
        )
    )


def review_clocks(plans: list[Plan], stopped_on: date | None = None) -> list[Clock]:
    """The review clock of each open plan, for the case page (stopped when the case
    closed)."""
    day = today()
    return [
        Clock(
            f"Review of the {plan.kind.label.lower()}",
            ClockStatus(due=plan.next_review_due, met_on=None, today=day, stopped_on=stopped_on),
        )
        for plan in plans
        if plan.status == PlanStatus.OPEN and plan.next_review_due is not None
    ]


def filtered(query: sa.Select[Any], args: dict[str, Any], today: date) -> sa.Select[Any]:
    """The plans list's filters (``PlanListArgs``), the oldest review date first, with
    what each row shows loaded for the whole page."""
    for name in ("status", "kind", "category", "concern_id", "person_id"):
        if name in args:
            query = query.where(getattr(Plan, name) == args[name])
    for name, clause in (
        ("review_overdue", review_overdue_clause(today)),
        ("needs_attention", needs_attention_clause(today)),
    ):
        if name in args:
            query = query.where(clause if args[name] else ~clause)
    return query.order_by(Plan.next_review_due.is_(None), Plan.next_review_due, Plan.id).options(
        selectinload(Plan.actions).selectinload(PlanAction.owner_agency),
        selectinload(Plan.reviews).selectinload(PlanReview.progress),
        selectinload(Plan.category_changes),
    )
