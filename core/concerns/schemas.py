from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import marshmallow as ma
from flask_login import current_user

from core.api.conventions import PageArgs, id_field, page_schema, query_id_field
from core.concerns.models import (
    CaseNote,
    Concern,
    Decision,
    InvolvementLevel,
    Restriction,
    Route,
    SignOff,
    SignOffOutcome,
)
from core.concerns.needs import level_problem, levels_of_need
from core.fields import Day, Moment, codes
from core.people.schemas import PersonSchema
from core.policy.cases import annotate, case_sections, may_read_note
from core.reference import (
    AssessmentFactor,
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


def _known_level(value: int) -> None:
    if value not in {level.level for level in levels_of_need()}:
        raise ma.ValidationError(level_problem())


def level_of_need_field() -> ma.fields.Integer:
    """A child's level of need on the council's threshold model (LEVELS_OF_NEED)."""
    return ma.fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=_known_level,
        metadata={"description": "Children only: the council's level (GET /api/v1/levels-of-need)"},
    )


class PersonSummarySchema(ma.Schema):
    """The person as shown on a concern."""

    id = ma.fields.Integer()
    given_name = ma.fields.String()
    family_name = ma.fields.String()
    date_of_birth = Day(allow_none=True)
    nhs_number = ma.fields.String(allow_none=True)


class InvolvementCreateSchema(ma.Schema):
    agency_id = id_field(required=True)
    note = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=2000),
        metadata={"description": "Why the agency is involved"},
    )


class InvolvementSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    agency_id = id_field(required=True)
    agency_name = ma.fields.Function(lambda involvement: involvement.agency.name, dump_only=True)
    reason = ma.fields.Function(lambda involvement: involvement.reason.value, dump_only=True)
    # the referrer's involvement has no note: its reason says it all
    note = ma.fields.String(
        allow_none=True, metadata={"description": "Why the agency is involved, when given"}
    )
    added_at = Moment(dump_only=True)
    level = ma.fields.Function(
        lambda involvement: involvement.level.value,
        dump_only=True,
        metadata={"description": "full, contributor or implicated: how much of the case it sees"},
    )
    level_reason = ma.fields.String(dump_only=True, allow_none=True)


class InvolvementLevelSchema(ma.Schema):
    level = ma.fields.String(required=True, validate=codes(InvolvementLevel))
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=2000),
        metadata={"description": "Why the agency sees the case at this level"},
    )


class ConcernCreateSchema(ma.Schema):
    received_at = Moment(required=True)
    person_id = id_field(
        load_default=None,
        allow_none=True,
        metadata={"description": "An existing person (safeguarding team only)"},
    )
    person = ma.fields.Nested(
        PersonSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "A new person, when there is no person_id"},
    )
    is_child = ma.fields.Boolean(load_default=False)
    types_of_risk = ma.fields.List(
        ma.fields.String(validate=codes(TypeOfRisk)),
        required=True,
        validate=ma.validate.Length(min=1, max=11),
    )
    location = ma.fields.String(required=True, validate=codes(LocationOfRisk))
    establishment_id = id_field(load_default=None, allow_none=True)
    source_of_risk = ma.fields.String(required=True, validate=codes(SourceOfRisk))
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20000))
    urgent = ma.fields.Boolean(load_default=False)
    crime_suspected = ma.fields.Boolean(load_default=False)
    hate_crime = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=codes(HateCrime),
        metadata={"description": "hate or mate, when it is a hate or mate crime"},
    )
    hate_strands = ma.fields.List(
        ma.fields.String(validate=codes(HateStrand)),
        load_default=list,
        metadata={"description": "The monitored strands of the hostility (with hate_crime)"},
    )
    locality_id = id_field(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The area the case is in (GET /api/v1/areas): the safeguarding team "
            "gives it where the council keeps areas; optional for a partner's referral"
        },
    )
    route = ma.fields.String(load_default="api", validate=codes(Route))
    referrer_agency_id = id_field(load_default=None, allow_none=True)
    referrer_name = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    referrer_role = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    referrer_contact = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=500),
        metadata={"description": "How to reach the referrer: phone, email or postal address"},
    )
    person_views = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=20000)
    )
    consent_given = ma.fields.Boolean(load_default=None, allow_none=True)
    lacked_capacity = ma.fields.String(
        load_default=None, allow_none=True, validate=codes(LackedCapacity)
    )
    msp_asked = ma.fields.String(load_default=None, allow_none=True, validate=codes(MspAsked))
    desired_outcomes = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=20000)
    )
    level_of_need = level_of_need_field()
    referral_source = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=codes(ReferralSource),
        metadata={"description": "Children only, and required for them: the CIN census code"},
    )
    threshold_reasoning = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=20000)
    )
    responsible_authority = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=200),
        metadata={"description": "Another council that placed the person or is responsible"},
    )


