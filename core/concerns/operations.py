"""Recording concerns, screening decisions and involvement. Each change writes its
timeline entry and access log entry in the same transaction."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.attributes import flag_modified

from core.accesslog import operations as access_log
from core.agencies.operations import named_agencies
from core.auth.models import Agency, Locality, Team, User
from core.clocks import LOCAL_ZONE, WorkingCalendar, clock_days, council_calendar, to_local
from core.concerns.models import (
    ADULT_DECISIONS,
    CHILD_DECISIONS,
    Assessment,
    BodyMapMark,
    CaseEvent,
    CaseNote,
    Concern,
    ConcernHateStrand,
    ConcernRiskType,
    ConcernStatus,
    Decision,
    DecisionReview,
    EnquiryKind,
    EnquiryLocation,
    EnquirySource,
    Handover,
    Involvement,
    InvolvementLevel,
    InvolvementReason,
    ReferenceCounter,
    Restriction,
    Route,
    SafeguardingEnquiry,
    SignOff,
    SignOffOutcome,
    Supervision,
    add_event,
)
from core.concerns.needs import level_of_need, level_problem, levels_of_need
from core.config import ConfigurationError
from core.db import scalar_apart, utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.followups import operations as follow_ups
from core.meetings.models import ActionStatus, MeetingAction, meeting_concerns
from core.people import operations as people
from core.people.models import Establishment, EstablishmentStatus, Person, survivor_of
from core.plans.models import Plan, PlanAction, PlanActionStatus, PlanStatus
from core.platform import current_platform
from core.policy.cases import annotate_first, implicated_agency, is_case_team, visible_concerns
from core.policy.councils import figures_council
from core.policy.people import person_named
from core.policy.routes import user_can
from core.reference import (
    CHILD_CATEGORIES,
    ClosureReason,
    FamilyOutcome,
    HateCrime,
    HateStrand,
    LackedCapacity,
    LocationOfRisk,
    MspAchieved,
    MspAsked,
    PrimaryNeed,
    ReferralSource,
    RiskAfterAction,
    RiskOutcome,
    SourceOfRisk,
    TypeOfRisk,
)
from core.teams import operations as teams
from plugins.types import CaseSummary


def calendar() -> WorkingCalendar:
    """The council's working days and core hours (CORE_HOURS_START, CORE_HOURS_END and
    LOCAL_CLOSURE_DAYS beside England's bank holidays)."""
    return council_calendar(current_app.config)


def next_reference(year: int) -> str:
    """SG-<year>-<number>, numbered per year in the order they are given, never twice.

    On PostgreSQL the number is taken in a short transaction of its own, like a sequence:
    concurrent creations wait on the year's counter only for that statement, not until
    each commits. A number whose creation then fails (a database error, a crash: input is
    checked before the number is taken) is not given again. On SQLite, where writers take
    turns anyway, it is taken in the creation's own transaction and a failure returns it.
    """
    dialect = db.engine.dialect.name
    statement = _take_number(dialect)
    if dialect == "postgresql":
        number = scalar_apart(db.engine, statement, {"year": year})
    else:
        number = db.session.execute(statement, {"year": year}).scalar_one()
    return f"SG-{year}-{number:06d}"


@functools.cache
def _take_number(dialect: str) -> Any:
    """The counter's upsert for the database kind, built once, run with the year."""
    table = ReferenceCounter.__table__
    dialect_insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        dialect_insert(table)
        .values(year=sa.bindparam("year"), last=1)
        .on_conflict_do_update(index_elements=[table.c.year], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )


def _enum(
    values: dict[str, Any],
    field: str,
    enum_class: Any,
    errors: dict[str, list[str]],
    message: str,
    default: Any = None,
) -> Any:
    raw = values.get(field)
    if raw in (None, ""):
        if default is None:
            errors[field] = [message]
        return default
    try:
        return enum_class(raw)
    except ValueError:
        errors[field] = [message]
        return default


def clean_concern(values: dict[str, Any], person_given: bool, council_id: int) -> dict[str, Any]:
    """The concern's values, checked; its area (one of ``council_id``'s, the recording
    council's) is recorded when known (a case without one is counted as "Not recorded": a
    council that starts keeping areas breaks no client)."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    received = values.get("received_at")
    if not isinstance(received, datetime) or received.tzinfo is None:
        errors["received_at"] = ["Enter the date and time the concern was received"]
    elif received > utcnow() + timedelta(minutes=5):
        errors["received_at"] = ["The time received must not be in the future"]
    cleaned["received_at"] = received
    if not person_given:
        errors["person_id"] = ["Select the person the concern is about, or add them"]
    raw_types = values.get("types_of_risk") or []
    types = []
    for raw in raw_types:
        try:
            types.append(TypeOfRisk(raw))
        except ValueError:
            errors["types_of_risk"] = [f"'{raw}' is not a type of risk"]
    if not types and "types_of_risk" not in errors:
        errors["types_of_risk"] = ["Select at least one type of risk"]
    cleaned["types_of_risk"] = sorted(set(types))
    cleaned["location"] = _enum(
        values, "location", LocationOfRisk, errors, "Select where the risk arose"
    )
    cleaned["source_of_risk"] = _enum(
        values, "source_of_risk", SourceOfRisk, errors, "Select the source of risk"
    )
    cleaned["route"] = _enum(
        values, "route", Route, errors, "Select how the concern was received", Route.PHONE
    )
    cleaned["lacked_capacity"] = _enum(
        values,
        "lacked_capacity",
        LackedCapacity,
        errors,
        "Select an answer about mental capacity",
        LackedCapacity.NOT_RECORDED,
    )
    cleaned["msp_asked"] = _enum(
        values,
        "msp_asked",
        MspAsked,
        errors,
        "Select whether the person was asked about outcomes",
        MspAsked.NOT_RECORDED,
    )
    description = (values.get("description") or "").strip()
    if not description:
        errors["description"] = ["Describe the concern"]
    elif len(description) > 20000:
        errors["description"] = ["The description must be 20,000 characters or fewer"]
    cleaned["description"] = description
    establishment_id = values.get("establishment_id")
    place = db.session.get(Establishment, establishment_id) if establishment_id else None
    if establishment_id is not None and (
        place is None or place.status != EstablishmentStatus.CONFIRMED  # not yet, or never
    ):
        errors["establishment_id"] = ["Select an establishment from the list"]
    cleaned["establishment_id"] = establishment_id
    referrer = values.get("referrer_agency_id")
    if referrer is not None and db.session.get(Agency, referrer) is None:
        errors["referrer_agency_id"] = ["Select the referring agency from the list"]
    cleaned["referrer_agency_id"] = referrer
    is_child = bool(values.get("is_child"))
    level = values.get("level_of_need")
    if level is not None and (not is_child or level not in {n.level for n in levels_of_need()}):
        errors["level_of_need"] = [level_problem()]
    cleaned["is_child"] = is_child
    cleaned["level_of_need"] = level
    if is_child and any(risk not in CHILD_CATEGORIES for risk in types):
        errors["types_of_risk"] = [
            "For a child, choose physical abuse, emotional abuse, sexual abuse or neglect"
        ]
    if is_child:
        # Making Safeguarding Personal and mental capacity are the adults' questions
        for field, unset in (
            ("lacked_capacity", LackedCapacity.NOT_RECORDED),
            ("msp_asked", MspAsked.NOT_RECORDED),
        ):
            if cleaned.get(field) not in (None, unset):
                errors[field] = ["Asked about adults only: leave it out for a child"]
    # CIN census 2025 to 2026 guide: every referral of a child has its source (rule 8866)
    source = values.get("referral_source") or None
    cleaned["referral_source"] = None
    if is_child:
        cleaned["referral_source"] = _enum(
            values,
            "referral_source",
            ReferralSource,
            errors,
            "Select who referred the child (the referral source)",
        )
    elif source:
        errors["referral_source"] = ["The referral source is recorded for children only"]
    for field in ("referrer_name", "referrer_role", "responsible_authority"):
        cleaned[field] = (values.get(field) or "").strip()[:200] or None
    for field in ("person_views", "desired_outcomes", "threshold_reasoning"):
        cleaned[field] = (values.get(field) or "").strip() or None
    cleaned["referrer_contact"] = (values.get("referrer_contact") or "").strip()[:500] or None
    cleaned["urgent"] = bool(values.get("urgent"))
    cleaned["crime_suspected"] = bool(values.get("crime_suspected"))
    cleaned |= clean_hate_crime(values, errors)
    cleaned["locality_id"] = teams.chosen(
        Locality, values.get("locality_id"), "locality_id", errors, council_id=council_id
    )
    cleaned["consent_given"] = values.get("consent_given")
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def clean_hate_crime(values: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    """Whether a concern is a hate or mate crime (core/reference.py) and the monitored
    strands of the hostility: at least one when it is one, none when it is not."""
    raw, strands = values.get("hate_crime") or None, values.get("hate_strands") or []
    kind = None
    try:
        kind = HateCrime(raw) if raw else None
    except ValueError:
        errors["hate_crime"] = ["Select whether it is a hate crime, a mate crime or neither"]
    try:
        chosen = sorted({HateStrand(code) for code in strands})
    except ValueError:
        errors["hate_strands"] = ["Select the characteristics from the list"]
        chosen = []
    if kind is not None and not chosen and "hate_strands" not in errors:
        errors["hate_strands"] = ["Select the characteristic the hostility was towards"]
    if kind is None and chosen and "hate_crime" not in errors:
        errors["hate_strands"] = ["A characteristic is recorded for a hate or mate crime only"]
    return {"hate_crime": kind, "hate_strands": chosen}


def set_hate_crime(concern: Concern, values: dict[str, Any], user: User) -> Concern:
    """Record (or correct) whether the concern is a hate or mate crime, and towards which
    characteristics; on the case's timeline."""
    errors: dict[str, list[str]] = {}
    cleaned = clean_hate_crime(values, errors)
    if errors:
        raise ValidationFailed(errors)
    concern.hate_crime = cleaned["hate_crime"]
    concern.hate_strands = [ConcernHateStrand(strand=s) for s in cleaned["hate_strands"]]
    flag_modified(concern, "hate_crime")  # the strands alone change the case: a new version
    db.session.flush()
    said = (
        f"{concern.hate_crime.label}: {', '.join(s.label for s in cleaned['hate_strands'])}"
        if concern.hate_crime
        else "Not a hate or mate crime"
    )
    add_event(concern, user, "concern.hate_crime", f"Hate crime recorded: {said}")
    return concern


