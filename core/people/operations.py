"""Recording people and establishments; finding likely duplicates before creating one."""

from __future__ import annotations

import enum
import re
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.clocks import to_local
from core.concerns.models import Concern, add_event
from core.db import utcnow
from core.discharges.models import HospitalDischarge
from core.errors import ValidationFailed
from core.extensions import db
from core.people.models import (
    AllegedPerson,
    Establishment,
    EstablishmentStatus,
    InformedStatus,
    Person,
    PersonRelationship,
    RelationshipKind,
    SupportOffer,
    TrustCapacity,
    survivor_of,
)
from core.policy.people import council_people, council_person

if TYPE_CHECKING:
    from core.auth.models import User
from core.auth.models import Agency
from core.reference import (
    Disability,
    EthnicGroup,
    Ethnicity,
    LocationOfRisk,
    PrimarySupportReason,
    Sex,
    valid_nhs_number,
    valid_upn,
)

POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")
CQC_LOCATION = re.compile(r"^1-\d{6,12}$")
ODS_CODE = re.compile(r"^[A-Z0-9]{3,5}$")
STALE = "Someone else changed this record while you were editing it. Check it and try again."
PERSON_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "estimated_age",
    "nhs_number",
    "sex",
    "ethnicity",
    "ethnic_group",
    "upn",
    "disabilities",
    "primary_support_reason",
    "address",
    "postcode",
    "communication_needs",
    "advocate",
)


def _text(values: dict[str, Any], field: str, maximum: int) -> str | None:
    value = values.get(field)
    if value is None:
        return None
    value = str(value).strip()
    return value[:maximum] if value else None


