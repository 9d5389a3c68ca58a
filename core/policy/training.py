"""Who reads and keeps staff training records.

Each agency reads and keeps its own staff's records only; the safeguarding team reads
those of every agency serving its council area (it collates the quarterly return; an
agency serving several councils is in each one's) and keeps its own; the board reads the
return's figures of its council's agencies, never a name
(``names_overdue_of``). Another agency's record, or one of an agency not serving the
team's council, answers 404, exactly as one that does not exist."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.auth.models import agency_councils
from core.auth.roles import Role
from core.policy.cases import is_case_team
from core.policy.resources import Resource, declare, from_query
from core.training.models import TrainingRecord


def visible_training_records(user: Any) -> sa.Select[tuple[TrainingRecord]]:
    """The records ``user`` reads, newest completion first: the team, those of the
    agencies serving its council; a partner, its own agency's; anyone else, none."""
    query = sa.select(TrainingRecord).order_by(
        TrainingRecord.completed_on.desc(), TrainingRecord.id.desc()
    )
    if is_case_team(user):
        return query.where(TrainingRecord.agency_id.in_(council_agencies(user.council_id)))
    agency_id = getattr(user, "agency_id", None)
    if agency_id is None or not getattr(user, "is_authenticated", False):
        return query.where(sa.false())
    return query.where(TrainingRecord.agency_id == agency_id)


def keeps(user: Any, record: TrainingRecord) -> bool:
    """Only the staff member's own agency changes or deletes a record."""
    return record.agency_id == getattr(user, "agency_id", None)


def council_agencies(council_id: int) -> sa.Select[Any]:
    """The ids of the agencies serving a council area (``agency_councils``)."""
    return sa.select(agency_councils.c.agency_id).where(agency_councils.c.council_id == council_id)


def return_agencies(user: Any) -> sa.ColumnElement[bool]:
    """Whose figures ``user`` reads in the quarterly return, as a condition on
    ``TrainingRecord.agency_id``: the agencies serving the user's council (the team and the
    board), else the user's own agency."""
    if is_case_team(user) or getattr(user, "role", None) == Role.BOARD_MEMBER:
        return TrainingRecord.agency_id.in_(council_agencies(user.council_id))
    return TrainingRecord.agency_id == int(user.agency_id)


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
