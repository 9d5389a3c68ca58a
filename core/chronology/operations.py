"""A chronology as one reader may read it: the significant events drawn from the case record
(the concern received, the screening decision, meetings held, plans started, reviewed and
ended, hospital discharges, key decisions in the notes, the closure), those the plugins
draw from their forms (``chronology_entries``: a police investigation's changes of status,
a missing episode) and those written by hand, each with its date, source agency and
significance, oldest first.

Need to know: each event belongs to a section of the case (core/policy/cases.py
``case_sections``) and is left out for a reader whose involvement does not show that
section; an event drawn from a record the reader may not read (a restricted note, an
agency form not shared with them, a plan of a case that implicates their agency, another
trust's discharge) is left out too, without a trace. The pages, the API and the exports
read it here alike."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import url_for

from core.accesslog import operations as access_log
from core.agency_forms.panels import CaseFormsReader
from core.auth.models import Agency, User
from core.chronology.models import ChronologyEntry, Significance
from core.clocks import OUT_OF_RANGE, in_range, to_local
from core.concerns.models import CaseNote, Concern, Restriction, add_event
from core.concerns.operations import case_summary
from core.db import record_id, utcnow
from core.discharges.models import HospitalDischarge
from core.errors import ValidationFailed
from core.extensions import db
from core.meetings.models import Meeting, MeetingStatus, meeting_concerns
from core.meetings.types import type_label
from core.people.models import Person
from core.plans.models import Plan
from core.platform import current_platform
from core.policy.cases import case_sections, is_case_team, may_read_note, visible_concerns
from core.policy.discharges import visible_discharges
from core.policy.meetings import meetings_shown
from core.policy.plans import plans_with_details

SUMMARY_MAX = 5000
# the kinds of event the core draws, in the order of a day's events
KINDS = {
    "concern": "Concern received",
    "decision": "Screening decision",
    "meeting": "Meeting",
    "plan": "Protection plan",
    "discharge": "Hospital discharge",
    "note": "Key decision",
    "entry": "Written by hand",
    "closure": "Case closed",
}
SIGNIFICANCE_ORDER = [s.value for s in Significance]
LABELS = {s.value: s.label for s in Significance}


@dataclass(frozen=True)
class Event:
    """One line of a chronology."""

    occurred_on: date
    agency_id: int | None
    agency: str
    kind: str
    kind_label: str
    summary: str
    significance: str
    reference: str
    href: str | None = None
    entry_id: int | None = None

    @property
    def significance_label(self) -> str:
        return LABELS[self.significance]

    def as_dict(self) -> dict[str, Any]:
        return {
            "occurred_on": self.occurred_on,
            "agency_id": self.agency_id,
            "agency": self.agency,
            "kind": self.kind,
            "kind_label": self.kind_label,
            "summary": self.summary,
            "significance": self.significance,
            "significance_label": self.significance_label,
            "case": self.reference,
            "entry_id": self.entry_id,
        }


def _day(moment: Any) -> date:
    return to_local(moment).date()


def _agency_of_users(user_ids: Iterable[int | None]) -> dict[int, int]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    query = sa.select(User.id, User.agency_id).where(User.id.in_(ids))
    return {row[0]: row[1] for row in db.session.execute(query)}


def _names(agency_ids: Iterable[int | None]) -> dict[int, str]:
    ids = {i for i in agency_ids if i is not None}
    if not ids:
        return {}
    query = sa.select(Agency.id, Agency.name).where(Agency.id.in_(ids))
    return {row[0]: row[1] for row in db.session.execute(query)}


def may_read_entry(user: Any, entry: ChronologyEntry, sections: frozenset[str]) -> bool:
    """An entry written by hand: readers of the whole case ("timeline"), and the agencies
    that wrote it or are its source; a restricted one, the safeguarding team and those
    two agencies only."""
    agency_id = getattr(user, "agency_id", None)
    own = agency_id in (entry.written_by_agency_id, entry.source_agency_id)
    if is_case_team(user) or own:
        return True
    return entry.restriction is None and "timeline" in sections


# Each draw gives (day, agency id, kind, summary, significance, href, entry id), with the
# agency id possibly a user's (resolved after): ("user", id) or ("agency", id).
Drawn = tuple[date, tuple[str, int | None], str, str, str, str | None, int | None]


def _drawn_from_record(concern: Concern, user: Any, sections: frozenset[str]) -> Iterator[Drawn]:
    show = url_for("concerns.show", concern_id=concern.id)
    referrer = ("agency", concern.referrer_agency_id)
    if "summary" in sections:
        source = referrer if concern.referrer_agency_id else ("user", concern.received_by_id)
        urgent = " (urgent)" if concern.urgent else ""
        yield (
            _day(concern.received_at),
            source,
            "concern",
            f"Concern received{urgent}: {', '.join(concern.risk_labels) or 'risk not given'}",
            "high",
            show,
            None,
        )
    if "decision" in sections and concern.decision and concern.decided_at:
        yield (
            _day(concern.decided_at),
            ("user", concern.decided_by_id),
            "decision",
            f"Screening decision: {concern.decision.label}",
            "high",
            show,
            None,
        )
    if "decision" in sections and concern.closed_at:
        outcome = concern.risk_outcome or concern.closure_reason
        yield (
            _day(concern.closed_at),
            ("user", concern.closed_by_id),
            "closure",
            "Case closed" + (f": {outcome.label}" if outcome else ""),
            "high",
            show,
            None,
        )
    if "notes" in sections:
        for note in db.session.scalars(
            sa.select(CaseNote).where(
                CaseNote.concern_id == concern.id, CaseNote.key_decision.is_(True)
            )
        ):
            if may_read_note(user, note):
                yield (
                    _day(note.written_at),
                    ("agency", note.author_agency_id),
                    "note",
                    note.text if len(note.text) <= 300 else note.text[:297] + "…",
                    "key",
                    show + "#notes",
                    None,
                )


def _drawn_from_meetings(concern: Concern, user: Any, sections: frozenset[str]) -> Iterator[Drawn]:
    if "meetings" not in sections:
        return
    held = list(
        db.session.scalars(
            sa.select(Meeting)
            .join(meeting_concerns, meeting_concerns.c.meeting_id == Meeting.id)
            .where(
                meeting_concerns.c.concern_id == concern.id, Meeting.status == MeetingStatus.HELD
            )
        )
    )
    for meeting in meetings_shown(user, held):
        conference = "conference" in meeting.type
        yield (
            _day(meeting.held_at or meeting.starts_at),
            ("user", meeting.chair_id or meeting.created_by_id),
            "meeting",
            f"{type_label(meeting.type)} held",
            "high" if conference else "medium",
            url_for("meetings.show", meeting_id=meeting.id),
            None,
        )


def _drawn_from_plans(concern: Concern, user: Any, sections: frozenset[str]) -> Iterator[Drawn]:
    if "plans" not in sections:
        return
    plans = list(db.session.scalars(sa.select(Plan).where(Plan.concern_id == concern.id)))
    detailed = plans_with_details(user, plans)
    for plan in plans:
        if plan.id not in detailed:
            continue
        href = url_for("plans.show", plan_id=plan.id)
        by = ("user", plan.created_by_id)
        yield (plan.started_on, by, "plan", f"{plan.kind.label} started", "high", href, None)
        for review in plan.reviews:
            yield (
                review.reviewed_on,
                ("user", review.recorded_by_id),
                "plan",
                f"{plan.kind.label} reviewed: {review.decision.label.lower()}",
                "medium",
                href,
                None,
            )
        if plan.ended_on:
            reason = f": {plan.end_reason}" if plan.end_reason else ""
            ended = f"{plan.kind.label} ended{reason}"
            yield (plan.ended_on, by, "plan", ended, "high", href, None)


def _drawn_from_discharges(user: Any, *where: Any) -> Iterator[Drawn]:
    query = visible_discharges(user).where(*where)
    for discharge in db.session.execute(query).scalars():
        care = "care in place" if discharge.care_in_place else "no care in place on arrival"
        yield (
            _day(discharge.discharged_at),
            ("agency", discharge.agency_id),
            "discharge",
            f"Discharged from {discharge.discharged_from} to {discharge.discharged_to}, {care}",
            "medium",
            url_for("discharges.show", discharge_id=discharge.id),
            None,
        )


def _written_by_hand(concern: Concern, user: Any, sections: frozenset[str]) -> Iterator[Drawn]:
    for entry in db.session.scalars(
        sa.select(ChronologyEntry).where(ChronologyEntry.concern_id == concern.id)
    ):
        if may_read_entry(user, entry, sections):
            yield (
                entry.occurred_on,
                ("agency", entry.source_agency_id),
                "entry",
                entry.summary,
                entry.significance.value,
                None,
                entry.id,
            )


def _from_plugins(
    concern: Concern, user: Any, sections: frozenset[str], labels: dict[str, str]
) -> Iterator[Drawn]:
    if "forms" not in sections:
        return
    groups = current_platform().hook.chronology_entries(
        concern=case_summary(concern), forms=CaseFormsReader(concern.id, user)
    )
    for group in groups:
        for entry in group or ():
            labels.setdefault(entry.kind, entry.kind_label)
            yield (
                entry.occurred_on,
                ("agency", entry.agency_id),
                entry.kind,
                entry.summary,
                entry.significance,
                entry.href,
                None,
            )


def case_events(concern: Concern, user: Any) -> list[Event]:
    """The case's chronology as ``user`` may read it, oldest first."""
    sections = case_sections(user, concern)
    labels = dict(KINDS)
    drawn = [
        *_drawn_from_record(concern, user, sections),
        *_drawn_from_meetings(concern, user, sections),
        *_drawn_from_plans(concern, user, sections),
        *_drawn_from_discharges(user, HospitalDischarge.concern_id == concern.id),
        *_written_by_hand(concern, user, sections),
        *_from_plugins(concern, user, sections, labels),
    ]
    return sort(_resolved(drawn, concern.reference, labels))


