"""/api/v1/people and /api/v1/establishments: the people at risk and the places, for the
safeguarding team (the concerns API names people by these records)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint

from core.api.conventions import (
    PageArgs,
    documented_create,
    documented_update,
    etag_for,
    idempotent,
    paginate,
    require_if_match,
    validation_as_422,
)
from core.api.problems import abort
from core.errors import ValidationFailed
from core.extensions import db
from core.people import operations as people
from core.people.models import Establishment, Person
from core.people.schemas import (
    EstablishmentPageSchema,
    EstablishmentSchema,
    EstablishmentUpdateSchema,
    MergeSchema,
    PersonPageSchema,
    PersonSchema,
    PersonSearchArgs,
    PersonUpdateSchema,
)
from core.pipeline import logged
from core.policy.routes import requires

people_blp = Blueprint("people_api", __name__, url_prefix="/people", description="People")
establishments_blp = Blueprint(
    "establishments_api", __name__, url_prefix="/establishments", description="Establishments"
)
ID = "<int(min=1, max=2147483647):{}>"


# --- People (the safeguarding team) -----------------------------------------------------


@people_blp.route("/", methods=["GET"])
@requires("people.manage")
@people_blp.arguments(PersonSearchArgs, location="query")
@people_blp.response(200, PersonPageSchema)
@logged("person.search", object_type="person")
def search_people(args: dict[str, Any]) -> dict[str, Any]:
    """Search people by name, date of birth or NHS number."""
    query = (
        sa.select(Person)
        .where(Person.merged_into_id.is_(None))
        .order_by(Person.family_name, Person.given_name, Person.id)
    )
    if args.get("name"):
        pattern = args["name"].strip()
        query = query.where(
            sa.or_(
                Person.given_name.icontains(pattern, autoescape=True),
                Person.family_name.icontains(pattern, autoescape=True),
            )
        )
    if "date_of_birth" in args:
        query = query.where(Person.date_of_birth == args["date_of_birth"])
    if args.get("nhs_number"):
        query = query.where(Person.nhs_number == args["nhs_number"].replace(" ", ""))
    page = paginate(query, args["page"], args["page_size"])
    return page


@people_blp.route("/", methods=["POST"])
@requires("people.manage")
@idempotent
@documented_create(people_blp)
@people_blp.arguments(PersonSchema)
@people_blp.response(201, PersonSchema)
def create_person(data: dict[str, Any]) -> Any:
    """Add a person."""
    with validation_as_422():
        person = people.create_person(data)
    return person, {"Location": url_for(".get_person", person_id=person.id)}


@people_blp.route("/" + ID.format("person_id"), methods=["GET"])
@requires("people.manage")
@people_blp.response(200, PersonSchema)
@logged("person.view", object_type="person", object_id="person_id")
def get_person(person_id: int) -> Any:
    """Read one person."""
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    return person, {"ETag": etag_for(person)}


@people_blp.route("/" + ID.format("person_id"), methods=["PATCH"])
@requires("people.manage")
@people_blp.arguments(PersonUpdateSchema(partial=True))
@people_blp.response(200, PersonSchema)
@documented_update(people_blp)
def update_person(data: dict[str, Any], person_id: int) -> Any:
    """Change a person's details (what is sent; the rest stays); needs If-Match. A
    detailed ethnic group sets the broad ethnicity; a UPN's check letter is checked."""
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    require_if_match(person)
    with validation_as_422():
        people.update_person(person, people.person_values(person) | data)
    db.session.flush()
    return person, {"ETag": etag_for(person)}


@people_blp.route("/" + ID.format("person_id") + "/merge", methods=["POST"])
@requires("people.merge")
@people_blp.arguments(MergeSchema)
@people_blp.response(200, PersonSchema)
def merge_person(data: dict[str, Any], person_id: int) -> Any:
    """Merge this record into the record ``into_id`` (managers), with the reason: its
    concerns move there, and this record is kept, marked as merged. Returns the record kept."""
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    with validation_as_422():
        keep = db.session.get(Person, data["into_id"])
        if keep is None:
            raise ValidationFailed.single("into_id", "There is no person with this id")
        people.merge_people(keep, person, data["reason"], current_user)
    return keep, {"ETag": etag_for(keep)}


# --- Establishments ---------------------------------------------------------------------


@establishments_blp.route("/", methods=["GET"])
@requires("establishments.view")
@establishments_blp.arguments(PageArgs, location="query")
@establishments_blp.response(200, EstablishmentPageSchema)
def list_establishments(args: dict[str, Any]) -> dict[str, Any]:
    """Care homes, hospitals and other services."""
    query = sa.select(Establishment).order_by(Establishment.name, Establishment.id)
    return paginate(query, args["page"], args["page_size"])


@establishments_blp.route("/", methods=["POST"])
@requires("establishments.manage")
@idempotent
@documented_create(establishments_blp)
@establishments_blp.arguments(EstablishmentSchema)
@establishments_blp.response(201, EstablishmentSchema)
def create_establishment(data: dict[str, Any]) -> Any:
    """Add an establishment."""
    with validation_as_422():
        establishment = people.create_establishment(data)
    return establishment


# --- One establishment (appended: the people API above is being rewritten elsewhere) ------

ESTABLISHMENT_FIELDS = (
    "name",
    "kind",
    "cqc_location_id",
    "ods_code",
    "address",
    "postcode",
    "provider_agency_id",
)


def _establishment_or_404(establishment_id: int) -> Establishment:
    establishment = db.session.get(Establishment, establishment_id)
    if establishment is None:
        abort(404)
    return establishment


@establishments_blp.route("/" + ID.format("establishment_id"), methods=["GET"])
@requires("establishments.view")
@establishments_blp.response(200, EstablishmentSchema)
@logged("establishment.view", object_type="establishment", object_id="establishment_id")
def get_establishment(establishment_id: int) -> Any:
    """One establishment (its concerns you may see: GET /api/v1/concerns/?establishment_id=)."""
    establishment = _establishment_or_404(establishment_id)
    return establishment, {"ETag": etag_for(establishment)}


@establishments_blp.route("/" + ID.format("establishment_id"), methods=["PATCH"])
@requires("establishments.manage")
@establishments_blp.arguments(EstablishmentUpdateSchema(partial=True))
@establishments_blp.response(200, EstablishmentSchema)
@documented_update(establishments_blp)
def update_establishment(data: dict[str, Any], establishment_id: int) -> Any:
    """Change an establishment's details; only the fields sent change. Needs If-Match."""
    establishment = _establishment_or_404(establishment_id)
    require_if_match(establishment)
    current = {name: getattr(establishment, name) for name in ESTABLISHMENT_FIELDS}
    current["kind"] = establishment.kind.value
    with validation_as_422():
        people.update_establishment(establishment, current | data)
    db.session.flush()
    return establishment, {"ETag": etag_for(establishment)}
