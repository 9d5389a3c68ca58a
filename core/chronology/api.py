"""/api/v1/concerns/{id}/chronology and /api/v1/people/{id}/chronology: the same
chronology, filters and exports as the pages, with the same rules."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core.api.conventions import Blueprint
from core.chronology import exports, operations
from core.chronology.operations import Event
from core.chronology.schemas import ChronologyArgs, ChronologyEntrySchema, ChronologySchema
from core.concerns.models import Concern
from core.people.models import Person
from core.pipeline import logged, record
from core.policy.routes import requires

blp = Blueprint("chronology_api", __name__, description="Chronologies")
CASE = "/concerns/<id:concern_id>/chronology"
PERSON = "/people/<id:person_id>/chronology"


def _file(kind: str) -> dict[str, Any]:
    mimetype = "text/csv" if kind == "csv" else "application/pdf"
    return {
        "200": {
            "description": f"The chronology as {kind.upper()}, filtered",
            "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}},
        }
    }


def _answer(events: list[Event], args: dict[str, Any]) -> dict[str, Any]:
    return {"events": [e.as_dict() for e in operations.filtered(events, args)]}


@blp.get(CASE, "concerns.view", ChronologyArgs, ChronologySchema)
@logged("concern.chronology", object_type="concern", object_id="concern_id")
@record("concern")
def get_case_chronology(args: dict[str, Any], concern: Concern) -> Any:
    """The case's significant events, oldest first, each with its date, source agency,
    kind and significance; filters ``from``, ``to``, ``agency_id``, ``significance`` (at
    least) and ``kind``. What your involvement does not show, and what is drawn from a
    record you may not read, is left out."""
    return _answer(operations.case_events(concern, current_user), args)


@blp.post(CASE, "concerns.chronology", ChronologyEntrySchema, ChronologyEntrySchema, status=201)
@record("concern")
def add_chronology_entry(data: dict[str, Any], concern: Concern) -> Any:
    """Write an event into the case's chronology: ``occurred_on``, ``source_agency_id``
    (any agency for the safeguarding team, a practitioner's own), ``summary``,
    ``significance`` and an optional ``restriction``."""
    return operations.add_entry(concern, data, current_user)


@blp.route(CASE + ".csv", methods=["GET"])
@requires("concerns.view")
@blp.arguments(ChronologyArgs, location="query")
@blp.doc(responses=_file("csv"))
@logged("concern.chronology_export", object_type="concern", object_id="concern_id")
@record("concern")
def get_case_chronology_csv(args: dict[str, Any], concern: Concern) -> Any:
    """The case's chronology as CSV, with the same filters."""
    return exports.case_file(concern, current_user, args, "csv")


@blp.route(CASE + ".pdf", methods=["GET"])
@requires("concerns.view")
@blp.arguments(ChronologyArgs, location="query")
@blp.doc(responses=_file("pdf"))
@logged("concern.chronology_export", object_type="concern", object_id="concern_id")
@record("concern")
def get_case_chronology_pdf(args: dict[str, Any], concern: Concern) -> Any:
    """The case's chronology as a PDF for a review, with the same filters."""
    return exports.case_file(concern, current_user, args, "pdf")


@blp.get(PERSON, "concerns.view", ChronologyArgs, ChronologySchema)
@logged("person.chronology", object_type="person", object_id="person_id")
@record("person")
def get_person_chronology(args: dict[str, Any], person: Person) -> Any:
    """The person's chronology across every case of theirs you may see, oldest first;
    each event names its case. Same filters and rules as a case's."""
    return _answer(operations.person_events(person, current_user), args)


@blp.route(PERSON + ".csv", methods=["GET"])
@requires("concerns.view")
@blp.arguments(ChronologyArgs, location="query")
@blp.doc(responses=_file("csv"))
@logged("person.chronology_export", object_type="person", object_id="person_id")
@record("person")
def get_person_chronology_csv(args: dict[str, Any], person: Person) -> Any:
    """The person's chronology as CSV."""
    return exports.person_file(person, current_user, args, "csv")


@blp.route(PERSON + ".pdf", methods=["GET"])
@requires("concerns.view")
@blp.arguments(ChronologyArgs, location="query")
@blp.doc(responses=_file("pdf"))
@logged("person.chronology_export", object_type="person", object_id="person_id")
@record("person")
def get_person_chronology_pdf(args: dict[str, Any], person: Person) -> Any:
    """The person's chronology as a PDF for a review."""
    return exports.person_file(person, current_user, args, "pdf")
