"""What the service holds about one person, for their subject access request (UK GDPR
Article 15), with other people's information withheld and listed as withheld.

The export is one JSON document (the PDF is printed from it). It holds the person's
record, their concerns (what happened, the decisions and outcomes), the decisions and
actions of the meetings about them, their plans with actions and reviews, the case notes,
the agency forms about their cases, body maps, hospital discharges notified about them
and the timeline.

What is withheld (Article 15(4): the right "shall not adversely affect the rights and
freedoms of others"; Data Protection Act 2018, Schedule 2, paragraphs 16 and 17, third
parties' information), each listed by kind, where and why, never its content:

- people who referred as private individuals: their names, roles and how to reach them;
- staff of partner agencies: their names (their agency is given). The council's own
  staff (agency types ``local_authority`` and ``childrens_social_care``) are named, as
  they acted in their official role;
- other people the records name: attendees who were not there for an agency, the
  person's advocate, a body map's witness who is not council staff, action owners of
  partner agencies and answers of agency forms that name someone (``NAME_ANSWERS``);
- those names where they appear in free text, replaced by ``[withheld: third party]``
  (full names, and family names other than the person's own); a name written some other
  way is not found, so the manager reads the export before sending it;
- restricted entries: case notes and agency forms restricted to named agencies, the
  confidential minutes of meetings and timeline entries of restricted forms;
- records of other persons: the minutes of a meeting about other people too, and the
  other people's concerns it discussed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from core.agency_forms.models import FormSubmission
from core.agency_forms.operations import definitions
from core.auth.models import Agency, User
from core.clocks import to_local
from core.concerns.models import BodyMapMark, CaseEvent, CaseNote, Concern
from core.discharges.models import HospitalDischarge
from core.extensions import db
from core.meetings.models import Meeting, meeting_concerns
from core.meetings.types import type_label
from core.people.models import Person
from core.plans.models import Plan

# the council's own agencies: their staff are named in the export
COUNCIL_AGENCY_TYPES = frozenset({"local_authority", "childrens_social_care"})
WITHHELD = "[withheld: third party]"
# agency form answers that name or reach someone (a police officer in charge, a contact)
NAME_ANSWERS = re.compile(r"name|officer|contact|staff|email|phone|witness|carer", re.I)

THIRD_PARTY = "Information about another person (UK GDPR Article 15(4); DPA 2018 Sch. 2 para. 16)"
RESTRICTED = "Restricted to named agencies: third-party or sensitive information"
OTHER_PERSON = "Records of another person"


def _day(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return to_local(value).isoformat(timespec="minutes")
    return value.isoformat()


def _label(value: Any) -> str | None:
    return getattr(value, "label", None) or (str(value) if value is not None else None)


class _Builder:
    """Collects the person's records and what is withheld from them."""

    def __init__(self, person: Person) -> None:
        self.person = person
        self.withheld: list[dict[str, str]] = []
        self.names: set[str] = set()
        self.council_staff: set[str] = {
            name
            for name in db.session.scalars(
                sa.select(User.name)
                .join(Agency, Agency.id == User.agency_id)
                .where(Agency.type.in_(COUNCIL_AGENCY_TYPES))
            )
        }

    # -- what is withheld ------------------------------------------------------------

    def withhold(self, kind: str, where: str, reason: str = THIRD_PARTY) -> None:
        item = {"kind": kind, "where": where, "reason": reason}
        if item not in self.withheld:
            self.withheld.append(item)

    def third_party(self, name: str | None) -> None:
        """A name to withhold wherever the text says it."""
        if name and len(name.strip()) >= 3 and name.strip() != self.person.full_name:
            self.names.add(name.strip())

    def redacted(self, text: str | None, where: str) -> str | None:
        """``text`` with every third party's name withheld (noted once per place)."""
        if not text:
            return text
        own_family = self.person.family_name.casefold()
        words: set[str] = set()
        for name in self.names:
            words.add(name)
            family = name.split()[-1]
            if len(family) >= 3 and family.casefold() != own_family:
                words.add(family)
        if not words:
            return text
        pattern = re.compile(
            r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b",
            re.IGNORECASE,
        )
        result, count = pattern.subn(WITHHELD, text)
        if count:
            self.withhold("Names of other people in the text", where)
        return result

    def staff(self, user: User | None, where: str) -> str | None:
        """A member of staff as the export names them: the council's by name, a partner
        agency's by their agency."""
        if user is None:
            return None
        if user.agency is not None and user.agency.type in COUNCIL_AGENCY_TYPES:
            return f"{user.name}, {user.agency.name}"
        self.third_party(user.name)
        self.withhold("Name of a member of staff of a partner agency", where)
        return f"A practitioner of {user.agency.name}" if user.agency else "A practitioner"

    # -- the records -------------------------------------------------------------------

    def person_record(self) -> dict[str, Any]:
        p = self.person
        if p.advocate:
            self.withhold("The advocate's name and contact details", "Your record")
            self.third_party(p.advocate.splitlines()[0].split(",")[0])
        return {
            "id": p.id,
            "given_name": p.given_name,
            "family_name": p.family_name,
            "date_of_birth": _day(p.date_of_birth),
            "estimated_age": p.estimated_age,
            "nhs_number": p.nhs_number,
            "sex": _label(p.sex),
            "ethnicity": _label(p.ethnicity),
            "address": p.address,
            "postcode": p.postcode,
            "communication_needs": p.communication_needs,
            "advocate": WITHHELD if p.advocate else None,
            "recorded_on": _day(p.created_at),
        }

    def referrer(self, concern: Concern) -> dict[str, Any]:
        where = f"Concern {concern.reference}"
        agency = concern.referrer_agency
        if agency is None:
            if concern.referrer_name or concern.referrer_role or concern.referrer_contact:
                self.third_party(concern.referrer_name)
                self.withhold("Name and details of a person who referred", where)
                return {"who": "A private individual: their details are withheld"}
            return {"who": "Not recorded, or you made contact yourself"}
        if agency.type in COUNCIL_AGENCY_TYPES:
            return {
                "who": concern.referrer_name,
                "role": concern.referrer_role,
                "agency": agency.name,
            }
        if concern.referrer_name:
            self.third_party(concern.referrer_name)
            self.withhold("Name of the member of staff of a partner agency who referred", where)
        return {
            "who": f"A practitioner of {agency.name}",
            "role": concern.referrer_role,
            "agency": agency.name,
        }

    def concern(self, concern: Concern) -> dict[str, Any]:
        where = f"Concern {concern.reference}"
        referrer = self.referrer(concern)
        enquiry = concern.enquiry
        return {
            "reference": concern.reference,
            "received_at": _day(concern.received_at),
            "how_received": _label(concern.route),
            "referred_by": referrer,
            "types_of_risk": concern.risk_labels,
            "location": _label(concern.location),
            "establishment": concern.establishment.name if concern.establishment else None,
            "what_happened": self.redacted(concern.description, where),
            "your_views": self.redacted(concern.person_views, where),
            "outcomes_you_wanted": self.redacted(concern.desired_outcomes, where),
            "status": concern.status.value,
            "decision": _label(concern.decision),
            "decision_reason": self.redacted(concern.decision_reason, where),
            "decided_at": _day(concern.decided_at),
            "decided_by": self.staff(concern.decided_by, where),
            "enquiry": None
            if enquiry is None
            else {"kind": _label(enquiry.kind), "started_on": _day(enquiry.started_on)},
            "risk_outcome": _label(concern.risk_outcome),
            "risk_after_action": _label(concern.risk_after_action),
            "outcomes_achieved": _label(concern.msp_achieved),
            "closed_at": _day(concern.closed_at),
            "deleted": concern.deleted_at is not None,
        }

    def meeting(self, meeting: Meeting, own: set[int]) -> dict[str, Any]:
        where = f"Meeting of {to_local(meeting.starts_at):%-d %B %Y}"
        others = [c for c in meeting.concerns if c.id not in own]
        for other in others:
            self.third_party(other.person.full_name)
            self.withhold(
                "A concern about another person discussed at the meeting", where, OTHER_PERSON
            )
        for attendee in meeting.attendees:
            self.third_party(attendee.name)
            self.withhold("Name of someone at the meeting not there for an agency", where)
        if meeting.confidential_minutes:
            self.withhold("The confidential part of the minutes", where, RESTRICTED)
        if others and meeting.minutes:
            self.withhold("The minutes (they are about other people too)", where, OTHER_PERSON)
        return {
            "type": type_label(meeting.type),
            "starts_at": _day(meeting.starts_at),
            "held_at": _day(meeting.held_at),
            "status": meeting.status.value,
            "minutes": None if others else self.redacted(meeting.minutes, where),
            "decisions": [
                {
                    "decision": _label(d.kind),
                    "plan_category": _label(d.plan_category),
                    "note": self.redacted(d.note, where),
                }
                for d in meeting.decisions
            ],
            "actions": [
                {
                    "action": self.redacted(a.description, where),
                    "agency": a.owner_agency.name,
                    "due_on": _day(a.due_on),
                    "status": _label(a.status),
                }
                for a in meeting.actions
            ],
        }

    def plan(self, plan: Plan) -> dict[str, Any]:
        where = f"Plan started {plan.started_on:%-d %B %Y}"
        actions = []
        for action in plan.actions:
            council = action.owner_agency.type in COUNCIL_AGENCY_TYPES
            if action.owner_name and not council:
                self.third_party(action.owner_name)
                self.withhold(
                    "Name of the member of staff of a partner agency an action is for", where
                )
            actions.append(
                {
                    "action": self.redacted(action.description, where),
                    "agency": action.owner_agency.name,
                    "who": action.owner_name if council else None,
                    "due_on": _day(action.due_on),
                    "status": _label(action.status),
                }
            )
        return {
            "kind": _label(plan.kind),
            "category": _label(plan.category),
            "started_on": _day(plan.started_on),
            "status": _label(plan.status),
            "next_review_due": _day(plan.next_review_due),
            "ended_on": _day(plan.ended_on),
            "end_reason": self.redacted(plan.end_reason, where),
            "actions": actions,
            "reviews": [
                {
                    "reviewed_on": _day(r.reviewed_on),
                    "decision": _label(r.decision),
                    "notes": self.redacted(r.notes, where),
                }
                for r in plan.reviews
            ],
        }

    def note(self, note: CaseNote, reference: str) -> dict[str, Any] | None:
        where = f"Case note of {to_local(note.written_at):%-d %B %Y}, concern {reference}"
        if note.restriction is not None:
            self.withhold("A case note", where, f"{RESTRICTED} ({note.restriction.label})")
            return None
        return {
            "concern": reference,
            "written_at": _day(note.written_at),
            "by": self.staff(note.author, where),
            "key_decision": note.key_decision,
            "text": self.redacted(note.text, where),
        }

    def form(self, submission: FormSubmission, reference: str) -> dict[str, Any] | None:
        definition = definitions().get(submission.form_name)
        title = definition.title if definition else submission.form_name
        where = f"{title} of {to_local(submission.created_at):%-d %B %Y}, concern {reference}"
        if submission.restriction is not None:
            self.withhold("An agency form", where, f"{RESTRICTED} ({submission.restriction.label})")
            return None
        fields = definition.schema._declared_fields if definition else {}
        answers: dict[str, Any] = {}
        for key, value in submission.data.items():
            label = fields[key].metadata.get("label", key) if key in fields else key
            if NAME_ANSWERS.search(key) and value:
                self.third_party(str(value))
                self.withhold(f"The answer to '{label}' (it names someone)", where)
                answers[label] = WITHHELD
            else:
                answers[label] = self.redacted(value, where) if isinstance(value, str) else value
        return {
            "concern": reference,
            "form": title,
            "agency": submission.agency.name,
            "written_at": _day(submission.created_at),
            "answers": answers,
        }

    def body_map(self, mark: BodyMapMark, reference: str) -> dict[str, Any]:
        where = f"Body map of {mark.seen_on:%-d %B %Y}, concern {reference}"
        seen_by = mark.seen_by if mark.seen_by in self.council_staff else None
        if seen_by is None:
            self.third_party(mark.seen_by)
            self.withhold("Name of who saw the injury", where)
        return {
            "concern": reference,
            "side": mark.side,
            "site": mark.site,
            "size": mark.size,
            "colour": mark.colour,
            "description": self.redacted(mark.description, where),
            "seen_on": _day(mark.seen_on),
            "seen_by": seen_by or WITHHELD,
        }

    def discharge(self, discharge: HospitalDischarge) -> dict[str, Any]:
        where = f"Hospital discharge of {to_local(discharge.discharged_at):%-d %B %Y}"
        followed_up_by = discharge.followed_up_by
        if followed_up_by and followed_up_by.split(",")[0].strip() not in self.council_staff:
            self.third_party(followed_up_by.split(",")[0])
            self.withhold("Name of who followed the discharge up", where)
            followed_up_by = WITHHELD
        return {
            "discharged_at": _day(discharge.discharged_at),
            "notified_by": self.staff(db.session.get(User, discharge.notified_by_id), where),
            "discharged_from": discharge.discharged_from,
            "discharged_to": discharge.discharged_to,
            "care_in_place": discharge.care_in_place,
            "notes": self.redacted(discharge.notes, where),
            "followed_up_by": followed_up_by,
            "followed_up_at": _day(discharge.followed_up_at),
            "follow_up_action": self.redacted(discharge.follow_up_action, where),
        }

    def event(
        self, event: CaseEvent, reference: str, restricted: set[int]
    ) -> dict[str, Any] | None:
        where = f"Timeline of concern {reference}"
        if event.submission_id in restricted:
            self.withhold("A timeline entry about a restricted agency form", where, RESTRICTED)
            return None
        user = db.session.get(User, event.user_id) if event.user_id else None
        return {
            "concern": reference,
            "at": _day(event.occurred_at),
            "by": self.staff(user, where),
            "entry": self.redacted(event.summary, where),
        }