def set_level_of_need(concern: Concern, values: dict[str, Any], user: User) -> Concern:
    """Change a child's level of need (a step up or down the council's threshold model),
    with the reasoning; on the case's timeline."""
    level, reasoning = values.get("level_of_need"), (values.get("threshold_reasoning") or "")
    errors: dict[str, list[str]] = {}
    if not concern.is_child:
        errors["level_of_need"] = ["Only a child's concern has a level of need"]
    elif level is not None and level not in {n.level for n in levels_of_need()}:
        errors["level_of_need"] = [level_problem()]
    if not reasoning.strip():
        errors["threshold_reasoning"] = ["Say why the child's needs are at this level"]
    elif len(reasoning) > 20000:
        errors["threshold_reasoning"] = ["The reasoning must be 20,000 characters or fewer"]
    if errors:
        raise ValidationFailed(errors)
    before, after = (level_of_need(n) for n in (concern.level_of_need, level))
    concern.level_of_need, concern.threshold_reasoning = level, reasoning.strip()
    db.session.flush()
    said = " to ".join(n.label if n else "not assessed" for n in (before, after))
    add_event(concern, user, "concern.level_of_need", f"Level of need changed from {said}")
    return concern


def set_team(concern: Concern, values: dict[str, Any], user: User) -> Concern:
    """Change the team holding the case and the area it is in (either may be left blank:
    not recorded); each change on the case's timeline."""
    errors: dict[str, list[str]] = {}
    council = concern.council_id  # the case's council's teams and areas
    team_id = teams.chosen(Team, values.get("team_id"), "team_id", errors, concern.team_id, council)
    area_id = teams.chosen(
        Locality, values.get("locality_id"), "locality_id", errors, concern.locality_id, council
    )
    if errors:
        raise ValidationFailed(errors)
    said = []
    if team_id != concern.team_id:
        concern.team_id = team_id
        held = db.session.get(Team, team_id) if team_id else None
        said.append(f"Team holding the case: {teams.name_of(held)}")
    if area_id != concern.locality_id:
        concern.locality_id = area_id
        area = db.session.get(Locality, area_id) if area_id else None
        said.append(f"Area: {teams.name_of(area)}")
    if said:
        db.session.flush()
        db.session.refresh(concern, ["team", "locality"])
        add_event(concern, user, "concern.team", "; ".join(said))
    return concern


def record_concern(
    values: dict[str, Any], person: Person | None, user: User, *, new_person: bool = False
) -> Concern:
    """Save a concern with its risk types; the referrer's agency becomes involved.
    ``new_person``: the person is new (:func:`people.new_person`, not saved yet): it is
    saved with the concern, in one flush, and has no earlier concerns."""
    cleaned = clean_concern(values, person is not None, user.council_id)
    assert person is not None
    types = cleaned.pop("types_of_risk")
    strands = cleaned.pop("hate_strands")
    received: datetime = cleaned["received_at"]
    working = calendar()
    concern = Concern(
        **cleaned,
        reference=next_reference(to_local(received).year),
        received_by_id=user.id,
        person=person,  # the object, not only its id: the response shows it without a query
        out_of_hours=working.is_out_of_hours(received),
        screening_due=working.add_working_days(
            to_local(received).date(), clock_days(current_app.config.get("CLOCK_DAYS"), "screening")
        ),
        risk_types=[ConcernRiskType(risk_type=t) for t in types],
        hate_strands=[ConcernHateStrand(strand=s) for s in strands],
        # received by the recording user's council area
        council_id=user.council_id,
        # held by the recording user's team (a partner's referral: by nobody yet)
        team_id=user.team_id if user.team is not None and user.team.active else None,
    )
    concern.person_is_new = new_person
    db.session.add(concern)
    # the timeline's first entry, written with the concern (one flush, not two)
    db.session.add(
        CaseEvent(
            concern=concern,
            user_id=user.id,
            kind="concern.recorded",
            summary=f"Concern {concern.reference} recorded",
        )
    )
    db.session.flush()
    if new_person:
        people.log_created(person)
    involvements = []
    if concern.referrer_agency_id is not None:
        involvements.append(
            _involve(concern, concern.referrer_agency_id, InvolvementReason.REFERRER, None, user)
        )
    access_log.record("concern.create", object_type="concern", object_id=concern.id)
    current_platform().hook.concern_recorded(concern=case_summary(concern))
    if new_person:
        annotate_first(concern, involvements)  # the answer needs no query for them
    return concern


def case_summary(concern: Concern) -> CaseSummary:
    """What hooks are told about a case."""
    return CaseSummary(
        id=concern.id,
        reference=concern.reference,
        is_child=concern.is_child,
        status=concern.status.value,
        location=concern.location.value,
        source_of_risk=concern.source_of_risk.value,
        establishment_id=concern.establishment_id,
        referrer_agency_id=concern.referrer_agency_id,
        crime_suspected=bool(concern.crime_suspected),
        risk_outcome=concern.risk_outcome.value if concern.risk_outcome else None,
    )


