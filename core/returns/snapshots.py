"""The statutory returns maintained, not recounted: the Safeguarding Adults Collection and
the children's figures of a financial year and council, kept in ``figures_returns`` by the
figures job (``core/returns/summary.py``) beside the dashboard's per-day tables.

Why a year and not a day. The dashboard's figures are sums, so they are kept per local day
and any period adds up its days. The returns count *distinct* people and cases (SG1a to
SG1c count each adult once per column however many concerns they had; SG1d to SG2e count
a case once however many enquiries, risk types or locations it has), take the age on
31 March, and the children's figures take medians and the first meeting of each case:
none of these can be added up from per-day rows. So each return is kept whole for the
financial year it covers (the only period the pages and API offer), counted by the very
functions that count it from the records (``sac.collection``, ``children.children_figures``):
read from here it is exactly the direct count as of ``counted_at``, by construction.

Kept current as the dashboard's tables are. Every flush that changes what a return reads
(a concern received, moved to another council or person, made a child's, deleted; a
person's age, sex, ethnicity or primary support reason; an enquiry and its locations,
sources and risk types; a plan, its reviews; a meeting held, its decisions and cases; an
assessment authorised) writes, in the same transaction, the councils and the first
financial year it touches (:func:`noted_in_flush`): later years may read it too (a plan
open at a year's end, a review due from the one before). After the commit the figures job
counts those councils' kept returns of those years again; those of every council together
(``council_id`` None: a national count on a hosted instance) are marked behind since the
change and counted again on the job's periodic run. The children's figures of a year
still running also depend on the day (a review falls due and is missed): a count from an
earlier day is not read, and the periodic job counts it again.

A year nobody has asked for is not kept: ``flask figures rebuild`` counts the last
complete year and the current one for every council (and for all of them), and a request
for another year counts it from the records and hands the job that keeps it from then on.
Missing, or behind by more than ``FIGURES_STALE_SECONDS``, a return is counted from the
records at the request, as the dashboard is, and the page says which.

The repeat-case figures (``core/returns/repeats.py``) are sums per day: they are read from
the dashboard's ``figures_received`` already. The hate crime report takes any period and
counts a concern under each of its strands and types; it is counted at the request (the
concerns of a period received in a council, on the received index).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_app_context
from sqlalchemy.orm import Session

from core.auth.models import Council
from core.clocks import to_local
from core.concerns.models import (
    Assessment,
    Concern,
    ConcernRiskType,
    EnquiryLocation,
    EnquirySource,
    SafeguardingEnquiry,
)
from core.db import utcnow
from core.extensions import db
from core.meetings.models import Meeting, MeetingDecision
from core.meetings.models import meeting_concerns as mc
from core.people.models import Person
from core.plans.models import Plan, PlanReview
from core.returns import children, sac
from core.returns.dashboard import Counted
from core.returns.models import FiguresReturn, FiguresReturnPending
from core.returns.periods import financial_year, financial_year_of

SAC, CHILDREN = "sac", "children"
KINDS = (SAC, CHILDREN)

# --- A return as JSON and back ----------------------------------------------------------------


def _sac_data(collection: sac.Collection) -> dict[str, Any]:
    return {
        "tables": [
            {
                "code": t.code,
                "title": t.title,
                "counts": t.counts,
                "row_heading": t.row_heading,
                "columns": list(t.columns),
                "rows": [[row.label, row.values] for row in t.rows],
                "voluntary_table": t.voluntary_table,
            }
            for t in collection.tables
        ]
    }


def _sac_from(year: int, council_id: int | None, data: dict[str, Any]) -> sac.Collection:
    tables = [
        sac.Table(
            t["code"],
            t["title"],
            t["counts"],
            t["row_heading"],
            tuple(t["columns"]),
            [sac.Row(label, [int(v) for v in values]) for label, values in t["rows"]],
            t["voluntary_table"],
        )
        for t in data["tables"]
    ]
    return sac.Collection(year, financial_year(year, council_id), tables)


CHILDREN_NUMBERS = (
    "reviews_held",
    "reviews_on_time",
    "reviews_missed",
    "assessments_concluded",
    "assessments_on_time",
)


def _children_data(figures: children.ChildrenFigures, today: date) -> dict[str, Any]:
    return {
        "bands": [[band.label, band.count] for band in figures.bands],
        "median": figures.median,
        "plans": [list(plan) for plan in figures.plans],
        "today": today.isoformat(),  # the reviews missed are counted up to this day
        **{name: getattr(figures, name) for name in CHILDREN_NUMBERS},
    }


def _children_from(
    year: int, council_id: int | None, data: dict[str, Any]
) -> children.ChildrenFigures:
    return children.ChildrenFigures(
        year,
        financial_year(year, council_id),
        [children.Band(label, int(count)) for label, count in data["bands"]],
        data["median"],
        [(label, int(started), int(open_)) for label, started, open_ in data["plans"]],
        **{name: int(data[name]) for name in CHILDREN_NUMBERS},
    )


def count(kind: str, year: int, council_id: int | None, today: date) -> dict[str, Any]:
    """The return counted from the records, as kept."""
    if kind == SAC:
        return _sac_data(sac.collection(year, council_id))
    return _children_data(children.children_figures(year, today, council_id), today)


def _figures(kept: FiguresReturn) -> Any:
    if kept.kind == SAC:
        return _sac_from(kept.year, kept.council_id, kept.figures)
    return _children_from(kept.year, kept.council_id, kept.figures)


# --- Counting again (the figures job, under the summary's lock) ------------------------------


def kept(kind: str, year: int, council_id: int | None) -> sa.ColumnElement[bool]:
    council = (
        FiguresReturn.council_id.is_(None)
        if council_id is None
        else FiguresReturn.council_id == council_id
    )
    return sa.and_(FiguresReturn.kind == kind, FiguresReturn.year == year, council)


def keep(kind: str, year: int, council_id: int | None, started: datetime) -> None:
    """Count the return of ``year`` and ``council_id`` and keep it (in the caller's
    transaction, which holds the summary's lock)."""
    figures = count(kind, year, council_id, to_local(started).date())
    db.session.execute(
        sa.delete(FiguresReturn)
        .where(kept(kind, year, council_id))
        .execution_options(synchronize_session=False)
    )
    db.session.add(
        FiguresReturn(
            kind=kind, year=year, council_id=council_id, figures=figures, counted_at=started
        )
    )


def _touches(pending: Sequence[Any], council_id: int | None, year: int) -> bool:
    return any(
        (row.council_id is None or council_id is None or row.council_id == council_id)
        and (row.first_year is None or row.first_year <= year)
        for row in pending
    )


def _day_old(kind: str, year: int, counted_at: datetime, now: datetime) -> bool:
    """The children's figures of a year not over when they were counted, on a day before
    today: a review may have been missed since."""
    if kind != CHILDREN:
        return False
    counted_on = to_local(counted_at).date()
    return counted_on < to_local(now).date() and counted_on <= financial_year(year).last


def refresh(started: datetime, everything: bool = False, periodic: bool = False) -> None:
    """Mark behind the kept returns that changes noted before ``started`` made wrong and
    count again those behind for ``JOBS_FIGURES_SECONDS`` or more (all of them,
    ``everything``; all behind on the ``periodic`` run), and a council's children's
    figures of a day gone by; delete the notes read. A return is a year of a council's
    cases (half a second at county scale): counted after every change, a busy intake
    recounted it at each concern recorded; now at most once a period, read as kept
    meanwhile (the page says when it was counted). Every council's returns together (a
    national count) wait for the ``periodic`` run."""
    settled = started - timedelta(seconds=int(current_app.config["JOBS_FIGURES_SECONDS"]))
    pending = db.session.execute(
        sa.select(
            FiguresReturnPending.id,
            FiguresReturnPending.council_id,
            FiguresReturnPending.first_year,
            FiguresReturnPending.noted_at,
        )
    ).all()
    for stored in db.session.scalars(sa.select(FiguresReturn)).all():
        touching = [row for row in pending if _touches([row], stored.council_id, stored.year)]
        if touching:
            noted = min(row.noted_at for row in touching)
            stored.behind_since = min(stored.behind_since or noted, noted)
        own = stored.council_id is not None
        due = stored.behind_since is not None and (
            periodic or (own and stored.behind_since <= settled)
        )
        day_old = (periodic or own) and _day_old(
            stored.kind, stored.year, stored.counted_at, started
        )
        if everything or due or day_old:
            keep(stored.kind, stored.year, stored.council_id, started)
    ids = [row.id for row in pending]
    for start in range(0, len(ids), 500):
        db.session.execute(
            sa.delete(FiguresReturnPending).where(
                FiguresReturnPending.id.in_(ids[start : start + 500])
            )
        )


def keep_defaults(started: datetime) -> None:
    """Keep the last complete financial year's returns and the current one's for every
    council, where not kept yet (a new database, a new year on 1 April, a new council):
    the rebuild and the periodic figures job. Not all councils' together: no page reads
    them (each reader's figures are their council's, ``core.policy.councils``), and on a
    national instance recounting them would read every case at every periodic run; they
    are kept once asked for (:func:`core.returns.summary.keep_return`)."""
    current = financial_year_of(to_local(started).date())
    have = {
        (kind, year, council_id)
        for kind, year, council_id in db.session.execute(
            sa.select(FiguresReturn.kind, FiguresReturn.year, FiguresReturn.council_id)
        )
    }
    councils = db.session.scalars(sa.select(Council.id).order_by(Council.id)).all()
    for kind, year, council_id in itertools.product(KINDS, (current - 1, current), councils):
        if (kind, year, council_id) not in have:
            keep(kind, year, council_id, started)


def rebuild(started: datetime) -> None:
    """Count every kept return again, and keep the defaults (:func:`keep_defaults`)."""
    refresh(started, everything=True)
    keep_defaults(started)


# --- Reading: kept, or counted from the records -------------------------------------------------


def behind(kept: FiguresReturn, now: datetime) -> bool:
    """A change to the return no job has counted, older than ``FIGURES_STALE_SECONDS``
    (the job is not running), or the children's figures of an earlier day."""
    if _day_old(kept.kind, kept.year, kept.counted_at, now):
        return True
    bound = now - timedelta(seconds=int(current_app.config["FIGURES_STALE_SECONDS"]))
    if kept.behind_since is not None and kept.behind_since < bound:
        return True
    late = db.session.execute(
        sa.select(FiguresReturnPending.council_id, FiguresReturnPending.first_year).where(
            FiguresReturnPending.noted_at < bound
        )
    ).all()
    return _touches(late, kept.council_id, kept.year)


def _current(kind: str, year: int, council_id: int | None) -> Counted[Any]:
    now = utcnow()
    stored = db.session.scalar(sa.select(FiguresReturn).where(kept(kind, year, council_id)))
    if stored is not None and not behind(stored, now):
        return Counted(_figures(stored), stored.counted_at, directly=False)
    if has_app_context():
        # the figures job keeps this year from now on, or counts it again (after the
        # request): a return behind with no change since to bring the job is not read
        # from the records at every request
        g.setdefault("returns_wanted", set()).add((kind, year, council_id))
    if kind == SAC:
        return Counted(sac.collection(year, council_id), now, directly=True)
    today = to_local(now).date()
    return Counted(children.children_figures(year, today, council_id), now, directly=True)


def current_sac(year: int, council_id: int | None) -> Counted[sac.Collection]:
    """The SAC of the financial year the pages, API and exports give: kept, unless missing
    or behind; then counted from the records."""
    return _current(SAC, year, council_id)


def current_children(year: int, council_id: int | None) -> Counted[children.ChildrenFigures]:
    """The children's figures of the financial year, as :func:`current_sac`."""
    return _current(CHILDREN, year, council_id)


# --- Noting the councils and years a change makes wrong ----------------------------------------

CONCERN_READ = (
    *("is_child", "deleted_at", "council_id", "received_at", "person_id"),
    *("risk_types", "enquiry"),
)
PERSON_READ = ("date_of_birth", "estimated_age", "sex", "ethnicity", "primary_support_reason")
PLAN_READ = ("kind", "category", "started_on", "ended_on", "concern_id", "reviews")
REVIEW_READ = ("plan_id", "reviewed_on")
MEETING_READ = ("type", "status", "held_at", "concerns", "decisions")
DECISION_READ = ("meeting_id", "kind")
ASSESSMENT_READ = ("concern_id", "started_on", "authorised_on", "due_on")


def _history(record: Any, name: str) -> list[Any]:
    """The attribute's value now and before the change (each, for a collection)."""
    history = sa.inspect(record).attrs[name].history
    return [*history.added, *history.unchanged, *history.deleted]


def _changed(record: Any, names: Sequence[str], new: bool, gone: bool) -> bool:
    if new or gone:
        return True
    attrs = sa.inspect(record).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return to_local(value).date()
    return value


def _firsts(session: Session, concern_ids: set[int]) -> dict[int, date | None]:
    """Each council's earliest day any return reads of these cases, as stored."""
    if not concern_ids:
        return {}
    ids = list(concern_ids)
    councils: dict[int, int] = {}
    earliest: dict[int, date] = {}

    def seen(concern_id: int, value: date | datetime | None) -> None:
        day = _day(value)
        if day is not None and (concern_id not in earliest or day < earliest[concern_id]):
            earliest[concern_id] = day

    for concern_id, council_id, received_at in session.execute(
        sa.select(Concern.id, Concern.council_id, Concern.received_at).where(Concern.id.in_(ids))
    ):
        councils[concern_id] = council_id
        seen(concern_id, received_at)
    dated: list[tuple[Any, Any, Any]] = [
        (SafeguardingEnquiry.concern_id, SafeguardingEnquiry.started_on, None),
        (SafeguardingEnquiry.concern_id, SafeguardingEnquiry.concluded_on, None),
        (Plan.concern_id, Plan.started_on, None),
        (Assessment.concern_id, Assessment.authorised_on, None),
        (Plan.concern_id, PlanReview.reviewed_on, (Plan, Plan.id == PlanReview.plan_id)),
        (mc.c.concern_id, Meeting.held_at, (mc, mc.c.meeting_id == Meeting.id)),
    ]
    for key, column, join in dated:
        query = sa.select(key, sa.func.min(column)).where(key.in_(ids)).group_by(key)
        if join is not None:
            query = query.select_from(column.table).join(*join)
        for concern_id, value in session.execute(query):
            seen(concern_id, value)
    firsts: dict[int, date | None] = {}
    for concern_id, council_id in councils.items():
        day = earliest.get(concern_id)
        if council_id in firsts and firsts[council_id] is None:
            continue
        if day is None or council_id not in firsts:
            firsts[council_id] = day
        else:
            firsts[council_id] = min(day, firsts[council_id])  # type: ignore[type-var]
    return firsts


class _Notes:
    """The councils and first days noted in one flush."""

    def __init__(self) -> None:
        self.firsts: dict[int | None, date | None] = {}
        self.concern_ids: set[int] = set()
        self.days: list[date] = []

    def add(self, council_id: int | None, day: date | None) -> None:
        if council_id in self.firsts:
            before = self.firsts[council_id]
            day = None if before is None or day is None else min(before, day)
        self.firsts[council_id] = day

    def cases(self, ids: Iterable[int | None], *days: date | datetime | None) -> None:
        """These cases' returns, from the earliest of the days given or stored."""
        self.concern_ids.update(i for i in ids if i is not None)
        self.days += [d for d in map(_day, days) if d is not None]

    def rows(self, session: Session) -> list[dict[str, Any]]:
        for council_id, day in _firsts(session, self.concern_ids).items():
            earliest = min([day, *self.days]) if day is not None else None
            self.add(council_id, earliest)
        return [
            {
                "council_id": council_id,
                "first_year": financial_year_of(day) if day is not None else None,
            }
            for council_id, day in self.firsts.items()
        ]


def _concern(session: Session, notes: _Notes, record: Concern, new: bool, gone: bool) -> None:
    if not _changed(record, CONCERN_READ, new, gone):
        return
    if new:
        # nothing reads it yet but its day received (what comes with it notes its own)
        notes.add(record.council_id, _day(record.received_at))
        return
    # the years of its dates as stored, in its council as stored; a move to another
    # council: every year of that one
    notes.cases([record.id], record.received_at)
    if not gone and _changed(record, ("council_id",), new, gone):
        notes.add(record.council_id, None)


def _meeting_cases(meeting: Meeting | None) -> list[int | None]:
    if meeting is None:
        return []
    meeting.concerns  # noqa: B018 (loaded, for its history)
    return [case.id for case in _history(meeting, "concerns")]


def _person(session: Session, notes: _Notes, record: Person, new: bool, gone: bool) -> None:
    if not new and record.id is not None and _changed(record, PERSON_READ, new, gone):
        cases = sa.select(Concern.id).where(Concern.person_id == record.id)
        notes.cases(session.scalars(cases))


def _enquiry(
    session: Session, notes: _Notes, record: SafeguardingEnquiry, new: bool, gone: bool
) -> None:
    if new or gone or session.is_modified(record):
        days = [*_history(record, "started_on"), *_history(record, "concluded_on")]
        notes.cases(_history(record, "concern_id"), *days)


def _risk_type(
    session: Session, notes: _Notes, record: ConcernRiskType, new: bool, gone: bool
) -> None:
    notes.cases(_history(record, "concern_id"))


def _enquiry_row(
    session: Session, notes: _Notes, record: EnquiryLocation | EnquirySource, new: bool, gone: bool
) -> None:
    for enquiry_id in _history(record, "enquiry_id"):
        enquiry = session.get(SafeguardingEnquiry, enquiry_id) if enquiry_id else None
        if enquiry is not None:
            notes.cases([enquiry.concern_id])


def _plan(session: Session, notes: _Notes, record: Plan, new: bool, gone: bool) -> None:
    if _changed(record, PLAN_READ, new, gone):
        case = record.concern_id or (record.concern.id if record.concern else None)
        notes.cases([*_history(record, "concern_id"), case], *_history(record, "started_on"))


def _review(session: Session, notes: _Notes, record: PlanReview, new: bool, gone: bool) -> None:
    if _changed(record, REVIEW_READ, new, gone):
        for plan_id in _history(record, "plan_id"):
            plan = session.get(Plan, plan_id) if plan_id else None
            if plan is not None:
                notes.cases([plan.concern_id], *_history(record, "reviewed_on"))


def _meeting(session: Session, notes: _Notes, record: Meeting, new: bool, gone: bool) -> None:
    if _changed(record, MEETING_READ, new, gone):
        notes.cases(_meeting_cases(record), *_history(record, "held_at"))


def _decision(
    session: Session, notes: _Notes, record: MeetingDecision, new: bool, gone: bool
) -> None:
    if _changed(record, DECISION_READ, new, gone):
        for meeting_id in _history(record, "meeting_id"):
            meeting = session.get(Meeting, meeting_id) if meeting_id else None
            if meeting is not None:
                notes.cases(_meeting_cases(meeting), *_history(meeting, "held_at"))


def _assessment(session: Session, notes: _Notes, record: Assessment, new: bool, gone: bool) -> None:
    if _changed(record, ASSESSMENT_READ, new, gone):
        notes.cases(
            [*_history(record, "concern_id"), record.concern_id],
            *_history(record, "authorised_on"),
            *_history(record, "started_on"),
        )


# what each record the returns read notes when it changes
NOTING: dict[type, Any] = {
    Concern: _concern,
    Person: _person,
    SafeguardingEnquiry: _enquiry,
    ConcernRiskType: _risk_type,
    EnquiryLocation: _enquiry_row,
    EnquirySource: _enquiry_row,
    Plan: _plan,
    PlanReview: _review,
    Meeting: _meeting,
    MeetingDecision: _decision,
    Assessment: _assessment,
}


def note(session: Session, rows: list[dict[str, Any]]) -> None:
    """Write the councils and first years to count again into this transaction (a Core
    insert, as :func:`core.returns.summary.note`)."""
    if not rows:
        return
    session.connection().execute(sa.insert(FiguresReturnPending.__table__), rows)
    if has_app_context():
        g.figures_changed = True


def note_removed(concern: Concern) -> None:
    """Before deleting a case with a bulk statement (retention's purge): its council's
    returns of every year."""
    note(db.session, [{"council_id": concern.council_id, "first_year": None}])


def noted_in_flush(session: Session) -> list[dict[str, Any]]:
    """The councils and first years the changes about to be flushed touch: the figures'
    ``before_flush`` listener (``core.returns.summary``) writes them, in the same
    statement as the days, and calls this inside ``no_autoflush``."""
    notes = _Notes()
    for record in itertools.chain(session.new, session.dirty, session.deleted):
        noting = NOTING.get(type(record))
        if noting is not None:
            noting(session, notes, record, record in session.new, record in session.deleted)
    return notes.rows(session)
