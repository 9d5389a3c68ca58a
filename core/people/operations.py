"""Recording people and establishments; finding likely duplicates before creating one."""

from __future__ import annotations

import enum
import re
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.concerns.models import Concern, add_event
from core.db import utcnow
from core.discharges.models import HospitalDischarge
from core.errors import ValidationFailed
from core.extensions import db
from core.people.models import Establishment, EstablishmentStatus, Person

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


def possible_duplicates(values: dict[str, Any], excluding: int | None = None) -> list[Person]:
    """Existing records with the same NHS number, or the same name and date of birth
    (merged records left out, and the record ``excluding`` when checking an existing one)."""
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
            .where(sa.or_(*conditions), Person.merged_into_id.is_(None), Person.id != excluding)
            .order_by(Person.id)
            .limit(10)
        ).scalars()
    )


def create_person(values: dict[str, Any]) -> Person:
    person = Person(**clean_person({k: values.get(k) for k in PERSON_FIELDS}))
    db.session.add(person)
    db.session.flush()
    access_log.record("person.create", object_type="person", object_id=person.id)
    return person


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
