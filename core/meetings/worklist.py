"""The safeguarding team's work list: every screening decision and meeting clock, answer,
report and action that is due or overdue, and every task past its due time (whoever it is
for: the managers see what is late), soonest first. Also what ``flask reminders send``
chases (answers, reports and actions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import selectinload

from core.clocks import to_local
from core.concerns.listing import not_finally_decided
from core.concerns.models import Concern, ConcernStatus, Decision
from core.concerns.operations import calendar
from core.db import utcnow
from core.extensions import db
from core.meetings import clocks
from core.meetings.models import (
    ActionStatus,
    Invitation,
    Meeting,
    MeetingAction,
    MeetingStatus,
    meeting_concerns,
)
from core.meetings.types import meeting_types, report_deadline, type_label
from core.tasks import operations as tasks

LIMIT = 500  # per kind of item: the list is a work queue, not a report
ACTIONS_AHEAD = timedelta(days=7)


@dataclass(frozen=True)
class WorkItem:
    kind: str
    label: str
    due: date
    overdue: bool
    link: str
    detail: str = ""


def _clock_items(today: date, council_id: int) -> list[WorkItem]:
    """Meetings a case is waiting for, and decision letters not yet sent."""
    has_meetings = sa.exists().where(meeting_concerns.c.concern_id == Concern.id)
    candidates = list(
        db.session.scalars(
            sa.select(Concern)
            .where(
                Concern.status == ConcernStatus.OPEN,
                Concern.deleted_at.is_(None),
                Concern.council_id == council_id,
                sa.or_(Concern.decision == Decision.SECTION_42, has_meetings),
            )
            .order_by(Concern.id)
            .limit(LIMIT)
        )
    )
    by_concern = clocks.meetings_of([c.id for c in candidates])
    items = []
    for concern in candidates:
        meetings = by_concern[concern.id]
        for code, due in clocks.due_dates(concern, meetings).items():
            held = [m for m in meetings if m.type == code and m.status == MeetingStatus.HELD]
            if held and code != "review_child_protection_conference":
                continue
            if code == "review_child_protection_conference" and due > today + timedelta(days=28):
                continue
            scheduled = [
                m for m in meetings if m.type == code and m.status == MeetingStatus.SCHEDULED
            ]
            detail = (
                f"Scheduled for {to_local(scheduled[0].starts_at):%d %B %Y}"
                if scheduled
                else "Not scheduled yet"
            )
            items.append(
                WorkItem(
                    "clock",
                    f"{clocks.LABELS[code]} for {concern.reference}",
                    due,
                    today > due,
                    url_for("concerns.show", concern_id=concern.id),
                    detail,
                )
            )
        for meeting in meetings:
            letter = clocks.letter_due(meeting)
            if letter is not None and meeting.decision_letter_sent_on is None:
                items.append(
                    WorkItem(
                        "letter",
                        f"Decision letter: {type_label(meeting.type)} for {concern.reference}",
                        letter,
                        today > letter,
                        url_for("meetings.show", meeting_id=meeting.id),
                    )
                )
    return items


def unanswered_invitations() -> list[Invitation]:
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .join(Meeting, Meeting.id == Invitation.meeting_id)
            .where(
                Meeting.status == MeetingStatus.SCHEDULED,
                Invitation.removed_at.is_(None),
                Invitation.response.is_(None),
            )
            .options(selectinload(Invitation.meeting), selectinload(Invitation.agency))
            .order_by(Meeting.starts_at, Invitation.id)
            .limit(LIMIT)
        )
    )


def missing_reports() -> list[tuple[Invitation, date]]:
    """Invitations to scheduled meetings whose types expect a report before the meeting,
    with no report yet, and the deadline."""
    types = [code for code, t in meeting_types().items() if t.report_days_before]
    rows = db.session.scalars(
        sa.select(Invitation)
        .join(Meeting, Meeting.id == Invitation.meeting_id)
        .where(
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.type.in_(types),
            Invitation.removed_at.is_(None),
            Invitation.report_submitted_at.is_(None),
        )
        .options(selectinload(Invitation.meeting), selectinload(Invitation.agency))
        .order_by(Meeting.starts_at, Invitation.id)
        .limit(LIMIT)
    )
    return [(i, report_deadline(i.meeting)) for i in rows]


def open_actions(until: date) -> list[MeetingAction]:
    return list(
        db.session.scalars(
            sa.select(MeetingAction)
            .where(MeetingAction.status == ActionStatus.OPEN, MeetingAction.due_on <= until)
            .options(selectinload(MeetingAction.owner_agency))
            .order_by(MeetingAction.due_on, MeetingAction.id)
            .limit(LIMIT)
        )
    )


def answer_due(invitation: Invitation) -> date:
    """Answers are due two working days after the invitation, and by the meeting."""
    invited = to_local(invitation.invited_at).date()
    by = calendar().add_working_days(invited, 2)
    return min(by, to_local(invitation.meeting.starts_at).date())


def _screening_items(today: date, council_id: int) -> list[WorkItem]:
    """Screening decisions due today or overdue (not made, or awaiting sign-off)."""
    due = db.session.scalars(
        sa.select(Concern)
        .where(
            Concern.status == ConcernStatus.OPEN,
            Concern.deleted_at.is_(None),
            Concern.council_id == council_id,
            not_finally_decided(),
            Concern.screening_due <= today,
        )
        .order_by(Concern.screening_due, Concern.id)
        .limit(LIMIT)
    )
    return [
        WorkItem(
            "screening",
            f"Screening decision for {concern.reference}"
            + (": awaiting a manager's sign-off" if concern.decision is not None else ""),
            concern.screening_due,
            today > concern.screening_due,
            url_for("concerns.show", concern_id=concern.id),
            "Received out of hours" if concern.out_of_hours else "",
        )
        for concern in due
    ]


def _task_items(now: datetime, council_id: int) -> list[WorkItem]:
    """Tasks not done by their due time (of the council's cases not deleted)."""
    return [
        WorkItem(
            "task",
            f"Task for {task.assignee_label} about {task.concern.reference}: {task.title}",
            task.due_on,
            True,
            url_for("tasks.show", task_id=task.id),
            f"Due {to_local(task.due_at):%d %B %Y %H:%M}, set by {task.set_by.name}",
        )
        for task in tasks.overdue(now, LIMIT)
        if task.concern.council_id == council_id
    ]


def _councils_meeting(meeting: Any, council_id: int) -> bool:
    """A meeting about one of the council's cases (or, never so far, about none)."""
    return not meeting.concerns or any(c.council_id == council_id for c in meeting.concerns)


def items(today: date, council_id: int) -> list[WorkItem]:
    """The council's work list (its cases, their meetings and tasks)."""
    result = _clock_items(today, council_id) + _screening_items(today, council_id)
    result += _task_items(utcnow(), council_id)
    for invitation in unanswered_invitations():
        if not _councils_meeting(invitation.meeting, council_id):
            continue
        due = answer_due(invitation)
        result.append(
            WorkItem(
                "answer",
                f"Answer from {invitation.agency.name}: {type_label(invitation.meeting.type)}",
                due,
                today > due,
                url_for("meetings.show", meeting_id=invitation.meeting_id),
            )
        )
    for invitation, deadline in missing_reports():
        if deadline - today > timedelta(days=7):
            continue
        if not _councils_meeting(invitation.meeting, council_id):
            continue
        result.append(
            WorkItem(
                "report",
                f"Report from {invitation.agency.name}: {type_label(invitation.meeting.type)}",
                deadline,
                today > deadline,
                url_for("meetings.show", meeting_id=invitation.meeting_id),
            )
        )
    for action in open_actions(today + ACTIONS_AHEAD):
        if not _councils_meeting(action.meeting, council_id):
            continue
        result.append(
            WorkItem(
                "action",
                f"Action for {action.owner_agency.name}: {action.description[:120]}",
                action.due_on,
                today > action.due_on,
                url_for("meetings.show", meeting_id=action.meeting_id),
            )
        )
    return sorted(result, key=lambda item: (item.due, item.label))
