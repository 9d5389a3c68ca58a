"""The chronology pages: a case's and a person's, filtered, as CSV and PDF, and an entry
written by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.chronology import exports, forms, operations
from core.chronology.operations import Event
from core.chronology.schemas import ChronologyArgs
from core.concerns.models import Concern
from core.forms import form_page, query_args, with_days
from core.people.models import Person
from core.pipeline import logged, record
from core.policy.routes import requires, user_can

FIELDS = {"from": "from-day", "to": "to-day"}


def _filters() -> tuple[dict[str, Any], list[dict[str, str]]]:
    """The page's filters (days entered in parts) read as the API reads them; a filter
    that cannot be used is named in the error summary and none is applied."""
    values, problems = query_args(ChronologyArgs(), with_days(request.args, "from", "to"))
    errors = [
        {"text": message, "href": "#" + FIELDS.get(field.rstrip("_"), field)}
        for field, messages in problems.items()
        for message in messages[:1]
    ]
    return values, errors


def _page(
    template_args: dict[str, Any], events: list[Event], endpoint: str, **ids: int
) -> ResponseReturnValue:
    filters, errors = _filters()
    shown = operations.filtered(events, filters)
    query: dict[str, Any] = {k: v for k, v in request.args.items() if v} | ids
    return render_template(
        "chronology/show.html",
        events=shown,
        total=len(events),
        errors=errors,
        choices=operations.filter_choices(events),
        args=request.args,
        csv_href=url_for(f"{endpoint}_csv", **query),
        pdf_href=url_for(f"{endpoint}_pdf", **query),
        **template_args,
    ), (400 if errors else 200)


@requires("concerns.view")
@logged("concern.chronology", object_type="concern", object_id="concern_id")
@record("concern")
def case(concern: Concern) -> ResponseReturnValue:
    """The case's chronology, oldest first, as the reader may read it."""
    return _page(
        {
            "concern": concern,
            "title": f"Chronology – {concern.reference}",
            "can_add": user_can(current_user, "concerns.chronology"),
        },
        operations.case_events(concern, current_user),
        "chronology.case",
        concern_id=concern.id,
    )


def _download(
    export: Callable[..., Response], of: Concern | Person, kind: str, page: str
) -> ResponseReturnValue:
    """The chronology ``of`` a case or person filtered as a ``kind`` of file by ``export``;
    filters that cannot be used go back to the ``page`` that says what is wrong with them."""
    filters, errors = _filters()
    return redirect(page) if errors else export(of, current_user, filters, kind)


def _back(endpoint: str, **ids: int) -> str:
    values: dict[str, Any] = dict(request.args.items()) | ids
    return url_for(endpoint, **values)


@requires("concerns.view")
@logged("concern.chronology_export", object_type="concern", object_id="concern_id")
@record("concern")
def case_csv(concern: Concern) -> ResponseReturnValue:
    back = _back("chronology.case", concern_id=concern.id)
    return _download(exports.case_file, concern, "csv", back)


@requires("concerns.view")
@logged("concern.chronology_export", object_type="concern", object_id="concern_id")
@record("concern")
def case_pdf(concern: Concern) -> ResponseReturnValue:
    back = _back("chronology.case", concern_id=concern.id)
    return _download(exports.case_file, concern, "pdf", back)


@requires("concerns.chronology")
@record("concern")
def new_entry(concern: Concern) -> ResponseReturnValue:
    """Write an event into the case's chronology."""
    form = forms.EntryForm(operations.source_agencies(current_user))
    return form_page(
        form,
        lambda: operations.add_entry(concern, form.values(), current_user),
        done="Added to the chronology.",
        to=url_for("chronology.case", concern_id=concern.id),
        template="chronology/new.html",
        concern=concern,
    )


@requires("concerns.view")
@logged("person.chronology", object_type="person", object_id="person_id")
@record("person")
def person(person: Person) -> ResponseReturnValue:
    """The chronology across every case of the person the reader may see."""
    return _page(
        {"person": person, "title": f"Chronology – {person.full_name}", "can_add": False},
        operations.person_events(person, current_user),
        "chronology.person",
        person_id=person.id,
    )


@requires("concerns.view")
@logged("person.chronology_export", object_type="person", object_id="person_id")
@record("person")
def person_csv(person: Person) -> ResponseReturnValue:
    back = _back("chronology.person", person_id=person.id)
    return _download(exports.person_file, person, "csv", back)


@requires("concerns.view")
@logged("person.chronology_export", object_type="person", object_id="person_id")
@record("person")
def person_pdf(person: Person) -> ResponseReturnValue:
    back = _back("chronology.person", person_id=person.id)
    return _download(exports.person_file, person, "pdf", back)
