"""Subject access pages: the managers' list, recording a request from the person's page,
one request with its export (produce, download, mark sent)."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.downloads import PDF, download
from core.forms import flashed, form_page, form_values
from core.pagination import paginate
from core.people.models import Person
from core.pipeline import logged, record
from core.policy.routes import requires
from core.policy.subject_access import visible_requests
from core.subject_access import operations
from core.subject_access.forms import ActForm, RequestForm
from core.subject_access.models import SubjectAccessRequest
from core.subject_access.pdf import export_json, export_pdf, filename


@requires("subject_access.manage")
@logged("subject_access.list", object_type="subject_access")
def index() -> ResponseReturnValue:
    """The requests not sent yet, soonest due first (or those sent, or all)."""
    state = request.args.get("state", "open")
    if state not in operations.LIST_STATES:
        state = "open"
    page = paginate(operations.filtered(visible_requests(current_user), state))
    return render_template(
        "subject_access/index.html",
        page=page,
        state=state,
        states=operations.LIST_STATES,
        today=operations.today(),
    )


@requires("subject_access.manage")
@logged("person.view", object_type="person", object_id="person_id")
@record("person")
def new(person: Person) -> ResponseReturnValue:
    """Record a request for the person's records."""
    form = RequestForm()
    made: list[SubjectAccessRequest] = []
    return form_page(
        form,
        lambda: made.append(operations.record_request(person, form_values(form), current_user)),
        done=lambda: f"Request recorded: due on {made[0].due_on:%-d %B %Y}.",
        to=lambda: url_for("subject_access.show", request_id=made[0].id),
        template="subject_access/new.html",
        person=person,
    )


@requires("subject_access.manage")
@logged("subject_access.view", object_type="subject_access", object_id="request_id")
@record("subject_access")
def show(subject_access: SubjectAccessRequest) -> ResponseReturnValue:
    return render_template(
        "subject_access/show.html",
        sar=subject_access,
        form=ActForm(),
        today=operations.today(),
    )


def _produced_id() -> int | None:
    """The request whose export this request produced (None: refused, nothing logged)."""
    produced = g.get("produced_request")
    return int(produced) if produced is not None else None


@requires("subject_access.manage")
@logged(
    "subject_access.produce",
    object_type="subject_access",
    object_id=_produced_id,
    methods=("POST",),
)
@record("subject_access")
def produce(subject_access: SubjectAccessRequest) -> ResponseReturnValue:
    """Gather everything held about the person now, third parties withheld."""
    if ActForm().validate_on_submit() and flashed(
        lambda: operations.produce(subject_access, current_user),
        "Export produced: read it before you send it.",
    ):
        g.produced_request = subject_access.id
    return redirect(url_for("subject_access.show", request_id=subject_access.id))


@requires("subject_access.manage")
@record("subject_access")
def sent(subject_access: SubjectAccessRequest) -> ResponseReturnValue:
    """The export was sent to the requester today."""
    if ActForm().validate_on_submit():
        flashed(lambda: operations.mark_sent(subject_access, current_user), "Marked as sent.")
    return redirect(url_for("subject_access.show", request_id=subject_access.id))


def _not_produced(subject_access: SubjectAccessRequest) -> ResponseReturnValue | None:
    """No export to download before it is produced: 409, so nothing is logged as read."""
    if subject_access.export is None:
        return render_template(
            "subject_access/show.html",
            sar=subject_access,
            form=ActForm(),
            today=operations.today(),
            problem="Produce the export before downloading it",
        ), 409
    return None


@requires("subject_access.manage")
@logged("subject_access.download", object_type="subject_access", object_id="request_id")
@record("subject_access")
def export_pdf_file(subject_access: SubjectAccessRequest) -> ResponseReturnValue:
    refused = _not_produced(subject_access)
    if refused is not None:
        return refused
    return download(export_pdf(subject_access), PDF, filename(subject_access, "pdf"))


@requires("subject_access.manage")
@logged("subject_access.download", object_type="subject_access", object_id="request_id")
@record("subject_access")
def export_json_file(subject_access: SubjectAccessRequest) -> ResponseReturnValue:
    refused = _not_produced(subject_access)
    if refused is not None:
        return refused
    return download(
        export_json(subject_access), "application/json", filename(subject_access, "json")
    )
