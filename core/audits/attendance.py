"""The attendance audit's figures, worked out in SQL (DESIGN.md sections 4 and 5).

Meetings count when they took place in the period: status held, ``held_at`` on or after
the first day's local midnight and before the midnight after the last day (council local
time, Europe/London). Cancelled and still scheduled meetings never count.

Per agency and meeting type, over the invitations to those meetings:

- ``invited``: invitations not withdrawn;
- ``attended`` (in person or virtually), ``apologies_with_report``,
  ``apologies_without_report``, ``did_not_attend``: the recorded outcomes;
- ``omitted_invitations``: standard-list invitees that were not invited. Scheduling keeps
  a standard invitee the officer left off as an invitation withdrawn at once (with the
  reason), and withdrawing an invitation later keeps it too, so these are the standard
  invitations withdrawn from the meeting, unless the agency was invited to it again.

Everything is aggregated per agency and meeting type first, then the per-agency totals
(``meeting_type`` ``all``) are added from that small result, in one statement that the
snapshot inserts straight into its table (INSERT ... SELECT): no meeting or invitation is
ever loaded into Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from core.agencies.models import Agency
from core.clocks import LOCAL_ZONE
from core.extensions import db
from core.meetings.models import ATTENDED, Invitation, Meeting, MeetingStatus, Outcome
from core.meetings.operations import meeting_types, quorum_rule
from plugins.types import QuorumRule

from .models import ALL_TYPES

ALL_TYPES_LABEL = "All meeting types"
COUNTS = (
    "invited",
    "attended",
    "apologies_with_report",
    "apologies_without_report",
    "did_not_attend",
    "omitted_invitations",
)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period as UTC instants: from the first day's local midnight to the midnight
    after the last day (excluded)."""
    begin = datetime.combine(start, time(), LOCAL_ZONE).astimezone(UTC)
    finish = datetime.combine(end + timedelta(days=1), time(), LOCAL_ZONE).astimezone(UTC)
    return begin, finish


def held_in_period(start: date, end: date) -> sa.ColumnElement[bool]:
    begin, finish = period_bounds(start, end)
    return sa.and_(
        Meeting.status == MeetingStatus.HELD,
        Meeting.held_at >= begin,
        Meeting.held_at < finish,
    )


def type_label_expression(column: Any) -> Any:
    """The meeting type's label, as SQL: the labels come from the plugins."""
    labels = {code: kind.label for code, kind in meeting_types().items()}
    labels[ALL_TYPES] = ALL_TYPES_LABEL
    return sa.case(labels, value=column, else_=column)


def _count_when(condition: sa.ColumnElement[bool]) -> Any:
    return sa.func.count(sa.case((condition, 1)))


def attendance_query(start: date, end: date) -> sa.Select[Any]:
    """One row per agency and meeting type, then one per agency for every type together:
    agency_id, agency_name, meeting_type, meeting_type_label and the counts."""
    invitation = sa.orm.aliased(Invitation, name="i")
    again = sa.orm.aliased(Invitation, name="again")
    withdrawn = invitation.removed_at.is_not(None)
    invited_again = (
        sa.exists()
        .where(
            again.meeting_id == invitation.meeting_id,
            again.agency_id == invitation.agency_id,
            again.removed_at.is_(None),
        )
        .correlate(invitation)
    )
    active = invitation.removed_at.is_(None)
    per_type = (
        sa.select(
            invitation.agency_id.label("agency_id"),
            Meeting.type.label("meeting_type"),
            _count_when(active).label("invited"),
            _count_when(sa.and_(active, invitation.outcome.in_(list(ATTENDED)))).label("attended"),
            _count_when(sa.and_(active, invitation.outcome == Outcome.APOLOGIES_WITH_REPORT)).label(
                "apologies_with_report"
            ),
            _count_when(
                sa.and_(active, invitation.outcome == Outcome.APOLOGIES_WITHOUT_REPORT)
            ).label("apologies_without_report"),
            _count_when(sa.and_(active, invitation.outcome == Outcome.DID_NOT_ATTEND)).label(
                "did_not_attend"
            ),
            _count_when(sa.and_(withdrawn, invitation.standard, ~invited_again)).label(
                "omitted_invitations"
            ),
        )
        .select_from(invitation)
        .join(Meeting, Meeting.id == invitation.meeting_id)
        .where(held_in_period(start, end))
        .group_by(invitation.agency_id, Meeting.type)
        .cte("per_type")
    )
    totals = sa.select(
        per_type.c.agency_id,
        sa.literal(ALL_TYPES, sa.String(60)).label("meeting_type"),
        *[sa.func.sum(per_type.c[name]).label(name) for name in COUNTS],
    ).group_by(per_type.c.agency_id)
    combined = sa.union_all(sa.select(*per_type.c), totals).subquery("combined")
    return (
        sa.select(
            combined.c.agency_id,
            Agency.name.label("agency_name"),
            combined.c.meeting_type,
            type_label_expression(combined.c.meeting_type).label("meeting_type_label"),
            *[sa.cast(combined.c[name], sa.Integer).label(name) for name in COUNTS],
        )
        .join(Agency, Agency.id == combined.c.agency_id)
        .order_by(Agency.name, combined.c.meeting_type == ALL_TYPES, combined.c.meeting_type)
    )


