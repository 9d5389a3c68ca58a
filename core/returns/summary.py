"""The dashboard's figures maintained, not recounted: the summary tables of
``core/returns/models.py`` and the job that keeps them current.

Every flush that changes what the dashboard counts (a concern received, decided, signed
off, closed, moved to another team or area, deleted, merged into another person; a person
alleged to have caused harm named, removed or offered support) writes the local days it
made wrong to ``figures_pending`` in the same transaction (:func:`_note_changes`, a
``before_flush`` listener registered when this module is imported, which the app's
commands do). Moving a concern's day received, its person or deleting it also marks the
days of the person's later concerns within the repeat window, whose repeat flags it
changes. Once the request has committed, :func:`refresh_after_request` hands the figures
job to the queue (without Redis it runs at once, in this process); the job counts those
days again from the records, with the same SQL rules as the direct count, and deletes the
pending rows it read. The worker also runs it every ``JOBS_FIGURES_SECONDS`` (a change a
command made, a job Redis lost), and ``flask --app core figures rebuild`` counts
everything again. The database stays the record of truth: a pending row is only ever
deleted by the run that counted its days.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import Response, current_app, g, has_app_context
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from core import jobs
from core.clocks import LOCAL_ZONE, to_local
from core.concerns.models import ADULT_DECISIONS, Concern, ConcernStatus
from core.db import utcnow
from core.extensions import db
from core.people.models import AllegedPerson
from core.policy.cases import REPEAT_WINDOW
from core.returns import snapshots
from core.returns.dashboard import final_at, is_repeat
from core.returns.models import (
    FiguresAlleged,
    FiguresClosed,
    FiguresDecided,
    FiguresPending,
    FiguresReceived,
    FiguresReturn,
    FiguresReturnPending,
    FiguresScreening,
    FiguresState,
)
from core.returns.periods import Period

log = logging.getLogger(__name__)

Span = tuple[date, date]  # local days, first and last inclusive

STATE_ID = 1
MERGE_GAP = timedelta(days=7)  # pending spans this close are counted again as one


# --- Local days in SQL ------------------------------------------------------------------------


def local_day(column: Any) -> sa.ColumnElement[date]:
    """The council's local day of a UTC timestamp, in SQL: PostgreSQL's own time zones,
    SQLite's ``local_day`` function (``core/db.py``), both from the tz database."""
    if db.engine.dialect.name == "sqlite":
        return sa.func.local_day(column, type_=sa.Date)
    return sa.cast(sa.func.timezone(LOCAL_ZONE.key, column), sa.Date)


def _later(first: Any, second: Any) -> Any:
    """The later of two timestamps (both set)."""
    if db.engine.dialect.name == "sqlite":
        return sa.func.max(first, second)
    return sa.func.greatest(first, second)


class _Bounds(NamedTuple):
    """A span in a statement: its first and last local days and the UTC moments it starts
    and ends (as :class:`Period` has them), each a parameter the statement is run with."""

    first: Any
    last: Any
    starts: Any
    ends: Any


def _within(column: Any, spans: Sequence[_Bounds] | None) -> sa.ColumnElement[bool]:
    """``column`` (a UTC timestamp) falls on one of the local days of ``spans`` (any when
    None): :meth:`Period.holds` of each."""
    if spans is None:
        return sa.true()
    return sa.or_(*(sa.and_(column >= span.starts, column < span.ends) for span in spans))


def _on_days(column: Any, spans: Sequence[_Bounds] | None) -> sa.ColumnElement[bool]:
    if spans is None:
        return sa.true()
    return sa.or_(*(column.between(span.first, span.last) for span in spans))


# --- What each table holds: the direct count's rules, per local day -------------------------

_LIVE = Concern.deleted_at.is_(None)


def _received(spans: Sequence[_Bounds] | None) -> sa.Select[Any]:
    each = (
        sa.select(
            local_day(Concern.received_at).label("day"),
            Concern.council_id.label("council_id"),
            Concern.team_id.label("team_id"),
            Concern.locality_id.label("locality_id"),
            Concern.out_of_hours.label("out_of_hours"),
            is_repeat().label("repeat"),
        )
        .where(_LIVE, _within(Concern.received_at, spans))
        .subquery()
    )
    columns = [
        each.c.day,
        each.c.council_id,
        each.c.team_id,
        each.c.locality_id,
        each.c.out_of_hours,
        each.c.repeat,
    ]
    return sa.select(*columns, sa.func.count()).group_by(*columns)


