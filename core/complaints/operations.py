"""The complaints and compliments log: recording an entry, and a complaint's way through
its statutory procedure (core/reference.py ``COMPLAINT_TIMESCALES``):

- adult social care (the 2009 regulations): one stage; acknowledged within 3 working
  days, answered within the period agreed with the complainant (six months unless
  another is agreed when it is acknowledged);
- children's social care (the 2006 regulations): stage 1 local resolution (10 working
  days, extendable to 20), stage 2 investigation (25, extendable to 65), stage 3 review
  panel (within 30 working days of the request);
- then the Local Government and Social Care Ombudsman: the referral is recorded.

Every clock counts working days on the council's calendar (core/clocks.py). Entries are
kept off the case's timeline, which partner agencies read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased

from core.accesslog import operations as access_log
from core.auth.models import User
from core.clocks import (
    OUT_OF_RANGE,
    ClockStatus,
    WorkingCalendar,
    add_months,
    council_calendar,
    in_range,
    to_local,
)
from core.complaints.models import (
    ComplaintEntry,
    ComplaintStage,
    EntryKind,
    MadeBy,
    ReceivedVia,
    StageOutcome,
)
from core.concerns.models import Concern
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.people.models import Person
from core.policy.complaints import linkable_concerns, linkable_people
from core.reference import ComplaintProcedure, complaint_stages, complaint_timescale

NAME_MAX, TEXT_MAX, REFERENCE_MAX = 200, 10000, 40


def today() -> date:
    return to_local(utcnow()).date()


def calendar() -> WorkingCalendar:
    return council_calendar(current_app.config)


# --- Clocks -----------------------------------------------------------------------------------


def acknowledgement_due(entry: ComplaintEntry) -> date | None:
    """The day an adult's complaint must be acknowledged by (children's: no statutory
    acknowledgement)."""
    if entry.kind != EntryKind.COMPLAINT or entry.procedure is None:
        return None
    timescale = complaint_timescale(entry.procedure, "acknowledgement")
    if timescale is None or timescale.working_days is None:
        return None
    return calendar().add_working_days(entry.received_on, timescale.working_days)


def stage_due(procedure: ComplaintProcedure, number: int, started: date, extended: bool) -> date:
    """When a stage's answer is due: working days (or months) after it started."""
    timescale = complaint_timescale(procedure, f"stage_{number}")
    assert timescale is not None
    if timescale.months is not None:
        return add_months(started, timescale.months)
    days = (
        timescale.extended_days if extended and timescale.extended_days else timescale.working_days
    )
    assert days is not None
    return calendar().add_working_days(started, days)


def stage_clock(stage: ComplaintStage, on: date | None = None) -> ClockStatus:
    return ClockStatus(due=stage.due_on, met_on=stage.answered_on, today=on or today())


def acknowledgement_clock(entry: ComplaintEntry, on: date | None = None) -> ClockStatus | None:
    due = acknowledgement_due(entry)
    if due is None:
        return None
    return ClockStatus(due=due, met_on=entry.acknowledged_on, today=on or today())


def is_open(entry: ComplaintEntry) -> bool:
    stage = entry.current_stage
    return stage is not None and stage.answered_on is None


def is_last_stage(entry: ComplaintEntry, stage: ComplaintStage) -> bool:
    assert entry.procedure is not None
    return stage.number >= complaint_stages(entry.procedure)


@dataclass(frozen=True)
class NextSteps:
    """What can be done to a complaint now, and why not where it cannot."""

    acknowledge: bool = False
    answer: bool = False
    extend: bool = False
    escalate: bool = False
    refer: bool = False
    reasons: list[str] = field(default_factory=list)


def next_steps(entry: ComplaintEntry, on: date | None = None) -> NextSteps:
    stage = entry.current_stage
    if entry.kind != EntryKind.COMPLAINT or stage is None or entry.procedure is None:
        return NextSteps()
    on = on or today()
    referred = entry.ombudsman_referred_on is not None
    withdrawn = stage.outcome == StageOutcome.WITHDRAWN
    answered = stage.answered_on is not None
    overdue = not answered and on > stage.due_on
    timescale = complaint_timescale(entry.procedure, f"stage_{stage.number}")
    return NextSteps(
        acknowledge=entry.acknowledged_on is None and not referred,
        answer=not answered and not referred,
        extend=not answered
        and not referred
        and stage.extension_reason is None
        and timescale is not None
        and timescale.extended_days is not None,
        escalate=not referred
        and not is_last_stage(entry, stage)
        and ((answered and not withdrawn) or overdue),
        refer=not referred
        and not withdrawn
        and ((answered and is_last_stage(entry, stage)) or overdue),
    )


