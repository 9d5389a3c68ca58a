"""Quoracy in SQL, over many meetings at once: the same rule as ``operations.quoracy``.

Each held meeting keeps the verdict of record in ``meetings.quorate`` (written by
``operations.record_quoracy`` when the meeting is recorded and when an outcome is
corrected). This module works the rule out set-based, for the meetings recorded before the
column existed (``store_quoracy``, ``flask audits requorate``) and for the attendance
audit's meetings with no verdict stored.

Per meeting, only its attended live invitations are read: ``attended`` counts the
agencies that attended and one count per required agency type; the agencies "other" than
a rule's required types are ``attended`` less the required types' counts (an agency has
one type, and holds at most one live invitation to a meeting: a unique index). A meeting
nobody attended has no row: it is quorate only under a rule that asks for nobody
(``asks_nobody``).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa

from core.auth.models import Agency
from core.extensions import db
from plugins.types import QuorumRule

from .models import ATTENDED, Invitation, Meeting, MeetingStatus
from .operations import quorum_rule
from .types import meeting_types


def rules() -> dict[QuorumRule, list[str]]:
    """Meeting types with a quorum rule (the conferences), grouped by their rule."""
    grouped: dict[QuorumRule, list[str]] = defaultdict(list)
    for code in sorted(meeting_types()):
        rule = quorum_rule(code)
        if rule is not None:
            grouped[rule].append(code)
    return grouped


def asks_nobody(rule: QuorumRule) -> bool:
    return not rule.required_agency_types and rule.min_other_agencies <= 0


def quorate_per_meeting(
    grouped: dict[QuorumRule, list[str]], *where: sa.ColumnElement[bool]
) -> sa.Subquery:
    """(meeting_id, meeting_type, quorate) for the conferences matching ``where`` that
    anyone attended."""
    invitation = sa.orm.aliased(Invitation, name="i")
    agency = sa.orm.aliased(Agency, name="a")
    required_types = sorted({code for rule in grouped for code in rule.required_agency_types})
    attended = sa.func.count()
    per_type = {code: sa.func.count(sa.case((agency.type == code, 1))) for code in required_types}
    met = []
    for rule, codes in grouped.items():
        others = attended
        for code in sorted(rule.required_agency_types):
            others = others - per_type[code]
        met.append(
            (
                sa.and_(
                    Meeting.type.in_(codes),
                    others >= rule.min_other_agencies,
                    *[per_type[code] > 0 for code in sorted(rule.required_agency_types)],
                ),
                sa.true(),
            )
        )
    return (
        sa.select(
            Meeting.id.label("meeting_id"),
            Meeting.type.label("meeting_type"),
            sa.case(*met, else_=sa.false()).label("quorate"),
        )
        .select_from(invitation)
        .join(Meeting, Meeting.id == invitation.meeting_id)
        .join(agency, agency.id == invitation.agency_id)
        .where(
            *where,
            Meeting.type.in_([code for codes in grouped.values() for code in codes]),
            invitation.removed_at.is_(None),
            invitation.outcome.in_(list(ATTENDED)),
        )
        .group_by(Meeting.id, Meeting.type)
        .subquery("per_meeting")
    )


def store_quoracy(everything: bool = False) -> int:
    """Store the verdict under the rules of today for the held meetings that have none
    (``everything``: for every held meeting, replacing the verdicts of record, and none
    for the types without a rule). Set-based; returns how many conferences were given a
    verdict."""
    grouped = rules()
    held = Meeting.status == MeetingStatus.HELD
    conference_types = [code for codes in grouped.values() for code in codes]
    if everything:
        db.session.execute(
            sa.update(Meeting)
            .where(held, Meeting.quorate.is_not(None))
            .values(quorate=None)
            .execution_options(synchronize_session=False)
        )
    if grouped:
        unset = Meeting.quorate.is_(None)
        # the conferences anyone attended, then the others: as nobody attended
        per_meeting = quorate_per_meeting(grouped, held, unset)
        written = db.session.execute(
            sa.update(Meeting)
            .where(Meeting.id == per_meeting.c.meeting_id)
            .values(quorate=per_meeting.c.quorate)
            .execution_options(synchronize_session=False)
        ).rowcount
        nobody = [(Meeting.type.in_(codes), asks_nobody(rule)) for rule, codes in grouped.items()]
        written += db.session.execute(
            sa.update(Meeting)
            .where(held, unset, Meeting.type.in_(conference_types))
            .values(quorate=sa.case(*nobody, else_=sa.false()))
            .execution_options(synchronize_session=False)
        ).rowcount
    else:
        written = 0
    db.session.expire_all()
    return written


def quorate_counts(*where: sa.ColumnElement[bool]) -> dict[str, tuple[int, int]]:
    """Worked out now, for the conferences matching ``where`` (held ones): per meeting
    type, (conferences anyone attended, of them quorate)."""
    grouped = rules()
    if not grouped:
        return {}
    per_meeting = quorate_per_meeting(grouped, *where)
    rows: Any = db.session.execute(
        sa.select(
            per_meeting.c.meeting_type,
            sa.func.count(),
            sa.func.count(sa.case((per_meeting.c.quorate, 1))),
        ).group_by(per_meeting.c.meeting_type)
    )
    return {code: (int(some), int(quorate)) for code, some, quorate in rows}
