"""Filtering and sorting the concerns list: one implementation for the page, the CSV
export and the API, which all take the query parameters of ``ConcernFilterArgs``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.auth.councils import several
from core.auth.models import Agency, Council, Locality, Team, User
from core.clocks import LOCAL_ZONE, to_local
from core.concerns.models import Concern, ConcernRiskType, ConcernStatus, Decision, SignOff
from core.concerns.schemas import ConcernFilterArgs
from core.db import utcnow
from core.extensions import db
from core.forms import query_args, with_days
from core.people.models import Establishment, EstablishmentStatus
from core.policy.cases import active_involvement, visible_concerns
from core.reference import TypeOfRisk
from core.teams import operations as teams

_SORT_COLUMNS: dict[str, Any] = {
    "received": Concern.received_at,
    "reference": Concern.reference,
    "decision_due": Concern.screening_due,
    # open before closed when ascending
    "status": sa.case((Concern.status == ConcernStatus.OPEN, 0), else_=1),
}


def page_filters(args: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The list page's filters from its query string: (filters, errors by field)."""
    return query_args(ConcernFilterArgs(), with_days(args, "received_from", "received_to"))


def not_finally_decided() -> sa.ColumnElement[bool]:
    """No screening decision yet, or one still awaiting a manager's sign-off."""
    return sa.or_(Concern.decision.is_(None), Concern.sign_off == SignOff.PENDING)


def filtered(query: sa.Select[Any], filters: Mapping[str, Any]) -> sa.Select[Any]:
    """``query`` (from ``visible_concerns``) narrowed by the loaded filters."""
    for field in ("status", "decision", "establishment_id", "sign_off", "team_id", "locality_id"):
        if filters.get(field) is not None:
            query = query.where(getattr(Concern, field) == filters[field])
    if "out_of_hours" in filters:
        query = query.where(Concern.out_of_hours.is_(filters["out_of_hours"]))
    if filters.get("undecided"):
        query = query.where(Concern.decision.is_(None))
    if filters.get("overdue"):
        today = to_local(utcnow()).date()
        query = query.where(not_finally_decided(), Concern.screening_due < today)
    if filters.get("due_today"):
        today = to_local(utcnow()).date()
        query = query.where(not_finally_decided(), Concern.screening_due == today)
    if filters.get("type_of_risk"):
        query = query.where(
            sa.exists().where(
                ConcernRiskType.concern_id == Concern.id,
                ConcernRiskType.risk_type == filters["type_of_risk"],
            )
        )
    if filters.get("agency_id"):
        if filters.get("agency_as") == "referrer":
            query = query.where(Concern.referrer_agency_id == filters["agency_id"])
        else:
            query = query.where(active_involvement(filters["agency_id"]))
    if filters.get("received_from"):
        start = datetime.combine(filters["received_from"], time.min, LOCAL_ZONE)
        query = query.where(Concern.received_at >= start)
    if filters.get("received_to"):
        end = datetime.combine(filters["received_to"], time.max, LOCAL_ZONE)
        query = query.where(Concern.received_at <= end)
    return query


def ordered(query: sa.Select[Any], filters: Mapping[str, Any]) -> sa.Select[Any]:
    """Sorted by the chosen key and direction; ties newest first, so pages are stable."""
    key = filters.get("sort", "received")
    descending = filters.get("order", "desc") == "desc"
    column = _SORT_COLUMNS[key]
    first = column.desc() if descending else column.asc()
    if key == "received":
        return query.order_by(first, Concern.id.desc() if descending else Concern.id.asc())
    return query.order_by(first, Concern.received_at.desc(), Concern.id.desc())


def listed(user: User, filters: Mapping[str, Any]) -> sa.Select[Any]:
    """The concerns the user may see that the filters select, in the chosen order, with
    each row's person and types of risk loaded with the page: the list page, its CSV
    export and the API's list."""
    query = ordered(filtered(visible_concerns(user), filters), filters)
    return query.options(selectinload(Concern.person), selectinload(Concern.risk_types))


def filter_choices(user: Any, filters: Mapping[str, Any]) -> dict[str, list[tuple[Any, str]]]:
    """What the list page's select filters offer: small queries, whatever it shows (the
    teams and areas of the user's council; on an instance of several councils the agencies
    serving the user's, and the one ``filters`` name: the agency picker's search finds the
    others, docs/pages.md)."""
    offered = Agency.councils.any(Council.id == user.council_id) if several() else sa.true()
    if chosen := filters.get("agency_id"):
        offered = sa.or_(offered, Agency.id == chosen)
    agencies = db.session.execute(
        sa.select(Agency.id, Agency.name).where(offered).order_by(Agency.name)
    ).all()
    return {
        "agencies": [(str(row.id), row.name) for row in agencies],
        "establishments": [(str(i), name) for i, name in establishments()],
        "decisions": [(d.value, d.label) for d in Decision],
        "risk_types": [(t.value, t.label) for t in TypeOfRisk],
        "teams": [(str(t.id), t.name) for t in teams.listed(Team, council_id=user.council_id)],
        "areas": [(str(a.id), a.name) for a in teams.listed(Locality, council_id=user.council_id)],
    }


def establishments() -> list[tuple[int, str]]:
    """Every confirmed establishment's id and name, by name (for a select): one a provider
    proposed is named once the team confirms it."""
    rows = db.session.execute(
        sa.select(Establishment.id, Establishment.name)
        .where(Establishment.status == EstablishmentStatus.CONFIRMED)
        .order_by(Establishment.name)
    )
    return [(row.id, row.name) for row in rows]


def kept_filters(args: Mapping[str, str]) -> dict[str, str]:
    """The filters to keep when a column header changes the sort or a link the page."""
    return {k: v for k, v in args.items() if v.strip() and k not in {"page", "sort", "order"}}
