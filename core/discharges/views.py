"""Pages of hospital discharges: the trust notifies one, the team follows each up, and
the monthly monitoring (linked from the returns index)."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.auth.models import Agency
from core.clocks import to_local
from core.db import utcnow, whole_number
from core.discharges import forms, operations
from core.discharges.models import HospitalDischarge
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import apply_errors, form_page, say_all
from core.pagination import paginate
from core.pipeline import logged, record
from core.policy.discharges import can_notify, reads_named_discharges
from core.policy.routes import requires

NOTIFY_ALIASES = {"discharged_at": "discharged_on", "agency": "given_name"}
FOLLOW_UP_ALIASES = {"followed_up_at": "followed_up_on"}


@requires("discharges.view")
@logged("discharge.list", object_type="discharge")
def index() -> ResponseReturnValue:
    waiting = request.args.get("waiting") == "true"
    page = paginate(operations.listed(current_user, waiting))
    return render_template(
        "discharges/index.html",
        page=page,
        waiting=waiting,
        team=reads_named_discharges(current_user),
        can_notify=can_notify(current_user),
    )


@requires("discharges.notify")
@record("discharge_notifier", "notify", argument="agency")
def new(agency: Agency) -> ResponseReturnValue:
    form = forms.NotifyForm()

    def notify() -> HospitalDischarge:
        return operations.notify(form.discharge_values(), form.person_values(), current_user)

    if form.is_submitted() and not form.validate():
        say_all(form, notify, NOTIFY_ALIASES)
    elif form.is_submitted():
        try:
            with db.session.begin_nested():
                discharge = notify()
        except ValidationFailed as failed:
            apply_errors(form, failed, NOTIFY_ALIASES)
        else:
            flash(
                "Discharge notified"
                + (": out of hours." if discharge.out_of_hours else ": in core hours."),
                "success",
            )
            return redirect(url_for("discharges.show", discharge_id=discharge.id))
    return render_template("discharges/new.html", form=form, agency=agency)


@requires("discharges.view")
@record("discharge")
@logged("discharge.view", object_type="discharge", object_id="discharge")
def show(discharge: HospitalDischarge) -> ResponseReturnValue:
    team = reads_named_discharges(current_user)
    return render_template(
        "discharges/show.html",
        discharge=discharge,
        team=team,
        duplicates=operations.possible_duplicates(discharge) if team else [],
    )


@requires("discharges.follow_up")
@record("discharge")
def follow_up(discharge: HospitalDischarge) -> ResponseReturnValue:
    data = {}
    if discharge.followed_up_at is not None:
        local = to_local(discharge.followed_up_at)
        data = {
            "followed_up_by": discharge.followed_up_by,
            "followed_up_on": local.date(),
            "followed_up_time": f"{local:%H:%M}",
            "follow_up_action": discharge.follow_up_action,
            "concern_raised": "yes" if discharge.concern_raised else "no",
            "concern_reference": discharge.concern.reference if discharge.concern else "",
        }
    form = forms.FollowUpForm(data=data if request.method == "GET" else None)
    return form_page(
        form,
        lambda: operations.follow_up(discharge, form.follow_up_values(), current_user),
        done="Follow-up saved.",
        to=url_for("discharges.show", discharge_id=discharge.id),
        template="discharges/follow_up.html",
        aliases=FOLLOW_UP_ALIASES,
        discharge=discharge,
    )


def chosen_month(errors: list[dict[str, str]]) -> date:
    """The month in the GOV.UK month and year inputs (``month-month``, ``month-year``),
    or ``month`` as ``2026-11``; this month when none is given."""
    this_month = to_local(utcnow()).date().replace(day=1)
    month = (request.args.get("month-month") or "").strip()
    year = (request.args.get("month-year") or "").strip()
    if not month and not year and request.args.get("month"):
        year, _, month = request.args["month"].strip().partition("-")
    if not month and not year:
        return this_month
    number, year_number = whole_number(month), whole_number(year)
    if number and year_number and 1 <= number <= 12 and 2000 <= year_number <= 2100:
        return date(year_number, number, 1)
    errors.append({"text": "Enter a real month and year, like 11 2026", "href": "#month-month"})
    return this_month


@requires("discharges.monitor")
@logged("discharge.monitoring", object_type="return")
def monitoring() -> ResponseReturnValue:
    errors: list[dict[str, str]] = []
    report = operations.monitoring(chosen_month(errors), current_user)
    return render_template("discharges/monitoring.html", report=report, errors=errors), (
        400 if errors else 200
    )
