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
from core.db import record_id, utcnow
from core.downloads import csv_download
from core.extensions import db
from core.forms import button_form, form_values, form_view, page_view, submitted
from core.pagination import paginate, paginate_rows
from core.people.models import Person
from core.pipeline import logged, reads, record
from core.policy.people import visible_people
from core.policy.routes import requires, user_can
from core.users import seen_by as seen


@logged("concern.list", object_type="concern")
@page_view("concerns.view")
def index() -> tuple[dict[str, object], int]:
    filters, errors = listing.page_filters(request.args)
    page = None if errors else paginate(listing.listed(current_user, filters))
    return {
        "page": page,
        "values": request.args,
        "filters": filters,
        "errors": errors,
        "sort": (filters.get("sort", "received"), filters.get("order", "desc")),
        "kept": listing.kept_filters(request.args),
        "today": to_local(utcnow()).date(),
        "choices": listing.filter_choices(current_user, filters),
    }, 400 if errors else 200


@page_view("concerns.record")
def new() -> ResponseReturnValue:
    team = user_can(current_user, "concerns.decide")
    form = forms.ConcernForm(by=current_user, team=team)
    duplicates: list[Person] = []
    aliases = {"received_at": "received_on"}
    if form.is_child.data == "child":
        aliases["types_of_risk"] = "child_categories"
    made: list[tuple[Concern | None, list[Person]]] = []

    def intake() -> None:
        values, person = form.concern_values(), form_values(form, *form.PERSON)
        made.append(operations.intake(values, person, form.use_person_id.data, current_user))

    if submitted(form, intake, aliases):  # every problem on the first submit (core.forms)
        concern, duplicates = made[0]
        if concern is not None:
            flash(f"Concern {concern.reference} recorded.", "success")
            return redirect(url_for("concerns.show", concern_id=concern.id))
        form.offer_duplicates(duplicates)
    elif not form.is_submitted() and team and (person := _person_asked_for()) is not None:
        # a new concern about someone known (a contact follow-up found one is needed)
        form.name_person(person)
        duplicates = [person]
    return {"form": form, "duplicates": duplicates, "team": team}


def _person_asked_for() -> Person | None:
    """The person ``?person_id=`` names, if the user may see their record."""
    if not (wanted := record_id(request.args.get("person_id"))):
        return None
    return db.session.scalar(visible_people(current_user).where(Person.id == wanted))


@reads("concern.view", "concern")
@page_view("concerns.view")
def show(concern: Concern) -> dict[str, object]:
    note_form = forms.NoteForm.of(concern) if user_can(current_user, "concerns.note") else None
    return {
        **case_page(concern, current_user),
        "decision_form": forms.DecisionForm(concern=concern),
        "remove_form": forms.RemoveInvolvementForm(),
        "levels": InvolvementLevel,
        "note_form": note_form,
    }


@record("concern")
@form_view(
    "concerns.decide",
    lambda concern: forms.DecisionForm(concern=concern),
    context=lambda form, concern: {
        "needing_sign_off": [d for d in form.allowed if operations.needs_sign_off(d, current_user)]
    },
)
def decide(form: forms.DecisionForm, concern: Concern) -> str:
    operations.decide(concern, form.decision.data or "", form.reason.data or "", current_user)
    waiting = " It now needs a manager's sign-off." if concern.sign_off == SignOff.PENDING else ""
    return f"Decision recorded: {Decision(form.decision.data).label}.{waiting}"


@reads("concern.view", "concern")
@form_view(
    "concerns.sign_off",
    forms.SignOffForm,
    unless=lambda concern: (
        None
        if concern.sign_off == SignOff.PENDING
        else "There is no screening decision awaiting sign-off on this concern."
    ),
)
def sign_off(form: forms.SignOffForm, concern: Concern) -> str:
    outcome = form.outcome.data or ""
    operations.review_decision(concern, outcome, form.reason.data or "", current_user)
    done = "signed off" if outcome == SignOffOutcome.SIGNED_OFF else "sent back"
    return f"Screening decision {done}."


@requires("concerns.sign_off")
def sign_offs() -> ResponseReturnValue:
    """Decisions awaiting sign-off: the concerns list, so filters and sorting work too."""
    return redirect(url_for("concerns.index", sign_off="pending", sort="decision_due", order="asc"))