class ConcernSchema(ma.Schema):
    @ma.pre_dump
    def annotated(self, concern: Concern, **_: Any) -> Concern:
        """What the reader sees beyond the row (visible repeats, active involvement),
        unless a list has attached it for all its rows at once."""
        if not hasattr(concern, "repeat_of"):
            annotate([concern], current_user)
        return concern

    id = ma.fields.Integer()
    reference = ma.fields.String()
    received_at = Moment()
    route = ma.fields.Function(lambda c: c.route.value)
    person = ma.fields.Nested(PersonSummarySchema)
    is_child = ma.fields.Boolean()
    types_of_risk = ma.fields.Function(lambda c: [t.value for t in c.types_of_risk])
    location = ma.fields.Function(lambda c: c.location.value)
    establishment_id = ma.fields.Integer(allow_none=True)
    source_of_risk = ma.fields.Function(lambda c: c.source_of_risk.value)
    description = ma.fields.String()
    urgent = ma.fields.Boolean()
    crime_suspected = ma.fields.Boolean()
    hate_crime = ma.fields.Function(lambda c: c.hate_crime.value if c.hate_crime else None)
    hate_strands = ma.fields.Function(lambda c: [s.value for s in c.hate_strand_codes])
    team_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "The team holding the case; null: not recorded"}
    )
    team = ma.fields.Function(lambda c: c.team.name if c.team else None, allow_none=True)
    locality_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "The area the case is in; null: not recorded"}
    )
    area = ma.fields.Function(lambda c: c.locality.name if c.locality else None, allow_none=True)
    referrer_agency_id = ma.fields.Integer(allow_none=True)
    out_of_hours = ma.fields.Boolean()
    status = ma.fields.Function(lambda c: c.status.value)
    risk_outcome = ma.fields.Function(lambda c: c.risk_outcome.value if c.risk_outcome else None)
    risk_after_action = ma.fields.Function(
        lambda c: c.risk_after_action.value if c.risk_after_action else None,
        metadata={"description": "Where a risk was identified or inconclusive and action taken"},
    )
    closed_at = Moment(allow_none=True)
    screening_due = Day()
    decision = ma.fields.Function(
        lambda c: c.decision.value if c.decision else None, allow_none=True
    )
    decision_reason = ma.fields.String(allow_none=True)
    decided_at = Moment(allow_none=True)
    decided_by_id = ma.fields.Integer(allow_none=True)
    sign_off = ma.fields.Function(
        lambda c: c.sign_off.value if c.sign_off else None,
        allow_none=True,
        metadata={
            "description": "pending or signed_off where the decision needs a manager's "
            "sign-off; null when it needs none or there is no decision"
        },
    )
    signed_off_by_id = ma.fields.Integer(allow_none=True)
    signed_off_at = Moment(allow_none=True)
    level_of_need = ma.fields.Integer(allow_none=True)
    referral_source = ma.fields.Function(
        lambda c: c.referral_source.value if c.referral_source else None, allow_none=True
    )
    closure_reason = ma.fields.Function(
        lambda c: c.closure_reason.value if c.closure_reason else None, allow_none=True
    )
    primary_need = ma.fields.Function(
        lambda c: c.primary_need.value if c.primary_need else None, allow_none=True
    )
    family_outcome = ma.fields.Function(
        lambda c: c.family_outcome.value if c.family_outcome else None,
        allow_none=True,
        metadata={"description": "A child's case: the outcome for the child and family at closure"},
    )
    responsible_authority = ma.fields.String(allow_none=True)
    legal_hold = ma.fields.Function(lambda c: c.legal_hold_reason is not None)
    repeat_of = ma.fields.List(
        ma.fields.String(),
        metadata={
            "description": "References of earlier concerns about the person in the past 12 months "
            "that you can see"
        },
    )
    involvements = ma.fields.List(ma.fields.Nested(InvolvementSchema))

    @ma.post_dump(pass_original=True)
    def need_to_know(self, data: dict[str, Any], concern: Concern, **_: Any) -> dict[str, Any]:
        """What the reader's involvement level does not show is empty (null, or no
        items), as on the case page."""
        shown = case_sections(current_user, concern)
        for section, fields in WITHHELD_BY_SECTION.items():
            if section not in shown:
                for name in fields:
                    data[name] = [] if isinstance(data.get(name), list) else None
        return data


