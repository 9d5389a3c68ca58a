"""Who reads and keeps staff training records.

Each agency reads and keeps its own staff's records only; the safeguarding team reads
every agency's (it collates the quarterly return) and keeps its own; the board reads the
return's figures, never a name (``names_overdue_of``). Another agency's record answers 404,
exactly as one that does not exist."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.auth.roles import Role
from core.policy.cases import is_case_team
from core.policy.resources import Resource, declare, from_query
from core.training.models import TrainingRecord


def visible_training_records(user: Any) -> sa.Select[tuple[TrainingRecord]]:
    """The records ``user`` reads, newest completion first: the team, every agency's; a
    partner, its own agency's; anyone else, none."""
    query = sa.select(TrainingRecord).order_by(
        TrainingRecord.completed_on.desc(), TrainingRecord.id.desc()
    )
    if is_case_team(user):
        return query
    agency_id = getattr(user, "agency_id", None)
    if agency_id is None or not getattr(user, "is_authenticated", False):
        return query.where(sa.false())
    return query.where(TrainingRecord.agency_id == agency_id)


def keeps(user: Any, record: TrainingRecord) -> bool:
    """Only the staff member's own agency changes or deletes a record."""
    return record.agency_id == getattr(user, "agency_id", None)


def return_agencies(user: Any) -> int | None:
    """Whose figures ``user`` reads in the quarterly return: None for every agency (the
    team and the board), else the user's own agency's id."""
    if is_case_team(user) or getattr(user, "role", None) == Role.BOARD_MEMBER:
        return None
    return int(user.agency_id)


def names_overdue_of(user: Any, agency_id: int) -> bool:
    """Whether ``user`` reads the names of ``agency_id``'s staff overdue for refresher
    training: the agency itself and the safeguarding team; never the board."""
    return is_case_team(user) or getattr(user, "agency_id", None) == agency_id


TRAINING_RECORD = declare(
    Resource(
        "training_record",
        "record_id",
        from_query(visible_training_records, TrainingRecord),
        model=TrainingRecord,
        rules={"change": keeps},
        api_endpoint="training_api.get_record",
        url_ids=lambda record: {"record_id": record.id},
    )
)
