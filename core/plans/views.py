"""Plan pages for the safeguarding team, and the agency portal's plan actions."""

from __future__ import annotations

from datetime import date

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import selectinload

from core.concerns.models import Concern
from core.downloads import csv_download
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import form_page, form_values, query_args, with_days
from core.pagination import paginate
from core.pipeline import logged, record
from core.plans import forms, operations, report
from core.plans.models import Plan, PlanAction, PlanActionStatus, PlanKind, PlanStatus
from core.plans.schemas import ReportArgs
from core.policy.cases import is_case_team
from core.policy.meetings import own_open_meeting_actions
from core.policy.plans import (
    own_open_actions,
    plans_with_details,
    visible_actions,
    visible_plans,
)
from core.policy.routes import requires

FILTERS = {"status": PlanStatus, "kind": PlanKind}
ATTENTION = ("attention", "yes")  # the API's needs_attention


# --- Lists ---------------------------------------------------------------------------------


@requires("plans.view")
@logged("plan.list", object_type="plan")
def index() -> ResponseReturnValue:
    today = operations.today()
    selected = {
        name: value
        for name, value in request.args.items()
        if value in {m.value for m in FILTERS.get(name, ())} or (name, value) == ATTENTION
    }
    chosen = selected | ({"needs_attention": True} if "attention" in selected else {})
    query = operations.filtered(visible_plans(current_user), chosen, today)
    page = paginate(query.options(selectinload(Plan.person), selectinload(Plan.concern)))
    return render_template(
        "plans/index.html",
        page=page,
        selected=selected,
        attention={p.id: operations.attention(p, today) for p in page.items},
        details=plans_with_details(current_user, page.items),
        kinds=PlanKind,
        statuses=PlanStatus,
    )


@requires("plans.manage")
def attention() -> ResponseReturnValue:
    """Plans with a review overdue, and plans open over six months without a review."""
    return redirect(url_for("plans.index", attention="yes", status="open"))


# --- Starting ------------------------------------------------------------------------------


@requires("plans.manage")
@record("concern")
def new(concern: Concern) -> ResponseReturnValue:
    form = forms.StartPlanForm(concern=concern, asked=request.args.get("kind"))
    created: list[Plan] = []
    return form_page(
        form,
        lambda: created.append(operations.start_plan(form.values(), current_user)),
        done=f"{form.kind.label} started.",
        to=lambda: url_for("plans.show", plan_id=created[0].id),
        template="plans/new.html",
        aliases={"concern_id": "meeting_id", "kind": "meeting_id"},
        concern=concern,
        kind=form.kind,
    )


# --- One plan ------------------------------------------------------------------------------


@requires("plans.view")
@logged("plan.view", object_type="plan", object_id="plan_id")
@record("plan")
def show(plan: Plan) -> ResponseReturnValue:
    today = operations.today()
    return render_template(
        "plans/show.html",
        plan=plan,
        actions=visible_actions(current_user, plan),
        team=is_case_team(current_user),
        details=plan.id in plans_with_details(current_user, [plan]),
        attention=operations.attention(plan, today),
        previous=operations.previous_plans(plan),
        today=today,
    )


@requires("plans.manage")
@record("plan")
def category(plan: Plan) -> ResponseReturnValue:
    form = forms.CategoryForm()
    return form_page(
        form,
        lambda: operations.change_category(plan, form_values(form), current_user),
        done="Category changed; the earlier one is kept in the history.",
        to=url_for("plans.show", plan_id=plan.id),
        template="plans/category.html",
        aliases={"status": "category"},
        plan=plan,
    )


@requires("plans.manage")
@record("plan")
def add_action(plan: Plan) -> ResponseReturnValue:
    form = forms.ActionForm(council_id=plan.concern.council_id)
    return form_page(
        form,
        lambda: operations.add_action(plan, form_values(form), current_user),
        done="Action added; the agency can see and update it.",
        to=url_for("plans.show", plan_id=plan.id),
        template="plans/action_new.html",
        aliases={"status": "description"},
        plan=plan,
    )


@requires("plans.view")
@logged("plan.view", object_type="plan", object_id="plan_id")
@record("plan")
@record("plan_action", "update", argument="chosen")
def action(plan: Plan, chosen: PlanAction) -> ResponseReturnValue:
    """The owning agency (from the portal) or the safeguarding team sets the status."""
    form = forms.ActionStatusForm(
        data=None
        if request.method == "POST"
        else {"status": chosen.status.value, "not_done_reason": chosen.not_done_reason}
    )
    return form_page(
        form,
        lambda: operations.update_action(chosen, form_values(form), current_user),
        done="Action updated.",
        to=url_for("plans.show", plan_id=plan.id)
        if is_case_team(current_user)
        else url_for("plans.portal_actions"),
        template="plans/action.html",
        plan=plan,
        action=chosen,
    )


@requires("plans.manage")
@record("plan")
def review(plan: Plan) -> ResponseReturnValue:
    form = forms.ReviewForm(plan=plan)
    return form_page(
        form,
        lambda: operations.record_review(plan, form.values(), current_user),
        done="Review recorded.",
        to=url_for("plans.show", plan_id=plan.id),
        template="plans/review.html",
        aliases={"status": "decision", "progress": "decision"},
        plan=plan,
        statuses=PlanActionStatus,
        child=form.child,
        has_conference=len(form.meeting_id.choices) > 1,
    )


@requires("plans.manage")
@record("plan")
def end(plan: Plan) -> ResponseReturnValue:
    form = forms.EndPlanForm()
    return form_page(
        form,
        lambda: operations.end_plan(plan, form_values(form), current_user),
        done="Plan ended.",
        to=url_for("plans.show", plan_id=plan.id),
        template="plans/end.html",
        aliases={"status": "reason"},
        plan=plan,
    )


# --- The agency portal ---------------------------------------------------------------------


@requires("plans.act")
@logged("plan.actions", object_type="plan")
def portal_actions() -> ResponseReturnValue:
    """Actions the user's agency owns in open plans of cases it is involved in, and the
    open actions it owns from meetings."""
    return render_template(
        "plans/portal_actions.html",
        actions=db.session.scalars(own_open_actions(current_user)).all(),
        meeting_actions=db.session.scalars(own_open_meeting_actions(current_user)).all(),
        today=operations.today(),
    )


# --- Report --------------------------------------------------------------------------------


def _period() -> tuple[date, date, list[dict[str, str]]]:
    """The period asked for, in GOV.UK date inputs or as ISO days (a link), and what is
    wrong with it, field by field, for the page's error summary (the default period is
    then shown)."""
    args, errors = query_args(ReportArgs(), with_days(request.args, "from", "to"))
    named = {"from_": "from"}
    problems = [
        {"text": f"{name.capitalize()} must be a real date, like 1 4 2026", "href": f"#{name}-day"}
        for name in (named.get(field, field) for field in errors)
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


@requires("plans.report")
@logged("plan.report", object_type="plan")
def report_page() -> ResponseReturnValue:
    start, finish, errors = _period()
    figures = report.plans_report(start, finish, current_user.council_id)
    page = render_template(
        "plans/report.html", figures=figures, start=start, finish=finish, errors=errors
    )
    return page, 400 if errors else 200


@requires("plans.report")
@logged("plan.report.export", object_type="plan")
def report_csv() -> ResponseReturnValue:
    start, finish, errors = _period()
    if errors:
        abort(400, description=" ".join(error["text"] for error in errors))
    figures = report.plans_report(start, finish, current_user.council_id)
    return csv_download(report.table_rows(figures), f"plans-{start}-{finish}.csv")