# The concern's fields by the section of the case they belong to (core/policy/cases.py).
WITHHELD_BY_SECTION = {
    "summary": (
        *("route", "types_of_risk", "location", "establishment_id", "source_of_risk"),
        *("description", "urgent", "crime_suspected", "referrer_agency_id", "out_of_hours"),
        *("hate_crime", "hate_strands", "team_id", "team", "locality_id", "area"),
        *("level_of_need", "referral_source"),
    ),
    "decision": (
        *("decision", "decision_reason", "decided_at", "decided_by_id", "sign_off"),
        *("signed_off_by_id", "signed_off_at", "risk_outcome", "risk_after_action"),
        *("closed_at", "closure_reason", "primary_need", "responsible_authority"),
        "family_outcome",
    ),
    "clocks": ("screening_due",),
    "history": ("repeat_of",),
    "involvements": ("involvements",),
}


class DecisionSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=codes(Decision))
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20000))


SORT_KEYS = ("received", "reference", "decision_due", "status")


class DayField(ma.fields.Date):
    """A day in a query: 2026-11-20, or 20/11/2026 as people type it on the list page."""

    default_error_messages = {"invalid": "Enter a real date, like 2026-11-20 or 20/11/2026"}

    def _deserialize(self, value: object, attr: str | None, data: object, **kwargs: object) -> Any:
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str):
            match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
            if match:
                day, month, year = (int(part) for part in match.groups())
                try:
                    return date(year, month, day)
                except ValueError as error:
                    raise self.make_error("invalid") from error
        return super()._deserialize(text, attr, data, **kwargs)


def _choice(values: Iterable[str], message: str, **kwargs: Any) -> ma.fields.String:
    return ma.fields.String(validate=ma.validate.OneOf(list(values), error=message), **kwargs)


