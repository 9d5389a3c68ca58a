"""Plan pages for the safeguarding team, and the agency portal's plan actions."""

from __future__ import annotations

from datetime import date

from flask import abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import selectinload

from core.concerns.models import Concern
from core.downloads import csv_download
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import form_values, form_view, page_view, query_args, with_days
from core.pagination import paginate
from core.pipeline import logged, reads, record
from core.plans import forms, operations, report
from core.plans.models import Plan, PlanAction, PlanActionStatus, PlanKind, PlanStatus
from core.plans.schemas import ReportArgs
from core.policy.cases import is_case_team
from core.policy.meetings import own_open_meeting_actions
from core.policy.plans import own_open_actions, plans_with_details, visible_actions, visible_plans
from core.policy.routes import requires

FILTERS = {"status": PlanStatus, "kind": PlanKind}
ATTENTION = ("attention", "yes")  # the API's needs_attention


# --- Lists ---------------------------------------------------------------------------------


@logged("plan.list", object_type="plan")
@page_view("plans.view")
def index() -> dict[str, object]:
    today = operations.today()
    selected = {
        name: value
        for name, value in request.args.items()
        if value in {m.value for m in FILTERS.get(name, ())} or (name, value) == ATTENTION
    }
    chosen = selected | ({"needs_attention": True} if "attention" in selected else {})
    query = operations.filtered(visible_plans(current_user), chosen, today)
    page = paginate(query.options(selectinload(Plan.person), selectinload(Plan.concern)))
    return {
        "page": page,
        "selected": selected,
        "attention": {p.id: operations.attention(p, today) for p in page.items},
        "details": plans_with_details(current_user, page.items),
        "kinds": PlanKind,
        "statuses": PlanStatus,
    }


@requires("plans.manage")
def attention() -> ResponseReturnValue:
    """Plans with a review overdue, and plans open over six months without a review."""
    return redirect(url_for("plans.index", attention="yes", status="open"))


# --- Starting ------------------------------------------------------------------------------


@record("concern")
@form_view(
    "plans.manage",
    lambda concern: forms.StartPlanForm(concern=concern, asked=request.args.get("kind")),
    aliases={"concern_id": "meeting_id", "kind": "meeting_id"},
    context=lambda form, concern: {"kind": form.kind},
)
def new(form: forms.StartPlanForm, concern: Concern) -> tuple[str, str]:
    plan = operations.start_plan(form.values(), current_user)
    return f"{form.kind.label} started.", url_for("plans.show", plan_id=plan.id)


# --- One plan ------------------------------------------------------------------------------


@reads("plan.view", "plan")
@page_view("plans.view")
def show(plan: Plan) -> dict[str, object]:
    today = operations.today()
    return {
        "actions": visible_actions(current_user, plan),
        "team": is_case_team(current_user),
        "details": plan.id in plans_with_details(current_user, [plan]),
        "attention": operations.attention(plan, today),
        "previous": operations.previous_plans(plan),
        "today": today,
    }


@record("plan")
@form_view("plans.manage", forms.CategoryForm, aliases={"status": "category"})
def category(form: forms.CategoryForm, plan: Plan) -> str:
    operations.change_category(plan, form_values(form), current_user)
    return "Category changed; the earlier one is kept in the history."


@record("plan")
@form_view(
    "plans.manage", forms.ActionForm.of, "plans/action_new.html", aliases={"status": "description"}
)
def add_action(form: forms.ActionForm, plan: Plan) -> str:
    operations.add_action(plan, form_values(form), current_user)
    return "Action added; the agency can see and update it."


@reads("plan.view", "plan")
@record("plan_action", "update", argument="action")
@form_view(
    "plans.view",
    lambda plan, action: forms.ActionStatusForm(
        data=None
        if request.method == "POST"
        else {"status": action.status.value, "not_done_reason": action.not_done_reason}
    ),
    to=lambda plan: (
        url_for("plans.show", plan_id=plan.id)
        if is_case_team(current_user)
        else url_for("plans.portal_actions")
    ),
)
def action(form: forms.ActionStatusForm, plan: Plan, action: PlanAction) -> str:
    """The owning agency (from the portal) or the safeguarding team sets the status."""
    operations.update_action(action, form_values(form), current_user)
    return "Action updated."


@record("plan")
@form_view(
    "plans.manage",
    lambda plan: forms.ReviewForm(plan=plan),
    aliases={"status": "decision", "progress": "decision"},
    context=lambda form, plan: {
        "statuses": PlanActionStatus,
        "child": form.child,
        "has_conference": len(form.meeting_id.choices) > 1,
    },
)
def review(form: forms.ReviewForm, plan: Plan) -> str:
    operations.record_review(plan, form.values(), current_user)
    return "Review recorded."


@record("plan")
@form_view("plans.manage", forms.EndPlanForm, aliases={"status": "reason"})
def end(form: forms.EndPlanForm, plan: Plan) -> str:
    operations.end_plan(plan, form_values(form), current_user)
    return "Plan ended."


# --- The agency portal ---------------------------------------------------------------------


@logged("plan.actions", object_type="plan")
@page_view("plans.act")
def portal_actions() -> dict[str, object]:
    """Actions the user's agency owns in open plans of cases it is involved in, and the
    open actions it owns from meetings."""
    return {
        "actions": db.session.scalars(own_open_actions(current_user)).all(),
        "meeting_actions": db.session.scalars(own_open_meeting_actions(current_user)).all(),
        "today": operations.today(),
    }


# --- Report --------------------------------------------------------------------------------


def _period() -> tuple[date, date, list[dict[str, str]]]:
    """The period asked for, in GOV.UK date inputs or as ISO days (a link), and what is
    wrong with it, field by field, for the page's error summary (the default period is
    then shown)."""
    args, errors = query_args(ReportArgs(), with_days(request.args, "from", "to"))
    problems = [
        {"text": f"{name.capitalize()} must be a real date, like 1 4 2026", "href": f"#{name}-day"}
        for name in (field.removesuffix("_") for field in errors)  # from_: "from"
    ]
    if not problems:
        try:
            start, finish = report.period(args.get("from_"), args.get("to"), operations.today())
            return start, finish, []
        except ValidationFailed as failed:
            problems = [
                {"text": text, "href": f"#{field}-day"}
                for field, texts in failed.errors.items()
                for text in texts
            ]
    start, finish = report.period(None, None, operations.today())
    return start, finish, problems


@logged("plan.report", object_type="plan")
@page_view("plans.report", "plans/report.html")
def report_page() -> tuple[dict[str, object], int]:
    start, finish, errors = _period()
    figures = report.plans_report(start, finish, current_user.council_id)
    context = {"figures": figures, "start": start, "finish": finish, "errors": errors}
    return context, 400 if errors else 200


@requires("plans.report")
@logged("plan.report.export", object_type="plan")
def report_csv() -> ResponseReturnValue:
    start, finish, errors = _period()
    if errors:
        abort(400, description=" ".join(error["text"] for error in errors))
    figures = report.plans_report(start, finish, current_user.council_id)
    return csv_download(report.table_rows(figures), f"plans-{start}-{finish}.csv")
