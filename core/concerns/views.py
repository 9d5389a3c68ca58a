"""Concern pages: the list, recording a concern, the case page and screening."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.clocks import to_local
from core.concerns import assessments, forms, listing, operations
from core.concerns.casepage import case_page
from core.concerns.export import csv_rows
from core.concerns.models import (
    Assessment,
    Concern,
    Decision,
    Involvement,
    InvolvementLevel,
    SignOff,
    SignOffOutcome,
)
from core.concerns.needs import levels_of_need
from core.db import utcnow
from core.downloads import csv_download
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import (
    apply_errors,
    flashed,
    form_messages,
    form_page,
    form_values,
    say_all,
    submitted,
)
from core.pagination import paginate, paginate_rows
from core.people.models import Person
from core.pipeline import logged, record
from core.policy.people import visible_people
from core.policy.routes import requires, user_can
from core.users import seen_by as seen


def _case(concern: Concern) -> str:
    return url_for("concerns.show", concern_id=concern.id)


@requires("concerns.view")
@logged("concern.list", object_type="concern")
def index() -> ResponseReturnValue:
    filters, errors = listing.page_filters(request.args)
    page = None if errors else paginate(listing.listed(current_user, filters))
    return render_template(
        "concerns/index.html",
        page=page,
        values=request.args,
        filters=filters,
        errors=errors,
        sort=(filters.get("sort", "received"), filters.get("order", "desc")),
        kept=listing.kept_filters(request.args),
        today=to_local(utcnow()).date(),
        choices=listing.filter_choices(),
    ), 400 if errors else 200


@requires("concerns.record")
def new() -> ResponseReturnValue:
    team = user_can(current_user, "concerns.decide")
    form = forms.ConcernForm(referrer=None if team else current_user.agency)
    duplicates: list[Person] = []
    child = form.is_child.data == "child"
    aliases = {"received_at": "received_on"} | (
        {"types_of_risk": "child_categories"} if child else {}
    )
    if form.is_submitted() and not form.validate():
        say_all(  # every problem on the first submit, the cross-field ones included
            form,
            lambda: operations.intake(
                form.concern_values(),
                form_values(form, *form.PERSON),
                form.use_person_id.data,
                current_user,
            ),
            aliases,
        )
    elif form.is_submitted():
        values = form.concern_values()
        person_values = form_values(form, *form.PERSON)
        try:
            with db.session.begin_nested():
                concern, duplicates = operations.intake(
                    values, person_values, form.use_person_id.data, current_user
                )
            if concern is not None:
                flash(f"Concern {concern.reference} recorded.", "success")
                return redirect(_case(concern))
            form.offer_duplicates(duplicates)
        except ValidationFailed as failed:
            apply_errors(form, failed, aliases)
    elif team and (person := _person_asked_for()) is not None:
        # a new concern about someone known (a contact follow-up found one is needed)
        form.name_person(person)
        duplicates = [person]
    return render_template("concerns/new.html", form=form, duplicates=duplicates, team=team)


def _person_asked_for() -> Person | None:
    """The person ``?person_id=`` names, if the user may see their record."""
    raw = request.args.get("person_id", "")
    if not raw.isdigit() or int(raw) >= 2**31:
        return None
    return db.session.scalar(visible_people(current_user).where(Person.id == int(raw)))


@requires("concerns.view")
@logged("concern.view", object_type="concern", object_id="concern_id")
@record("concern")
def show(concern: Concern) -> ResponseReturnValue:
    note_form = forms.NoteForm(formdata=None) if user_can(current_user, "concerns.note") else None
    return render_template(
        "concerns/show.html",
        **case_page(concern, current_user),
        decision_form=forms.DecisionForm(concern=concern),
        involvement_form=forms.InvolvementForm(council_id=concern.council_id),
        remove_form=forms.RemoveInvolvementForm(),
        levels=InvolvementLevel,
        note_form=note_form,
    )


@requires("concerns.decide")
@record("concern")
def decide(concern: Concern) -> ResponseReturnValue:
    form = forms.DecisionForm(concern=concern)
    if submitted(
        form,
        lambda: operations.decide(
            concern, form.decision.data or "", form.reason.data or "", current_user
        ),
    ):
        waiting = (
            " It now needs a manager's sign-off." if concern.sign_off == SignOff.PENDING else ""
        )
        flash(f"Decision recorded: {Decision(form.decision.data).label}.{waiting}", "success")
        return redirect(_case(concern))
    needing = [d for d in form.allowed if operations.needs_sign_off(d, current_user)]
    return render_template(
        "concerns/decide.html", concern=concern, form=form, needing_sign_off=needing
    )


@requires("concerns.sign_off")
@logged("concern.view", object_type="concern", object_id="concern_id")
@record("concern")
def sign_off(concern: Concern) -> ResponseReturnValue:
    if concern.sign_off != SignOff.PENDING:
        flash("There is no screening decision awaiting sign-off on this concern.", "error")
        return redirect(_case(concern))
    form = forms.SignOffForm()
    done = "signed off" if form.outcome.data == SignOffOutcome.SIGNED_OFF else "sent back"
    return form_page(
        form,
        lambda: operations.review_decision(
            concern, form.outcome.data or "", form.reason.data or "", current_user
        ),
        done=f"Screening decision {done}.",
        to=_case(concern),
        template="concerns/sign_off.html",
        concern=concern,
    )


@requires("concerns.sign_off")
def sign_offs() -> ResponseReturnValue:
    """Decisions awaiting sign-off: the concerns list, so filters and sorting work too."""
    return redirect(url_for("concerns.index", sign_off="pending", sort="decision_due", order="asc"))


@requires("concerns.involve")
@record("concern")
def involve(concern: Concern) -> ResponseReturnValue:
    form = forms.InvolvementForm(council_id=concern.council_id)
    return form_page(
        form,
        lambda: operations.add_involvement(
            concern, form.agency_id.data, form.note.data or "", current_user
        ),
        done="Agency involved.",
        to=_case(concern),
        template="concerns/involve.html",
        concern=concern,
    )


@requires("concerns.involve")
@record("concern")
@record("involvement")
def remove_involvement(concern: Concern, involvement: Involvement) -> ResponseReturnValue:
    form = forms.RemoveInvolvementForm()
    if form.validate_on_submit():
        flashed(
            lambda: operations.remove_involvement(
                involvement, form.reason.data or "", current_user
            ),
            f"{involvement.agency.name} is no longer involved.",
        )
    else:
        flash(form_messages(form, "Say why this agency is no longer involved."), "error")
    return redirect(_case(concern))


@requires("concerns.involve")
@record("concern")
@record("involvement")
def involvement_level(concern: Concern, involvement: Involvement) -> ResponseReturnValue:
    """Change how much of the case an involved agency sees (from the case page)."""
    form = forms.InvolvementLevelForm()
    if form.validate_on_submit():
        flashed(
            lambda: operations.set_involvement_level(
                concern, involvement, form.level.data or "", form.reason.data or "", current_user
            ),
            f"{involvement.agency.name} now sees the case at the level chosen.",
        )
    else:
        flash(form_messages(form, "Check what you entered."), "error")
    return redirect(_case(concern) + "#people")


@requires("concerns.close")
@record("concern")
def close(concern: Concern) -> ResponseReturnValue:
    form = forms.ClosureForm()
    return form_page(
        form,
        lambda: operations.close(concern, form_values(form), current_user),
        done=f"Concern {concern.reference} closed.",
        to=_case(concern),
        template="concerns/close.html",
        aliases={"feedback": "feedback_person_on"},
        concern=concern,
    )


@requires("concerns.enquiry")
@logged("concern.enquiry_view", object_type="concern", object_id="concern_id")
@record("concern")
@record("enquiry", argument="_")
def enquiry(concern: Concern, _: Any) -> ResponseReturnValue:
    """The section 42 or other enquiry: changed while open, and concluded."""
    current = {k: v or "" for k, v in operations.enquiry_values(concern.enquiry).items()}
    form = forms.EnquiryForm(data=current)
    done = "concluded" if form.conclude.data else "saved"
    return form_page(
        form,
        lambda: operations.record_enquiry(concern, form.values(), current_user),
        done=f"{concern.enquiry.kind.label} {done}.",
        to=_case(concern),
        template="concerns/enquiry.html",
        aliases={"enquiry": "started_on"},
        concern=concern,
        enquiry=concern.enquiry,
    )


@requires("concerns.close")
@record("concern")
def reopen(concern: Concern) -> ResponseReturnValue:
    form = forms.ReopenForm()
    return form_page(
        form,
        lambda: operations.reopen(concern, form.reason.data or "", current_user),
        done=f"Concern {concern.reference} reopened.",
        to=_case(concern),
        template="concerns/reopen.html",
        concern=concern,
    )


@requires("clusters.view")
@logged("cluster.list", object_type="establishment")
def clusters() -> ResponseReturnValue:
    minimum, days = operations.cluster_settings()
    rows = operations.clusters(minimum, days)
    return render_template("concerns/clusters.html", rows=rows, minimum=minimum, days=days)


@requires("concerns.note")
@record("concern", "notes")
def add_note(concern: Concern) -> ResponseReturnValue:
    form = forms.NoteForm()
    if form.validate_on_submit():
        flashed(
            lambda: operations.add_note(concern, user=current_user, **form.values()),
            "Note added.",
        )
    else:
        flash(form_messages(form, "Write the note before adding it."), "error")
    return redirect(url_for("concerns.show", concern_id=concern.id) + "#notes")


@requires("concerns.delete")
@record("concern")
def delete(concern: Concern) -> ResponseReturnValue:
    form = forms.DeleteForm()
    return form_page(
        form,
        lambda: operations.delete(concern, form.reason.data or "", current_user),
        done=f"Concern {concern.reference} deleted. It is kept but hidden.",
        to=url_for("concerns.index"),
        template="concerns/delete.html",
        aliases={"legal_hold": "reason"},
        concern=concern,
    )


@requires("concerns.team")
@record("concern")
def team(concern: Concern) -> ResponseReturnValue:
    """Who holds the case, and the area it is in."""
    form = forms.TeamForm(concern=concern)
    return form_page(
        form,
        lambda: operations.set_team(concern, form_values(form), current_user),
        done="Saved: the team and area of the case.",
        to=url_for("concerns.show", concern_id=concern.id),
        template="concerns/team.html",
        concern=concern,
    )


@requires("concerns.hate_crime")
@record("concern")
def hate_crime(concern: Concern) -> ResponseReturnValue:
    form = forms.HateCrimeForm(
        data={
            "hate_crime": concern.hate_crime.value if concern.hate_crime else "",
            "hate_strands": [s.value for s in concern.hate_strand_codes],
        }
    )
    return form_page(
        form,
        lambda: operations.set_hate_crime(concern, form_values(form), current_user),
        done="Saved: whether it is a hate or mate crime.",
        to=url_for("concerns.show", concern_id=concern.id),
        template="concerns/hate_crime.html",
        concern=concern,
    )


@requires("concerns.level_of_need")
@record("child_case", argument="concern")
def level_of_need(concern: Concern) -> ResponseReturnValue:
    form = forms.LevelOfNeedForm(obj=concern)
    return form_page(
        form,
        lambda: operations.set_level_of_need(concern, form_values(form), current_user),
        done="Level of need saved.",
        to=_case(concern),
        template="concerns/level_of_need.html",
        concern=concern,
        levels=levels_of_need(),
    )


@requires("concerns.delete")
@record("concern")
def legal_hold(concern: Concern) -> ResponseReturnValue:
    form = forms.LegalHoldForm(data={"reason": concern.legal_hold_reason or ""})
    if form.validate_on_submit():
        reason = (form.reason.data or "").strip() or None
        operations.set_legal_hold(concern, reason, current_user)
        flash("Legal hold placed." if reason else "Legal hold lifted.", "success")
        return redirect(_case(concern))
    return render_template("concerns/legal_hold.html", concern=concern, form=form)


@requires("handover.accept")
@logged("handover.view", object_type="handover")
def handover() -> ResponseReturnValue:
    previous, concerns, events = operations.pending_handover()
    form = forms.AcceptHandoverForm()
    if form.validate_on_submit():
        accepted = operations.accept_handover(current_user)
        flash(
            f"Handover of {accepted.concern_count} concern(s) accepted by {current_user.name}.",
            "success",
        )
        return redirect(url_for("concerns.handover"))
    return render_template(
        "concerns/handover.html", previous=previous, concerns=concerns, events=events, form=form
    )


@requires("concerns.export")
@logged("concern.export", object_type="concern")
def export_csv() -> ResponseReturnValue:
    """Every concern the list's filters select, in the list's order, as CSV for the
    safeguarding team."""
    filters, errors = listing.page_filters(request.args)
    if errors:  # the list page shows what is wrong with them
        return redirect(url_for("concerns.index", **request.args))
    return csv_download(
        csv_rows(listing.listed(current_user, filters), current_user), "concerns.csv"
    )


@requires("concerns.assess")
@record("child_case", argument="concern")
def start_assessment(concern: Concern) -> ResponseReturnValue:
    form = forms.StartAssessmentForm()
    return form_page(
        form,
        lambda: assessments.start_assessment(concern, form_values(form), current_user),
        done="Assessment started.",
        to=_case(concern),
        template="concerns/assessment_start.html",
        aliases={"concern_id": "started_on"},
        concern=concern,
        due_on=assessments.assessment_due(concern),
    )


@requires("concerns.authorise_assessment")
@record("child_case", argument="concern")
@record("assessment")
def conclude_assessment(concern: Concern, assessment: Assessment) -> ResponseReturnValue:
    form = forms.ConcludeAssessmentForm()
    return form_page(
        form,
        lambda: assessments.conclude_assessment(assessment, form_values(form), current_user),
        done="Assessment concluded.",
        to=_case(concern),
        template="concerns/assessment_conclude.html",
        aliases={"concern_id": "authorised_on"},
        concern=concern,
        assessment=assessment,
    )


@requires("concerns.supervise")
@record("concern")
def supervise(concern: Concern) -> ResponseReturnValue:
    form = forms.SupervisionForm()
    return form_page(
        form,
        lambda: operations.record_supervision(concern, form_values(form), current_user),
        done="Management oversight recorded.",
        to=_case(concern),
        template="concerns/supervise.html",
        concern=concern,
    )


@requires("concerns.supervise")
@logged("concern.oversight_list", object_type="concern")
def oversight() -> ResponseReturnValue:
    weeks = int(current_app.config["OVERSIGHT_WEEKS"])
    page = paginate_rows(operations.without_oversight(weeks, current_user.council_id))
    return render_template(
        "concerns/oversight.html",
        page=page,
        weeks=weeks,
        newer=operations.awaiting_first_oversight(weeks),
    )


@requires("concerns.body_map")
@logged("concern.view", object_type="concern", object_id="concern_id")
@record("concern")
def body_map(concern: Concern) -> ResponseReturnValue:
    form = forms.BodyMapForm()
    if submitted(form, lambda: operations.add_body_map_mark(concern, form.values(), current_user)):
        flash("Injury added to the body map.", "success")
        return redirect(url_for("concerns.body_map", concern_id=concern.id))
    marks = operations.body_map_of(concern)
    return render_template("concerns/body_map.html", concern=concern, form=form, marks=marks)


@requires("concerns.seen_by")
@logged("concern.seen_by", object_type="concern", object_id="concern_id")
@record("concern")
def seen_by(concern: Concern) -> ResponseReturnValue:
    """Who has seen or changed the case and its person, from the access log."""
    page = paginate_rows(seen.entries_about(seen.case_records(concern)), per_page=50)
    rows = [seen.as_row(*row) for row in page.items]
    return render_template("concerns/seen_by.html", concern=concern, page=page, rows=rows)


@requires("concerns.seen_by")
@logged("concern.seen_by_export", object_type="concern", object_id="concern_id")
@record("concern")
def seen_by_csv(concern: Concern) -> ResponseReturnValue:
    entries = db.session.execute(seen.entries_about(seen.case_records(concern)))
    rows = [seen.COLUMNS, *(seen.as_row(*row) for row in entries)]
    return csv_download(rows, f"{concern.reference}-seen-by.csv")