def check_sign_off_setting(config: Mapping[str, Any]) -> None:
    """Refuse to start when SCREENING_SIGN_OFF names a decision that does not exist."""
    known = {decision.value for decision in Decision}
    unknown = [code for code in config.get("SCREENING_SIGN_OFF") or () if code not in known]
    if unknown and unknown != ["*"]:
        raise ConfigurationError(
            f"SCREENING_SIGN_OFF names unknown decisions: {', '.join(unknown)}. Use on, off, or "
            f"decision codes from: {', '.join(sorted(known))}."
        )


def sign_off_wanted(decision: Decision) -> bool:
    """Whether the council asks for a manager's sign-off of ``decision`` (SCREENING_SIGN_OFF)."""
    configured = current_app.config.get("SCREENING_SIGN_OFF") or ()
    return "*" in configured or decision.value in configured


def needs_sign_off(decision: Decision, user: User) -> bool:
    """Whether ``decision``, made by ``user``, waits for a manager's sign-off: the council
    asks for it and ``user`` is not a manager (a manager's own decision is signed off)."""
    return sign_off_wanted(decision) and not user_can(user, "concerns.sign_off")


def decide(concern: Concern, decision: str, reason: str, user: User) -> Concern:
    """Record the screening decision. Where the council asks for sign-off and ``user`` is
    not a manager it waits for a manager (:func:`review_decision`); a manager's own
    decision is signed off as it is made."""
    errors: dict[str, list[str]] = {}
    allowed = CHILD_DECISIONS if concern.is_child else ADULT_DECISIONS
    try:
        chosen = Decision(decision)
    except ValueError:
        chosen = None
    if chosen not in allowed:
        who = "a child" if concern.is_child else "an adult"
        errors["decision"] = [
            f"Select a decision for {who}: " + ", ".join(d.label for d in allowed)
        ]
    if not (reason or "").strip():
        errors["reason"] = ["Give the reason for the decision"]
    if concern.decision is not None:
        errors["decision"] = ["A screening decision has already been made"]
    if errors:
        raise ValidationFailed(errors)
    assert chosen is not None
    concern.decision = chosen
    concern.decision_reason = reason.strip()
    concern.decided_by_id = user.id
    concern.decided_at = utcnow()
    summary = f"Screening decision: {chosen.label}"
    if needs_sign_off(chosen, user):
        concern.sign_off = SignOff.PENDING
        summary += ", awaiting a manager's sign-off"
    elif sign_off_wanted(chosen):
        concern.sign_off = SignOff.SIGNED_OFF
        concern.signed_off_by_id, concern.signed_off_at = user.id, concern.decided_at
        summary += f", made and signed off by a manager ({user.name})"
    add_event(concern, user, "decision.made", summary)
    _start_enquiry(concern)
    follow_ups.consider(concern, user)  # a screened-out contact may be followed up
    access_log.record("concern.decide", object_type="concern", object_id=concern.id)
    return concern


def review_decision(concern: Concern, outcome: str, reason: str, user: User) -> DecisionReview:
    """A manager signs off a screening decision awaiting sign-off, or sends it back with
    the reason, which clears it so that it is decided again (the review keeps it)."""
    errors: dict[str, list[str]] = {}
    try:
        chosen = SignOffOutcome(outcome)
    except ValueError:
        chosen = None
        errors["outcome"] = ["Choose whether to sign off the decision or send it back"]
    reason = (reason or "").strip()
    if chosen == SignOffOutcome.SENT_BACK and not reason:
        errors["reason"] = ["Give the reason for sending the decision back"]
    if concern.sign_off != SignOff.PENDING:
        errors = {"decision": ["There is no screening decision awaiting sign-off"]}
    elif concern.decided_by_id == user.id:
        errors = {"decision": ["A manager other than the one who made the decision signs it off"]}
    if errors:
        raise ValidationFailed(errors)
    assert chosen is not None and concern.decision is not None
    assert concern.decided_by_id is not None and concern.decided_at is not None
    review = DecisionReview(
        concern_id=concern.id,
        decision=concern.decision,
        decision_reason=concern.decision_reason or "",
        decided_by_id=concern.decided_by_id,
        decided_at=concern.decided_at,
        outcome=chosen,
        reason=reason or None,
        manager_id=user.id,
        reviewed_at=utcnow(),
    )
    db.session.add(review)
    label = concern.decision.label
    if chosen == SignOffOutcome.SIGNED_OFF:
        concern.sign_off = SignOff.SIGNED_OFF
        concern.signed_off_by_id, concern.signed_off_at = user.id, review.reviewed_at
        comment = f": {reason}" if reason else ""
        add_event(
            concern,
            user,
            "decision.signed_off",
            f"Screening decision ({label}) signed off by {user.name}{comment}",
        )
        access_log.record("concern.sign_off", object_type="concern", object_id=concern.id)
        follow_ups.consider(concern, user)
    else:
        concern.decision = concern.decision_reason = None
        concern.decided_by_id = concern.decided_at = None
        concern.sign_off = None
        concern.enquiry = None  # the decision that started it is undone
        add_event(
            concern,
            user,
            "decision.sent_back",
            f"Screening decision ({label}) sent back by {user.name}: {reason}",
        )
        access_log.record("concern.send_back", object_type="concern", object_id=concern.id)
    db.session.flush()
    return review


# --- Section 42 and other enquiries -------------------------------------------------------

ENQUIRY_DECISIONS = {
    Decision.SECTION_42: EnquiryKind.SECTION_42,
    Decision.OTHER_ENQUIRY: EnquiryKind.OTHER,
}


def _start_enquiry(concern: Concern) -> None:
    """An adult's section 42 or other enquiry starts with the screening decision, on its
    local day; the concern's intake answers seed it, and are changed on the enquiry."""
    kind = ENQUIRY_DECISIONS.get(concern.decision) if concern.decision else None
    if concern.is_child or kind is None or concern.decided_at is None:
        return
    concern.enquiry = SafeguardingEnquiry(
        kind=kind,
        started_on=to_local(concern.decided_at).date(),
        msp_asked=concern.msp_asked,
        outcomes_expressed=concern.desired_outcomes,
        lacked_capacity=concern.lacked_capacity,
        location_rows=[EnquiryLocation(location=concern.location)],
        source_rows=[EnquirySource(source=concern.source_of_risk)],
    )


ENQUIRY_MESSAGES = {
    "msp_achieved_not_asked": (
        "Record whether outcomes were achieved only where the person was asked and "
        "expressed the outcomes they wanted (Making Safeguarding Personal): the answer to "
        "'asked about outcomes' is '{asked}'"
    ),
    "msp_achieved_missing": (
        "The person expressed the outcomes they wanted: record whether they were fully, "
        "partially or not achieved"
    ),
    "advocacy_not_lacking": (
        "Record support by an advocate, family or friend only where the person lacked capacity"
    ),
    "advocacy_missing": (
        "The person lacked capacity: record whether they were supported by an advocate, "
        "family or friend"
    ),
    "after_not_taken": (
        "Record whether the risk remained, reduced or was removed only where a risk was "
        "identified, or the assessment was inconclusive, and action was taken"
    ),
    "after_missing": (
        "A risk was identified or the assessment was inconclusive, and action was taken: "
        "record whether the risk remained, reduced or was removed"
    ),
}