def _all(query: sa.Select[Any]) -> list[Any]:
    return list(db.session.scalars(query))


def _in(column: Any, ids: Iterable[int]) -> Any:
    return column.in_(list(ids))


def build_export(
    person: Person, produced_at: datetime, request_id: int, council_id: int
) -> dict[str, Any]:
    """Everything the council ``council_id`` holds about ``person`` across their cases, as
    one JSON document: a council answers for its own records (each council of a hosted
    instance is its own controller), never another council's cases of the same person."""
    builder = _Builder(person)
    concerns = _all(
        sa.select(Concern)
        .where(Concern.person_id == person.id, Concern.council_id == council_id)
        .order_by(Concern.received_at)
    )
    references = {c.id: c.reference for c in concerns}
    ids = set(references)
    meetings = _all(
        sa.select(Meeting)
        .where(
            Meeting.id.in_(
                sa.select(meeting_concerns.c.meeting_id).where(
                    _in(meeting_concerns.c.concern_id, ids)
                )
            )
        )
        .order_by(Meeting.starts_at)
    )
    plans = _all(
        sa.select(Plan)
        .where(Plan.person_id == person.id, _in(Plan.concern_id, ids))
        .order_by(Plan.started_on)
    )
    notes = _all(
        sa.select(CaseNote).where(_in(CaseNote.concern_id, ids)).order_by(CaseNote.written_at)
    )
    forms = _all(
        sa.select(FormSubmission)
        .where(_in(FormSubmission.concern_id, ids))
        .order_by(FormSubmission.created_at)
    )
    marks = _all(
        sa.select(BodyMapMark).where(_in(BodyMapMark.concern_id, ids)).order_by(BodyMapMark.id)
    )
    events = _all(
        sa.select(CaseEvent)
        .where(_in(CaseEvent.concern_id, ids))
        .order_by(CaseEvent.occurred_at, CaseEvent.id)
    )
    discharges = _all(
        sa.select(HospitalDischarge)
        .where(HospitalDischarge.person_id == person.id, HospitalDischarge.council_id == council_id)
        .order_by(HospitalDischarge.discharged_at)
    )
    restricted = {f.id for f in forms if f.restriction is not None}

    def sections() -> dict[str, list[Any]]:
        return {
            "concerns": [builder.concern(c) for c in concerns],
            "meetings": [builder.meeting(m, ids) for m in meetings],
            "plans": [builder.plan(p) for p in plans],
            "case_notes": [builder.note(n, references[n.concern_id]) for n in notes],
            "agency_forms": [builder.form(f, references[f.concern_id]) for f in forms],
            "body_maps": [builder.body_map(m, references[m.concern_id]) for m in marks],
            "hospital_discharges": [builder.discharge(d) for d in discharges],
            "timeline": [builder.event(e, references[e.concern_id], restricted) for e in events],
        }

    person_record = builder.person_record()
    sections()  # the first pass finds every name to withhold (an event's author comes last)
    found = sections()  # the second withholds all of them from every text
    return {
        "request": request_id,
        "produced_at": _day(produced_at),
        "person": person_record,
        **{name: [row for row in rows if row is not None] for name, rows in found.items()},
        "withheld": builder.withheld,
    }
