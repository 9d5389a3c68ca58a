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
from core.concerns.models import Concern
from core.errors import ValidationFailed
from core.people import operations as people
from core.people.models import (
    AllegedPerson,
    Establishment,
    EstablishmentStatus,
    Person,
    PersonRelationship,
)
from core.people.schemas import (
    AllegedCreateSchema,
    AllegedFactsSchema,
    AllegedSchema,
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
    RelationshipChangeSchema,
    RelationshipCreateSchema,
    RelationshipEndArgs,
    RelationshipSchema,
    RemoveArgs,
)
from core.pipeline import logged, record
from core.policy import people as _record_types  # noqa: F401  (declares "person")
from core.policy.cases import is_case_team
from core.policy.people import person_named, visible_establishments, visible_people

people_blp = Blueprint("people_api", __name__, url_prefix="/people", description="People")
alleged_blp = Blueprint(
    "alleged_api",
    __name__,
    url_prefix="/concerns",
    description="The people around a case and the person alleged to have caused harm",
)
establishments_blp = Blueprint(
    "establishments_api", __name__, url_prefix="/establishments", description="Establishments"
)


# --- People (the safeguarding team) -----------------------------------------------------


@people_blp.get("/", "people.manage", PersonSearchArgs, PersonPageSchema)
@logged("person.search", object_type="person")
def search_people(args: dict[str, Any]) -> dict[str, Any]:
    """Search people by name, date of birth or NHS number."""
    query = visible_people(current_user).order_by(Person.family_name, Person.given_name, Person.id)
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
    keep = person_named(current_user, data["into_id"])
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


# --- Relationships between people (the safeguarding team) --------------------------------

RELATIONSHIPS = "/<id:person_id>/relationships"


@people_blp.get(RELATIONSHIPS, "people.manage", None, RelationshipSchema(many=True))
@logged("person.view", object_type="person", object_id="person_id")
@record("person")
def list_relationships(person: Person) -> Any:
    """The person's relationships as they read from this record ("Parent of", "Child
    of"), current ones first, then those ended."""
    return [people.relationship_view(r, person.id) for r in people.relationships_of(person.id)]


@people_blp.post(
    RELATIONSHIPS, "people.manage", RelationshipCreateSchema, RelationshipSchema, status=201
)
@record("person")
def add_relationship(data: dict[str, Any], person: Person) -> Any:
    """Record how this person stands to another (``kind``: household, parent, carer,
    partner, sibling, professional or other, with ``detail`` for the last two), named by
    ``person_id`` or by their details in ``other`` (found by the duplicate check, or added)."""
    link = people.add_relationship(person, data, current_user)
    return people.relationship_view(link, person.id)


@people_blp.patch(
    RELATIONSHIPS + "/<id:relationship_id>",
    "people.manage",
    RelationshipChangeSchema,
    RelationshipSchema,
)
@record("person")
@record("relationship")
def change_relationship(
    data: dict[str, Any], person: Person, relationship: PersonRelationship
) -> Any:
    """Correct a relationship's ``kind`` or ``detail``."""
    return people.relationship_view(people.change_relationship(relationship, data), person.id)


@people_blp.delete(RELATIONSHIPS + "/<id:relationship_id>", "people.manage", RelationshipEndArgs)
@record("person")
@record("relationship")
def end_relationship(
    args: dict[str, Any], person: Person, relationship: PersonRelationship
) -> None:
    """End a relationship (``reason``, ``ended_on`` default today): kept, shown as ended."""
    people.end_relationship(relationship, args["ended_on"], args["reason"], current_user)


# --- A case's people around and the person alleged to have caused harm -------------------

ALLEGED = "/<id:concern_id>/alleged-people"


@alleged_blp.get(
    "/<id:concern_id>/relationships", "concerns.view", None, RelationshipSchema(many=True)
)
@logged("concern.people_around", object_type="concern", object_id="concern_id")
@record("concern", "people_around")
def case_relationships(concern: Concern) -> Any:
    """The current relationships of the person at risk (agencies involved in full and
    the safeguarding team)."""
    person_id = concern.person_id
    return [
        people.relationship_view(r, person_id)
        for r in people.relationships_of(person_id, include_ended=False)
    ]


def _with_history(alleged: list[AllegedPerson]) -> list[AllegedPerson]:
    """The other concerns naming each of them, for the safeguarding team only."""
    if is_case_team(current_user):
        others = people.other_concerns_naming(alleged)
        for row in alleged:
            row.other_concern_ids = [c.id for c in others[row.person_id]]
    return alleged


@alleged_blp.get(ALLEGED, "concerns.view", None, AllegedSchema(many=True))
@logged("concern.alleged_view", object_type="concern", object_id="concern_id")
@record("concern", "alleged_harm")
def list_alleged(concern: Concern) -> Any:
    """The people alleged to have caused harm, with their relationship to the person at
    risk, whether they were told of the concern and their own support (the safeguarding
    team, with ``other_concern_ids``; agencies involved in full; no one else)."""
    return _with_history(people.alleged_of(concern))


@alleged_blp.get(ALLEGED + "/<id:alleged_id>", "concerns.view", None, AllegedSchema)
@logged("concern.alleged_view", object_type="concern", object_id="concern_id")
@record("concern", "alleged_harm")
@record("alleged_person")
def get_alleged(concern: Concern, alleged_person: AllegedPerson) -> Any:
    """One person alleged to have caused harm in the concern."""
    return _with_history([alleged_person])[0]


@alleged_blp.post(ALLEGED, "concerns.alleged_harm", AllegedCreateSchema, AllegedSchema, status=201)
@record("concern")
def add_alleged(data: dict[str, Any], concern: Concern) -> Any:
    """Name a person alleged to have caused harm: ``person_id`` or their details in
    ``person`` (found by the duplicate check, or added), ``relationship_kind`` to the
    person at risk; ``informed`` (``informed`` with ``informed_on``, ``not_informed``
    with ``not_informed_reason``, ``not_yet``); ``has_care_needs`` and then ``support``
    (``not_offered`` with ``support_not_offered_reason``)."""
    return _with_history([people.add_alleged(concern, data, current_user)])[0]


@alleged_blp.patch(
    ALLEGED + "/<id:alleged_id>",
    "concerns.alleged_harm",
    AllegedFactsSchema(partial=True),
    AllegedSchema,
)
@documented_update(alleged_blp)
@record("concern")
@record("alleged_person")
def update_alleged(data: dict[str, Any], concern: Concern, alleged_person: AllegedPerson) -> Any:
    """Change what is recorded (the fields sent): whether they were told, their support;
    needs If-Match."""
    return _with_history([people.update_alleged(alleged_person, data, current_user)])[0]


@alleged_blp.delete(ALLEGED + "/<id:alleged_id>", "concerns.alleged_harm", RemoveArgs)
@record("concern")
@record("alleged_person")
def remove_alleged(args: dict[str, Any], concern: Concern, alleged_person: AllegedPerson) -> None:
    """Take a person named in error off the concern (``reason``)."""
    people.remove_alleged(alleged_person, args["reason"], current_user)
