"""The attendance audit's figures, worked out in SQL.

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

The quorate share of conferences uses the same rule as
``core.meetings.operations.quoracy``: per conference, which required agency types
attended and how many other agencies did.

Three read-only statements, each a parallel aggregation on PostgreSQL over the covering
indexes on meetings and invitations (see the migration "attendance audit indexes"):

1. the meetings held per type (the meetings alone);
2. the figures per agency and meeting type, with the per-agency totals (``meeting_type``
   ``all``) added from that small result, and the standard invitations withdrawn and not
   renewed (a join over the few withdrawn ones, never a lookup per invitation);
3. per conference, over its attended live invitations only, how many agencies attended
   and how many of each required agency type, counted per type into the quorate share
   (a conference nobody attended is quorate only under a rule that asks for nobody).

The first stage of each is a plain GROUP BY, which PostgreSQL aggregates partially in
each worker; GROUPING SETS, or a write (INSERT ... SELECT), would keep the aggregation in
one process. The audit then stores the few thousand result rows in one statement
(``_insert_rows``). No meeting or invitation is ever loaded into Python: only the
figures are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from core.auth.models import Agency
from core.clocks import LOCAL_ZONE
from core.concerns.models import Concern
from core.extensions import db
from core.meetings.models import (
    ATTENDED,
    Invitation,
    Meeting,
    MeetingStatus,
    Outcome,
    meeting_concerns,
)
from core.meetings.operations import quorum_rule
from core.meetings.types import meeting_types
from plugins.types import QuorumRule

from .models import ALL_TYPES, AttendanceAuditRow

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


def held_in_period(start: date, end: date, council_id: int | None = None) -> sa.ColumnElement[bool]:
    """Meetings held in the period; of one council's cases when ``council_id`` is given
    (an instance of several councils), else every meeting."""
    begin, finish = period_bounds(start, end)
    return sa.and_(
        Meeting.status == MeetingStatus.HELD,
        Meeting.held_at >= begin,
        Meeting.held_at < finish,
        of_council(council_id),
    )


def of_council(council_id: int | None) -> sa.ColumnElement[bool]:
    """A meeting about one of the council's cases (None: any meeting)."""
    if council_id is None:
        return sa.true()
    return sa.exists().where(
        meeting_concerns.c.meeting_id == Meeting.id,
        Concern.id == meeting_concerns.c.concern_id,
        Concern.council_id == council_id,
    )


def type_label_expression(column: Any) -> Any:
    """The meeting type's label, as SQL: the labels come from the plugins."""
    labels = {code: kind.label for code, kind in meeting_types().items()}
    labels[ALL_TYPES] = ALL_TYPES_LABEL
    return sa.case(labels, value=column, else_=column)


def _count_when(condition: sa.ColumnElement[bool]) -> Any:
    return sa.func.count(sa.case((condition, 1)))


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


def _invitations_to_meetings_held(
    invitation: Any, start: date, end: date, council_id: int | None = None
) -> sa.Select[Any]:
    return (
        sa.select()
        .select_from(invitation)
        .join(Meeting, Meeting.id == invitation.meeting_id)
        .where(held_in_period(start, end, council_id))
    )


def attendance_query(start: date, end: date, council_id: int | None = None) -> sa.Select[Any]:
    """One row per agency and meeting type, then one per agency for every type together:
    agency_id, agency_name, meeting_type, meeting_type_label and the counts."""
    invitation = sa.orm.aliased(Invitation, name="i")
    active = invitation.removed_at.is_(None)
    counts = (
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
            _count_when(sa.and_(invitation.removed_at.is_not(None), invitation.standard)).label(
                "withdrawn_standard"
            ),
        )
        .select_from(invitation)
        .join(Meeting, Meeting.id == invitation.meeting_id)
        .where(held_in_period(start, end, council_id))
        .group_by(invitation.agency_id, Meeting.type)
        .subquery("counts")
    )
    # standard invitations withdrawn while the agency holds a live invitation to the
    # same meeting (invited again): these were not omitted
    withdrawn = sa.orm.aliased(Invitation, name="withdrawn")
    live = sa.orm.aliased(Invitation, name="live")
    renewed = (
        sa.select(
            withdrawn.agency_id.label("agency_id"),
            Meeting.type.label("meeting_type"),
            sa.func.count().label("renewed"),
        )
        .select_from(withdrawn)
        .join(Meeting, Meeting.id == withdrawn.meeting_id)
        .join(
            live,
            sa.and_(
                live.meeting_id == withdrawn.meeting_id,
                live.agency_id == withdrawn.agency_id,
                live.removed_at.is_(None),
            ),
        )
        .where(
            held_in_period(start, end, council_id),
            withdrawn.removed_at.is_not(None),
            withdrawn.standard,
        )
        .group_by(withdrawn.agency_id, Meeting.type)
        .subquery("renewed")
    )
    per_type = (
        sa.select(
            counts.c.agency_id,
            counts.c.meeting_type,
            *[counts.c[name] for name in COUNTS if name != "omitted_invitations"],
            (counts.c.withdrawn_standard - sa.func.coalesce(renewed.c.renewed, 0)).label(
                "omitted_invitations"
            ),
        )
        .select_from(counts)
        .outerjoin(
            renewed,
            sa.and_(
                renewed.c.agency_id == counts.c.agency_id,
                renewed.c.meeting_type == counts.c.meeting_type,
            ),
        )
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
        .order_by(
            Agency.name,
            combined.c.meeting_type == ALL_TYPES,
            type_label_expression(combined.c.meeting_type),
        )
    )