@record("concern")
@form_view("concerns.involve", lambda concern: forms.InvolvementForm(council_id=concern.council_id))
def involve(form: forms.InvolvementForm, concern: Concern) -> str:
    operations.add_involvement(concern, form.agency_id.data, form.note.data or "", current_user)
    return "Agency involved."


@record("concern")
@record("involvement")
@button_form(
    "concerns.involve",
    forms.RemoveInvolvementForm,
    refused="Say why this agency is no longer involved.",
)
def remove_involvement(
    form: forms.RemoveInvolvementForm, concern: Concern, involvement: Involvement
) -> str:
    operations.remove_involvement(involvement, form.reason.data or "", current_user)
    return f"{involvement.agency.name} is no longer involved."


@record("concern")
@record("involvement")
@button_form("concerns.involve", forms.InvolvementLevelForm, anchor="people")
def involvement_level(
    form: forms.InvolvementLevelForm, concern: Concern, involvement: Involvement
) -> str:
    """Change how much of the case an involved agency sees (from the case page)."""
    level, reason = form.level.data or "", form.reason.data or ""
    operations.set_involvement_level(concern, involvement, level, reason, current_user)
    return f"{involvement.agency.name} now sees the case at the level chosen."


@record("concern")
@form_view("concerns.close", forms.ClosureForm, aliases={"feedback": "feedback_person_on"})
def close(form: forms.ClosureForm, concern: Concern) -> str:
    operations.close(concern, form_values(form), current_user)
    return f"Concern {concern.reference} closed."


@reads("concern.enquiry_view", "concern")
@record("enquiry")
@form_view(
    "concerns.enquiry",
    lambda concern, enquiry: forms.EnquiryForm(
        data={k: v or "" for k, v in operations.enquiry_values(enquiry).items()}
    ),
    aliases={"enquiry": "started_on"},
)
def enquiry(form: forms.EnquiryForm, concern: Concern, enquiry: Any) -> str:
    """The section 42 or other enquiry: changed while open, and concluded."""
    operations.record_enquiry(concern, form.values(), current_user)
    return f"{enquiry.kind.label} {'concluded' if form.conclude.data else 'saved'}."


@record("concern")
@form_view("concerns.close", forms.ReopenForm)
def reopen(form: forms.ReopenForm, concern: Concern) -> str:
    operations.reopen(concern, form.reason.data or "", current_user)
    return f"Concern {concern.reference} reopened."


@logged("cluster.list", object_type="establishment")
@page_view("clusters.view")
def clusters() -> dict[str, object]:
    minimum, days = operations.cluster_settings()
    rows = operations.council_clusters(current_user)
    return {"rows": rows, "minimum": minimum, "days": days}


@record("concern", "notes")
@button_form(
    "concerns.note", forms.NoteForm.of, anchor="notes", refused="Write the note before adding it."
)
def add_note(form: forms.NoteForm, concern: Concern) -> str:
    operations.add_note(concern, user=current_user, **form.values())
    return "Note added."


@record("concern")
@form_view(
    "concerns.delete",
    forms.DeleteForm,
    to=lambda concern: url_for("concerns.index"),
    aliases={"legal_hold": "reason"},
)
def delete(form: forms.DeleteForm, concern: Concern) -> str:
    operations.delete(concern, form.reason.data or "", current_user)
    return f"Concern {concern.reference} deleted. It is kept but hidden."


@record("concern")
@form_view("concerns.team", lambda concern: forms.TeamForm(concern=concern))
def team(form: forms.TeamForm, concern: Concern) -> str:
    """Who holds the case, and the area it is in."""
    operations.set_team(concern, form_values(form), current_user)
    return "Saved: the team and area of the case."


@record("concern")
@form_view(
    "concerns.hate_crime",
    lambda concern: forms.HateCrimeForm(
        data={
            "hate_crime": concern.hate_crime.value if concern.hate_crime else "",
            "hate_strands": [s.value for s in concern.hate_strand_codes],
        }
    ),
)
def hate_crime(form: forms.HateCrimeForm, concern: Concern) -> str:
    operations.set_hate_crime(concern, form_values(form), current_user)
    return "Saved: whether it is a hate or mate crime."


