"""Which people a user may see. A person is visible wherever one of their concerns is:
the safeguarding team sees everyone, an agency practitioner only the people in cases
their agency is involved in (the rule itself is in core/policy/cases.py)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.concerns.models import Concern
from core.db import record_id
from core.extensions import db
from core.people.models import (
    AllegedPerson,
    Establishment,
    EstablishmentStatus,
    Person,
    PersonRelationship,
    survivor_of,
)
from core.policy.cases import is_case_team, visible_concerns
from core.policy.resources import Resource, declare, from_query
from core.trust.models import TrustReferral


def council_people(council_id: int) -> sa.ColumnElement[bool]:
    """A council's people: in one of its cases, or in no case at all yet (a record made
    before its concern, or with a discharge or a complaint only); never a person only
    another council's cases name."""
    cases = sa.select(Concern.person_id).where(
        Concern.person_id == Person.id, Concern.deleted_at.is_(None)
    )
    return sa.or_(~cases.exists(), cases.where(Concern.council_id == council_id).exists())


def council_person(council_id: int, person_id: Any) -> Person | None:
    """The record a council's page or request names by its number (the record kept, for
    a merged one), if it is one of the council's people (:func:`council_people`); None,
    exactly like a missing one, for another council's person."""
    wanted = record_id(person_id)
    found = db.session.get(Person, wanted) if wanted else None
    if found is None:
        return None
    kept = survivor_of(found)
    return (
        kept
        if db.session.scalar(
            sa.select(Person.id).where(Person.id == kept.id, council_people(council_id))
        )
        else None
    )


def person_named(user: Any, person_id: Any) -> Person | None:
    """The record ``user`` names by its number, if they may see it (a merged one when they
    may see the record it was merged into); None, exactly like a missing one."""
    wanted = record_id(person_id)
    return _visible_person(user, wanted, None) if wanted else None


def visible_people(user: Any) -> sa.Select[tuple[Person]]:
    """Every current (not merged) record ``user`` may see, to filter, sort and page."""
    query = sa.select(Person).where(Person.merged_into_id.is_(None))
    if is_case_team(user):
        return query.where(council_people(user.council_id))
    return query.where(Person.id.in_(visible_concerns(user).with_only_columns(Concern.person_id)))


def _visible_person(user: Any, person_id: int, _: Any) -> Person | None:
    """The record if ``user`` may see it (a merged record when they may see the one it
    was merged into); otherwise None, exactly like a missing one."""
    person = db.session.get(Person, person_id)
    if person is None:
        return None
    kept = survivor_of(person)
    return person if db.session.scalar(visible_people(user).where(Person.id == kept.id)) else None


PERSON = declare(
    Resource(
        "person",
        "person_id",
        _visible_person,
        model=Person,
        api_endpoint="people_api.get_person",
        url_ids=lambda person: {"person_id": person.id},
    )
)


def visible_establishments(user: Any) -> sa.Select[tuple[Establishment]]:
    """The places ``user`` sees, by name: every confirmed one; those proposed or declined
    only to the safeguarding team and to the agency that proposed it (it runs them)."""
    query = sa.select(Establishment).order_by(Establishment.name, Establishment.id)
    if is_case_team(user):
        return query
    return query.where(
        sa.or_(
            Establishment.status == EstablishmentStatus.CONFIRMED,
            Establishment.provider_agency_id == getattr(user, "agency_id", None),
        )
    )


# A care home, hospital or other place: every confirmed one, to every user the route lets
# in; one proposed or declined, to the team and the agency that runs it.
ESTABLISHMENT = declare(
    Resource(
        "establishment",
        "establishment_id",
        from_query(visible_establishments, Establishment),
        model=Establishment,
    )
)


def _relationship(_: Any, relationship_id: int, loaded: Any) -> PersonRelationship | None:
    """A relationship of the person loaded from the URL (from either end)."""
    link = db.session.get(PersonRelationship, relationship_id)
    person_id = loaded["person"].id
    if link is None or person_id not in (link.person_id, link.other_id):
        return None
    return link


RELATIONSHIP = declare(
    Resource("relationship", "relationship_id", _relationship, model=PersonRelationship)
)


def _alleged(_: Any, alleged_id: int, loaded: Any) -> AllegedPerson | None:
    """A person alleged to have caused harm in the concern loaded from the URL (one taken
    off the concern is gone). The concern's rule ``alleged_harm`` decides who reads it."""
    alleged = db.session.get(AllegedPerson, alleged_id)
    if alleged is None or alleged.concern_id != loaded["concern"].id or alleged.removed_at:
        return None
    return alleged


ALLEGED = declare(
    Resource(
        "alleged_person",
        "alleged_id",
        _alleged,
        model=AllegedPerson,
        object_type="concern",
        api_endpoint="alleged_api.get_alleged",
        url_ids=lambda alleged: {"concern_id": alleged.concern_id, "alleged_id": alleged.id},
    )
)


def _trust_referral(_: Any, referral_id: int, loaded: Any) -> TrustReferral | None:
    """A PiPoT or LADO referral of the concern loaded from the URL. The concern's rule
    ``alleged_harm`` decides who reads it (the team and agencies involved in full)."""
    referral = db.session.get(TrustReferral, referral_id)
    if referral is None or referral.concern_id != loaded["concern"].id:
        return None
    return referral


TRUST_REFERRAL = declare(
    Resource(
        "trust_referral",
        "referral_id",
        _trust_referral,
        model=TrustReferral,
        object_type="concern",
        api_endpoint="trust_api.get_referral",
        url_ids=lambda referral: {"concern_id": referral.concern_id, "referral_id": referral.id},
    )
)