def _closed(spans: Sequence[_Bounds] | None) -> sa.Select[Any]:
    each = (
        sa.select(
            local_day(Concern.closed_at).label("day"),
            local_day(_later(Concern.received_at, Concern.closed_at)).label("through"),
            Concern.council_id.label("council_id"),
            Concern.team_id.label("team_id"),
            Concern.locality_id.label("locality_id"),
            Concern.is_child.label("is_child"),
            (Concern.status == ConcernStatus.CLOSED).label("closed"),
            sa.case(
                (Concern.is_child.is_(True), sa.type_coerce(Concern.family_outcome, sa.String)),
                else_=sa.type_coerce(Concern.risk_outcome, sa.String),
            ).label("outcome"),
        )
        .where(_LIVE, Concern.closed_at.is_not(None), _within(Concern.closed_at, spans))
        .subquery()
    )
    columns = [
        each.c.day,
        each.c.through,
        each.c.council_id,
        each.c.team_id,
        each.c.locality_id,
        each.c.is_child,
        each.c.closed,
        each.c.outcome,
    ]
    return sa.select(*columns, sa.func.count()).group_by(*columns)


def _decided(spans: Sequence[_Bounds] | None) -> sa.Select[Any]:
    day = local_day(Concern.decided_at)
    decision = sa.type_coerce(Concern.decision, sa.String)
    return (
        sa.select(day, Concern.council_id, decision, sa.func.count())
        .where(
            _LIVE,
            Concern.is_child.is_(False),
            Concern.decision.in_([d.value for d in ADULT_DECISIONS]),
            Concern.decided_at.is_not(None),
            _within(Concern.decided_at, spans),
        )
        .group_by(day, Concern.council_id, decision)
    )


def _screening(spans: Sequence[_Bounds] | None) -> sa.Select[Any]:
    final = final_at()
    day = local_day(final)
    return (
        sa.select(day, Concern.council_id, Concern.screening_due, sa.func.count())
        .where(
            _LIVE,
            final.is_not(None),
            Concern.screening_due.is_not(None),
            # on the indexes first: the final time is one of these two
            sa.or_(_within(Concern.decided_at, spans), _within(Concern.signed_off_at, spans)),
            _within(final, spans),
        )
        .group_by(day, Concern.council_id, Concern.screening_due)
    )


def _alleged(spans: Sequence[_Bounds] | None) -> sa.Select[Any]:
    day = local_day(Concern.received_at)
    needs = AllegedPerson.has_care_needs.is_(True)
    support = sa.type_coerce(AllegedPerson.support, sa.String)
    return (
        sa.select(day, Concern.council_id, needs, support, sa.func.count())
        .join(Concern, Concern.id == AllegedPerson.concern_id)
        .where(_LIVE, AllegedPerson.removed_at.is_(None), _within(Concern.received_at, spans))
        .group_by(day, Concern.council_id, needs, support)
    )


TABLES: list[tuple[Any, list[str], Any]] = [
    (
        FiguresReceived,
        ["day", "council_id", "team_id", "locality_id", "out_of_hours", "repeat", "concerns"],
        _received,
    ),
    (
        FiguresClosed,
        [
            "day",
            "through",
            "council_id",
            "team_id",
            "locality_id",
            "is_child",
            "closed",
            "outcome",
            "cases",
        ],
        _closed,
    ),
    (FiguresDecided, ["day", "council_id", "decision", "decisions"], _decided),
    (FiguresScreening, ["day", "council_id", "due", "decisions"], _screening),
    (FiguresAlleged, ["day", "council_id", "care_needs", "support", "people"], _alleged),
]


# --- Counting again ----------------------------------------------------------------------------


def merge(spans: Iterable[Span]) -> list[Span]:
    """Spans sorted and joined where they overlap or lie within ``MERGE_GAP``."""
    merged: list[Span] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + MERGE_GAP:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _statements(spans: Sequence[_Bounds] | None) -> list[sa.Executable]:
    statements: list[sa.Executable] = []
    for model, columns, query in TABLES:
        table = model.__table__  # Core statements: run with the spans as parameters
        statements.append(sa.delete(table).where(_on_days(table.c.day, spans)))
        rows = query(spans)
        if spans is None:
            # the whole count written council by council: a council's rows lie together,
            # and its dashboard reads a few pages, not one row from each of thousands
            rows = rows.order_by(sa.literal_column(str(columns.index("council_id") + 1)))
        statements.append(sa.insert(table).from_select(columns, rows))
    return statements


