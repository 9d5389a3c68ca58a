"""The complaints and compliments log's pages: the list, recording an entry, one entry
with its stage clock and what can be done next, and the report for a period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import marshmallow as ma
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.complaints import operations
from core.complaints.forms import EntryForm
from core.complaints.models import ComplaintEntry, EntryKind, StageOutcome
from core.complaints.schemas import (
    ComplaintAcknowledgeSchema,
    ComplaintAnswerSchema,
    ComplaintEscalateSchema,
    ComplaintExtendSchema,
    ComplaintListArgs,
    ComplaintOmbudsmanSchema,
    ComplaintReportArgs,
    default_period,
)
from core.concerns.models import Concern
from core.extensions import db
from core.forms import flashed, form_values, query_args, submitted, with_days
from core.pagination import paginate
from core.people.models import Person
from core.pipeline import logged, record
from core.policy.cases import visible_concerns
from core.policy.complaints import linkable_concerns, linkable_people, visible_complaints
from core.policy.councils import figures_council
from core.policy.routes import requires
from core.reference import COMPLAINT_TIMESCALES, OMBUDSMAN


@requires("complaints.view")
@logged("complaint.list", object_type="complaint")
def index() -> ResponseReturnValue:
    """The log, the latest received first, filtered by type, state, case or person."""
    args, problems = query_args(ComplaintListArgs(), request.args)
    errors = [{"text": "Choose a filter from the list", "href": f"#{name}"} for name in problems]
    query = operations.filtered(
        visible_complaints(current_user),
        args.get("kind", ""),
        args.get("state", ""),
        args.get("concern_id"),
        args.get("person_id"),
    )
    return render_template(
        "complaints/index.html",
        page=paginate(query),
        args=args,
        kinds=EntryKind,
        states=operations.LIST_STATES,
        errors=errors,
        concern_id=args.get("concern_id"),
        person_id=args.get("person_id"),
    ), (400 if errors else 200)


def _target() -> tuple[Concern | None, Person | None]:
    """The case or the person the link came from, if the user may record about it (one
    out of sight is treated as one that does not exist: the form asks for the case)."""
    concern_id = request.args.get("concern_id", type=int)
    person_id = request.args.get("person_id", type=int)
    concern = (
        db.session.scalar(linkable_concerns(current_user).where(Concern.id == concern_id))
        if concern_id
        else None
    )
    person = (
        db.session.scalar(linkable_people(current_user).where(Person.id == person_id))
        if person_id and concern is None
        else None
    )
    return concern, (concern.person if concern else person)


@requires("complaints.manage")
def new() -> ResponseReturnValue:
    """Record a complaint, compliment or comment about a case, or a person."""
    concern, person = _target()
    form = EntryForm()
    if concern is not None and not form.is_submitted():
        form.case_reference.data = concern.reference
    made: list[ComplaintEntry] = []

    def record_it() -> None:
        values: dict[str, Any] = form_values(form)
        values["person_id"] = person.id if person is not None and concern is None else None
        made.append(operations.record_entry(values, current_user))

    if submitted(form, record_it):
        flash(f"{made[0].kind.label} recorded.", "success")
        return redirect(url_for("complaints.show", entry_id=made[0].id))
    return render_template("complaints/new.html", form=form, concern=concern, person=person)


@requires("complaints.view")
@logged("complaint.view", object_type="complaint", object_id="entry_id")
@record("complaint")
def show(complaint: ComplaintEntry) -> ResponseReturnValue:
    """The entry, its stages with their clocks, and what can be done next."""
    today = operations.today()
    return render_template(
        "complaints/show.html",
        entry=complaint,
        today=today,
        steps=operations.next_steps(complaint, today),
        acknowledgement=operations.acknowledgement_clock(complaint, today),
        clocks={stage.number: operations.stage_clock(stage, today) for stage in complaint.stages},
        outcomes=StageOutcome,
        ombudsman=OMBUDSMAN,
        timescales=[t for t in COMPLAINT_TIMESCALES if t.procedure == complaint.procedure],
        stage_labels={
            int(t.step.removeprefix("stage_")): t.label
            for t in COMPLAINT_TIMESCALES
            if t.procedure == complaint.procedure and t.step.startswith("stage_")
        },
        case_link=complaint.concern_id is not None
        and db.session.scalar(
            visible_concerns(current_user).where(Concern.id == complaint.concern_id)
        )
        is not None,
    )


def _act(
    complaint: ComplaintEntry,
    schema: ma.Schema,
    days: tuple[str, ...],
    operation: Callable[[ComplaintEntry, dict[str, Any], Any], object],
    done: str,
) -> ResponseReturnValue:
    """A small form of the complaint's page: read as the API reads it, run, and back to the
    complaint with what was done or what is wrong (nothing saved)."""
    try:
        given = {k: v for k, v in with_days(request.form, *days).items() if v.strip()}
        values = schema.load(given, unknown=ma.EXCLUDE)
    except ma.ValidationError as error:
        names = ", ".join(str(name).replace("_", " ") for name in error.normalized_messages())  # type: ignore[no-untyped-call]
        flash(f"Enter a real date ({names}), like 30 11 2026.", "error")
    else:
        flashed(lambda: operation(complaint, values, current_user), done)
    return redirect(url_for("complaints.show", entry_id=complaint.id))


@requires("complaints.manage")
@record("complaint")
def acknowledge(complaint: ComplaintEntry) -> ResponseReturnValue:
    return _act(
        complaint,
        ComplaintAcknowledgeSchema(),
        ("acknowledged_on", "response_due_on"),
        operations.acknowledge,
        "Acknowledgement recorded.",
    )


@requires("complaints.manage")
@record("complaint")
def answer(complaint: ComplaintEntry) -> ResponseReturnValue:
    return _act(
        complaint,
        ComplaintAnswerSchema(),
        ("answered_on",),
        operations.answer,
        "Response recorded.",
    )


@requires("complaints.manage")
@record("complaint")
def extend(complaint: ComplaintEntry) -> ResponseReturnValue:
    return _act(complaint, ComplaintExtendSchema(), (), operations.extend, "Stage extended.")


@requires("complaints.manage")
@record("complaint")
def escalate(complaint: ComplaintEntry) -> ResponseReturnValue:
    return _act(
        complaint,
        ComplaintEscalateSchema(),
        ("requested_on",),
        operations.escalate,
        "Next stage started.",
    )


@requires("complaints.manage")
@record("complaint")
def ombudsman(complaint: ComplaintEntry) -> ResponseReturnValue:
    return _act(
        complaint,
        ComplaintOmbudsmanSchema(),
        ("referred_on",),
        operations.refer_to_ombudsman,
        f"Referral to the {OMBUDSMAN} recorded.",
    )


@requires("complaints.view")
@logged("complaint.report", object_type="return")
def report() -> ResponseReturnValue:
    """Counts for a period by type, stage, outcome and timeliness: figures only."""
    args, problems = query_args(ComplaintReportArgs(), with_days(request.args, "from", "to"))
    errors = [{"text": " ".join(texts), "href": f"#{name}-day"} for name, texts in problems.items()]
    start, end = default_period(operations.today())
    start: date = args.get("start") or start  # type: ignore[no-redef]
    end: date = args.get("end") or end  # type: ignore[no-redef]
    if start > end:
        start = end
    return render_template(
        "complaints/report.html",
        report=operations.report(start, end, figures_council(current_user)),
        errors=errors,
        outcomes=StageOutcome,
        kinds=EntryKind,
    ), (400 if errors else 200)