def _enum_list(
    values: dict[str, Any], field: str, enum_class: Any, errors: dict[str, list[str]], what: str
) -> list[Any]:
    chosen = []
    for raw in values.get(field) or []:
        try:
            chosen.append(enum_class(raw))
        except ValueError:
            errors[field] = [f"'{raw}' is not a {what}"]
    if not chosen and field not in errors:
        errors[field] = [f"Select at least one {what}"]
    return sorted(set(chosen))


def record_enquiry(concern: Concern, values: dict[str, Any], user: User) -> SafeguardingEnquiry:
    """Change an open enquiry (every field is given, as on its page), and conclude it when
    ``concluded_on`` is given. Answers outside the SAC's rules are refused with the field
    and the reason: the achievement of outcomes only where outcomes were expressed, support
    by an advocate only where the person lacked capacity, the result only where a risk was
    identified or inconclusive and action was taken. Concluding needs the outcome, and the
    answers those rules then ask for."""
    enquiry = concern.enquiry
    if enquiry is None:
        raise ValidationFailed.single(
            "enquiry",
            "This case has no section 42 or other enquiry: its screening decision "
            "did not start one",
        )
    if not enquiry.is_open:
        raise ValidationFailed.single(
            "enquiry",
            f"This enquiry was concluded on {enquiry.concluded_on:%-d %B %Y}: it "
            "can no longer be changed",
        )
    errors: dict[str, list[str]] = {}
    started_on = values.get("started_on") or enquiry.started_on
    concluded_on = values.get("concluded_on")
    today = to_local(utcnow()).date()
    if not isinstance(started_on, date):
        errors["started_on"] = ["Enter the date the enquiry started"]
    elif started_on > today:
        errors["started_on"] = ["The start date must not be in the future"]
    if concluded_on is not None:
        if not isinstance(concluded_on, date):
            errors["concluded_on"] = ["Enter the date the enquiry concluded"]
        elif concluded_on > today:
            errors["concluded_on"] = ["The conclusion date must not be in the future"]
        elif isinstance(started_on, date) and concluded_on < started_on:
            errors["concluded_on"] = ["The conclusion date must not be before the start date"]
    locations = _enum_list(values, "locations", LocationOfRisk, errors, "location of risk")
    sources = _enum_list(values, "sources", SourceOfRisk, errors, "source of risk")
    asked = _enum(
        values, "msp_asked", MspAsked, errors,
        "Select whether the person was asked about the outcomes they wanted",
        MspAsked.NOT_RECORDED,
    )  # fmt: skip
    lacked = _enum(
        values, "lacked_capacity", LackedCapacity, errors,
        "Select whether the person lacked capacity", LackedCapacity.NOT_RECORDED,
    )  # fmt: skip
    achieved = _optional_enum(values, "msp_achieved", MspAchieved, errors, "an achievement")
    advocacy = _optional_enum(values, "advocacy", LackedCapacity, errors, "an answer")
    outcome = _optional_enum(values, "risk_outcome", RiskOutcome, errors, "an outcome")
    after = _optional_enum(values, "risk_after_action", RiskAfterAction, errors, "a result")
    if achieved is not None and asked != MspAsked.EXPRESSED:
        errors["msp_achieved"] = [
            ENQUIRY_MESSAGES["msp_achieved_not_asked"].format(asked=asked.label)
        ]
    if advocacy is not None and lacked != LackedCapacity.YES:
        errors["advocacy"] = [ENQUIRY_MESSAGES["advocacy_not_lacking"]]
    if after is not None and not (outcome is not None and outcome.result_recorded):
        errors["risk_after_action"] = [ENQUIRY_MESSAGES["after_not_taken"]]
    if concluded_on is not None:
        if outcome is None and "risk_outcome" not in errors:
            errors["risk_outcome"] = ["Record the outcome of the risk assessment"]
        if outcome is not None and outcome.result_recorded and after is None:
            errors.setdefault("risk_after_action", [ENQUIRY_MESSAGES["after_missing"]])
        if asked == MspAsked.EXPRESSED and achieved is None:
            errors.setdefault("msp_achieved", [ENQUIRY_MESSAGES["msp_achieved_missing"]])
        if lacked == LackedCapacity.YES and advocacy is None:
            errors.setdefault("advocacy", [ENQUIRY_MESSAGES["advocacy_missing"]])
    outcomes_text = (values.get("outcomes_expressed") or "").strip()
    if len(outcomes_text) > 20000:
        errors["outcomes_expressed"] = ["This must be 20,000 characters or fewer"]
    if errors:
        raise ValidationFailed(errors)
    enquiry.started_on, enquiry.updated_at = started_on, utcnow()
    sa.orm.attributes.flag_modified(enquiry, "updated_at")  # a new version, whatever changed
    enquiry.msp_asked, enquiry.msp_achieved = asked, achieved
    enquiry.outcomes_expressed = outcomes_text or None
    enquiry.lacked_capacity, enquiry.advocacy = lacked, advocacy
    enquiry.risk_outcome, enquiry.risk_after_action = outcome, after
    _replace_rows(enquiry.location_rows, locations, EnquiryLocation, "location")
    _replace_rows(enquiry.source_rows, sources, EnquirySource, "source")
    summary = f"{enquiry.kind.label} updated"
    if concluded_on is not None:
        enquiry.concluded_on, enquiry.concluded_by_id = concluded_on, user.id
        assert outcome is not None
        summary = f"{enquiry.kind.label} concluded on {concluded_on:%-d %B %Y}: {outcome.label}"
    db.session.flush()
    add_event(concern, user, "enquiry.concluded" if concluded_on else "enquiry.updated", summary)
    access_log.record("concern.enquiry", object_type="concern", object_id=concern.id)
    return enquiry


def enquiry_values(enquiry: SafeguardingEnquiry) -> dict[str, Any]:
    """The enquiry's answers as the pages and the API give them, by their codes: what a
    change that names only some fields starts from."""

    def code(value: Any) -> Any:
        return value.value if value is not None else None

    return {
        "started_on": enquiry.started_on,
        "locations": [place.value for place in enquiry.locations],
        "sources": [source.value for source in enquiry.sources],
        "msp_asked": code(enquiry.msp_asked),
        "outcomes_expressed": enquiry.outcomes_expressed,
        "msp_achieved": code(enquiry.msp_achieved),
        "lacked_capacity": code(enquiry.lacked_capacity),
        "advocacy": code(enquiry.advocacy),
        "risk_outcome": code(enquiry.risk_outcome),
        "risk_after_action": code(enquiry.risk_after_action),
    }


def _optional_enum(
    values: dict[str, Any], field: str, enum_class: Any, errors: dict[str, list[str]], what: str
) -> Any:
    raw = values.get(field)
    if raw in (None, ""):
        return None
    try:
        return enum_class(raw)
    except ValueError:
        errors[field] = [f"'{raw}' is not {what} on the list"]
        return None


def _replace_rows(rows: list[Any], wanted: list[Any], model: Any, column: str) -> None:
    """Keep the rows still wanted, remove the rest, add the new ones."""
    kept = {getattr(row, column) for row in rows}
    rows[:] = [row for row in rows if getattr(row, column) in wanted]
    rows.extend(model(**{column: value}) for value in wanted if value not in kept)
    rows.sort(key=lambda row: getattr(row, column).value)  # as the relationship orders them


def reviews_of(concern: Concern) -> list[DecisionReview]:
    return list(
        db.session.execute(
            sa.select(DecisionReview)
            .where(DecisionReview.concern_id == concern.id)
            .options(
                sa.orm.selectinload(DecisionReview.manager),
                sa.orm.selectinload(DecisionReview.decided_by),
            )
            .order_by(DecisionReview.reviewed_at.desc(), DecisionReview.id.desc())
        ).scalars()
    )


