"""Recording people and establishments; finding likely duplicates before creating one."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.people.models import Establishment, Person
from core.reference import Ethnicity, LocationOfRisk, PrimarySupportReason, Sex, valid_nhs_number

POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")
CQC_LOCATION = re.compile(r"^1-\d{6,12}$")
PERSON_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "estimated_age",
    "nhs_number",
    "sex",
    "ethnicity",
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
    postcode = (values.get("postcode") or "").strip().upper()
    if postcode and not POSTCODE.match(postcode):
        errors["postcode"] = ["Enter a real postcode, like NE1 4ST"]
    cleaned["postcode"] = postcode or None
    for field in ("address", "communication_needs", "advocate"):
        cleaned[field] = _text(values, field, 2000)
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def possible_duplicates(values: dict[str, Any]) -> list[Person]:
    """Existing records with the same NHS number, or the same name and date of birth."""
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
            .where(sa.or_(*conditions), Person.merged_into_id.is_(None))
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


def create_establishment(values: dict[str, Any]) -> Establishment:
    from core.agencies.models import Agency

    errors: dict[str, list[str]] = {}
    name = (values.get("name") or "").strip()
    if not name:
        errors["name"] = ["Enter the establishment's name"]
    try:
        kind = LocationOfRisk(values.get("kind"))
    except ValueError:
        errors["kind"] = ["Select what kind of place this is"]
        kind = None
    cqc = (values.get("cqc_location_id") or "").strip() or None
    if cqc and not CQC_LOCATION.match(cqc):
        errors["cqc_location_id"] = [
            "CQC location id must be 1- followed by digits, like 1-123456789"
        ]
    elif cqc and db.session.scalar(
        sa.select(Establishment.id).where(Establishment.cqc_location_id == cqc)
    ):
        errors["cqc_location_id"] = ["Another establishment already has this CQC location id"]
    provider = values.get("provider_agency_id")
    if provider is not None and db.session.get(Agency, provider) is None:
        errors["provider_agency_id"] = ["Select the agency that runs this establishment"]
    postcode = (values.get("postcode") or "").strip().upper()
    if postcode and not POSTCODE.match(postcode):
        errors["postcode"] = ["Enter a real postcode, like NE1 4ST"]
    if errors:
        raise ValidationFailed(errors)
    establishment = Establishment(
        name=name,
        kind=kind,
        cqc_location_id=cqc,
        ods_code=(values.get("ods_code") or "").strip().upper() or None,
        address=_text(values, "address", 2000),
        postcode=postcode or None,
        provider_agency_id=provider,
    )
    db.session.add(establishment)
    db.session.flush()
    access_log.record(
        "establishment.create", object_type="establishment", object_id=establishment.id
    )
    return establishment