# A count's statements for a number of spans, built once per database kind: building them
# (the repeat test's alias, the subqueries' columns) cost more of the job's time than
# running them when every API creation asked for a count of its day.
_BUILT: dict[tuple[str, int], list[sa.Executable]] = {}
_BUILT_MOST_SPANS = 8


def _count(spans: Sequence[Span] | None) -> None:
    if spans is None:
        for statement in _statements(None):
            db.session.execute(statement)
        return
    key = (db.engine.dialect.name, len(spans))
    statements = _BUILT.get(key)
    if statements is None:
        statements = _statements(
            [
                _Bounds(*(sa.bindparam(f"{part}_{index}") for part in _Bounds._fields))
                for index in range(len(spans))
            ]
        )
        if len(spans) <= _BUILT_MOST_SPANS:
            _BUILT[key] = statements
    values: dict[str, Any] = {}
    for index, (first, last) in enumerate(spans):
        period = Period(first, last)
        values |= {f"first_{index}": first, f"last_{index}": last}
        values |= {f"starts_{index}": period.starts, f"ends_{index}": period.ends}
    for statement in statements:
        db.session.execute(statement, values)


def _take_lock() -> FiguresState | None:
    """Take the summary's lock, the state row's (one run counts at a time: two would
    each delete and insert the same days); None before the first rebuild."""
    db.session.execute(
        sa.update(FiguresState)
        .where(FiguresState.id == STATE_ID)
        .values(counted_at=FiguresState.counted_at)
    )
    return db.session.get(FiguresState, STATE_ID, populate_existing=True)


def _clear(ids: list[int]) -> None:
    for start in range(0, len(ids), 500):
        db.session.execute(
            sa.delete(FiguresPending).where(FiguresPending.id.in_(ids[start : start + 500]))
        )


def rebuild() -> datetime:
    """Count every figure again from the records (the command, the demo data, the first
    run); answers when."""
    started = utcnow()
    state = _take_lock()
    ids = list(db.session.scalars(sa.select(FiguresPending.id)))
    _count(None)
    _clear(ids)
    snapshots.rebuild(started)
    if state is None:
        db.session.add(FiguresState(id=STATE_ID, counted_at=started, rebuilt_at=started))
    else:
        state.counted_at = state.rebuilt_at = started
    db.session.commit()
    _analyse()
    return started


# The tables a rebuild fills anew (TABLES): their statistics are out of date after it.
VACUUM_REBUILT = (
    "VACUUM (ANALYZE) figures_received",
    "VACUUM (ANALYZE) figures_closed",
    "VACUUM (ANALYZE) figures_decided",
    "VACUUM (ANALYZE) figures_screening",
    "VACUUM (ANALYZE) figures_alleged",
)