def _involve(
    concern: Concern, agency_id: int, reason: InvolvementReason, note: str | None, user: User
) -> Involvement:
    level, why, first = _level_of_new_involvement(concern, agency_id)
    involvement = Involvement(
        concern_id=concern.id,
        agency_id=agency_id,
        reason=reason,
        note=note or None,
        added_by_id=user.id,
        level=level,
        level_reason=why,
    )
    db.session.add(involvement)
    db.session.flush()
    if first and level == InvolvementLevel.IMPLICATED:
        agency = db.session.get(Agency, agency_id)
        name = agency.name if agency else "An agency"
        add_event(concern, user, "involvement.level", f"{name} implicated: {why}")
    return involvement


IMPLICATED_BECAUSE = (
    "The source of risk is a service provider and this agency is that provider: it sees only "
    "what it submitted and the actions it owns"
)


def _level_of_new_involvement(
    concern: Concern, agency_id: int
) -> tuple[InvolvementLevel, str | None, bool]:
    """An agency involved before keeps its level: the level of its involvements still
    active, or else of the last one that ended (a level the team set is not lost when the
    agency's involvements lapse); the provider a concern implicates is implicated at once;
    any other agency is involved in full. And whether the agency is newly involved."""
    current = db.session.execute(
        sa.select(Involvement.level, Involvement.level_reason)
        .where(Involvement.concern_id == concern.id, Involvement.agency_id == agency_id)
        .order_by(Involvement.removed_at.is_not(None), Involvement.id.desc())
    ).first()
    if current is not None:
        return current.level, current.level_reason, False
    if implicated_agency(concern) == agency_id:
        return InvolvementLevel.IMPLICATED, IMPLICATED_BECAUSE, True
    return InvolvementLevel.FULL, None, True


def set_involvement_level(
    concern: Concern, involvement: Involvement, level: str, reason: str, user: User
) -> Involvement:
    """Change how much of the case the involvement's agency sees, with the reason: every
    active involvement of that agency in the case, from its next request."""
    errors: dict[str, list[str]] = {}
    chosen = next((m for m in InvolvementLevel if m.value == level), None)
    if chosen is None:
        errors["level"] = ["Choose full, contributor or implicated"]
    if not (reason or "").strip():
        errors["reason"] = ["Say why the agency sees the case at this level"]
    if involvement.removed_at is not None:
        errors["involvement"] = ["This involvement has ended"]
    if errors:
        raise ValidationFailed(errors)
    assert chosen is not None
    rows = db.session.scalars(
        sa.select(Involvement).where(
            Involvement.concern_id == concern.id,
            Involvement.agency_id == involvement.agency_id,
            Involvement.removed_at.is_(None),
        )
    )
    for row in rows:
        row.level, row.level_reason = chosen, reason.strip()
    add_event(
        concern,
        user,
        "involvement.level",
        f"{involvement.agency.name} now sees the case at level {chosen.value}: {reason.strip()}",
    )
    access_log.record("involvement.level", object_type="concern", object_id=concern.id)
    return involvement


def ensure_involved(
    concern: Concern, agency_id: int, reason: InvolvementReason, note: str, user: User
) -> None:
    """Involve the agency for this reason unless it already is."""
    exists = db.session.scalar(
        sa.select(Involvement.id).where(
            Involvement.concern_id == concern.id,
            Involvement.agency_id == agency_id,
            Involvement.reason == reason,
            Involvement.removed_at.is_(None),
        )
    )
    if exists is None:
        _involve(concern, agency_id, reason, note, user)


def add_involvement(concern: Concern, agency_id: int | None, note: str, user: User) -> Involvement:
    errors: dict[str, list[str]] = {}
    agency = db.session.get(Agency, agency_id) if agency_id else None
    if agency is None or not agency.active:
        errors["agency_id"] = ["Select an active agency"]
    if not (note or "").strip():
        errors["reason"] = ["Say why this agency is involved"]
    if errors:
        raise ValidationFailed(errors)
    assert agency is not None
    involvement = _involve(concern, agency.id, InvolvementReason.ADDED, note.strip(), user)
    add_event(concern, user, "involvement.added", f"{agency.name} involved: {note.strip()}")
    access_log.record("involvement.add", object_type="concern", object_id=concern.id)
    return involvement


def remove_involvement(involvement: Involvement, reason: str, user: User) -> None:
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "Say why this agency is no longer involved")
    if involvement.removed_at is not None:
        raise ValidationFailed.single("involvement", "This involvement has already ended")
    involvement.removed_at = utcnow()
    involvement.removed_by_id = user.id
    involvement.removal_reason = reason.strip()
    concern = db.session.get(Concern, involvement.concern_id)
    assert concern is not None
    add_event(
        concern,
        user,
        "involvement.removed",
        f"{involvement.agency.name} no longer involved: {reason.strip()}",
    )
    access_log.record("involvement.remove", object_type="concern", object_id=concern.id)


CLOSURE_MISSING = {
    "risk_outcome": "Record the outcome of the risk assessment",
    "msp_achieved": "Record whether the outcomes the person wanted were achieved",
    "feedback": "Record the feedback given to the person and to the referrer",
}


