"""The complaints and compliments log: the safeguarding team's (officers and managers) and
the council's complaints officer's (``core.policy.routes.is_complaints_officer``). Partner
agencies, the board, auditors and administrators read no entry, nor the report's figures
(the council's annual complaints report goes to its own committee, not to the board).
An entry about a deleted case goes out of sight with it. Each council area keeps its own log:
an entry is its case's council's, or (about a person only) the recording user's; another
council's entry answers 404."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.complaints.models import ComplaintEntry
from core.concerns.models import Concern
from core.people.models import Person
from core.policy.cases import is_case_team, own_council
from core.policy.people import council_people
from core.policy.resources import Resource, declare, from_query
from core.policy.routes import is_complaints_officer


def keeps_complaints(user: Any) -> bool:
    return is_case_team(user) or is_complaints_officer(user)


def visible_complaints(user: Any) -> sa.Select[tuple[ComplaintEntry]]:
    query = (
        sa.select(ComplaintEntry)
        .outerjoin(Concern, Concern.id == ComplaintEntry.concern_id)
        .where(sa.or_(ComplaintEntry.concern_id.is_(None), Concern.deleted_at.is_(None)))
    )
    if not keeps_complaints(user):
        return query.where(sa.false())
    return query.where(ComplaintEntry.council_id == user.council_id)


def linkable_concerns(user: Any) -> sa.Select[Any]:
    """The cases an entry may be recorded about: any case of the user's council not
    deleted (the complaints officer records complaints about cases their own role may not
    open)."""
    query = sa.select(Concern).where(Concern.deleted_at.is_(None))
    return query.where(own_council(user)) if keeps_complaints(user) else query.where(sa.false())


def linkable_people(user: Any) -> sa.Select[Any]:
    """The people of the user's council (:func:`core.policy.people.council_people`)."""
    query = sa.select(Person).where(Person.merged_into_id.is_(None))
    if not keeps_complaints(user):
        return query.where(sa.false())
    return query.where(council_people(user.council_id))


COMPLAINT = declare(
    Resource(
        "complaint",
        "entry_id",
        from_query(visible_complaints, ComplaintEntry),
        model=ComplaintEntry,
        api_endpoint="complaints_api.get_entry",
        url_ids=lambda entry: {"entry_id": entry.id},
    )
)