def _analyse() -> None:
    """On PostgreSQL, the tables just filled vacuumed (the rows the rebuild replaced) and
    analysed. Left to autovacuum, the pages were planned for the empty tables of a freshly
    loaded database (the generator analyses every table before the figures are counted)
    and read past the replaced rows until it came round."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for statement in VACUUM_REBUILT:
            connection.execute(sa.text(statement))


def refresh(build_missing: bool = False) -> datetime | None:
    """Count again the days the pending rows name; answers when the figures were counted
    (every change committed before then is in them). Before the first rebuild there is
    nothing to bring up to date: None, or, ``build_missing``, the rebuild."""
    started = utcnow()
    state = _take_lock()
    if state is None:
        db.session.rollback()
        return rebuild() if build_missing else None
    pending = db.session.execute(
        sa.select(FiguresPending.id, FiguresPending.first, FiguresPending.last)
    ).all()
    spans = merge((row.first, row.last) for row in pending)
    if spans:
        _count(spans)
        _clear([row.id for row in pending])
    snapshots.refresh(started, periodic=build_missing)
    if build_missing:  # the periodic run: a new year's or a new council's returns too
        snapshots.keep_defaults(started)
    state.counted_at = max(state.counted_at, started)
    db.session.commit()
    return started


@jobs.task
def refresh_figures() -> None:
    """The figures job, after a commit that changed what the dashboard counts."""
    refresh()


@jobs.periodic("interval", "JOBS_FIGURES_SECONDS")
@jobs.task
def count_figures() -> None:
    """The figures job on the worker's schedule (every ``JOBS_FIGURES_SECONDS``): what
    commands changed, or a job Redis lost; the first rebuild on a new database."""
    refresh(build_missing=True)


@jobs.task
def keep_return(kind: str, year: int, council_id: int | None) -> None:
    """Count a return nobody had asked for before and keep it current from now on
    (``core/returns/snapshots.py``), or count again one kept but behind (read from the
    records meanwhile); the first rebuild on a new database."""
    started = utcnow()
    if _take_lock() is None:
        db.session.rollback()
        rebuild()
        started = utcnow()
        _take_lock()
    stored = db.session.scalar(
        sa.select(FiguresReturn).where(snapshots.kept(kind, year, council_id))
    )
    if stored is not None and not snapshots.behind(stored, started):
        db.session.rollback()  # kept meanwhile: the figures job keeps it current
        return
    snapshots.keep(kind, year, council_id, started)
    db.session.commit()


def refresh_after_request(response: Response) -> Response:
    """After the request's commit: when it changed what the dashboard or the returns
    count, the figures job (queued, or run now without Redis); a return asked for that
    is not kept yet, the job that keeps it."""
    if g.pop("figures_changed", False):
        jobs.enqueue_once(refresh_figures, current_app.config["JOBS_FIGURES_DELAY_SECONDS"])
    for kind, year, council_id in sorted(g.pop("returns_wanted", ()), key=str):
        jobs.enqueue(keep_return, kind, year, council_id)
    return response


# --- Noting the days a change makes wrong ---------------------------------------------------

# the concern's columns the figures read; a change to any other leaves them as they are
COUNTED = (
    "received_at",
    "closed_at",
    "decided_at",
    "signed_off_at",
    "sign_off",
    "screening_due",
    "status",
    "risk_outcome",
    "family_outcome",
    "is_child",
    "decision",
    "council_id",
    "team_id",
    "locality_id",
    "out_of_hours",
    "person_id",
    "deleted_at",
)
# ... of which these also change whether the person's later concerns are repeats
MOVES_REPEATS = ("received_at", "person_id", "deleted_at")
ALLEGED_COUNTED = ("concern_id", "has_care_needs", "support", "removed_at")
TIMES = ("received_at", "closed_at", "decided_at", "signed_off_at")


def _day(moment: datetime) -> Span:
    day = to_local(moment).date()
    return day, day


def _changed(record: Any, names: Sequence[str]) -> set[str]:
    attrs = sa.inspect(record).attrs
    return {name for name in names if attrs[name].history.has_changes()}


def _later_concerns(session: Session, person_id: int, received_at: datetime) -> list[Span]:
    """The days of the person's live concerns received from ``received_at`` to the end of
    the repeat window after it (a day more: the window's edge is each database's own
    arithmetic), whose repeat flags may change with this concern."""
    return [
        _day(moment)
        for moment in session.scalars(
            sa.select(Concern.received_at).where(
                Concern.person_id == person_id,
                Concern.deleted_at.is_(None),
                Concern.received_at >= received_at,
                Concern.received_at <= received_at + REPEAT_WINDOW + timedelta(days=1),
            )
        )
    ]


def concern_spans(session: Session, concern: Concern, new: bool, gone: bool) -> list[Span]:
    """The local days whose figures this change to ``concern`` makes wrong, before and
    after it: its days received, decided, signed off and closed and, when its day
    received, its person or its deletion change, its person's later concerns' days."""
    changed = set(COUNTED) if new or gone else _changed(concern, COUNTED)
    if not changed:
        return []
    versions: list[dict[str, Any]] = []
    if not new and concern.id is not None:
        names = (*TIMES, "person_id", "deleted_at")
        row = session.execute(
            sa.select(*(getattr(Concern, name) for name in names)).where(Concern.id == concern.id)
        ).one_or_none()
        if row is not None:
            versions.append(dict(zip(names, row, strict=True)))
    if not gone:
        person_id = concern.person_id
        if person_id is None and concern.person is not None:
            person_id = concern.person.id
        versions.append(
            {name: getattr(concern, name) for name in TIMES}
            | {"person_id": person_id, "deleted_at": concern.deleted_at}
        )
    spans = [_day(version[name]) for version in versions for name in TIMES if version[name]]
    # a person recorded with this concern has no other concerns
    if changed & set(MOVES_REPEATS) and not (new and concern.person_is_new):
        for version in versions:
            if version["person_id"] is not None and version["received_at"] is not None:
                spans += _later_concerns(session, version["person_id"], version["received_at"])
    return spans


def _alleged_spans(session: Session, alleged: AllegedPerson, new: bool, gone: bool) -> list[Span]:
    if not (new or gone or _changed(alleged, ALLEGED_COUNTED)):
        return []
    ids = {alleged.concern_id, *sa.inspect(alleged).attrs["concern_id"].history.deleted}
    spans = []
    for concern_id in ids - {None}:
        concern = session.get(Concern, concern_id)
        if concern is not None and concern.received_at is not None:
            spans.append(_day(concern.received_at))
    return spans  # a concern made with it (no id yet) is new: its own days are noted


def note(session: Session, spans: Iterable[Span], returns: Sequence[dict[str, Any]] = ()) -> None:
    """Write the days to count again, and the returns (``snapshots.noted_in_flush``'s
    councils and first years), into this transaction.

    Core inserts in the flush's transaction: no ORM object to flush for a row never read
    back in this session. On PostgreSQL both in one statement (the returns' insert a
    common table expression of the days'): each statement is a round trip and about a
    fifth of a millisecond of the app's CPU, and every API creation writes both."""
    days = [{"first": first, "last": last} for first, last in merge(spans)]
    if days and returns and session.connection().dialect.name == "postgresql":
        rows = {
            "days": [{name: day.isoformat() for name, day in row.items()} for row in days],
            "returns": list(returns),
            "noted_at": utcnow(),
        }
        session.connection().execute(_NOTE_BOTH, rows)
    else:
        if days:
            session.connection().execute(sa.insert(FiguresPending.__table__), days)
        snapshots.note(session, list(returns))  # writes nothing without rows
    if (days or returns) and has_app_context():
        g.figures_changed = True


def _note_both() -> sa.Insert:
    """The days' insert with the returns' as a common table expression, the rows of each
    one JSON parameter: one statement, built once (an insert of several VALUES rows is
    compiled again at every execution: SQLAlchemy does not cache it)."""

    def rows_of(name: str, *columns: sa.ColumnClause[Any]) -> Any:
        given = sa.func.jsonb_to_recordset(sa.bindparam(name, type_=JSONB))
        return given.table_valued(*columns).render_derived(name=name, with_types=True)

    noted_at = sa.bindparam("noted_at", type_=FiguresPending.__table__.c.noted_at.type)
    days = rows_of("days", sa.column("first", sa.Date), sa.column("last", sa.Date))
    returns = rows_of(
        "returns", sa.column("council_id", sa.Integer), sa.column("first_year", sa.Integer)
    )
    returns_noted = (
        sa.insert(FiguresReturnPending.__table__)
        .from_select(
            ["council_id", "first_year", "noted_at"],
            sa.select(returns.c.council_id, returns.c.first_year, noted_at),
        )
        .cte("returns_noted")
    )
    return (
        sa.insert(FiguresPending.__table__)
        .from_select(["first", "last", "noted_at"], sa.select(days.c.first, days.c.last, noted_at))
        .add_cte(returns_noted)
    )


_NOTE_BOTH = _note_both()


def note_removed(concern: Concern) -> None:
    """Before deleting a concern with a bulk statement (retention's purge), which no
    flush sees: its days, and its person's later concerns'."""
    with db.session.no_autoflush:
        note(db.session, concern_spans(db.session, concern, new=False, gone=True))
    snapshots.note_removed(concern)


def _note_changes(session: Session, flush_context: Any, instances: Any) -> None:
    spans: list[Span] = []
    with session.no_autoflush:
        for record in itertools.chain(session.new, session.dirty, session.deleted):
            new, gone = record in session.new, record in session.deleted
            if isinstance(record, Concern):
                spans += concern_spans(session, record, new, gone)
            elif isinstance(record, AllegedPerson):
                spans += _alleged_spans(session, record, new, gone)
        returns = snapshots.noted_in_flush(session)
    note(session, spans, returns)


event.listen(Session, "before_flush", _note_changes)