def clean_person(values: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise person details; raises ValidationFailed listing every problem."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, label in (("given_name", "first name"), ("family_name", "last name")):
        value = (values.get(field) or "").strip()
        if not value:
            errors[field] = [f"Enter the person's {label}"]
        elif len(value) > 100:
            errors[field] = [f"The {label} must be 100 characters or fewer"]
        cleaned[field] = value
    dob = values.get("date_of_birth")
    if dob is not None and not isinstance(dob, date):
        errors["date_of_birth"] = ["Enter a real date of birth"]
    elif dob is not None and dob > utcnow().date():
        errors["date_of_birth"] = ["Date of birth must be in the past"]
    elif dob is not None and dob.year < 1900:
        errors["date_of_birth"] = ["Date of birth must be after 1900"]
    cleaned["date_of_birth"] = dob
    age = values.get("estimated_age")
    if age is not None and (not isinstance(age, int) or not 0 <= age <= 120):
        errors["estimated_age"] = ["Estimated age must be a whole number from 0 to 120"]
    cleaned["estimated_age"] = age if dob is None else None
    nhs = values.get("nhs_number")
    if nhs:
        digits = str(nhs).replace(" ", "").replace("-", "")
        if not valid_nhs_number(digits):
            errors["nhs_number"] = ["Enter a valid NHS number: 10 digits, like 943 476 5919"]
        cleaned["nhs_number"] = digits
    else:
        cleaned["nhs_number"] = None
    for field, enum_class, default in (
        ("sex", Sex, Sex.NOT_KNOWN),
        ("ethnicity", Ethnicity, Ethnicity.NOT_KNOWN),
        ("primary_support_reason", PrimarySupportReason, PrimarySupportReason.NOT_KNOWN),
    ):
        raw = values.get(field)
        try:
            cleaned[field] = enum_class(raw) if raw else default
        except ValueError:
            errors[field] = [f"Choose the {field.replace('_', ' ')} from the list"]
    group = values.get("ethnic_group")
    cleaned["ethnic_group"] = None
    if group:
        try:
            cleaned["ethnic_group"] = EthnicGroup(group)
        except ValueError:
            errors["ethnic_group"] = ["Choose the ethnic group from the list"]
    if cleaned["ethnic_group"] is not None and "ethnicity" not in errors:
        broad = cleaned["ethnic_group"].broad
        given = values.get("ethnicity") or Ethnicity.NOT_KNOWN.value
        if given != Ethnicity.NOT_KNOWN.value and cleaned["ethnicity"] != broad:
            errors["ethnicity"] = [
                f"{cleaned['ethnic_group'].label} is in the group “{broad.label}”: choose "
                "that, or leave the broad group out"
            ]
        cleaned["ethnicity"] = broad
    upn = (values.get("upn") or "").strip().upper().replace(" ", "")
    if upn and not valid_upn(upn):
        errors["upn"] = [
            "Enter a valid unique pupil number: 13 characters, a check letter then 12 "
            "digits (the last may be a letter), like K001000000123"
        ]
    cleaned["upn"] = upn or None
    disabilities: set[Disability] = set()
    for raw in values.get("disabilities") or []:
        try:
            disabilities.add(Disability(raw))
        except ValueError:
            errors["disabilities"] = [f"'{raw}' is not a disability on the list"]
    if Disability.NONE in disabilities and len(disabilities) > 1:
        errors["disabilities"] = ["“No disability” cannot be chosen with a disability"]
    cleaned["disabilities"] = sorted(disabilities)
    postcode = (values.get("postcode") or "").strip().upper()
    if postcode and not POSTCODE.match(postcode):
        errors["postcode"] = ["Enter a real postcode, like NE1 4ST"]
    cleaned["postcode"] = postcode or None
    for field in ("address", "communication_needs", "advocate"):
        cleaned[field] = _text(values, field, 2000)
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def possible_duplicates(
    values: dict[str, Any], council_id: int, excluding: int | None = None
) -> list[Person]:
    """Existing records of a council's people (``core.policy.people.council_people``: never
    one only another council's cases name) with the same NHS number, or the same name and
    date of birth (merged records left out, and the record ``excluding`` when checking an
    existing one)."""
    conditions = []
    if values.get("nhs_number"):
        conditions.append(Person.nhs_number == values["nhs_number"])
    if values.get("date_of_birth"):
        conditions.append(
            sa.and_(
                sa.func.lower(Person.family_name) == values["family_name"].lower(),
                sa.func.lower(Person.given_name) == values["given_name"].lower(),
                Person.date_of_birth == values["date_of_birth"],
            )
        )
    if not conditions:
        return []
    return list(
        db.session.execute(
            sa.select(Person)
            .where(
                sa.or_(*conditions),
                Person.merged_into_id.is_(None),
                Person.id != excluding,
                council_people(council_id),
            )
            .order_by(Person.id)
            .limit(10)
        ).scalars()
    )


def create_person(values: dict[str, Any]) -> Person:
    person = new_person(values)
    db.session.flush()
    log_created(person)
    return person


def new_person(values: dict[str, Any]) -> Person:
    """A person record, checked and added to the session but not saved yet: for a caller
    that saves it in one flush with what it is recorded with, then calls
    :func:`log_created`."""
    person = Person(**clean_person({k: values.get(k) for k in PERSON_FIELDS}))
    db.session.add(person)
    return person


def log_created(person: Person) -> None:
    """The access log's entry for a person record just saved."""
    access_log.record("person.create", object_type="person", object_id=person.id)


def update_person(person: Person, values: dict[str, Any], version: int | None = None) -> Person:
    """Change a person's details. ``version`` is the one the editor read: a record changed
    since then is refused rather than silently overwritten."""
    if person.merged_into_id is not None:
        raise ValidationFailed.single("given_name", "This record was merged; change the one kept")
    if version is not None and version != person.version:
        raise ValidationFailed.single("version", STALE)
    cleaned = clean_person({k: values.get(k) for k in PERSON_FIELDS})
    for field, value in cleaned.items():
        setattr(person, field, value)
    db.session.flush()
    access_log.record("person.update", object_type="person", object_id=person.id)
    return person


def person_values(person: Person) -> dict[str, Any]:
    """The person's details as update_person takes them (codes for the lists)."""
    values = {field: getattr(person, field) for field in PERSON_FIELDS}
    values["disabilities"] = [d.value for d in person.disabilities]
    return {k: v.value if isinstance(v, enum.Enum) else v for k, v in values.items()}


def merged_into(person: Person) -> list[Person]:
    """The records merged into ``person``, most recent first."""
    return list(
        db.session.execute(
            sa.select(Person)
            .where(Person.merged_into_id == person.id)
            .order_by(Person.merged_at.desc(), Person.id.desc())
        ).scalars()
    )


# details the kept record takes from the merged one when it has none of its own
_FILLABLE = (
    "nhs_number",
    "upn",
    "ethnic_group",
    "date_of_birth",
    "address",
    "postcode",
    "communication_needs",
    "advocate",
)
_UNKNOWN = {
    "sex": Sex.NOT_KNOWN,
    "ethnicity": Ethnicity.NOT_KNOWN,
    "primary_support_reason": PrimarySupportReason.NOT_KNOWN,
}


def merge_people(keep: Person, merged: Person, reason: str, user: User) -> Person:
    """Merge ``merged`` into ``keep``: its concerns (deleted ones too) move across with an
    entry in each case's timeline, details ``keep`` lacks are copied over, and ``merged``
    stays, marked as merged into ``keep`` with who, when and why."""
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if keep.id == merged.id:
        errors["records"] = ["Choose two different records"]
    elif keep.merged_into_id is not None or merged.merged_into_id is not None:
        errors["records"] = ["One of these records has already been merged"]
    elif keep.nhs_number and merged.nhs_number and keep.nhs_number != merged.nhs_number:
        errors["records"] = [
            "The two records have different NHS numbers. Correct the wrong one before merging"
        ]
    if not reason:
        errors["reason"] = ["Give the reason for merging these records"]
    elif len(reason) > 2000:
        errors["reason"] = ["The reason must be 2,000 characters or fewer"]
    if errors:
        raise ValidationFailed(errors)
    copied = []
    for field in _FILLABLE:
        if getattr(keep, field) is None and getattr(merged, field) is not None:
            setattr(keep, field, getattr(merged, field))
            copied.append(field.replace("_", " "))
    if keep.date_of_birth is not None:
        keep.estimated_age = None
    elif keep.estimated_age is None and merged.estimated_age is not None:
        keep.estimated_age = merged.estimated_age
        copied.append("estimated age")
    for field, unknown in _UNKNOWN.items():
        if getattr(keep, field) == unknown and getattr(merged, field) != unknown:
            setattr(keep, field, getattr(merged, field))
            copied.append(field.replace("_", " "))
    merged.merged_into_id, merged.merged_at = keep.id, utcnow()
    merged.merged_by_id, merged.merge_reason = user.id, reason
    summary = f"Person record {merged.id} merged into record {keep.id}: {reason}"
    if copied:
        summary += f" (copied from record {merged.id}: {', '.join(copied)})"
    concerns = db.session.execute(sa.select(Concern).where(Concern.person_id == merged.id))
    for concern in concerns.scalars():
        concern.person_id = keep.id
        add_event(concern, user, "person.merged", summary)
    # the hospital discharges about the person move across too
    for discharge in db.session.scalars(
        sa.select(HospitalDischarge).where(HospitalDischarge.person_id == merged.id)
    ):
        discharge.person_id = keep.id
    # so do the concerns naming them as alleged to have caused harm, and their relationships
    for alleged in db.session.scalars(
        sa.select(AllegedPerson).where(AllegedPerson.person_id == merged.id)
    ):
        alleged.person_id = keep.id
    for link in db.session.scalars(
        sa.select(PersonRelationship).where(
            sa.or_(
                PersonRelationship.person_id == merged.id, PersonRelationship.other_id == merged.id
            )
        )
    ):
        link.person_id = keep.id if link.person_id == merged.id else link.person_id
        link.other_id = keep.id if link.other_id == merged.id else link.other_id
        if link.person_id == link.other_id:  # a relationship between the two records
            db.session.delete(link)
    db.session.flush()
    access_log.record("person.merge", object_type="person", object_id=merged.id)
    access_log.record("person.merge_into", object_type="person", object_id=keep.id)
    return keep


def clean_establishment(values: dict[str, Any], existing: Establishment | None) -> dict[str, Any]:
    """Check and normalise establishment details; raises ValidationFailed listing every
    problem. CQC location ids and ODS codes belong to one establishment only."""

    errors: dict[str, list[str]] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = ["Enter the establishment's name"]
    elif len(name) > 200:
        errors["name"] = ["The name must be 200 characters or fewer"]
    try:
        kind = LocationOfRisk(values.get("kind"))
    except ValueError:
        errors["kind"] = ["Select what kind of place this is"]
        kind = None
    others = Establishment.id != (existing.id if existing else None)
    cqc = (values.get("cqc_location_id") or "").strip() or None
    if cqc and not CQC_LOCATION.match(cqc):
        errors["cqc_location_id"] = [
            "CQC location id must be 1- followed by digits, like 1-123456789"
        ]
    elif cqc and db.session.scalar(
        sa.select(Establishment.id).where(Establishment.cqc_location_id == cqc, others)
    ):
        errors["cqc_location_id"] = ["Another establishment already has this CQC location id"]
    ods = (values.get("ods_code") or "").strip().upper() or None
    if ods and not ODS_CODE.match(ods):
        errors["ods_code"] = ["ODS code must be 3 to 5 letters or digits, like RX1 or RX1AB"]
    elif ods and db.session.scalar(
        sa.select(Establishment.id).where(Establishment.ods_code == ods, others)
    ):
        errors["ods_code"] = ["Another establishment already has this ODS code"]
    provider = values.get("provider_agency_id")
    if provider is not None and db.session.get(Agency, provider) is None:
        errors["provider_agency_id"] = ["Select the agency that runs this establishment"]
    postcode = (values.get("postcode") or "").strip().upper()
    if postcode and not POSTCODE.match(postcode):
        errors["postcode"] = ["Enter a real postcode, like NE1 4ST"]
    if errors:
        raise ValidationFailed(errors)
    return {
        "name": name,
        "kind": kind,
        "cqc_location_id": cqc,
        "ods_code": ods,
        "address": _text(values, "address", 2000),
        "postcode": postcode or None,
        "provider_agency_id": provider,
    }


def create_establishment(values: dict[str, Any]) -> Establishment:
    establishment = Establishment(**clean_establishment(values, None))
    db.session.add(establishment)
    db.session.flush()
    access_log.record(
        "establishment.create", object_type="establishment", object_id=establishment.id
    )
    return establishment


def propose_establishment(values: dict[str, Any], user: Any) -> Establishment:
    """A partner's practitioner proposes an establishment its agency runs (a care home it
    has just opened): checked as the team's are, run by the proposer's agency, used only
    once the safeguarding team confirms it."""
    if getattr(user, "agency_id", None) is None:
        raise ValidationFailed.single(
            "provider_agency_id", "Only a partner agency proposes an establishment it runs"
        )
    cleaned = clean_establishment(values | {"provider_agency_id": user.agency_id}, None)
    establishment = Establishment(
        **cleaned, status=EstablishmentStatus.PROPOSED, proposed_by_id=user.id
    )
    db.session.add(establishment)
    db.session.flush()
    access_log.record(
        "establishment.propose", object_type="establishment", object_id=establishment.id
    )
    return establishment


def _require_proposed(establishment: Establishment) -> None:
    if establishment.status != EstablishmentStatus.PROPOSED:
        raise ValidationFailed.single(
            "status", f"{establishment.name} is not waiting to be confirmed"
        )


def confirm_establishment(establishment: Establishment) -> Establishment:
    """The team confirms a proposed establishment: from now on it is used as any other."""
    _require_proposed(establishment)
    establishment.status = EstablishmentStatus.CONFIRMED
    db.session.flush()
    access_log.record(
        "establishment.confirm", object_type="establishment", object_id=establishment.id
    )
    return establishment


def decline_establishment(establishment: Establishment, reason: str) -> Establishment:
    """The team declines a proposed establishment, saying why (the proposer reads it);
    it is kept, never used."""
    _require_proposed(establishment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "Enter why the establishment is declined")
    if len(reason) > 2000:
        raise ValidationFailed.single("reason", "The reason must be 2,000 characters or fewer")
    establishment.status = EstablishmentStatus.DECLINED
    establishment.declined_reason = reason
    db.session.flush()
    access_log.record(
        "establishment.decline", object_type="establishment", object_id=establishment.id
    )
    return establishment


def update_establishment(
    establishment: Establishment, values: dict[str, Any], version: int | None = None
) -> Establishment:
    if version is not None and version != establishment.version:
        raise ValidationFailed.single("version", STALE)
    for field, value in clean_establishment(values, establishment).items():
        setattr(establishment, field, value)
    db.session.flush()
    access_log.record(
        "establishment.update", object_type="establishment", object_id=establishment.id
    )
    return establishment


# --- People around the case: relationships and the person alleged to have caused harm ---

NEEDS_DETAIL = {RelationshipKind.OTHER, RelationshipKind.PROFESSIONAL}


def find_or_create_person(
    values: dict[str, Any], council_id: int, field: str = "person"
) -> tuple[Person, bool]:
    """The record named by ``person_id``, or the one of the council's people matching the
    details given in ``person`` (the same NHS number, or name and date of birth: the
    duplicate check of a new record), or a new record of them. Answers the record and
    whether it was made."""
    if values.get("person_id") is not None:
        found = council_person(council_id, values["person_id"])
        if found is None:
            raise ValidationFailed.single("person_id", "There is no person with this record number")
        return found, False
    details = values.get(field) or {}
    if not details:
        raise ValidationFailed.single(
            "given_name", "Enter the person's name, or the number of their record"
        )
    cleaned = clean_person({k: details.get(k) for k in PERSON_FIELDS})
    matches = possible_duplicates(cleaned, council_id)
    if matches:
        return matches[0], False
    return create_person(cleaned), True


def _clean_kind(
    values: dict[str, Any], errors: dict[str, list[str]], kind_field: str, detail_field: str
) -> tuple[RelationshipKind | None, str | None]:
    kind = None
    try:
        kind = RelationshipKind(values.get(kind_field) or "")
    except ValueError:
        errors[kind_field] = ["Select the relationship"]
    detail = (values.get(detail_field) or "").strip() or None
    if detail and len(detail) > 200:
        errors[detail_field] = ["The description must be 200 characters or fewer"]
    elif kind in NEEDS_DETAIL and not detail:
        errors[detail_field] = ["Describe the relationship, for example: neighbour, GP"]
    return kind, detail


def _named_person(
    values: dict[str, Any], field: str, errors: dict[str, list[str]], council_id: int
) -> Person | None:
    """:func:`find_or_create_person`, its problems added to ``errors`` (so a page says
    every problem at once) and nothing made when there are any."""
    if errors:  # check the details, make no record
        try:
            if values.get("person_id") is None:
                clean_person({k: (values.get(field) or {}).get(k) for k in PERSON_FIELDS})
            elif council_person(council_id, values["person_id"]) is None:
                errors["person_id"] = ["There is no person with this record number"]
        except ValidationFailed as failed:
            errors.update({k: v for k, v in failed.errors.items() if k not in errors})
        return None
    try:
        return find_or_create_person(values, council_id, field)[0]
    except ValidationFailed as failed:
        errors.update(failed.errors)
        return None


def add_relationship(person: Person, values: dict[str, Any], user: User) -> PersonRelationship:
    """Record how ``person`` stands to another person (found or added): ``kind`` reads
    from ``person`` ("parent" of the other), or from the other when ``reversed``."""
    errors: dict[str, list[str]] = {}
    kind, detail = _clean_kind(values, errors, "kind", "detail")
    other = _named_person(values, "other", errors, user.council_id)
    if other is not None and other.id == survivor_of(person).id:
        errors["person_id"] = ["A person cannot be related to themselves"]
    if errors:
        raise ValidationFailed(errors)
    assert kind is not None and other is not None
    first, second = (other, person) if values.get("reversed") else (person, other)
    link = PersonRelationship(
        person_id=first.id, other_id=second.id, kind=kind, detail=detail, created_by_id=user.id
    )
    db.session.add(link)
    db.session.flush()
    access_log.record("person.relationship_add", object_type="person", object_id=person.id)
    return link


def change_relationship(link: PersonRelationship, values: dict[str, Any]) -> PersonRelationship:
    """Correct a relationship's kind or description (what is sent; the rest stays)."""
    errors: dict[str, list[str]] = {}
    current = {"kind": link.kind.value, "detail": link.detail}
    kind, detail = _clean_kind(current | values, errors, "kind", "detail")
    if errors:
        raise ValidationFailed(errors)
    assert kind is not None
    link.kind, link.detail = kind, detail
    db.session.flush()
    access_log.record("person.relationship_change", object_type="person", object_id=link.person_id)
    return link


def end_relationship(
    link: PersonRelationship, ended_on: date | None, reason: str, user: User
) -> PersonRelationship:
    """End a relationship (moved out, separated, no longer the carer) with the day and
    why; kept, shown as ended."""
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if link.ended_on is not None:
        errors["reason"] = ["This relationship has already ended"]
    elif not reason:
        errors["reason"] = ["Say why the relationship ended"]
    elif len(reason) > 2000:
        errors["reason"] = ["The reason must be 2,000 characters or fewer"]
    today = to_local(utcnow()).date()
    if ended_on is not None and ended_on > today:
        errors["ended_on"] = ["The day it ended must be today or in the past"]
    if errors:
        raise ValidationFailed(errors)
    link.ended_on, link.end_reason, link.ended_by_id = ended_on or today, reason, user.id
    db.session.flush()
    access_log.record("person.relationship_end", object_type="person", object_id=link.person_id)
    return link


def relationships_of(person_id: int, include_ended: bool = True) -> list[PersonRelationship]:
    """The person's relationships, from either end: current first, then ended ones."""
    query = sa.select(PersonRelationship).where(
        sa.or_(PersonRelationship.person_id == person_id, PersonRelationship.other_id == person_id)
    )
    if not include_ended:
        query = query.where(PersonRelationship.ended_on.is_(None))
    return list(
        db.session.scalars(
            query.options(
                sa.orm.selectinload(PersonRelationship.person),
                sa.orm.selectinload(PersonRelationship.other),
            ).order_by(PersonRelationship.ended_on.is_not(None), PersonRelationship.id)
        )
    )


def relationship_view(link: PersonRelationship, person_id: int) -> dict[str, Any]:
    """A relationship as read from ``person_id``'s record (pages and the API)."""
    words, other = link.seen_from(person_id)
    return {
        "id": link.id,
        "relationship": words,
        "kind": link.kind.value,
        "recorded_from": "this_person" if link.person_id == person_id else "other_person",
        "detail": link.detail,
        "other_person_id": other.id,
        "other_person_name": other.full_name,
        "ended_on": link.ended_on,
        "end_reason": link.end_reason,
    }


def clean_alleged(values: dict[str, Any]) -> dict[str, Any]:
    """The facts about a person alleged to have caused harm: their relationship to the
    person at risk; whether they were told of the concern (the day) or why not; whether
    they have care and support needs and, if so, whether support was offered (why not)."""
    errors: dict[str, list[str]] = {}
    kind, detail = _clean_kind(values, errors, "relationship_kind", "relationship_detail")
    cleaned: dict[str, Any] = {"relationship_kind": kind, "relationship_detail": detail}
    try:
        informed = InformedStatus(values.get("informed") or InformedStatus.NOT_YET.value)
    except ValueError:
        errors["informed"] = ["Select whether they were told of the concern"]
        informed = InformedStatus.NOT_YET
    day = values.get("informed_on")
    reason = (values.get("not_informed_reason") or "").strip() or None
    if informed == InformedStatus.INFORMED:
        if day is None:
            errors["informed_on"] = ["Enter the day they were told of the concern"]
        elif day > to_local(utcnow()).date():
            errors["informed_on"] = ["The day they were told must be today or in the past"]
    elif day is not None:
        errors["informed_on"] = ["Give the day they were told only if they were informed"]
    if informed == InformedStatus.NOT_INFORMED and not reason:
        errors["not_informed_reason"] = [
            "Say why they were not told, for example: it would put the person at risk"
        ]
    elif informed != InformedStatus.NOT_INFORMED and reason:
        errors["not_informed_reason"] = ["Give a reason only if they were not informed"]
    cleaned |= {"informed": informed, "informed_on": day, "not_informed_reason": reason}
    needs = values.get("has_care_needs")
    if isinstance(needs, str):
        needs = {"yes": True, "no": False}.get(needs)
    support = None
    try:
        support = SupportOffer(values["support"]) if values.get("support") else None
    except ValueError:
        errors["support"] = ["Select whether support was offered"]
    why_not = (values.get("support_not_offered_reason") or "").strip() or None
    if needs is True and support is None and "support" not in errors:
        errors["support"] = ["Select whether support was offered for their own needs"]
    if needs is not True and support is not None:
        errors["support"] = ["Record support only for a person with care and support needs"]
    if support == SupportOffer.NOT_OFFERED and not why_not:
        errors["support_not_offered_reason"] = ["Say why support was not offered"]
    elif support != SupportOffer.NOT_OFFERED and why_not:
        errors["support_not_offered_reason"] = ["Give a reason only if support was not offered"]
    for field in ("not_informed_reason", "support_not_offered_reason"):
        if (values.get(field) or "") and len(values[field]) > 2000:
            errors[field] = ["The reason must be 2,000 characters or fewer"]
    trust = _clean_trust(values, errors)
    if errors:
        raise ValidationFailed(errors)
    return (
        cleaned
        | {
            "has_care_needs": needs,
            "support": support,
            "support_not_offered_reason": why_not,
        }
        | trust
    )


TRUST_FIELDS = (
    "trust_capacity",
    "trust_agency_id",
    "trust_establishment_id",
    "trust_employer",
    "trust_role",
)


def _clean_trust(values: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """Whether they are employed or volunteer in a position of trust (Care and support
    statutory guidance, 14.120 to 14.132; Working Together to Safeguard Children 2023,
    chapter 4): where (one of an agency, an establishment or a name) and their role; none
    of it when they are not in one."""
    capacity = None
    try:
        raw = values.get("trust_capacity") or None
        capacity = TrustCapacity(raw) if raw else None
    except ValueError:
        errors["trust_capacity"] = ["Select whether they are employed or volunteer"]
    agency_id = values.get("trust_agency_id") or None
    establishment_id = values.get("trust_establishment_id") or None
    employer = (values.get("trust_employer") or "").strip() or None
    role = (values.get("trust_role") or "").strip() or None
    if agency_id is not None and db.session.get(Agency, agency_id) is None:
        errors["trust_agency_id"] = ["Select an agency from the list"]
    if establishment_id is not None:
        place = db.session.get(Establishment, establishment_id)
        if place is None or place.status != EstablishmentStatus.CONFIRMED:
            errors["trust_establishment_id"] = ["Select an establishment from the list"]
    for field, text in (("trust_employer", employer), ("trust_role", role)):
        if text and len(text) > 200:
            errors[field] = ["Use 200 characters or fewer"]
    given = [x for x in (agency_id, establishment_id, employer) if x is not None]
    if capacity is not None and "trust_capacity" not in errors:
        if not given:
            errors["trust_employer"] = [
                "Give where they work or volunteer: an agency, an establishment or a name"
            ]
        elif len(given) > 1:
            errors["trust_employer"] = [
                "Give one employer: an agency, an establishment or a name, not more"
            ]
        if not role:
            errors["trust_role"] = ["Give their role, for example: care assistant"]
    elif capacity is None and "trust_capacity" not in errors and (given or role):
        errors["trust_capacity"] = [
            "Select whether they are employed or volunteer, or leave the employer and role empty"
        ]
    return {
        "trust_capacity": capacity,
        "trust_agency_id": agency_id,
        "trust_establishment_id": establishment_id,
        "trust_employer": employer,
        "trust_role": role,
    }


def alleged_of(concern: Concern) -> list[AllegedPerson]:
    """The people alleged to have caused harm in the concern (those removed left out)."""
    return list(
        db.session.scalars(
            sa.select(AllegedPerson)
            .where(AllegedPerson.concern_id == concern.id, AllegedPerson.removed_at.is_(None))
            .options(sa.orm.selectinload(AllegedPerson.person))
            .order_by(AllegedPerson.id)
        )
    )


def add_alleged(concern: Concern, values: dict[str, Any], user: User) -> AllegedPerson:
    """Name a person alleged to have caused harm in the concern (a record found or made),
    with the facts :func:`clean_alleged` checks; on the case's timeline."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    try:
        cleaned = clean_alleged(values)
    except ValidationFailed as failed:
        errors.update(failed.errors)
    person = _named_person(values, "person", errors, concern.council_id)
    if person is not None and person.id == survivor_of(concern.person).id:
        errors["person_id"] = [
            "The person at risk cannot be the person alleged to have caused harm"
        ]
    elif person is not None and any(a.person_id == person.id for a in alleged_of(concern)):
        errors["person_id"] = [f"{person.full_name} is already named on this concern"]
    if errors:
        raise ValidationFailed(errors)
    alleged = AllegedPerson(concern_id=concern.id, person=person, created_by_id=user.id, **cleaned)
    db.session.add(alleged)
    db.session.flush()
    # the timeline says that someone was named, not who (it is read more widely)
    add_event(concern, user, "concern.alleged_add", "A person alleged to have caused harm named")
    return alleged


def update_alleged(alleged: AllegedPerson, values: dict[str, Any], user: User) -> AllegedPerson:
    """Change what is recorded (what is sent; the rest stays): whether they were told,
    their support."""
    current = {
        "relationship_kind": alleged.relationship_kind.value,
        "relationship_detail": alleged.relationship_detail,
        "informed": alleged.informed.value,
        "informed_on": alleged.informed_on,
        "not_informed_reason": alleged.not_informed_reason,
        "has_care_needs": alleged.has_care_needs,
        "support": alleged.support.value if alleged.support else None,
        "support_not_offered_reason": alleged.support_not_offered_reason,
        "trust_capacity": alleged.trust_capacity.value if alleged.trust_capacity else None,
        "trust_agency_id": alleged.trust_agency_id,
        "trust_establishment_id": alleged.trust_establishment_id,
        "trust_employer": alleged.trust_employer,
        "trust_role": alleged.trust_role,
    }
    for field, value in clean_alleged(current | values).items():
        setattr(alleged, field, value)
    db.session.flush()
    concern = db.session.get(Concern, alleged.concern_id)
    assert concern is not None
    add_event(
        concern,
        user,
        "concern.alleged_change",
        f"Person alleged to have caused harm: {alleged.informed.label.lower()}",
    )
    return alleged


def remove_alleged(alleged: AllegedPerson, reason: str, user: User) -> None:
    """Take a person named in error off the concern, saying why (kept, not shown)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single("reason", "Say why they are no longer named")
    if len(reason) > 2000:
        raise ValidationFailed.single("reason", "The reason must be 2,000 characters or fewer")
    alleged.removed_at, alleged.removed_reason = utcnow(), reason
    db.session.flush()
    concern = db.session.get(Concern, alleged.concern_id)
    assert concern is not None
    add_event(concern, user, "concern.alleged_remove", f"Person alleged no longer named: {reason}")


def other_concerns_naming(alleged: list[AllegedPerson]) -> dict[int, list[Concern]]:
    """For the safeguarding team: the other live concerns naming each person as alleged
    to have caused harm, by person id, in one query."""
    ids = {a.person_id for a in alleged}
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(AllegedPerson.person_id, Concern)
        .join(Concern, Concern.id == AllegedPerson.concern_id)
        .where(
            AllegedPerson.person_id.in_(ids),
            AllegedPerson.removed_at.is_(None),
            Concern.deleted_at.is_(None),
        )
        .order_by(Concern.received_at.desc(), Concern.id.desc())
    )
    found: dict[int, list[Concern]] = {i: [] for i in ids}
    current = {a.person_id: a.concern_id for a in alleged}
    for person_id, concern in rows:
        if concern.id != current[person_id]:
            found[person_id].append(concern)
    return found


def concerns_naming(person: Person) -> list[Concern]:
    """The live concerns naming ``person`` as alleged to have caused harm, newest first."""
    return list(
        db.session.scalars(
            sa.select(Concern)
            .join(AllegedPerson, AllegedPerson.concern_id == Concern.id)
            .where(
                AllegedPerson.person_id == person.id,
                AllegedPerson.removed_at.is_(None),
                Concern.deleted_at.is_(None),
            )
            .order_by(Concern.received_at.desc(), Concern.id.desc())
        )
    )