def _resolved(drawn: list[Drawn], reference: str, labels: Mapping[str, str]) -> list[Event]:
    """The events drawn, with their agencies named (a user's: their agency's)."""
    users = _agency_of_users(ident for _, (kind, ident), *_ in drawn if kind == "user")
    agency_ids = [
        users.get(ident) if kind == "user" and ident is not None else ident
        for _, (kind, ident), *_ in drawn
    ]
    names = _names(agency_ids)
    return [
        Event(
            occurred_on=day,
            agency_id=agency_id,
            agency=names.get(agency_id, "Not recorded") if agency_id else "Not recorded",
            kind=kind,
            kind_label=labels.get(kind, kind),
            summary=summary,
            significance=significance,
            reference=reference,
            href=href,
            entry_id=entry_id,
        )
        for (day, _, kind, summary, significance, href, entry_id), agency_id in zip(
            drawn, agency_ids, strict=True
        )
    ]


def _kind_order(kind: str) -> int:
    order = list(KINDS)
    return order.index(kind) if kind in order else len(order)


def sort(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda e: (e.occurred_on, e.reference, _kind_order(e.kind)))


def person_cases(person: Person, user: Any) -> list[Concern]:
    """The person's cases (theirs and those of records merged into theirs) ``user`` may
    see, oldest first."""
    merged = sa.select(Person.id).where(Person.merged_into_id == person.id)
    return list(
        db.session.scalars(
            visible_concerns(user)
            .where(sa.or_(Concern.person_id == person.id, Concern.person_id.in_(merged)))
            .order_by(Concern.received_at, Concern.id)
        )
    )


