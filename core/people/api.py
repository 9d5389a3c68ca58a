"""/api/v1/people and /api/v1/establishments: the people at risk and the places, for the
safeguarding team (the concerns API names people by these records)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_login import current_user

from core.api.conventions import (
    Blueprint,
    documented_update,
    paginate,
)
from core.errors import ValidationFailed
from core.extensions import db
from core.people import operations as people
from core.people.models import Establishment, EstablishmentStatus, Person
from core.people.schemas import (
    DeclineSchema,
    EstablishmentListArgs,
    EstablishmentPageSchema,
    EstablishmentProposalSchema,
    EstablishmentSchema,
    EstablishmentUpdateSchema,
    MergeSchema,
    PersonPageSchema,
    PersonSchema,
    PersonSearchArgs,
    PersonUpdateSchema,
)
from core.pipeline import logged, record
from core.policy import people as _record_types  # noqa: F401  (declares "person")
from core.policy.people import visible_establishments

people_blp = Blueprint("people_api", __name__, url_prefix="/people", description="People")
establishments_blp = Blueprint(
    "establishments_api", __name__, url_prefix="/establishments", description="Establishments"
)


# --- People (the safeguarding team) -----------------------------------------------------


@people_blp.get("/", "people.manage", PersonSearchArgs, PersonPageSchema)
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


@people_blp.post("/", "people.manage", PersonSchema, PersonSchema, status=201)
def create_person(data: dict[str, Any]) -> Any:
    """Add a person."""
    return people.create_person(data)


@people_blp.get("/<id:person_id>", "people.manage", None, PersonSchema)
@logged("person.view", object_type="person", object_id="person_id")
@record("person")
def get_person(person: Person) -> Any:
    """Read one person."""
    return person


@people_blp.patch(
    "/<id:person_id>", "people.manage", PersonUpdateSchema(partial=True), PersonSchema
)
@documented_update(people_blp)
@record("person")
def update_person(data: dict[str, Any], person: Person) -> Any:
    """Change a person's details (what is sent; the rest stays); needs If-Match. A
    detailed ethnic group sets the broad ethnicity; a UPN's check letter is checked."""
    people.update_person(person, people.person_values(person) | data)
    return person


@people_blp.post("/<id:person_id>/merge", "people.merge", MergeSchema, PersonSchema)
@record("person")
def merge_person(data: dict[str, Any], person: Person) -> Any:
    """Merge this record into the record ``into_id`` (managers), with the reason: its
    concerns move there, and this record is kept, marked as merged. Returns the record kept."""
    keep = db.session.get(Person, data["into_id"])
    if keep is None:
        raise ValidationFailed.single("into_id", "There is no person with this id")
    people.merge_people(keep, person, data["reason"], current_user)
    return keep


# --- Establishments ---------------------------------------------------------------------


@establishments_blp.get("/", "establishments.view", EstablishmentListArgs, EstablishmentPageSchema)
def list_establishments(args: dict[str, Any]) -> dict[str, Any]:
    """Care homes, hospitals and other services: every confirmed one; those proposed or
    declined to the safeguarding team and the agency that runs them (``status``)."""
    query = visible_establishments(current_user)
    if args.get("status"):
        query = query.where(Establishment.status == EstablishmentStatus(args["status"]))
    return paginate(query, args["page"], args["page_size"])


@establishments_blp.post(
    "/proposals",
    "establishments.propose",
    EstablishmentProposalSchema,
    EstablishmentSchema,
    status=201,
)
def propose_establishment(data: dict[str, Any]) -> Any:
    """Propose an establishment your agency runs, for the safeguarding team to confirm
    (``status`` proposed): it is offered for concerns and forms once confirmed."""
    return people.propose_establishment(data, current_user)


@establishments_blp.post(
    "/<id:establishment_id>/confirm", "establishments.manage", None, EstablishmentSchema
)
@record("establishment")
def confirm_establishment(establishment: Establishment) -> Any:
    """Confirm an establishment a provider proposed; 422 unless it is proposed."""
    return people.confirm_establishment(establishment)


@establishments_blp.post(
    "/<id:establishment_id>/decline", "establishments.manage", DeclineSchema, EstablishmentSchema
)
@record("establishment")
def decline_establishment(data: dict[str, Any], establishment: Establishment) -> Any:
    """Decline an establishment a provider proposed, saying why; 422 unless it is proposed."""
    return people.decline_establishment(establishment, data["reason"])


@establishments_blp.post(
    "/", "establishments.manage", EstablishmentSchema, EstablishmentSchema, status=201
)
def create_establishment(data: dict[str, Any]) -> Any:
    """Add an establishment."""
    return people.create_establishment(data)


ESTABLISHMENT_FIELDS = (
    *("name", "kind", "cqc_location_id", "ods_code", "address", "postcode"),
    "provider_agency_id",
)


@establishments_blp.get("/<id:establishment_id>", "establishments.view", None, EstablishmentSchema)
@logged("establishment.view", object_type="establishment", object_id="establishment_id")
@record("establishment")
def get_establishment(establishment: Establishment) -> Any:
    """One establishment (its concerns you may see: GET /api/v1/concerns/?establishment_id=)."""
    return establishment


@establishments_blp.patch(
    "/<id:establishment_id>",
    "establishments.manage",
    EstablishmentUpdateSchema(partial=True),
    EstablishmentSchema,
)
@documented_update(establishments_blp)
@record("establishment")
def update_establishment(data: dict[str, Any], establishment: Establishment) -> Any:
    """Change an establishment's details; only the fields sent change. Needs If-Match."""
    current = {name: getattr(establishment, name) for name in ESTABLISHMENT_FIELDS}
    current["kind"] = establishment.kind.value
    people.update_establishment(establishment, current | data)
    return establishment
