"""Creating and changing agencies. Checks run here, so pages, API and CLI agree."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified

from core.accesslog import operations as access_log
from core.auth.models import Agency, Council
from core.db import MAX_ID, record_id
from core.errors import ValidationFailed
from core.extensions import db
from core.platform import current_platform
from core.users.operations import acting_council_id

ODS_CODE = re.compile(r"^[A-Z0-9]{3,5}$")
CQC_CODE = re.compile(r"^1-\d{6,12}$")
FIELDS = ("name", "type", "ods_code", "cqc_code", "active", "team_mailbox")


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for key in ("name", "ods_code", "cqc_code", "team_mailbox"):
        if key in cleaned and isinstance(cleaned[key], str):
            cleaned[key] = cleaned[key].strip() or None
    if cleaned.get("ods_code"):
        cleaned["ods_code"] = cleaned["ods_code"].upper()
    return cleaned


def _check(values: dict[str, Any], agency: Agency | None) -> None:
    errors: dict[str, list[str]] = {}
    name = values.get("name")
    if not name:
        errors["name"] = ["Enter the agency's name"]
    elif len(name) > 200:
        errors["name"] = ["Agency name must be 200 characters or fewer"]
    else:
        clash = db.session.execute(
            sa.select(Agency.id).where(sa.func.lower(Agency.name) == name.lower())
        ).scalar_one_or_none()
        if clash is not None and (agency is None or clash != agency.id):
            errors["name"] = ["An agency with this name already exists"]
    agency_type = values.get("type")
    if agency_type not in current_platform().agency_types:
        errors["type"] = ["Select the type of agency"]
    ods = values.get("ods_code")
    if ods and not ODS_CODE.match(ods):
        errors["ods_code"] = ["ODS code must be 3 to 5 letters or digits, like RX1 or RX1AB"]
    mailbox = values.get("team_mailbox")
    if mailbox and (len(mailbox) > 254 or not EMAIL.match(mailbox)):
        errors["team_mailbox"] = [
            "Enter the team mailbox as an email address, like safeguarding@trust.nhs.uk"
        ]
    cqc = values.get("cqc_code")
    if cqc and not CQC_CODE.match(cqc):
        errors["cqc_code"] = ["CQC id must be 1- followed by digits, like 1-123456789"]
    for field, column in (("ods_code", Agency.ods_code), ("cqc_code", Agency.cqc_code)):
        code = values.get(field)
        if code and field not in errors:
            holder = db.session.execute(sa.select(Agency.id).where(column == code)).scalar()
            if holder is not None and (agency is None or holder != agency.id):
                errors[field] = ["Another agency already has this code"]
    if errors:
        raise ValidationFailed(errors)


def _councils(raw: Any, agency: Agency | None) -> list[Council]:
    """The council areas an agency serves, as a form or request names them by id: one or
    more, each in use (one it already serves may stay after it is taken out of use)."""
    try:
        wanted = {int(item) for item in raw}
    except (TypeError, ValueError):
        raise ValidationFailed.single("council_ids", "Choose the councils from the list") from None
    if not wanted:
        raise ValidationFailed.single("council_ids", "Choose at least one council it serves")
    if any(not 0 < item <= MAX_ID for item in wanted):  # no record has such an id
        raise ValidationFailed.single("council_ids", "Choose the councils from the list")
    found = list(
        db.session.scalars(sa.select(Council).where(Council.id.in_(wanted)).order_by(Council.name))
    )
    held = {c.id for c in agency.councils} if agency is not None else set()
    if len(found) != len(wanted) or any(not c.active and c.id not in held for c in found):
        raise ValidationFailed.single("council_ids", "Choose the councils from the list")
    return found


def create_agency(council_ids: Iterable[int] | None = None, **values: Any) -> Agency:
    """A new agency, serving the councils named (none named: the administrator's own, or
    the instance's one council)."""
    values = _clean({k: v for k, v in values.items() if k in FIELDS})
    values.setdefault("active", True)
    _check(values, None)
    if not council_ids:
        council_ids = [acting_council_id()]
    agency = Agency(**values, councils=_councils(council_ids, None))
    db.session.add(agency)
    db.session.flush()
    access_log.record("agency.create", object_type="agency", object_id=agency.id)
    return agency


def update_agency(
    agency: Agency, council_ids: Iterable[int] | None = None, **changes: Any
) -> Agency:
    """Change an agency; ``council_ids``, when given, are all the councils it now serves."""
    changes = _clean({k: v for k, v in changes.items() if k in FIELDS})
    merged = {field: getattr(agency, field) for field in FIELDS} | changes
    _check(merged, agency)
    if council_ids is not None:
        served = _councils(council_ids, agency)
        if {c.id for c in served} != {c.id for c in agency.councils}:
            agency.councils = served
            flag_modified(agency, "name")  # a new version (ETag) for the councils it serves
    for field, value in changes.items():
        setattr(agency, field, value)
    db.session.flush()
    access_log.record("agency.update", object_type="agency", object_id=agency.id)
    return agency


def named_agencies(ids: Iterable[int]) -> list[Agency] | None:
    """The agencies a form or request names by id (the readers of a restricted note or of
    a meeting's confidential minutes); None if any of them does not exist."""
    wanted = set(ids)
    found = list(db.session.scalars(sa.select(Agency).where(Agency.id.in_(wanted))))
    return found if len(found) == len(wanted) else None


def find_agency(name_or_id: str) -> Agency | None:
    if name_or_id.strip().isdigit():
        wanted = record_id(name_or_id)
        return db.session.get(Agency, wanted) if wanted else None
    return db.session.execute(
        sa.select(Agency).where(sa.func.lower(Agency.name) == name_or_id.strip().lower())
    ).scalar_one_or_none()


SEARCH_LIMIT = 20
SEARCH_MAX = 100


def search_agencies(text: str, council_id: int | None = None) -> list[dict[str, Any]]:
    """The active agencies whose name, ODS code or CQC id holds ``text`` (any case), by
    name, the agencies serving ``council_id`` first; at most ``SEARCH_LIMIT``. What the
    agency pickers of the case pages offer as one types (docs/pages.md, "Pickers")."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed.single("q", "Enter some of the agency's name or code")
    if len(text) > SEARCH_MAX:
        raise ValidationFailed.single("q", f"Search with {SEARCH_MAX} characters or fewer")
    if council_id is not None and (
        not 0 < council_id <= MAX_ID or db.session.get(Council, council_id) is None
    ):
        raise ValidationFailed.single("council_id", "There is no such council")
    serving = (
        Agency.councils.any(Council.id == council_id) if council_id is not None else sa.false()
    )
    matching = sa.or_(
        *(
            column.icontains(text, autoescape=True)
            for column in (Agency.name, Agency.ods_code, Agency.cqc_code)
        )
    )
    rows = db.session.execute(
        sa.select(Agency.id, Agency.name, Agency.ods_code, Agency.cqc_code, serving)
        .where(Agency.active.is_(True), matching)
        .order_by(sa.case((serving, 0), else_=1), Agency.name, Agency.id)
        .limit(SEARCH_LIMIT)
    ).all()
    return [
        {"id": r[0], "name": r[1], "ods_code": r[2], "cqc_code": r[3], "serves_council": bool(r[4])}
        for r in rows
    ]