def close(concern: Concern, values: dict[str, Any], user: User) -> Concern:
    """Close with the SAC outcome, Making Safeguarding Personal and feedback.

    Refused with every missing item listed, so the officer can fix them all at once.
    """
    errors: dict[str, list[str]] = {}
    if concern.status == ConcernStatus.CLOSED:
        raise ValidationFailed.single("status", "This concern is already closed")
    enquiry = concern.enquiry  # an adult's section 42 or other enquiry, if any
    family = None
    if concern.is_child:
        outcome, after = None, None
        census = _child_closure(concern, values, errors)
        family = _enum(
            values,
            "family_outcome",
            FamilyOutcome,
            errors,
            "Select the outcome for the child and family",
        )
        for field in ("risk_outcome", "risk_after_action"):
            if values.get(field):
                errors[field] = ["The risk outcome is recorded for adults' enquiries only"]
    else:
        census = (None, None)
        if values.get("family_outcome"):
            errors["family_outcome"] = [
                "The outcome for the child and family is recorded for children's cases only"
            ]
        if enquiry is not None and not enquiry.is_open:
            # the concluded enquiry's outcome and Making Safeguarding Personal stand for the
            # case's unless the closure gives its own
            values = {
                "risk_outcome": enquiry.risk_outcome,
                "risk_after_action": enquiry.risk_after_action,
                "msp_achieved": enquiry.msp_achieved,
            } | {key: value for key, value in values.items() if value not in (None, "")}
        outcome = _enum(
            values, "risk_outcome", RiskOutcome, errors, CLOSURE_MISSING["risk_outcome"]
        )
        after = values.get("risk_after_action")
    if outcome is not None and outcome.result_recorded:
        after = _enum(
            values,
            "risk_after_action",
            RiskAfterAction,
            errors,
            "Where a risk was identified or inconclusive and action was taken, say whether "
            "the risk remained, reduced or was removed",
        )
    else:
        after = None
    # Making Safeguarding Personal is the adults' return (SAC 2025-26 guidance): whether
    # the outcomes were achieved is asked only where the person expressed outcomes, and
    # never of a child's case
    asked = enquiry.msp_asked if enquiry is not None else concern.msp_asked
    outcomes_expressed = not concern.is_child and asked == MspAsked.EXPRESSED
    achieved = None
    if outcomes_expressed:
        achieved = _enum(
            values, "msp_achieved", MspAchieved, errors, CLOSURE_MISSING["msp_achieved"]
        )
    elif values.get("msp_achieved"):
        errors["msp_achieved"] = [
            "Record whether outcomes were achieved only where the person was asked and "
            "expressed the outcomes they wanted"
        ]
    person_on, person_how = (
        values.get("feedback_person_on"),
        (values.get("feedback_person_method") or "").strip(),
    )
    referrer_on, referrer_how = (
        values.get("feedback_referrer_on"),
        (values.get("feedback_referrer_method") or "").strip(),
    )
    needs_referrer = concern.referrer_agency_id is not None or bool(concern.referrer_name)
    if not (person_on and person_how) or (needs_referrer and not (referrer_on and referrer_how)):
        errors["feedback"] = [CLOSURE_MISSING["feedback"]]
    today = to_local(utcnow()).date()
    for field, day in (("feedback_person_on", person_on), ("feedback_referrer_on", referrer_on)):
        if day is not None and day > today:
            errors[field] = ["Feedback dates must not be in the future"]
    if concern.is_child and (plans := _open_plans(concern)):
        # Working Together to Safeguard Children 2023, chapter 2: a child protection plan
        # ends at a review conference (or when the child moves away); the case stays open
        errors["plan"] = [
            f"End the {plan.kind.label.lower()} started on {plan.started_on:%-d %B %Y} "
            "first: a child's case cannot close while its plan is open"
            for plan in plans
        ]
    override = (values.get("override_reason") or "").strip()
    open_work = [] if concern.is_child else _open_work(concern)
    if open_work and not override:
        errors["override_reason"] = [
            "This case still has "
            + "; ".join(open_work)
            + ". Finish them first, or a safeguarding manager may close it anyway, "
            "giving the reason"
        ]
    elif open_work and not user_can(user, "concerns.close_override"):
        errors["override_reason"] = [
            "Only a safeguarding manager can close a case with open work: " + "; ".join(open_work)
        ]
    elif override and not open_work:
        errors["override_reason"] = ["Nothing is open on this case: leave the reason out"]
    if errors:
        raise ValidationFailed(errors)
    if open_work:
        add_event(
            concern,
            user,
            "concern.close_override",
            f"Closed by a manager with open work ({'; '.join(open_work)}): {override[:2000]}",
        )
        access_log.record("concern.close_override", object_type="concern", object_id=concern.id)
    concern.risk_outcome, concern.risk_after_action, concern.msp_achieved = outcome, after, achieved
    concern.closure_reason, concern.primary_need = census
    concern.family_outcome = family
    concern.feedback_person_on, concern.feedback_person_method = person_on, person_how[:100]
    concern.feedback_referrer_on = referrer_on
    concern.feedback_referrer_method = referrer_how[:100] or None
    concern.status = ConcernStatus.CLOSED
    concern.closed_at, concern.closed_by_id = utcnow(), user.id
    closed_as = [concern.closure_reason, family] if concern.is_child else [outcome]
    add_event(
        concern,
        user,
        "concern.closed",
        f"Closed: {'; '.join(c.label for c in closed_as if c is not None)}",
    )
    access_log.record("concern.close", object_type="concern", object_id=concern.id)
    follow_ups.consider(concern, user)
    current_platform().hook.case_closed(concern=case_summary(concern))
    return concern


def referral_went_no_further(concern: Concern) -> bool:
    """A child's referral decided "no further action" at screening: the census's referral
    with no further action (ReferralNFA), which takes no primary need or assessment."""
    return concern.decision == Decision.NO_FURTHER_ACTION


def _child_closure(
    concern: Concern, values: dict[str, Any], errors: dict[str, list[str]]
) -> tuple[ClosureReason | None, PrimaryNeed | None]:
    """The census closure of a child's case (CIN census 2025 to 2026 guide): the reason for
    closure, the primary need unless the referral went no further (rule 8610), and no
    assessment still open (rule 8867)."""
    reason = _enum(values, "closure_reason", ClosureReason, errors, "Select the reason for closure")
    # the need recorded at the assessment stands unless the closure gives another
    known = {"primary_need": values.get("primary_need") or concern.primary_need}
    need = None
    if not referral_went_no_further(concern):
        need = _enum(known, "primary_need", PrimaryNeed, errors, "Select the child's primary need")
    elif known["primary_need"]:
        need = _enum(known, "primary_need", PrimaryNeed, errors, "Select a primary need")
    assessments = db.session.scalars(
        sa.select(Assessment).where(Assessment.concern_id == concern.id)
    ).all()
    for assessment in assessments:
        if assessment.authorised_on is None:
            errors["assessment"] = [
                f"Conclude the assessment started on {assessment.started_on:%-d %B %Y} first: "
                "a child's case cannot close while its assessment is open"
            ]
    if (
        reason is not None
        and reason.after_assessment
        and not any(a.authorised_on for a in assessments)
    ):
        errors["closure_reason"] = [
            f"{reason.value} closes a case after its assessment: this case has no concluded "
            "assessment"
        ]
    return reason, need


def _open_work(concern: Concern) -> list[str]:
    """What is still open on an adult's case: its enquiry not concluded, its plans, their
    actions not done yet, and actions agreed at its meetings not done; each as a phrase
    naming how many."""
    plans = _open_plans(concern)
    plan_actions = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(PlanAction)
        .join(Plan, Plan.id == PlanAction.plan_id)
        .where(
            Plan.concern_id == concern.id,
            Plan.status == PlanStatus.OPEN,
            PlanAction.status.in_((PlanActionStatus.NOT_STARTED, PlanActionStatus.IN_PROGRESS)),
        )
    )
    meeting_actions = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(MeetingAction)
        .join(meeting_concerns, meeting_concerns.c.meeting_id == MeetingAction.meeting_id)
        .where(
            meeting_concerns.c.concern_id == concern.id,
            MeetingAction.status == ActionStatus.OPEN,
        )
    )
    work = [f"an open {plan.kind.label.lower()}" for plan in plans]
    if concern.enquiry is not None and concern.enquiry.is_open:
        kind = concern.enquiry.kind.label.lower()
        work.insert(0, f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} not concluded")
    for count, what in ((plan_actions, "plan action"), (meeting_actions, "meeting action")):
        if count:
            work.append(f"{count} open {what}{'s' if count != 1 else ''}")
    return work


def _open_plans(concern: Concern) -> list[Plan]:
    return list(
        db.session.scalars(
            sa.select(Plan)
            .where(Plan.concern_id == concern.id, Plan.status == PlanStatus.OPEN)
            .order_by(Plan.started_on)
        )
    )


def reopen(concern: Concern, reason: str, user: User) -> Concern:
    if concern.status != ConcernStatus.CLOSED:
        raise ValidationFailed.single("status", "Only a closed concern can be reopened")
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "Give the reason for reopening")
    concern.status = ConcernStatus.OPEN
    concern.closed_at = concern.closed_by_id = None
    add_event(concern, user, "concern.reopened", f"Reopened: {reason.strip()}")
    access_log.record("concern.reopen", object_type="concern", object_id=concern.id)
    return concern


class Cluster(NamedTuple):
    """An establishment with several concerns in a short window (the API's ClusterSchema
    reads it)."""

    establishment: Establishment
    concerns: int
    latest_received_at: datetime
    window_days: int

    @property
    def establishment_id(self) -> int:
        return self.establishment.id

    @property
    def establishment_name(self) -> str:
        return self.establishment.name

    @property
    def kind(self) -> str:
        return self.establishment.kind.value