NO_CASE = "No case"


def person_events(person: Person, user: Any) -> list[Event]:
    """The chronology across every case of the person ``user`` may see, with the hospital
    discharges of theirs that raised no case, oldest first."""
    merged = sa.select(Person.id).where(Person.merged_into_id == person.id)
    discharges = _drawn_from_discharges(
        user,
        HospitalDischarge.concern_id.is_(None),
        sa.or_(HospitalDischarge.person_id == person.id, HospitalDischarge.person_id.in_(merged)),
    )
    return sort(
        [
            *(e for concern in person_cases(person, user) for e in case_events(concern, user)),
            *_resolved(list(discharges), NO_CASE, KINDS),
        ]
    )


# --- Filters --------------------------------------------------------------------------------


def filtered(events: Iterable[Event], filters: Mapping[str, Any]) -> list[Event]:
    """The events within ``from_``/``to`` (days), of ``agency_id``, ``kind`` and at least
    ``significance`` (each optional)."""
    start, end = filters.get("from_"), filters.get("to")
    agency_id, kind = filters.get("agency_id"), filters.get("kind")
    least = filters.get("significance")
    rank = SIGNIFICANCE_ORDER.index(least) if least in SIGNIFICANCE_ORDER else 0
    return [
        e
        for e in events
        if (start is None or e.occurred_on >= start)
        and (end is None or e.occurred_on <= end)
        and (agency_id is None or e.agency_id == agency_id)
        and (not kind or e.kind == kind)
        and SIGNIFICANCE_ORDER.index(e.significance) >= rank
    ]


