"""Who sees which task, who may be given one, and which team a user is on.

- The safeguarding team (officers and managers) sees every task of the cases it sees.
- An agency practitioner sees a task only about a case their agency is involved in, and
  only one given to them, or to their agency's safeguarding contacts when they are one
  (need to know: never another agency's tasks, never the team's own).
- Everyone else (administrators, board members, auditors) sees none.

A task may be given to an active member of the safeguarding team of the case's council,
to an active practitioner of an agency involved in the case, to the day or the
out-of-hours team, or to the safeguarding contacts of an agency involved in the case.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from core.auth.models import Agency, User
from core.auth.roles import Role
from core.clocks import WorkingCalendar
from core.concerns.models import Concern, Involvement
from core.policy.cases import is_case_team, own_council, visible_concerns
from core.policy.resources import Resource, declare, from_query
from core.tasks.models import Task, TaskTeam


def is_practitioner(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.AGENCY_PRACTITIONER)


def visible_tasks(user: Any) -> sa.Select[tuple[Task]]:
    """Every task ``user`` may see, as a query to filter and order further."""
    live = sa.select(Task).join(Concern, Concern.id == Task.concern_id)
    live = live.where(Concern.deleted_at.is_(None))
    if is_case_team(user):
        return live.where(own_council(user))
    if not is_practitioner(user):
        return live.where(sa.false())
    cases = visible_concerns(user).with_only_columns(Concern.id).scalar_subquery()
    own = Task.assignee_user_id == user.id
    if user.safeguarding_contact:
        own = own | (
            (Task.assignee_team == TaskTeam.AGENCY) & (Task.assignee_agency_id == user.agency_id)
        )
    return live.where(Task.concern_id.in_(cases), own)


def team_on_shift(user: Any, calendar: WorkingCalendar, now: datetime) -> TaskTeam | None:
    """The team whose tray ``user`` reads as theirs: for the safeguarding team, the shift
    of the moment (the day team in core hours, else the out-of-hours team); for an
    agency's safeguarding contact, their agency's contacts; for anyone else none."""
    if is_case_team(user):
        return TaskTeam.OUT_OF_HOURS if calendar.is_out_of_hours(now) else TaskTeam.DAY
    if is_practitioner(user) and user.safeguarding_contact:
        return TaskTeam.AGENCY
    return None


def involved_agencies(concern: Concern) -> sa.Select[Any]:
    return sa.select(Involvement.agency_id).where(
        Involvement.concern_id == concern.id, Involvement.removed_at.is_(None)
    )


def possible_assignees(concern: Concern) -> sa.Select[Any]:
    """The people a task about ``concern`` may be given to, by name: active members of
    the safeguarding team of the case's council, and active practitioners of the agencies
    involved in it."""
    return (
        sa.select(User)
        .where(
            User.active.is_(True),
            sa.or_(
                User.role.in_((Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER))
                & (User.council_id == concern.council_id),
                (User.role == Role.AGENCY_PRACTITIONER)
                & User.agency_id.in_(involved_agencies(concern).scalar_subquery()),
            ),
        )
        .order_by(User.name, User.id)
    )


def possible_agencies(concern: Concern) -> sa.Select[Any]:
    """The agencies whose safeguarding contacts a task about ``concern`` may be given
    to: the active ones involved in it that have an active contact, by name."""
    has_contact = sa.exists().where(
        User.agency_id == Agency.id,
        User.active.is_(True),
        User.safeguarding_contact.is_(True),
        User.role == Role.AGENCY_PRACTITIONER,
    )
    return (
        sa.select(Agency)
        .where(
            Agency.active.is_(True),
            Agency.id.in_(involved_agencies(concern).scalar_subquery()),
            has_contact,
        )
        .order_by(Agency.name, Agency.id)
    )


TASK = declare(
    Resource(
        "task",
        "task_id",
        from_query(visible_tasks, Task),
        model=Task,
        api_endpoint="tasks_api.get_task",
        url_ids=lambda task: {"task_id": task.id},
    )
)