def meetings_held(start: date, end: date) -> int:
    return int(
        db.session.scalar(sa.select(sa.func.count(Meeting.id)).where(held_in_period(start, end)))
        or 0
    )


# --- Quoracy --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuorateShare:
    meeting_type: str
    conferences: int
    quorate: int


def _rules() -> dict[QuorumRule, list[str]]:
    """Meeting types with a quorum rule (the conferences), grouped by their rule."""
    grouped: dict[QuorumRule, list[str]] = defaultdict(list)
    for code in sorted(meeting_types()):
        rule = quorum_rule(code)
        if rule is not None:
            grouped[rule].append(code)
    return grouped


def quorate_shares(start: date, end: date) -> list[QuorateShare]:
    """Conferences held in the period and how many were quorate, per type: the same rule
    as ``core.meetings.operations.quoracy``, worked out in SQL for every conference at
    once. One statement: per meeting, which required agency types attended and how many
    other agencies did under each rule; then per type, how many met their rule."""
    rules = _rules()
    if not rules:
        return []
    required_types = sorted({code for rule in rules for code in rule.required_agency_types})
    attended = sa.and_(
        Invitation.meeting_id == Meeting.id,
        Invitation.removed_at.is_(None),
        Invitation.outcome.in_(list(ATTENDED)),
    )
    others = []
    for n, rule in enumerate(rules):
        required = sorted(rule.required_agency_types)
        counted = sa.case((Agency.type.not_in(required), Agency.id)) if required else Agency.id
        others.append(sa.func.count(sa.distinct(counted)).label(f"others_{n}"))
    per_meeting = (
        sa.select(
            Meeting.type.label("meeting_type"),
            *[
                sa.func.max(sa.case((Agency.type == code, 1), else_=0)).label(f"has_{n}")
                for n, code in enumerate(required_types)
            ],
            *others,
        )
        .select_from(Meeting)
        .outerjoin(Invitation, attended)
        .outerjoin(Agency, Agency.id == Invitation.agency_id)
        .where(
            held_in_period(start, end),
            Meeting.type.in_([code for codes in rules.values() for code in codes]),
        )
        .group_by(Meeting.id, Meeting.type)
        .subquery("per_meeting")
    )
    met = []
    for n, (rule, codes) in enumerate(rules.items()):
        condition = sa.and_(
            per_meeting.c.meeting_type.in_(codes),
            per_meeting.c[f"others_{n}"] >= rule.min_other_agencies,
            *[
                per_meeting.c[f"has_{required_types.index(code)}"] == 1
                for code in sorted(rule.required_agency_types)
            ],
        )
        met.append((condition, 1))
    rows = db.session.execute(
        sa.select(
            per_meeting.c.meeting_type,
            sa.func.count().label("conferences"),
            sa.func.count(sa.case(*met)).label("quorate"),
        ).group_by(per_meeting.c.meeting_type)
    ).all()
    shares = [QuorateShare(r.meeting_type, int(r.conferences), int(r.quorate)) for r in rows]
    shares.sort(key=lambda share: share.meeting_type)
    if shares:
        shares.append(
            QuorateShare(
                ALL_TYPES,
                sum(s.conferences for s in shares),
                sum(s.quorate for s in shares),
            )
        )
    return shares
