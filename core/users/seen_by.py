"""Who has seen a record: the access log's entries about it, with the user's name and
agency, for the safeguarding managers' "Who has seen this case" (a case and its person)
and the administrators' access log filtered to one record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from core.accesslog.models import AccessLogEntry
from core.auth.models import Agency, User

# the CSV's and the page's columns, in order
COLUMNS = ("When (UTC)", "User", "Agency", "Action", "Record", "Outcome")


def entries_about(records: Iterable[tuple[str, Any]]) -> sa.Select[Any]:
    """Every entry about one of ``records`` (pairs of the log's object type and id),
    newest first, each row the entry with its user's and agency's names (None when the
    entry has none, as for a refused anonymous request)."""
    wanted = [
        sa.and_(AccessLogEntry.object_type == kind, AccessLogEntry.object_id == str(record_id))
        for kind, record_id in records
    ]
    return with_names().where(sa.or_(*wanted) if wanted else sa.false())


def with_names() -> sa.Select[Any]:
    """Every entry, newest first, each row the entry with its user's and agency's names
    (None when the entry has none, as for a refused anonymous request)."""
    agency = aliased(Agency)
    return (
        sa.select(AccessLogEntry, User.name, agency.name)
        .outerjoin(User, User.id == AccessLogEntry.user_id)
        .outerjoin(agency, agency.id == AccessLogEntry.agency_id)
        .order_by(AccessLogEntry.id.desc())
    )


def case_records(concern: Any) -> list[tuple[str, Any]]:
    """A case's records in the log: the concern and the person it is about."""
    return [("concern", concern.id), ("person", concern.person_id)]


def as_row(entry: AccessLogEntry, user_name: str | None, agency_name: str | None) -> list[Any]:
    """One entry as the page and the CSV show it."""
    return [
        entry.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
        user_name or "",
        agency_name or "",
        entry.action,
        f"{entry.object_type or ''} {entry.object_id or ''}".strip(),
        "Denied" if entry.outcome == "denied" else "Allowed",
    ]