def quorate_query(
    start: date, end: date, rules: dict[QuorumRule, list[str]], council_id: int | None = None
) -> sa.Select[Any]:
    """(meeting type, conferences anyone attended, of them quorate) for the conferences held
    in the period.

    Only the attended live invitations are read. Per conference, ``attended`` counts the
    agencies that attended and ``type_<n>`` those of the n-th required agency type; the
    agencies "other" than a rule's required types are then ``attended`` less the required
    types' counts (an agency has one type). An agency holds at most one live invitation to
    a meeting (a unique index), so counting invitations counts agencies. A conference
    nobody attended has no row: the caller decides whether it was quorate."""
    invitation = sa.orm.aliased(Invitation, name="i")
    agency = sa.orm.aliased(Agency, name="a")
    required_types = sorted({code for rule in rules for code in rule.required_agency_types})
    per_meeting = (
        sa.select(
            Meeting.type.label("meeting_type"),
            sa.func.count().label("attended"),
            *[
                _count_when(agency.type == code).label(f"type_{n}")
                for n, code in enumerate(required_types)
            ],
        )
        .select_from(invitation)
        .join(Meeting, Meeting.id == invitation.meeting_id)
        .join(agency, agency.id == invitation.agency_id)
        .where(
            held_in_period(start, end, council_id),
            Meeting.type.in_([code for codes in rules.values() for code in codes]),
            invitation.removed_at.is_(None),
            invitation.outcome.in_(list(ATTENDED)),
        )
        .group_by(Meeting.id, Meeting.type)
        .subquery("per_meeting")
    )
    met = []
    for rule, codes in rules.items():
        required = [
            per_meeting.c[f"type_{required_types.index(code)}"]
            for code in sorted(rule.required_agency_types)
        ]
        others = per_meeting.c.attended
        for count in required:
            others = others - count
        condition = sa.and_(
            per_meeting.c.meeting_type.in_(codes),
            others >= rule.min_other_agencies,
            *[count > 0 for count in required],
        )
        met.append((condition, 1))
    return sa.select(
        per_meeting.c.meeting_type, sa.func.count(), sa.func.count(sa.case(*met))
    ).group_by(per_meeting.c.meeting_type)


def _asks_nobody(rule: QuorumRule) -> bool:
    return not rule.required_agency_types and rule.min_other_agencies <= 0


def held_per_type(start: date, end: date, council_id: int | None = None) -> dict[str, int]:
    """Meetings held in the period, per type (every conference, invitations or none)."""
    rows = db.session.execute(
        sa.select(Meeting.type, sa.func.count())
        .where(held_in_period(start, end, council_id))
        .group_by(Meeting.type)
    ).all()
    return {meeting_type: int(count) for meeting_type, count in rows}


def _insert_rows(rows: list[dict[str, Any]]) -> None:
    """Store the figures: on PostgreSQL in one statement (the rows sent as one JSON
    document, read back by ``json_to_recordset``), elsewhere through the driver's
    executemany."""
    if not rows:
        return
    table = AttendanceAuditRow.__table__
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.execute(sa.insert(table), rows)
        return
    names = list(rows[0])
    figures = (
        sa.func.json_to_recordset(sa.bindparam("figures", rows, type_=postgresql.JSON))
        .table_valued(*[sa.column(name, table.c[name].type) for name in names])
        .render_derived(name="figures", with_types=True)
    )
    db.session.execute(
        sa.insert(table).from_select(names, sa.select(*[figures.c[name] for name in names]))
    )


@dataclass(frozen=True)
class StoredFigures:
    meetings_held: int
    quorate_shares: list[QuorateShare]


def store_figures(
    audit_id: int, start: date, end: date, council_id: int | None = None
) -> StoredFigures:
    """Store the audit's rows for the period; return how many meetings were held and the
    quorate share of conferences per type, with a total (``meeting_type`` ``all``) when
    any conference was held."""
    if db.session.get_bind().dialect.name == "postgresql":
        # room to aggregate a half year's conferences in memory, for this transaction only
        db.session.execute(sa.text("SET LOCAL work_mem = '64MB'"))
    held = held_per_type(start, end, council_id)
    rows = [
        {"audit_id": audit_id, **row}
        for row in db.session.execute(attendance_query(start, end, council_id)).mappings()
    ]
    _insert_rows(rows)
    rules = _rules()
    quorate: dict[str, int] = {}
    if rules:
        # a conference nobody attended is quorate only under a rule that asks for nobody
        nobody = {code for rule, codes in rules.items() for code in codes if _asks_nobody(rule)}
        for code, attended_by_some, n in db.session.execute(
            quorate_query(start, end, rules, council_id)
        ):
            quorate[code] = int(n)
            if code in nobody:
                quorate[code] += held.get(code, 0) - int(attended_by_some)
        for code in nobody - set(quorate):
            quorate[code] = held.get(code, 0)
    conference_types = sorted(code for codes in rules.values() for code in codes)
    shares = [
        QuorateShare(code, held[code], quorate.get(code, 0))
        for code in conference_types
        if held.get(code)
    ]
    if shares:
        shares.append(
            QuorateShare(
                ALL_TYPES,
                sum(share.conferences for share in shares),
                sum(share.quorate for share in shares),
            )
        )
    return StoredFigures(sum(held.values()), shares)