def filter_choices(events: Iterable[Event]) -> dict[str, list[tuple[str, str]]]:
    """What the filters offer: the agencies and kinds found in the whole chronology."""
    events = list(events)
    agencies = sorted(
        {(str(e.agency_id), e.agency) for e in events if e.agency_id}, key=lambda a: a[1]
    )
    kinds = sorted({(e.kind, e.kind_label) for e in events}, key=lambda k: _kind_order(k[0]))
    return {"agencies": agencies, "kinds": kinds}


def applied(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The filters given, by their names in a query (for the PDF's heading)."""
    return {("from" if k == "from_" else k): v for k, v in filters.items() if v}


CSV_HEADER = ("Date", "Case", "Source agency", "Kind", "What happened", "Significance")


def csv_rows(events: Iterable[Event]) -> Iterator[tuple[str, ...]]:
    yield CSV_HEADER
    for e in events:
        yield (
            e.occurred_on.isoformat(),
            e.reference,
            e.agency,
            e.kind_label,
            e.summary,
            e.significance_label,
        )


# --- Writing an entry by hand ---------------------------------------------------------------


def source_agencies(user: Any) -> list[Agency]:
    """The agencies an entry may come from: any active one for the safeguarding team; a
    practitioner writes what their own agency knows."""
    if is_case_team(user):
        return list(
            db.session.scalars(sa.select(Agency).where(Agency.active).order_by(Agency.name))
        )
    return [user.agency] if user.agency is not None else []


def add_entry(concern: Concern, values: Mapping[str, Any], user: Any) -> ChronologyEntry:
    """Write an event into the case's chronology: ``occurred_on`` (not in the future),
    ``source_agency_id``, ``summary``, ``significance`` and an optional ``restriction``."""
    errors: dict[str, list[str]] = {}
    occurred_on = values.get("occurred_on")
    if not isinstance(occurred_on, date):
        errors["occurred_on"] = ["Enter the date it happened"]
    elif not in_range(occurred_on):
        errors["occurred_on"] = [OUT_OF_RANGE]
    elif occurred_on > _day(utcnow()):
        errors["occurred_on"] = ["Date it happened must be today or in the past"]
    allowed = {a.id for a in source_agencies(user)}
    source = values.get("source_agency_id")
    if source is None or source == "":
        errors["source_agency_id"] = ["Select the agency the information comes from"]
    elif record_id(source) not in allowed:
        errors["source_agency_id"] = ["Select an agency from the list"]
    summary = (values.get("summary") or "").strip()
    if not summary:
        errors["summary"] = ["Enter what happened"]
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = [f"What happened must be {SUMMARY_MAX:,} characters or fewer"]
    significance = next((s for s in Significance if s.value == values.get("significance")), None)
    if significance is None:
        errors["significance"] = ["Select how significant it is"]
    code = values.get("restriction") or None
    restriction = next((r for r in Restriction if r.value == code), None)
    if code and restriction is None:
        errors["restriction"] = ["Select who may read it"]
    if errors:
        raise ValidationFailed(errors)
    assert isinstance(occurred_on, date) and significance is not None and source is not None
    entry = ChronologyEntry(
        concern_id=concern.id,
        occurred_on=occurred_on,
        source_agency_id=int(source),
        summary=summary,
        significance=significance,
        restriction=restriction,
        written_by_id=user.id,
        written_by_agency_id=user.agency_id,
    )
    db.session.add(entry)
    db.session.flush()
    add_event(
        concern,
        user,
        "chronology.entry_added",
        f"Chronology entry written for {occurred_on:%-d %B %Y} ({significance.label.lower()})",
    )
    access_log.record("chronology.entry_add", object_type="concern", object_id=concern.id)
    return entry
