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

The quorate share of conferences counts each held conference's verdict of record
(``Meeting.quorate``): decided when the meeting was recorded, and again when an outcome
is corrected, by ``core.meetings.operations.quoracy``'s rule as it stood then. That is
what a board audits: a later change of the quorum rule (``QUORUM_RULES``, a plugin) or of
an agency's type does not rewrite past meetings, unless ``flask audits requorate --all``
decides them all again. A held conference with no verdict stored (recorded before it was
kept, or of a type that had no rule then) is worked out under today's rule
(``core.meetings.quorum``, the same rule in SQL).

Read-only statements, each a parallel aggregation on PostgreSQL over the covering
indexes on meetings and invitations (see the migration "attendance audit indexes"):

1. the meetings held per type, with how many are quorate and how many have no verdict
   (the meetings' covering index alone);
2. the figures per agency and meeting type, with the per-agency totals (``meeting_type``
   ``all``) added from that small result, and the standard invitations withdrawn and not
   renewed (a join over the few withdrawn ones, never a lookup per invitation);
3. only when some held conference has no verdict: per such conference, over its attended
   live invitations, the rule worked out (``core.meetings.quorum``).

The first stage of each is a plain GROUP BY, which PostgreSQL aggregates partially in
each worker; GROUPING SETS, or a write (INSERT ... SELECT), would keep the aggregation in
one process. The audit then stores the few thousand result rows in one statement
(``_insert_rows``). No meeting or invitation is ever loaded into Python: only the
figures are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from core.auth.models import Agency
from core.clocks import LOCAL_ZONE
from core.concerns.models import Concern
from core.extensions import db
from core.meetings import quorum
from core.meetings.models import (
    ATTENDED,
    Invitation,
    Meeting,
    MeetingStatus,
    Outcome,
    meeting_concerns,
)
from core.meetings.types import meeting_types

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


def held_per_type(
    start: date, end: date, council_id: int | None = None
) -> dict[str, tuple[int, int, int]]:
    """Meetings held in the period, per type (every conference, invitations or none):
    (held, of them quorate by their verdict of record, of them with no verdict stored).
    One pass over the covering index on meetings."""
    rows = db.session.execute(
        sa.select(
            Meeting.type,
            sa.func.count(),
            _count_when(Meeting.quorate.is_(True)),
            _count_when(Meeting.quorate.is_(None)),
        )
        .where(held_in_period(start, end, council_id))
        .group_by(Meeting.type)
    ).all()
    return {code: (int(n), int(quorate), int(unset)) for code, n, quorate, unset in rows}


def _quorate(
    held: dict[str, tuple[int, int, int]],
    start: date,
    end: date,
    council_id: int | None,
    stored: bool = True,
) -> dict[str, int]:
    """Conferences quorate per type: the verdicts of record, and for the held conferences
    with none stored (recorded before the column, or of a type that had no rule then) the
    rule of today, worked out in SQL like ``quoracy``. ``stored`` False: every conference
    by the rule of today, as the audit counted before the verdicts were stored."""
    grouped = quorum.rules()
    codes_held = [code for codes in grouped.values() for code in codes if code in held]
    quorate = {code: held[code][1] if stored else 0 for code in codes_held}
    unset = {code: held[code][2] if stored else held[code][0] for code in codes_held}
    if not any(unset.values()):
        return quorate
    where = [held_in_period(start, end, council_id)]
    if stored:
        where.append(Meeting.quorate.is_(None))
    counts = quorum.quorate_counts(*where)
    for rule, codes in grouped.items():
        for code in set(codes) & {code for code, n in unset.items() if n}:
            attended_by_some, n = counts.get(code, (0, 0))
            quorate[code] += n
            if quorum.asks_nobody(rule):
                # a conference nobody attended is quorate only under a rule that asks for nobody
                quorate[code] += unset[code] - attended_by_some
    return quorate


def quorate_by_todays_rule(start: date, end: date, council_id: int | None = None) -> dict[str, int]:
    """Conferences held in the period and quorate by the rule of today, whatever verdict
    they keep: for checking the verdicts stored (the benchmark)."""
    return _quorate(held_per_type(start, end, council_id), start, end, council_id, stored=False)


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
    quorate = _quorate(held, start, end, council_id)
    shares = [
        QuorateShare(code, held[code][0], quorate[code])
        for code in sorted(quorate)
        if held[code][0]
    ]
    if shares:
        shares.append(
            QuorateShare(
                ALL_TYPES,
                sum(share.conferences for share in shares),
                sum(share.quorate for share in shares),
            )
        )
    return StoredFigures(sum(n for n, _, _ in held.values()), shares)