def clusters(minimum: int, days: int, council_id: int | None) -> list[Cluster]:
    """Establishments with at least ``minimum`` concerns of a council (None: of every
    council, the whole instance's) in the last ``days`` days: a care home on a council's
    border is a cluster of each council's own concerns."""
    since = utcnow() - timedelta(days=days)
    counted = (
        sa.select(
            Concern.establishment_id,
            sa.func.count(Concern.id).label("concerns"),
            sa.func.max(Concern.received_at).label("latest"),
        )
        .where(
            Concern.establishment_id.is_not(None),
            Concern.deleted_at.is_(None),
            Concern.received_at >= since,
            Concern.council_id == council_id if council_id is not None else sa.true(),
        )
        .group_by(Concern.establishment_id)
        .having(sa.func.count(Concern.id) >= minimum)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Establishment, counted.c.concerns, counted.c.latest)
        .join(counted, counted.c.establishment_id == Establishment.id)
        .order_by(counted.c.concerns.desc(), Establishment.name)
    ).all()
    return [Cluster(row[0], row[1], row[2], days) for row in rows]


def council_clusters(user: User) -> list[Cluster]:
    """The clusters of the council whose figures ``user`` reads, by the settings."""
    return clusters(*cluster_settings(), figures_council(user))


def concerns_in_window(establishment_id: int, days: int, council_id: int) -> int:
    """How many concerns (not deleted) of a council located at one establishment in the
    last ``days``."""
    return db.session.execute(
        sa.select(sa.func.count(Concern.id)).where(
            Concern.establishment_id == establishment_id,
            Concern.council_id == council_id,
            Concern.deleted_at.is_(None),
            Concern.received_at >= utcnow() - timedelta(days=days),
        )
    ).scalar_one()


def cluster_settings() -> tuple[int, int]:
    """(concerns, days) that make a cluster, from the settings."""
    config = current_app.config
    return int(config["CLUSTER_MIN_CONCERNS"]), int(config["CLUSTER_WINDOW_DAYS"])


def restricted_to(
    what: str, code: str | None, reader_ids: Iterable[int]
) -> tuple[Restriction | None, list[Agency], dict[str, list[str]]]:
    """Why an entry (``what``: a note, a report) is restricted, from its code (None or ""
    for open), and the other agencies named to read it, with the errors of each field
    (``restriction``, ``reader_agency_ids``). Agencies may be named only with a reason."""
    errors: dict[str, list[str]] = {}
    restricted = next((r for r in Restriction if r.value == code), None)
    if code and restricted is None:
        errors["restriction"] = [f"Choose why the {what} is restricted, or leave it open"]
    readers = named_agencies(reader_ids)
    if readers is None:
        errors["reader_agency_ids"] = ["Choose agencies from the list"]
    elif readers and restricted is None and not code:
        errors["restriction"] = [f"Say why the {what} is restricted to the agencies chosen"]
    return restricted, readers or [], errors


def add_note(
    concern: Concern,
    text: str,
    key_decision: bool,
    user: User,
    restriction: str | None = None,
    reader_ids: Iterable[int] = (),
) -> CaseNote:
    """Add a case note; a restricted one (``restriction``) is read by the team, the
    author's agency and the agencies ``reader_ids`` name."""
    errors: dict[str, list[str]] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = ["Write the note"]
    elif len(text) > 20000:
        errors["text"] = ["A note must be 20,000 characters or fewer"]
    restricted, readers, restriction_errors = restricted_to("note", restriction, reader_ids)
    errors |= restriction_errors
    if errors:
        raise ValidationFailed(errors)
    note = CaseNote(
        concern_id=concern.id,
        author_id=user.id,
        author_agency_id=user.agency_id,
        text=text,
        key_decision=key_decision,
        restriction=restricted,
        readers=readers,
    )
    db.session.add(note)
    db.session.flush()
    add_event(
        concern, user, "note.added", "Key decision recorded" if key_decision else "Note added"
    )
    access_log.record("concern.note", object_type="concern", object_id=concern.id)
    return note


def set_legal_hold(concern: Concern, reason: str | None, user: User) -> None:
    """Place (with a reason) or lift (reason None) a legal hold, which blocks deletion."""
    if reason is not None and not reason.strip():
        raise ValidationFailed.single("reason", "Give the reason for the legal hold")
    concern.legal_hold_reason = reason.strip() if reason else None
    summary = f"Legal hold placed: {concern.legal_hold_reason}" if reason else "Legal hold lifted"
    add_event(concern, user, "legal_hold", summary)
    access_log.record("concern.legal_hold", object_type="concern", object_id=concern.id)


def delete(concern: Concern, reason: str, user: User) -> None:
    """Soft delete: the record stays, hidden from every list and page, with who and why."""
    errors: dict[str, list[str]] = {}
    if concern.legal_hold_reason:
        errors["legal_hold"] = [f"This concern is under a legal hold: {concern.legal_hold_reason}"]
    if not (reason or "").strip():
        errors["reason"] = ["Give the reason for deleting this concern"]
    if errors:
        raise ValidationFailed(errors)
    concern.deleted_at, concern.deleted_by_id = utcnow(), user.id
    concern.deleted_reason = reason.strip()
    add_event(concern, user, "concern.deleted", f"Deleted: {reason.strip()}")
    access_log.record("concern.delete", object_type="concern", object_id=concern.id)


def notes_of(concern: Concern) -> list[CaseNote]:
    return list(
        db.session.execute(
            sa.select(CaseNote)
            .where(CaseNote.concern_id == concern.id)
            .options(
                sa.orm.selectinload(CaseNote.author),
                sa.orm.selectinload(CaseNote.author_agency),
                sa.orm.selectinload(CaseNote.readers),
            )
            .order_by(CaseNote.written_at.desc(), CaseNote.id.desc())
        ).scalars()
    )


