"""Creating and changing teams, areas and council areas (``Council``), and the checks
pages, API and other operations share when a user or a concern names one. Nothing is
deleted: one in use is deactivated and keeps its history.

Teams and areas are each council area's own (``council_id``; a name is unique within a
council): the lists and pickers of a council offer only its own
(:func:`core.policy.teams.council_named`), and a form or request naming another council's
is refused as one not on the list."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.auth.models import Council, Locality, Team
from core.db import MAX_ID
from core.errors import ValidationFailed
from core.extensions import db
from core.policy.teams import council_named

Kind = type[Team] | type[Locality] | type[Council]
FIELDS = ("name", "active")
# what each kind is called on pages and in messages
KINDS: dict[Kind, tuple[str, str]] = {
    Team: ("team", "team"),
    Locality: ("locality", "area"),
    Council: ("council", "council"),
}
NOT_RECORDED = "Not recorded"


def _of_council(model: Kind, council_id: int | None) -> sa.Select[Any]:
    """Every council, or a council's teams (or areas)."""
    if model is Council:
        return sa.select(model)
    if council_id is None:
        raise ValueError("a team or an area is of a council: say which")
    return council_named(model, council_id)


def _check(model: Kind, values: dict[str, Any], current: Any) -> None:
    word = KINDS[model][1]
    name = values.get("name")
    if not name:
        raise ValidationFailed.single("name", f"Enter the {word}'s name")
    if len(name) > 200:
        raise ValidationFailed.single("name", "Name must be 200 characters or fewer")
    same_name = _of_council(model, values.get("council_id")).where(
        sa.func.lower(model.name) == name.lower()
    )
    clash = db.session.scalar(same_name.with_only_columns(model.id))
    if clash is not None and (current is None or clash != current.id):
        raise ValidationFailed.single("name", f"A {word} with this name already exists")


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: v for k, v in values.items() if k in FIELDS}
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
    if "active" in cleaned:
        cleaned["active"] = bool(cleaned["active"])
    return cleaned


def create(model: Kind, council_id: int | None = None, **values: Any) -> Any:
    """A new team or area of ``council_id`` (active unless told otherwise), or a council."""
    cleaned = {"active": True} | _clean(values)
    if model is not Council:
        cleaned["council_id"] = council_id
    _check(model, cleaned, None)
    made = model(**cleaned)
    db.session.add(made)
    db.session.flush()
    kind = KINDS[model][0]
    access_log.record(f"{kind}.create", object_type=kind, object_id=made.id)
    return made


def update(current: Team | Locality | Council, **changes: Any) -> Any:
    """Rename, deactivate or reactivate a team or area."""
    model = type(current)
    cleaned = _clean(changes)
    council = {} if model is Council else {"council_id": current.council_id}
    _check(model, {"name": current.name} | council | cleaned, current)
    for field, value in cleaned.items():
        setattr(current, field, value)
    db.session.flush()
    kind = KINDS[model][0]
    access_log.record(f"{kind}.update", object_type=kind, object_id=current.id)
    return current


def listed(model: Kind, active: bool | None = None, council_id: int | None = None) -> list[Any]:
    """Every council, or a council's teams or areas, by name (a council has a handful), or
    only the active ones."""
    query = _of_council(model, council_id).order_by(model.name, model.id)
    if active is not None:
        query = query.where(model.active.is_(active))
    return list(db.session.scalars(query))


def chosen(
    model: Kind,
    raw: Any,
    field: str,
    errors: dict[str, list[str]],
    current_id: int | None = None,
    council_id: int | None = None,
) -> int | None:
    """The id of the team or area of ``council_id`` a form or request names (blank:
    none), which must exist and be active (one already held may stay when it has been
    deactivated); a problem goes into ``errors`` under ``field``."""
    if raw in (None, "", "None"):
        return None
    word = KINDS[model][1]
    try:
        wanted = int(raw)
    except (TypeError, ValueError):
        errors[field] = [f"Choose the {word} from the list"]
        return None
    found: Any = (
        db.session.scalar(_of_council(model, council_id).where(model.id == wanted))
        if 0 < wanted <= MAX_ID
        else None
    )
    if found is None:
        errors[field] = [f"Choose the {word} from the list"]
        return None
    if not found.active and wanted != current_id:
        errors[field] = [f"The {word} {found.name} is no longer in use: choose another"]
        return None
    return wanted


def name_of(item: Team | Locality | Council | None) -> str:
    return item.name if item is not None else NOT_RECORDED