class ConcernFilterArgs(ma.Schema):
    """The filters and sort order of the concerns list: the page, its CSV export and
    ``GET /api/v1/concerns/`` take the same query parameters."""

    status = _choice(("open", "closed"), "Choose open or closed")
    decision = _choice(
        (d.value for d in Decision),
        "Choose a screening decision from the list",
        metadata={"description": "Screening decision code"},
    )
    undecided = ma.fields.Boolean(metadata={"description": "Only concerns awaiting screening"})
    overdue = ma.fields.Boolean(
        metadata={
            "description": "Only concerns whose screening decision is late: not made, or "
            "made and still awaiting a manager's sign-off, after the day it was due"
        }
    )
    due_today = ma.fields.Boolean(
        metadata={
            "description": "Only concerns whose screening decision is due today and not "
            "yet made (or awaiting a manager's sign-off)"
        }
    )
    out_of_hours = ma.fields.Boolean(
        metadata={"description": "true: out of hours; false: in hours"}
    )
    sign_off = _choice(
        (s.value for s in SignOff),
        "Choose pending or signed_off",
        metadata={
            "description": "pending: decisions awaiting a manager's sign-off; signed_off: "
            "decisions a manager signed off (or made, where sign-off is asked for)"
        },
    )
    type_of_risk = _choice((t.value for t in TypeOfRisk), "Choose a type of risk from the list")
    establishment_id = query_id_field("Choose an establishment from the list")
    team_id = query_id_field(
        "Choose a team from the list", metadata={"description": "Held by this team"}
    )
    locality_id = query_id_field(
        "Choose an area from the list", metadata={"description": "In this area"}
    )
    agency_id = query_id_field(
        "Choose an agency from the list",
        metadata={"description": "An agency involved in the concern (see agency_as)"},
    )
    agency_as = _choice(
        ("involved", "referrer"),
        "Choose whether the agency referred the concern or is involved in it",
        load_default="involved",
        metadata={
            "description": "involved (default): the agency is currently involved, for any reason "
            "including referring it; referrer: the agency referred the concern"
        },
    )
    received_from = DayField(metadata={"description": "Received on or after this day"})
    received_to = DayField(metadata={"description": "Received on or before this day"})
    sort = _choice(
        SORT_KEYS,
        "Sort by received, reference, decision_due or status",
        load_default="received",
    )
    order = _choice(
        ("asc", "desc"),
        "Choose ascending (asc) or descending (desc) order",
        metadata={"description": "Default: desc when sorting by received, asc otherwise"},
    )

    @ma.validates_schema
    def _dates_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            raise ma.ValidationError(
                "The 'received to' date must be the same as or after the 'received from' date",
                "received_to",
            )

    @ma.post_load
    def _default_order(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data.setdefault("order", "desc" if data["sort"] == "received" else "asc")
        return data


class SignOffSchema(ma.Schema):
    outcome = ma.fields.String(
        required=True,
        validate=codes(SignOffOutcome),
        metadata={"description": "signed_off, or sent_back to be decided again"},
    )
    reason = ma.fields.String(
        load_default="",
        validate=ma.validate.Length(max=20000),
        metadata={"description": "Why it is sent back (required then); a comment otherwise"},
    )


class ConcernListArgs(PageArgs, ConcernFilterArgs):
    pass


ConcernPageSchema = page_schema(ConcernSchema)


class RemovalArgs(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=2000),
        metadata={"description": "Why the agency is no longer involved"},
    )


class ClosureSchema(ma.Schema):
    risk_outcome = ma.fields.String(load_default=None, allow_none=True, validate=codes(RiskOutcome))
    risk_after_action = ma.fields.String(
        load_default=None, allow_none=True, validate=codes(RiskAfterAction)
    )
    msp_achieved = ma.fields.String(load_default=None, allow_none=True, validate=codes(MspAchieved))
    closure_reason = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=codes(ClosureReason),
        metadata={"description": "Children only, and required for them: RC1 to RC9"},
    )
    primary_need = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=codes(PrimaryNeed),
        metadata={
            "description": "Children only: N0 to N9, required unless the referral went no further"
        },
    )
    family_outcome = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=codes(FamilyOutcome),
        metadata={
            "description": "Children only, and required for them: the outcome for the child and "
            "family (maintained_at_home, looked_after, stepped_down, stepped_up, "
            "referred_elsewhere, refused, transferred_out, other)"
        },
    )
    feedback_person_on = Day(load_default=None, allow_none=True)
    feedback_person_method = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=100)
    )
    feedback_referrer_on = Day(load_default=None, allow_none=True)
    feedback_referrer_method = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=100)
    )
    override_reason = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=2000),
        metadata={
            "description": "An adult's case with a plan or actions still open closes only "
            "with a safeguarding manager's reason"
        },
    )


class AssessmentSchema(ma.Schema):
    id = ma.fields.Integer()
    concern_id = ma.fields.Integer()
    started_on = Day()
    due_on = Day(metadata={"description": "45 working days after the referral"})
    authorised_on = Day(allow_none=True)
    factors = ma.fields.Function(lambda a: [f.value for f in a.factors])
    summary = ma.fields.String(allow_none=True)


class StartAssessmentSchema(ma.Schema):
    started_on = Day(required=True)


