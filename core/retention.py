"""Retention of case records: how long a closed case is kept, and purging it after.

A case record is a concern with everything that hangs from it: its types of risk,
involvements, timeline, notes, decision reviews, body map, supervision records, its
protection plans (with their actions, reviews and category history) and the meetings held
about it alone. The period depends on the record's category (``RETENTION``):

- adults: ``adult_years_after_closure`` (6) years after the case closed;
- children: until the person's ``child_until_age`` (25th) birthday or
  ``child_years_after_closure`` (6) years after closure, whichever is later; with no date of
  birth, ``child_years_without_birth_date`` (25) years after closure.

Open cases, cases with an open plan and cases under a legal hold are never due. A purge
hard-deletes the case and its rows in one transaction with a tombstone in the access log
(the case's id only: no personal data). The person's record goes too once no case or plan
of theirs is left.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.accesslog import operations as access_log
from core.concerns.models import (
    BodyMapMark,
    CaseEvent,
    CaseNote,
    Concern,
    ConcernRiskType,
    ConcernStatus,
    DecisionReview,
    Involvement,
    Supervision,
)
from core.config import ConfigurationError
from core.db import utcnow
from core.extensions import db
from core.meetings.models import (
    Invitation,
    Meeting,
    MeetingAction,
    MeetingDecision,
    OtherAttendee,
    meeting_concerns,
)
from core.people.models import Person
from core.plans.models import (
    ActionProgress,
    Plan,
    PlanAction,
    PlanCategoryChange,
    PlanReview,
    PlanStatus,
)

DEFAULT_RETENTION = {
    "adult_years_after_closure": 6,
    "child_until_age": 25,
    "child_years_after_closure": 6,
    "child_years_without_birth_date": 25,
}


def check_retention_setting(config: Mapping[str, Any]) -> None:
    """Stop start-up on an unknown key or a period that is not a whole number of years."""
    given = config.get("RETENTION") or {}
    unknown = sorted(set(given) - set(DEFAULT_RETENTION))
    if unknown:
        raise ConfigurationError(f"RETENTION: unknown setting(s) {', '.join(unknown)}")
    for key, value in given.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 150:
            raise ConfigurationError(f"RETENTION: {key} must be a whole number of years, 1-150")


def retention_periods(config: Mapping[str, Any]) -> dict[str, int]:
    return DEFAULT_RETENTION | dict(config.get("RETENTION") or {})


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DueRecord:
    concern_id: int
    reference: str
    category: str  # adult or child
    closed_on: date
    keep_until: date


def keep_until(concern: Concern, periods: Mapping[str, int]) -> date | None:
    """The last day a closed case is kept; None while it is open."""
    if concern.status != ConcernStatus.CLOSED or concern.closed_at is None:
        return None
    closed = concern.closed_at.date()
    if not concern.is_child:
        return _years_after(closed, periods["adult_years_after_closure"])
    born = concern.person.date_of_birth
    if born is None:
        return _years_after(closed, periods["child_years_without_birth_date"])
    return max(
        _years_after(born, periods["child_until_age"]),
        _years_after(closed, periods["child_years_after_closure"]),
    )


def _candidates(today: date, periods: Mapping[str, int], held: bool) -> Iterator[DueRecord]:
    open_plan = sa.exists().where(Plan.concern_id == Concern.id, Plan.status == PlanStatus.OPEN)
    hold = Concern.legal_hold_reason.is_not(None)
    query = (
        sa.select(Concern)
        .where(Concern.status == ConcernStatus.CLOSED, ~open_plan)
        .where(hold if held else ~hold)
        .order_by(Concern.closed_at, Concern.id)
        .options(selectinload(Concern.person))
    )
    for concern in db.session.scalars(query):
        until = keep_until(concern, periods)
        if until is not None and until < today:
            yield DueRecord(
                concern.id,
                concern.reference,
                "child" if concern.is_child else "adult",
                concern.closed_at.date() if concern.closed_at else today,
                until,
            )


def past_retention(today: date, periods: Mapping[str, int]) -> list[DueRecord]:
    """Closed cases past their retention and not under a legal hold, oldest first."""
    return list(_candidates(today, periods, held=False))


def held_past_retention(today: date, periods: Mapping[str, int]) -> list[DueRecord]:
    """Cases past their retention that a legal hold keeps."""
    return list(_candidates(today, periods, held=True))


def _delete(model: Any, *where: Any) -> None:
    db.session.execute(sa.delete(model).where(*where).execution_options(synchronize_session=False))


def _purge_plans(concern_id: int) -> None:
    plans = sa.select(Plan.id).where(Plan.concern_id == concern_id).scalar_subquery()
    reviews = sa.select(PlanReview.id).where(PlanReview.plan_id.in_(plans)).scalar_subquery()
    _delete(ActionProgress, ActionProgress.review_id.in_(reviews))
    actions = sa.select(PlanAction.id).where(PlanAction.plan_id.in_(plans)).scalar_subquery()
    _delete(ActionProgress, ActionProgress.action_id.in_(actions))
    _delete(PlanReview, PlanReview.plan_id.in_(plans))
    _delete(PlanAction, PlanAction.plan_id.in_(plans))
    _delete(PlanCategoryChange, PlanCategoryChange.plan_id.in_(plans))
    _delete(Plan, Plan.concern_id == concern_id)


def _purge_meetings(concern_id: int) -> None:
    """Meetings about this case alone go with it; a meeting about others (an
    establishment's concerns) only loses the link."""
    meeting_ids = list(
        db.session.scalars(
            sa.select(meeting_concerns.c.meeting_id).where(
                meeting_concerns.c.concern_id == concern_id
            )
        )
    )
    db.session.execute(
        sa.delete(meeting_concerns).where(meeting_concerns.c.concern_id == concern_id)
    )
    for meeting_id in meeting_ids:
        still_used = db.session.scalar(
            sa.select(
                sa.exists().where(meeting_concerns.c.meeting_id == meeting_id)
                | sa.exists().where(Plan.meeting_id == meeting_id)
                | sa.exists().where(PlanReview.meeting_id == meeting_id)
            )
        )
        if still_used:
            continue
        for model in (Invitation, OtherAttendee, MeetingDecision, MeetingAction):
            _delete(model, model.meeting_id == meeting_id)
        _delete(Meeting, Meeting.id == meeting_id)


def _purge_person(person_id: int) -> None:
    """Remove a person with no case or plan left, and the merged records leading to them."""
    merged = list(
        db.session.scalars(sa.select(Person.id).where(Person.merged_into_id == person_id))
    )
    for merged_id in merged:
        _purge_person(merged_id)
    in_use = db.session.scalar(
        sa.select(
            sa.exists().where(Concern.person_id == person_id)
            | sa.exists().where(Plan.person_id == person_id)
            | sa.exists().where(Person.merged_into_id == person_id)
        )
    )
    if not in_use:
        _delete(Person, Person.id == person_id)


def purge(record: DueRecord) -> None:
    """Hard-delete one case record and its dependent rows, and leave a tombstone. The
    caller commits: everything, tombstone included, is saved together or not at all."""
    concern = db.session.get(Concern, record.concern_id)
    if concern is None:
        return
    person_id = concern.person_id
    db.session.expunge(concern)
    _purge_plans(record.concern_id)
    _purge_meetings(record.concern_id)
    for model in (
        ConcernRiskType,
        Involvement,
        CaseEvent,
        CaseNote,
        DecisionReview,
        BodyMapMark,
        Supervision,
    ):
        _delete(model, model.concern_id == record.concern_id)
    _delete(Concern, Concern.id == record.concern_id)
    _purge_person(person_id)
    access_log.record("retention.purge", object_type="concern", object_id=record.concern_id)


def run(today: date | None = None, *, dry_run: bool) -> list[DueRecord]:
    """List (dry run) or purge what is past retention and not held; each case is purged
    in a transaction of its own."""
    from flask import current_app

    periods = retention_periods(current_app.config)
    day = today or _today()
    due = past_retention(day, periods)
    db.session.rollback()
    if dry_run:
        access_log.record("retention.list", object_type="retention")
        db.session.commit()
        return due
    for record in due:
        purge(record)
        db.session.commit()
    return due


def _today() -> date:
    now: datetime = utcnow()
    return now.date()