@record("child_case", argument="concern")
@form_view(
    "concerns.level_of_need",
    lambda concern: forms.LevelOfNeedForm(obj=concern),
    context=lambda form, concern: {"levels": levels_of_need()},
)
def level_of_need(form: forms.LevelOfNeedForm, concern: Concern) -> str:
    operations.set_level_of_need(concern, form_values(form), current_user)
    return "Level of need saved."


@record("concern")
@form_view(
    "concerns.delete",
    lambda concern: forms.LegalHoldForm(data={"reason": concern.legal_hold_reason or ""}),
)
def legal_hold(form: forms.LegalHoldForm, concern: Concern) -> str:
    reason = (form.reason.data or "").strip() or None
    operations.set_legal_hold(concern, reason, current_user)
    return "Legal hold placed." if reason else "Legal hold lifted."


@requires("handover.accept")
@logged("handover.view", object_type="handover")
def handover() -> ResponseReturnValue:
    previous, concerns, events = operations.pending_handover(current_user)
    form = forms.AcceptHandoverForm()
    if form.validate_on_submit():
        accepted = operations.accept_handover(current_user)
        done = f"Handover of {accepted.concern_count} concern(s) accepted by {current_user.name}."
        flash(done, "success")
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
    rows = csv_rows(listing.listed(current_user, filters), current_user)
    return csv_download(rows, "concerns.csv")


@record("child_case", argument="concern")
@form_view(
    "concerns.assess",
    forms.StartAssessmentForm,
    "concerns/assessment_start.html",
    aliases={"concern_id": "started_on"},
    context=lambda form, concern: {"due_on": assessments.assessment_due(concern)},
)
def start_assessment(form: forms.StartAssessmentForm, concern: Concern) -> str:
    assessments.start_assessment(concern, form_values(form), current_user)
    return "Assessment started."


@record("child_case", argument="concern")
@record("assessment")
@form_view(
    "concerns.authorise_assessment",
    forms.ConcludeAssessmentForm,
    "concerns/assessment_conclude.html",
    aliases={"concern_id": "authorised_on"},
)
def conclude_assessment(
    form: forms.ConcludeAssessmentForm, concern: Concern, assessment: Assessment
) -> str:
    assessments.conclude_assessment(assessment, form_values(form), current_user)
    return "Assessment concluded."


@record("concern")
@form_view("concerns.supervise", forms.SupervisionForm)
def supervise(form: forms.SupervisionForm, concern: Concern) -> str:
    operations.record_supervision(concern, form_values(form), current_user)
    return "Management oversight recorded."


@logged("concern.oversight_list", object_type="concern")
@page_view("concerns.supervise")
def oversight() -> dict[str, object]:
    weeks = int(current_app.config["OVERSIGHT_WEEKS"])
    page = paginate_rows(operations.without_oversight(weeks, current_user.council_id))
    newer = operations.awaiting_first_oversight(weeks)
    return {"page": page, "weeks": weeks, "newer": newer}


@reads("concern.view", "concern")
@form_view(
    "concerns.body_map",
    forms.BodyMapForm,
    to=lambda concern: url_for("concerns.body_map", concern_id=concern.id),
    context=lambda form, concern: {"marks": operations.body_map_of(concern)},
)
def body_map(form: forms.BodyMapForm, concern: Concern) -> str:
    operations.add_body_map_mark(concern, form.values(), current_user)
    return "Injury added to the body map."


@reads("concern.seen_by", "concern")
@page_view("concerns.seen_by")
def seen_by(concern: Concern) -> dict[str, object]:
    """Who has seen or changed the case and its person, from the access log."""
    page = paginate_rows(seen.entries_about(seen.case_records(concern)), per_page=50)
    rows = [seen.as_row(*row) for row in page.items]
    return {"page": page, "rows": rows}


@requires("concerns.seen_by")
@reads("concern.seen_by_export", "concern")
def seen_by_csv(concern: Concern) -> ResponseReturnValue:
    entries = db.session.execute(seen.entries_about(seen.case_records(concern)))
    rows = [seen.COLUMNS, *(seen.as_row(*row) for row in entries)]
    return csv_download(rows, f"{concern.reference}-seen-by.csv")
