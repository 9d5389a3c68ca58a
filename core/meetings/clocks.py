"""The statutory clocks that meetings start and stop (Working Together to Safeguard
Children 2023, chapter 2, and the councils' adult safeguarding procedures).

- strategy discussion: 5 working days after a section 42 decision;
- initial child protection conference: 15 working days after the strategy discussion
  at which the section 47 enquiry was started, when more than one was held (Working
  Together to Safeguard Children 2023, chapter 2, initial child protection conferences;
  the CIN census counts the same way, from the s47 start to the ICPC); a discussion
  that decided anything else starts no clock;
- core group: 10 working days after the initial conference;
- first review conference: 3 months after the initial conference, then every 6 months;
- decision letter: 1 working day after any conference.

Every default is configurable in ``CLOCK_DAYS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from core.clocks import ClockStatus, add_months, clock_days, to_local
from core.concerns.models import Concern, ConcernStatus, Decision
from core.concerns.operations import calendar
from core.db import utcnow
from core.extensions import db
from core.meetings.models import DecisionKind, Meeting, MeetingStatus, meeting_concerns

FIRST_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
CONFERENCES = (
    "adult_protection_conference",
    "initial_child_protection_conference",
    "review_child_protection_conference",
)


def days(clock: str) -> int:
    return clock_days(current_app.config.get("CLOCK_DAYS"), clock)


@dataclass(frozen=True)
class Clock:
    label: str
    status: ClockStatus


def _held_day(meeting: Meeting) -> date:
    assert meeting.held_at is not None
    return to_local(meeting.held_at).date()


def meetings_of(concern_ids: list[int]) -> dict[int, list[Meeting]]:
    """Every meeting of these concerns, oldest first, in one query."""
    rows = db.session.execute(
        sa.select(meeting_concerns.c.concern_id, Meeting)
        .join(Meeting, Meeting.id == meeting_concerns.c.meeting_id)
        .where(meeting_concerns.c.concern_id.in_(concern_ids))
        .options(selectinload(Meeting.decisions))
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    result: dict[int, list[Meeting]] = {concern_id: [] for concern_id in concern_ids}
    for concern_id, meeting in rows:
        result[concern_id].append(meeting)
    return result


def _held(meetings: list[Meeting], code: str) -> list[Meeting]:
    return sorted(
        (m for m in meetings if m.type == code and m.status == MeetingStatus.HELD),
        key=lambda m: (m.held_at, m.id),
    )


# A strategy discussion starts the section 47 enquiry when it decides on one, or decides
# to convene the initial conference that such an enquiry leads to.
STARTS_SECTION_47 = (DecisionKind.SECTION_47, DecisionKind.CONVENE_ICPC)


def started_section_47(meeting: Meeting) -> bool:
    return any(d.kind in STARTS_SECTION_47 for d in meeting.decisions)


def due_dates(concern: Concern, meetings: list[Meeting]) -> dict[str, date]:
    """When each meeting type is due for this concern, where a clock runs for it."""
    working = calendar()
    due: dict[str, date] = {}
    if concern.decision == Decision.SECTION_42 and concern.decided_at is not None:
        due["strategy_discussion"] = working.add_working_days(
            to_local(concern.decided_at).date(), days("strategy_discussion")
        )
    if concern.is_child:
        discussions = [m for m in _held(meetings, "strategy_discussion") if started_section_47(m)]
        if discussions:
            due["initial_child_protection_conference"] = working.add_working_days(
                _held_day(discussions[0]), days("initial_child_protection_conference")
            )
        initial = _held(meetings, "initial_child_protection_conference")
        if initial:
            first = _held_day(initial[0])
            due["core_group"] = working.add_working_days(first, days("core_group"))
            reviews = _held(meetings, "review_child_protection_conference")
            due["review_child_protection_conference"] = (
                add_months(_held_day(reviews[-1]), LATER_REVIEW_MONTHS)
                if reviews
                else add_months(first, FIRST_REVIEW_MONTHS)
            )
    return due


def meeting_due_by(meeting: Meeting) -> date | None:
    """The date the clock gives this meeting (for the first of its concerns with one)."""
    if not meeting.concerns:
        return None
    by_concern = meetings_of([c.id for c in meeting.concerns])
    for concern in meeting.concerns:
        others = [m for m in by_concern[concern.id] if m.id != meeting.id]
        due = due_dates(concern, others).get(meeting.type)
        if due is not None:
            return due
    return None


def letter_due(meeting: Meeting) -> date | None:
    if meeting.type not in CONFERENCES or meeting.status != MeetingStatus.HELD:
        return None
    return calendar().add_working_days(_held_day(meeting), days("decision_letter"))


LABELS = {
    "strategy_discussion": "Strategy discussion",
    "initial_child_protection_conference": "Initial child protection conference",
    "core_group": "First core group",
    "review_child_protection_conference": "Review child protection conference",
}


def closed_on(concern: Concern) -> date | None:
    """The day the case closed, which stops every clock not yet met; None while open."""
    if concern.status != ConcernStatus.CLOSED or concern.closed_at is None:
        return None
    return to_local(concern.closed_at).date()


def concern_clocks(concern: Concern, meetings: list[Meeting]) -> list[Clock]:
    """The meeting clocks on a case: each due date, and when it was met. A review
    conference's clock moves on with each review, so it is never shown as met."""
    today = to_local(utcnow()).date()
    stopped = closed_on(concern)
    clocks = []
    for code, due in due_dates(concern, meetings).items():
        held = _held(meetings, code)
        met = _held_day(held[0]) if held and code != "review_child_protection_conference" else None
        clocks.append(
            Clock(LABELS[code], ClockStatus(due=due, met_on=met, today=today, stopped_on=stopped))
        )
    for meeting in meetings:
        letter = letter_due(meeting)
        if letter is not None:
            held_on = _held_day(meeting)
            clocks.append(
                Clock(
                    f"Decision letter for the conference on {held_on.day} {held_on:%B %Y}",
                    ClockStatus(
                        due=letter,
                        met_on=meeting.decision_letter_sent_on,
                        today=today,
                        stopped_on=stopped,
                    ),
                )
            )
    return clocks