# --- Recording --------------------------------------------------------------------------------


def _text(values: Mapping[str, Any], name: str) -> str:
    return str(values.get(name) or "").strip()


def _day(
    errors: dict[str, list[str]], name: str, value: Any, missing: str, earliest: date | None = None
) -> date | None:
    """A day not in the future (nor before ``earliest``), or a message for ``name``."""
    if not isinstance(value, date):
        errors[name] = [missing]
        return None
    if not in_range(value):
        errors[name] = [OUT_OF_RANGE]
        return None
    if value > today():
        errors[name] = ["The date must be today or in the past"]
        return None
    if earliest is not None and value < earliest:
        errors[name] = [f"The date must be on or after {earliest:%-d %B %Y}"]
        return None
    return value


def _member(errors: dict[str, list[str]], name: str, enum: Any, value: Any, missing: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        errors[name] = [missing]
        return None


def _linked(
    values: Mapping[str, Any], user: User, errors: dict[str, list[str]]
) -> tuple[Concern | None, Person | None]:
    """The case (by id or reference) or the person the entry is about."""
    concern_id, reference = values.get("concern_id"), _text(values, "case_reference")
    if concern_id or reference:
        query = linkable_concerns(user)
        query = query.where(
            Concern.id == concern_id if concern_id else Concern.reference == reference.upper()
        )
        concern = db.session.scalar(query)
        if concern is None:
            errors["case_reference"] = ["There is no case with that reference"]
            return None, None
        return concern, concern.person
    person_id = values.get("person_id")
    if person_id:
        person = db.session.scalar(linkable_people(user).where(Person.id == person_id))
        if person is None:
            errors["case_reference"] = ["There is no such person"]
        return None, person
    errors["case_reference"] = [
        "Enter the case reference, like SG-2026-000123, or record it from the person's page"
    ]
    return None, None


def record_entry(values: Mapping[str, Any], user: User) -> ComplaintEntry:
    """A new complaint, compliment or comment about a case or a person; a complaint opens
    its first stage, due by its procedure's timescale."""
    errors: dict[str, list[str]] = {}
    kind = _member(
        errors,
        "kind",
        EntryKind,
        values.get("kind"),
        "Select whether it is a complaint, a compliment or a comment",
    )
    concern, person = _linked(values, user, errors)
    procedure = None
    if kind == EntryKind.COMPLAINT:
        procedure = _member(
            errors,
            "procedure",
            ComplaintProcedure,
            values.get("procedure"),
            "Select the complaints procedure: adult or children's social care",
        )
    name = _text(values, "made_by_name")
    if not name:
        errors["made_by_name"] = ["Enter the name of who made it"]
    elif len(name) > NAME_MAX:
        errors["made_by_name"] = [f"The name must be {NAME_MAX} characters or fewer"]
    made_by = _member(errors, "made_by", MadeBy, values.get("made_by"), "Select who made it")
    via = _member(
        errors,
        "received_via",
        ReceivedVia,
        values.get("received_via"),
        "Select how it was received",
    )
    received = _day(
        errors, "received_on", values.get("received_on"), "Enter the date it was received"
    )
    about = _text(values, "about")
    if not about:
        errors["about"] = ["Enter what it is about"]
    elif len(about) > TEXT_MAX:
        errors["about"] = [f"What it is about must be {TEXT_MAX} characters or fewer"]
    if errors:
        raise ValidationFailed(errors)
    assert person is not None and received is not None
    entry = ComplaintEntry(
        kind=kind,
        procedure=procedure,
        concern_id=concern.id if concern else None,
        person_id=person.id,
        council_id=concern.council_id if concern else user.council_id,
        made_by_name=name,
        made_by=made_by,
        received_via=via,
        received_on=received,
        about=about,
        recorded_by_id=user.id,
    )
    db.session.add(entry)
    if procedure is not None:
        entry.stages.append(
            ComplaintStage(
                number=1, started_on=received, due_on=stage_due(procedure, 1, received, False)
            )
        )
    db.session.flush()
    access_log.record("complaint.record", object_type="complaint", object_id=entry.id)
    return entry


def _refuse_unless(allowed: bool, field_name: str, message: str) -> None:
    if not allowed:
        raise ValidationFailed.single(field_name, message)


def acknowledge(entry: ComplaintEntry, values: Mapping[str, Any], user: User) -> None:
    """The day the complaint was acknowledged; an adult's may also agree the day the
    response is due (regulation 13 of the 2009 regulations; six months unless agreed)."""
    _refuse_unless(
        next_steps(entry).acknowledge,
        "acknowledged_on",
        "This complaint cannot be acknowledged now: it is not a complaint, or it was "
        "acknowledged already",
    )
    errors: dict[str, list[str]] = {}
    on = _day(
        errors,
        "acknowledged_on",
        values.get("acknowledged_on"),
        "Enter the date it was acknowledged",
        entry.received_on,
    )
    agreed = values.get("response_due_on")
    stage = entry.current_stage
    assert stage is not None
    if agreed is not None:
        if entry.procedure != ComplaintProcedure.ADULTS or stage.number != 1:
            errors["response_due_on"] = [
                "Only an adult social care complaint's response period is agreed"
            ]
        elif not isinstance(agreed, date) or not in_range(agreed):
            errors["response_due_on"] = [OUT_OF_RANGE]
        elif agreed <= entry.received_on:
            errors["response_due_on"] = [
                "The agreed response date must be after the day it was received"
            ]
    if errors:
        raise ValidationFailed(errors)
    entry.acknowledged_on = on
    if agreed is not None:
        stage.due_on = agreed
    db.session.flush()
    access_log.record("complaint.acknowledge", object_type="complaint", object_id=entry.id)


def answer(entry: ComplaintEntry, values: Mapping[str, Any], user: User) -> None:
    """The current stage's response (stage 3: the day the review panel met) and outcome."""
    _refuse_unless(next_steps(entry).answer, "outcome", "There is no stage waiting for a response")
    stage = entry.current_stage
    assert stage is not None
    errors: dict[str, list[str]] = {}
    on = _day(
        errors,
        "answered_on",
        values.get("answered_on"),
        "Enter the date of the response",
        stage.started_on,
    )
    outcome = _member(errors, "outcome", StageOutcome, values.get("outcome"), "Select the outcome")
    response = _text(values, "response")
    if len(response) > TEXT_MAX:
        errors["response"] = [f"The response must be {TEXT_MAX} characters or fewer"]
    if errors:
        raise ValidationFailed(errors)
    stage.answered_on, stage.outcome, stage.response = on, outcome, response or None
    db.session.flush()
    access_log.record("complaint.answer", object_type="complaint", object_id=entry.id)


def extend(entry: ComplaintEntry, values: Mapping[str, Any], user: User) -> None:
    """Extend the current children's stage to the longest timescale the regulations allow,
    once, with the reason."""
    _refuse_unless(
        next_steps(entry).extend,
        "reason",
        "This stage cannot be extended: it is answered, extended already, or its "
        "timescale is not extendable",
    )
    reason = _text(values, "reason")
    if not reason:
        raise ValidationFailed.single("reason", "Say why the stage needs longer")
    if len(reason) > TEXT_MAX:
        raise ValidationFailed.single(
            "reason", f"The reason must be {TEXT_MAX} characters or fewer"
        )
    stage = entry.current_stage
    assert stage is not None and entry.procedure is not None
    stage.extension_reason = reason
    stage.due_on = stage_due(entry.procedure, stage.number, stage.started_on, True)
    db.session.flush()
    access_log.record("complaint.extend", object_type="complaint", object_id=entry.id)


def escalate(entry: ComplaintEntry, values: Mapping[str, Any], user: User) -> ComplaintStage:
    """The complainant asked for the next stage (children's social care: after a response,
    or when the stage is overdue): it starts on the day the request was received."""
    _refuse_unless(
        next_steps(entry).escalate,
        "requested_on",
        "This complaint cannot go to a next stage now: the current stage needs a response "
        "(unless it is overdue), or it is at its last stage",
    )
    stage = entry.current_stage
    assert stage is not None and entry.procedure is not None
    errors: dict[str, list[str]] = {}
    on = _day(
        errors,
        "requested_on",
        values.get("requested_on"),
        "Enter the date the request was received",
        stage.answered_on or stage.started_on,
    )
    if errors:
        raise ValidationFailed(errors)
    assert on is not None
    number = stage.number + 1
    following = ComplaintStage(
        number=number, started_on=on, due_on=stage_due(entry.procedure, number, on, False)
    )
    entry.stages.append(following)
    db.session.flush()
    access_log.record("complaint.escalate", object_type="complaint", object_id=entry.id)
    return following


def refer_to_ombudsman(entry: ComplaintEntry, values: Mapping[str, Any], user: User) -> None:
    """The complainant took it to the Local Government and Social Care Ombudsman: after
    the last stage's response, or earlier when a stage is overdue."""
    _refuse_unless(
        next_steps(entry).refer,
        "referred_on",
        "This complaint cannot be referred now: its last stage needs a response first "
        "(unless a stage is overdue), or it was referred already",
    )
    errors: dict[str, list[str]] = {}
    on = _day(
        errors,
        "referred_on",
        values.get("referred_on"),
        "Enter the date of the referral",
        entry.received_on,
    )
    reference = _text(values, "reference")
    if len(reference) > REFERENCE_MAX:
        errors["reference"] = [
            f"The Ombudsman's reference must be {REFERENCE_MAX} characters or fewer"
        ]
    if errors:
        raise ValidationFailed(errors)
    entry.ombudsman_referred_on, entry.ombudsman_reference = on, reference or None
    db.session.flush()
    access_log.record("complaint.ombudsman", object_type="complaint", object_id=entry.id)


# --- Lists ------------------------------------------------------------------------------------

LIST_STATES = {
    "open": "Waiting for a response",
    "answered": "Answered",
    "ombudsman": "Referred to the Ombudsman",
}


def filtered(
    query: sa.Select[Any],
    kind: str = "",
    state: str = "",
    concern_id: int | None = None,
    person_id: int | None = None,
) -> sa.Select[Any]:
    """Entries of ``kind`` in ``state`` (complaints only), about a case or a person; the
    latest received first."""
    if kind in EntryKind._value2member_map_:
        query = query.where(ComplaintEntry.kind == EntryKind._value2member_map_[kind])
    if concern_id is not None:
        query = query.where(ComplaintEntry.concern_id == concern_id)
    if person_id is not None:
        query = query.where(ComplaintEntry.person_id == person_id)
    if state:
        later = aliased(ComplaintStage)
        last = (
            sa.select(sa.func.max(later.number))
            .where(later.entry_id == ComplaintStage.entry_id)
            .scalar_subquery()
        )
        waiting = ComplaintStage.answered_on.is_(None)
        current = ComplaintEntry.id.in_(
            sa.select(ComplaintStage.entry_id).where(
                ComplaintStage.number == last, waiting if state == "open" else ~waiting
            )
        )
        if state == "ombudsman":
            query = query.where(ComplaintEntry.ombudsman_referred_on.is_not(None))
        else:
            query = query.where(current, ComplaintEntry.ombudsman_referred_on.is_(None))
    return query.order_by(ComplaintEntry.received_on.desc(), ComplaintEntry.id.desc())


# --- The report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageLine:
    """One stage of one procedure: the responses sent in the period by outcome and
    timeliness, and the stages that were due in the period with no response yet."""

    procedure: ComplaintProcedure
    number: int
    label: str
    outcomes: dict[str, int]
    in_time: int
    late: int
    overdue_unanswered: int

    @property
    def answered(self) -> int:
        return self.in_time + self.late


@dataclass(frozen=True)
class ComplaintsReport:
    start: date
    end: date
    received: dict[str, int]  # by kind
    complaints_by_procedure: dict[str, int]
    stages: list[StageLine]
    acknowledged_in_time: int
    acknowledged_late: int
    not_acknowledged: int
    ombudsman_referrals: int


def _not_deleted(query: Any) -> Any:
    return query.outerjoin(Concern, Concern.id == ComplaintEntry.concern_id).where(
        sa.or_(ComplaintEntry.concern_id.is_(None), Concern.deleted_at.is_(None))
    )


def report(start: date, end: date, council_id: int) -> ComplaintsReport:
    """The entries received between ``start`` and ``end`` (inclusive) by type and
    procedure; the stage responses sent in the period by stage, outcome and timeliness
    (sent by the day due, extensions counted); adults' acknowledgements; Ombudsman
    referrals. Counted in SQL; figures only; of one council's log."""
    in_period = ComplaintEntry.received_on.between(start, end)

    def counted(query: Any) -> Any:
        return _not_deleted(query).where(ComplaintEntry.council_id == council_id)

    received = dict.fromkeys((k.value for k in EntryKind), 0)
    for kind, count in db.session.execute(
        counted(sa.select(ComplaintEntry.kind, sa.func.count()))
        .where(in_period)
        .group_by(ComplaintEntry.kind)
    ):
        received[kind.value] = count
    by_procedure = dict.fromkeys((p.value for p in ComplaintProcedure), 0)
    for procedure, count in db.session.execute(
        counted(sa.select(ComplaintEntry.procedure, sa.func.count()))
        .where(in_period, ComplaintEntry.kind == EntryKind.COMPLAINT)
        .group_by(ComplaintEntry.procedure)
    ):
        by_procedure[procedure.value] = count
    in_time = sa.case((ComplaintStage.answered_on <= ComplaintStage.due_on, 1), else_=0)
    answered = {
        (procedure, number, outcome): (count, timely)
        for procedure, number, outcome, count, timely in db.session.execute(
            counted(
                sa.select(
                    ComplaintEntry.procedure,
                    ComplaintStage.number,
                    ComplaintStage.outcome,
                    sa.func.count(),
                    sa.func.sum(in_time),
                ).join(ComplaintStage, ComplaintStage.entry_id == ComplaintEntry.id)
            )
            .where(ComplaintStage.answered_on.between(start, end))
            .group_by(ComplaintEntry.procedure, ComplaintStage.number, ComplaintStage.outcome)
        )
    }
    overdue = dict(
        ((procedure, number), count)
        for procedure, number, count in db.session.execute(
            counted(
                sa.select(ComplaintEntry.procedure, ComplaintStage.number, sa.func.count()).join(
                    ComplaintStage, ComplaintStage.entry_id == ComplaintEntry.id
                )
            )
            .where(ComplaintStage.due_on.between(start, end), ComplaintStage.answered_on.is_(None))
            .group_by(ComplaintEntry.procedure, ComplaintStage.number)
        )
    )
    lines = []
    for procedure in ComplaintProcedure:
        for number in range(1, complaint_stages(procedure) + 1):
            timescale = complaint_timescale(procedure, f"stage_{number}")
            assert timescale is not None
            outcomes = dict.fromkeys((o.value for o in StageOutcome), 0)
            timely = total = 0
            for (p, n, outcome), (count, on_time) in answered.items():
                if p == procedure and n == number:
                    outcomes[outcome.value] += count
                    total += count
                    timely += int(on_time or 0)
            who = "Adults" if procedure == ComplaintProcedure.ADULTS else "Children"
            label = f"{who}: {timescale.label}"
            lines.append(
                StageLine(
                    procedure,
                    number,
                    label,
                    outcomes,
                    timely,
                    total - timely,
                    overdue.get((procedure, number), 0),
                )
            )
    acknowledgements = db.session.execute(
        counted(sa.select(ComplaintEntry.received_on, ComplaintEntry.acknowledged_on)).where(
            in_period,
            ComplaintEntry.kind == EntryKind.COMPLAINT,
            ComplaintEntry.procedure == ComplaintProcedure.ADULTS,
        )
    ).all()
    # the working-day sum is the council calendar's: counted per complaint, a few hundred a
    # year at most for a large county
    ack_timescale = complaint_timescale(ComplaintProcedure.ADULTS, "acknowledgement")
    assert ack_timescale is not None and ack_timescale.working_days is not None
    on_time = late = waiting = 0
    for received_on, acknowledged_on in acknowledgements:
        if acknowledged_on is None:
            waiting += 1
        elif acknowledged_on <= calendar().add_working_days(
            received_on, ack_timescale.working_days
        ):
            on_time += 1
        else:
            late += 1
    referrals = db.session.scalar(
        counted(sa.select(sa.func.count(ComplaintEntry.id))).where(
            ComplaintEntry.ombudsman_referred_on.between(start, end)
        )
    )
    return ComplaintsReport(
        start, end, received, by_procedure, lines, on_time, late, waiting, int(referrals or 0)
    )