def last_handover(council_id: int) -> Handover | None:
    """The council's last accepted handover (each council's day team takes its own)."""
    return db.session.execute(
        sa.select(Handover)
        .where(Handover.council_id == council_id)
        .order_by(Handover.accepted_at.desc(), Handover.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def pending_handover(
    user: User,
) -> tuple[Handover | None, list[Concern], dict[int, list[CaseEvent]]]:
    """The out-of-hours concerns of ``user``'s council received since its last accepted
    handover, oldest first, and what was done on each since it arrived (the overnight
    actions)."""
    previous = last_handover(user.council_id)
    query = visible_concerns(user).where(Concern.out_of_hours.is_(True))
    if previous is not None:
        query = query.where(Concern.received_at > previous.accepted_at)
    concerns = list(
        db.session.execute(
            query.options(
                sa.orm.selectinload(Concern.person), sa.orm.selectinload(Concern.risk_types)
            ).order_by(Concern.received_at, Concern.id)
        ).scalars()
    )
    events: dict[int, list[CaseEvent]] = {concern.id: [] for concern in concerns}
    if concerns:
        for event in db.session.execute(
            sa.select(CaseEvent)
            .where(CaseEvent.concern_id.in_(list(events)))
            .order_by(CaseEvent.occurred_at, CaseEvent.id)
        ).scalars():
            events[event.concern_id].append(event)
    return previous, concerns, events


def accept_handover(user: User) -> Handover:
    previous, concerns, _ = pending_handover(user)
    handover = Handover(
        accepted_by_id=user.id,
        council_id=user.council_id,
        covers_from=previous.accepted_at if previous else None,
        concern_count=len(concerns),
    )
    db.session.add(handover)
    db.session.flush()
    for concern in concerns:
        add_event(concern, user, "handover.accepted", f"Handed over to the day team ({user.name})")
    access_log.record("handover.accept", object_type="handover", object_id=handover.id)
    return handover


def record_supervision(concern: Concern, values: dict[str, Any], user: User) -> Supervision:
    errors: dict[str, list[str]] = {}
    held_on = values.get("held_on")
    if not isinstance(held_on, date):
        errors["held_on"] = ["Enter the date of the supervision"]
    elif held_on > to_local(utcnow()).date():
        errors["held_on"] = ["The supervision date must not be in the future"]
    for field, message in (
        ("discussion", "Record what was discussed"),
        ("decisions", "Record what was decided"),
    ):
        if not (values.get(field) or "").strip():
            errors[field] = [message]
    if errors:
        raise ValidationFailed(errors)
    supervision = Supervision(
        concern_id=concern.id,
        manager_id=user.id,
        held_on=held_on,
        discussion=values["discussion"].strip(),
        decisions=values["decisions"].strip(),
        next_steps=(values.get("next_steps") or "").strip() or None,
    )
    db.session.add(supervision)
    db.session.flush()
    add_event(concern, user, "supervision.recorded", f"Management oversight by {user.name}")
    access_log.record("concern.supervision", object_type="concern", object_id=concern.id)
    return supervision


def supervisions_of(concern: Concern) -> list[Supervision]:
    return list(
        db.session.execute(
            sa.select(Supervision)
            .where(Supervision.concern_id == concern.id)
            .options(sa.orm.selectinload(Supervision.manager))
            .order_by(Supervision.held_on.desc(), Supervision.id.desc())
        ).scalars()
    )


def without_oversight(weeks: int, council_id: int) -> sa.Select[tuple[Concern, Any]]:
    """The council's open concerns whose last supervision (or, without one, receipt) is
    older than ``weeks``, oldest first, with the date of the last supervision."""
    cutoff = to_local(utcnow()).date() - timedelta(weeks=weeks)
    last = (
        sa.select(Supervision.concern_id, sa.func.max(Supervision.held_on).label("last_on"))
        .group_by(Supervision.concern_id)
        .subquery()
    )
    return (
        sa.select(Concern, last.c.last_on)
        .outerjoin(last, last.c.concern_id == Concern.id)
        .where(
            Concern.status == ConcernStatus.OPEN,
            Concern.deleted_at.is_(None),
            Concern.council_id == council_id,
            sa.or_(
                last.c.last_on < cutoff,
                sa.and_(last.c.last_on.is_(None), Concern.received_at < _start_of(cutoff)),
            ),
        )
        .order_by(last.c.last_on.nulls_first(), Concern.received_at, Concern.id)
    )


def awaiting_first_oversight(weeks: int) -> int:
    """Open concerns received in the last ``weeks`` that have had no oversight yet (the
    oversight list shows them once they are ``weeks`` old without it)."""
    cutoff = to_local(utcnow()).date() - timedelta(weeks=weeks)
    overseen = sa.select(Supervision.concern_id).where(Supervision.concern_id == Concern.id)
    return int(
        db.session.scalar(
            sa.select(sa.func.count(Concern.id)).where(
                Concern.status == ConcernStatus.OPEN,
                Concern.deleted_at.is_(None),
                Concern.received_at >= _start_of(cutoff),
                ~overseen.exists(),
            )
        )
        or 0
    )


def _start_of(day: date) -> datetime:

    return datetime.combine(day, datetime.min.time(), LOCAL_ZONE)


def add_body_map_mark(concern: Concern, values: dict[str, Any], user: User) -> BodyMapMark:
    errors: dict[str, list[str]] = {}
    side = values.get("side")
    if side not in ("front", "back"):
        errors["side"] = ["Select the front or the back of the body"]
    for axis in ("x", "y"):
        value = values.get(axis)
        if value is not None and not (isinstance(value, int | float) and 0 <= value <= 100):
            errors[axis] = ["The position must be on the outline"]
    for field, message, limit in (
        ("site", "Say where on the body the injury is", 200),
        ("description", "Describe the injury", 20000),
        ("seen_by", "Say who saw the injury", 200),
    ):
        text = (values.get(field) or "").strip()
        if not text:
            errors[field] = [message]
        elif len(text) > limit:
            errors[field] = [f"This must be {limit:,} characters or fewer"]
    seen_on = values.get("seen_on")
    if not isinstance(seen_on, date):
        errors["seen_on"] = ["Enter the date the injury was seen"]
    elif seen_on > to_local(utcnow()).date():
        errors["seen_on"] = ["The date seen must not be in the future"]
    if errors:
        raise ValidationFailed(errors)
    mark = BodyMapMark(
        concern_id=concern.id,
        side=side,
        x=values.get("x"),
        y=values.get("y"),
        site=values["site"].strip(),
        size=(values.get("size") or "").strip()[:100] or None,
        colour=(values.get("colour") or "").strip()[:100] or None,
        description=values["description"].strip(),
        seen_by=values["seen_by"].strip(),
        seen_on=seen_on,
        recorded_by_id=user.id,
    )
    db.session.add(mark)
    db.session.flush()
    add_event(concern, user, "body_map.marked", f"Injury marked on the body map: {mark.site}")
    access_log.record("concern.body_map", object_type="concern", object_id=concern.id)
    return mark


def body_map_of(concern: Concern) -> list[BodyMapMark]:
    return list(
        db.session.execute(
            sa.select(BodyMapMark)
            .where(BodyMapMark.concern_id == concern.id)
            .order_by(BodyMapMark.id)
        ).scalars()
    )


def intake(
    values: dict[str, Any], person_values: dict[str, Any], chosen: str | None, user: User
) -> tuple[Concern | None, list[Person]]:
    """Record a concern from the intake page. The safeguarding team names the person:
    an existing record (``chosen`` is its id), a new one (``chosen`` is "new"), or, when
    it has not chosen yet and likely duplicates exist, nothing is recorded and they are
    answered to choose from. Anyone else's concern is about a new person record."""
    team = is_case_team(user)
    try:
        cleaned = people.clean_person(person_values)
    except ValidationFailed as wrong_person:
        # the concern's own problems are said with the person's, in one answer
        try:
            clean_concern(values, True, user.council_id)
        except ValidationFailed as wrong_concern:
            raise ValidationFailed(wrong_person.errors | wrong_concern.errors) from None
        raise
    person: Person | None = None
    if team and (found := person_named(user, chosen)):
        person = survivor_of(found)
    if team and person is None and chosen != "new":
        duplicates = people.possible_duplicates(cleaned, user.council_id)
        if duplicates:
            return None, duplicates
    if person is None:
        clean_concern(values, True, user.council_id)  # checked before the person is saved
        person = people.new_person(person_values)
        return record_concern(values, person, user, new_person=True), []
    return record_concern(values, person, user), []


def refer(data: dict[str, Any], user: User) -> Concern:
    """Record a concern sent through the API: about an existing person (``person_id``,
    the safeguarding team only) or one described (``person``). Anyone else refers as
    their own agency."""
    errors: dict[str, list[str]] = {}
    if not is_case_team(user):
        if data.get("referrer_agency_id") not in (None, user.agency_id):
            errors["referrer_agency_id"] = ["You can only refer a concern as your own agency"]
        if data.get("person_id") is not None:
            errors["person_id"] = [
                "Give the person's details; only the safeguarding team links records"
            ]
        data["referrer_agency_id"] = user.agency_id
    person_id, details = data.pop("person_id", None), data.pop("person", None)
    if person_id is not None and details is not None:
        errors["person"] = ["Give either person_id or person, not both"]
    if errors:
        raise ValidationFailed(errors)
    if person_id is None:
        person = people.new_person(details) if details else None
        return record_concern(data, person, user, new_person=person is not None)
    person = person_named(user, person_id)
    if person is None:
        raise ValidationFailed.single("person_id", "There is no person with this id")
    if person.merged_into_id is not None:
        kept = survivor_of(person).id
        raise ValidationFailed.single(
            "person_id", f"This record was merged into record {kept}: use that id"
        )
    return record_concern(data, person, user)
