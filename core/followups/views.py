"""Contact follow-up pages: the team's list, one follow-up with its call's outcome and
its letter, and the monthly figures (the board's too: figures only)."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.downloads import PDF, download
from core.followups import operations
from core.followups.forms import OutcomeForm
from core.followups.models import ContactFollowUp, FollowUpOutcome
from core.followups.pdf import letter_pdf
from core.forms import flashed, submitted
from core.pagination import paginate
from core.pipeline import logged, record
from core.policy.councils import figures_council
from core.policy.followups import visible_follow_ups
from core.policy.routes import requires, user_can


@requires("follow_ups.manage")
@logged("follow_up.list", object_type="follow_up")
def index() -> ResponseReturnValue:
    """The follow-ups to call, soonest due first (or those not due yet, or recorded)."""
    state = request.args.get("state", "")
    if state not in operations.LIST_STATES:
        state = ""
    query = operations.filtered(visible_follow_ups(current_user), state, operations.today())
    page = paginate(query)
    return render_template(
        "followups/index.html",
        page=page,
        state=state,
        states=operations.LIST_STATES,
        today=operations.today(),
        percent=operations.share(),
    )


@requires("follow_ups.manage")
@logged("follow_up.view", object_type="follow_up", object_id="follow_up_id")
@record("follow_up")
def show(follow_up: ContactFollowUp) -> ResponseReturnValue:
    """Who to call and how, and the form for what the call found (until it is recorded)."""
    form = OutcomeForm()

    def record() -> None:
        values = {"outcome": form.outcome.data, "note": form.note.data}
        operations.record_outcome(follow_up, values, current_user)

    if follow_up.is_recorded and form.is_submitted():
        flashed(record, "")  # refused: it is recorded once, and the page says so
        return redirect(url_for("follow_ups.show", follow_up_id=follow_up.id))
    if submitted(form, record):
        flash(f"Follow-up recorded: {follow_up.outcome.label}.", "success")  # type: ignore[union-attr]
        return redirect(url_for("follow_ups.show", follow_up_id=follow_up.id))
    return render_template(
        "followups/show.html",
        follow_up=follow_up,
        concern=follow_up.concern,
        form=form,
        today=operations.today(),
        new_referral=follow_up.outcome == FollowUpOutcome.NEW_REFERRAL
        and user_can(current_user, "concerns.record"),
    )


@requires("follow_ups.manage")
@logged("follow_up.letter", object_type="follow_up", object_id="follow_up_id")
@record("follow_up")
def letter(follow_up: ContactFollowUp) -> ResponseReturnValue:
    """The letter to whoever made contact, as a PDF to print and post."""
    return download(letter_pdf(follow_up), PDF, f"follow-up-{follow_up.concern.reference}.pdf")


def requested_month(errors: list[dict[str, str]]) -> date:
    """The month of ``month-month`` and ``month-year`` (this month when neither is given)."""
    this_month = operations.today().replace(day=1)
    raw_month = request.args.get("month-month", "").strip()
    raw_year = request.args.get("month-year", "").strip()
    if not raw_month and not raw_year:
        return this_month
    try:
        chosen = date(int(raw_year), int(raw_month), 1)
    except ValueError:
        errors.append({"text": "Enter a real month and year, like 11 2026", "href": "#month-month"})
        return this_month
    if not 2000 <= chosen.year <= 2100:
        errors.append({"text": "Enter a year from 2000 to 2100", "href": "#month-month"})
        return this_month
    return chosen


@requires("returns.view")
@logged("follow_up.report", object_type="return")
def report() -> ResponseReturnValue:
    """The follow-ups due in a month, counted by outcome and by the decision: figures only."""
    errors: list[dict[str, str]] = []
    month = requested_month(errors)
    return render_template(
        "followups/report.html",
        report=operations.monthly_report(month, figures_council(current_user)),
        errors=errors,
        outcomes=FollowUpOutcome,
        can_list=user_can(current_user, "follow_ups.manage"),
    ), (400 if errors else 200)