class ConcludeAssessmentSchema(ma.Schema):
    authorised_on = Day(required=True)
    factors = ma.fields.List(
        ma.fields.String(validate=codes(AssessmentFactor)),
        required=True,
        metadata={"description": "CIN census codes; 21 (no factors identified) stands alone"},
    )
    primary_need = ma.fields.String(
        required=True,
        validate=codes(PrimaryNeed),
        metadata={"description": "The child's primary need (CIN census N0 to N9)"},
    )
    summary = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=20000)
    )


class ReopenSchema(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20000))


class ClusterSchema(ma.Schema):
    establishment_id = ma.fields.Integer()
    establishment_name = ma.fields.String()
    kind = ma.fields.String()
    concerns = ma.fields.Integer(metadata={"description": "Concerns in the window"})
    latest_received_at = Moment()
    window_days = ma.fields.Integer()


class NoteSchema(ma.Schema):
    """A case note. A restricted note you may not read shows only that it exists, its
    date and its author's agency (``readable`` false, everything else null)."""

    id = ma.fields.Integer(dump_only=True)
    text = ma.fields.String(
        required=True, allow_none=True, validate=ma.validate.Length(min=1, max=20000)
    )
    key_decision = ma.fields.Boolean(load_default=False, allow_none=True)
    restriction = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=codes(Restriction),
        metadata={"description": "third_party, police_sensitive or health: for the agencies named"},
    )
    reader_agency_ids = ma.fields.List(
        id_field(),
        load_default=list,
        metadata={
            "description": "The agencies that read a restricted note, beside the "
            "safeguarding team and the author's agency"
        },
    )
    author_name = ma.fields.String(dump_only=True, allow_none=True)
    author_agency_name = ma.fields.String(dump_only=True, allow_none=True)
    written_at = Moment(dump_only=True)
    readable = ma.fields.Boolean(dump_only=True)

    @ma.pre_dump
    def as_read(self, note: CaseNote, **_: Any) -> dict[str, Any]:
        agency = note.author_agency.name if note.author_agency else None
        if not may_read_note(current_user, note):
            return {"id": note.id, "written_at": note.written_at, "author_agency_name": agency}
        return {
            "id": note.id,
            "text": note.text,
            "key_decision": note.key_decision,
            "restriction": note.restriction.value if note.restriction else None,
            "reader_agency_ids": [a.id for a in note.readers],
            "author_name": note.author.name,
            "author_agency_name": agency,
            "written_at": note.written_at,
            "readable": True,
        }

    @ma.post_dump
    def nulls(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """An unreadable note's fields are null, not missing."""
        for name in ("text", "key_decision", "restriction", "author_name"):
            data.setdefault(name, None)
        data.setdefault("reader_agency_ids", [])
        data.setdefault("readable", False)
        return data


class TimelineEntrySchema(ma.Schema):
    occurred_at = Moment()
    kind = ma.fields.String(metadata={"description": "e.g. concern.recorded, decision.made"})
    summary = ma.fields.String()
    by = ma.fields.String(allow_none=True, metadata={"description": "Who made the entry"})


class HandoverSchema(ma.Schema):
    id = ma.fields.Integer()
    accepted_at = Moment()
    accepted_by = ma.fields.Function(lambda handover: handover.accepted_by.name)
    covers_from = Moment(allow_none=True)
    concern_count = ma.fields.Integer()


class PendingHandoverSchema(ma.Schema):
    previous = ma.fields.Nested(HandoverSchema, allow_none=True)
    concerns = ma.fields.List(
        ma.fields.Nested(lambda: ConcernSchema()),
        metadata={"description": "Out-of-hours concerns received since the last handover"},
    )


class LegalHoldSchema(ma.Schema):
    reason = ma.fields.String(
        required=True,
        allow_none=True,
        validate=ma.validate.Length(max=20000),
        metadata={"description": "Why the record must be kept; null lifts the hold"},
    )


def _code(value: Any) -> Any:
    return value.value if value is not None else None


class EnquirySchema(ma.Schema):
    """A section 42 or other enquiry: what the Safeguarding Adults Collection counts."""

    id = ma.fields.Integer()
    concern_id = ma.fields.Integer()
    kind = ma.fields.Function(
        lambda e: e.kind.value, metadata={"description": "section_42_enquiry or other_enquiry"}
    )
    started_on = Day()
    concluded_on = Day(allow_none=True, metadata={"description": "null while it is open"})
    locations = ma.fields.Function(lambda e: [place.value for place in e.locations])
    sources = ma.fields.Function(lambda e: [source.value for source in e.sources])
    msp_asked = ma.fields.Function(lambda e: e.msp_asked.value)
    outcomes_expressed = ma.fields.String(allow_none=True)
    msp_achieved = ma.fields.Function(lambda e: _code(e.msp_achieved), allow_none=True)
    lacked_capacity = ma.fields.Function(lambda e: e.lacked_capacity.value)
    advocacy = ma.fields.Function(lambda e: _code(e.advocacy), allow_none=True)
    risk_outcome = ma.fields.Function(lambda e: _code(e.risk_outcome), allow_none=True)
    risk_after_action = ma.fields.Function(lambda e: _code(e.risk_after_action), allow_none=True)


class EnquiryUpdateSchema(ma.Schema):
    """The fields to change; those left out keep their values. Answers outside the SAC's
    rules are refused (422 naming the field): ``msp_achieved`` only where ``msp_asked`` is
    asked_expressed, ``advocacy`` only where ``lacked_capacity`` is yes,
    ``risk_after_action`` only where ``risk_outcome`` is identified_action or
    inconclusive_action. Giving ``concluded_on`` concludes the enquiry, which then needs
    the outcome and the answers those rules ask for."""

    started_on = Day()
    concluded_on = Day(allow_none=True)
    locations = ma.fields.List(
        ma.fields.String(validate=codes(LocationOfRisk)),
        validate=ma.validate.Length(min=1, max=len(LocationOfRisk)),
        metadata={"description": "Every location of risk found; each is counted in SG2b/SG2d"},
    )
    sources = ma.fields.List(
        ma.fields.String(validate=codes(SourceOfRisk)),
        validate=ma.validate.Length(min=1, max=len(SourceOfRisk)),
        metadata={"description": "Every type of source of risk found"},
    )
    msp_asked = ma.fields.String(validate=codes(MspAsked))
    outcomes_expressed = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20000))
    msp_achieved = ma.fields.String(allow_none=True, validate=codes(MspAchieved))
    lacked_capacity = ma.fields.String(validate=codes(LackedCapacity))
    advocacy = ma.fields.String(
        allow_none=True,
        validate=codes(LackedCapacity),
        metadata={"description": "Supported by an advocate, family or friend"},
    )
    risk_outcome = ma.fields.String(allow_none=True, validate=codes(RiskOutcome))
    risk_after_action = ma.fields.String(allow_none=True, validate=codes(RiskAfterAction))


class HateCrimeSchema(ma.Schema):
    """Whether the concern is a hate or mate crime, and towards which characteristics."""

    hate_crime = ma.fields.String(
        required=True,
        allow_none=True,
        validate=codes(HateCrime),
        metadata={"description": "hate, mate or null"},
    )
    hate_strands = ma.fields.List(ma.fields.String(validate=codes(HateStrand)), load_default=list)


class LevelOfNeedSchema(ma.Schema):
    level = ma.fields.Integer()
    name = ma.fields.String()
    description = ma.fields.String()
    label = ma.fields.String(metadata={"description": "The level and its name, as pages show it"})


class LevelOfNeedUpdateSchema(ma.Schema):
    level_of_need = level_of_need_field()
    threshold_reasoning = ma.fields.String(
        required=True,
        validate=ma.validate.Length(max=20000),
        metadata={"description": "Why the child's needs are at this level"},
    )


class CaseTeamSchema(ma.Schema):
    """Who holds the case and the area it is in (null: not recorded)."""

    team_id = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "GET /api/v1/teams"}
    )
    locality_id = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "GET /api/v1/areas"}
    )
