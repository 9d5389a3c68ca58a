"""A working day in the demo county: the adults' side and the work in hand.

The children's caseload (``core.demo.caseload``) is eighteen months of history. This adds
what a team finds on the morning it opens the product, dated from the day it is loaded so
that every clock means something:

- adults' concerns in each state of screening: received just now, due today, overdue, and
  two received out of hours last night, waiting for the morning handover;
- two hospital discharges the trust notified about people with no open concern, both
  out of hours: one last night waiting for follow-up, one earlier followed up by the
  Emergency Duty Team;
- tasks between teams: the out-of-hours team's follow-up for the day team from last
  night's handover, and a late-night check the day team asked of the out-of-hours team
  that nobody marked done (overdue, on the work list);
- a care home with three concerns in three weeks (a cluster), its organisational strategy
  meeting called, and the provider's alerts to the team (one late and incomplete); the
  night care assistant alleged to have caused a resident's fractured wrist is employed in a
  position of trust: a PiPoT referral is open (she was suspended), on the team's report;
- a section 42 enquiry with a strategy discussion tomorrow (a crime suspected: the police
  are invited and have opened an investigation), another enquiry, and a signposted one;
- two contacts screened out two weeks and more ago, chosen for a contact follow-up: one
  due today, one called last week (the signposting worked);
- an adult protection conference held last week that decided a protection plan, with
  actions for the police and the hospital trust and the trust's discharge notification;
  its chronology for a review: the trust's referral, the team's decision, meetings and
  plan, the police investigation and its charge, and entries written by hand (a key
  event from the team, a missed visit from the trust, police intelligence restricted to
  the police and the team);
- a child protection plan whose first review is overdue;
- the held meetings of the children's caseload with the agencies invited and what each
  did, two attendance audits (the last two half years) with the board's actions for an
  agency under the threshold, and a case file audit of this quarter with a review
  assigned to the auditor;
- the hospital trust's staff safeguarding training records, with a staff nurse overdue for
  refresher training;
- the son alleged to have caused harm to his mother in last night's bruising concern, named
  in an earlier concern too (the team sees "named in 1 other concern"), with the
  household around her; he has care and support needs himself and was offered support.
- a woman whose neighbour raised a concern about bruises asked for her records (a subject
  access request, UK GDPR Article 15) nearly three weeks ago: due in about ten days, for
  the manager to produce, with the neighbour's name withheld.
- complaints and compliments: a mother's stage 1 complaint about her child's case due in
  two working days, a son's complaint about his father's adult case acknowledged and
  answered late (partly upheld), and a compliment from a daughter about an adult's case.

Everything is written through the product's own operations, as the team would record it,
then dated back to when it happened. The same day gives the same county (fixed seeds).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from core.agency_forms import operations as form_operations
from core.agency_forms.models import FormSubmission, FormVersion
from core.audits import operations as audit_operations
from core.auth.models import Agency, Locality, Team, User
from core.casefile import operations as casefile_operations
from core.chronology import operations as chronology_operations
from core.clocks import WorkingCalendar, add_months, to_local
from core.complaints import operations as complaint_operations
from core.concerns import operations as concern_operations
from core.concerns.models import CaseEvent, Concern
from core.db import utcnow
from core.demo.fake import synthetic
from core.discharges import operations as discharge_operations
from core.extensions import db
from core.followups import operations as follow_up_operations
from core.mail.models import DeliveryStatus, OutboxMessage
from core.meetings import operations as meeting_operations
from core.meetings.models import Invitation, Meeting, MeetingStatus, Outcome, Response
from core.people import operations as people_operations
from core.people.models import Establishment, Person
from core.plans import operations as plan_operations
from core.plans.models import Plan
from core.policy import casefile as casefile_policy
from core.reference import LocationOfRisk, Sex
from core.subject_access import operations as subject_access_operations
from core.tasks import operations as task_operations
from core.tasks.models import Task
from core.teams import operations as team_operations
from core.training import operations as training_operations
from core.trust import operations as trust_operations

POLICE = "Northshire Police"
HOSPITALS = "Northshire Hospitals NHS Foundation Trust"
MENTAL_HEALTH = "Northshire Mental Health NHS Trust"
CHILDRENS = "Northshire Children's Social Care"
MEADOWBANK = "Meadowbank Care Ltd"
RIVERSIDE = "Riverside Nursing Homes"
LOCAL = ZoneInfo("Europe/London")
VENUE = "Northshire County Hall, Room 2"
VIDEO = "https://meet.example.org/northshire-safeguarding"

# how often each agency came to the children's meetings of the caseload: the hospital
# trust misses half, so the audits have an agency under the threshold for the board
ATTENDANCE = {POLICE: 0.9, CHILDRENS: 0.95, HOSPITALS: 0.5}


class Workday:
    """The work in hand on ``now``'s day, built in order and dated as it happened."""

    def __init__(self, now: datetime, seed: int = 2026) -> None:
        self.now = now
        self.today = to_local(now).date()
        self.working: WorkingCalendar = concern_operations.calendar()
        self.rng = random.Random(seed)  # noqa: S311 - synthetic demo data, not a secret
        self.fake = synthetic(seed)
        self.users = {
            name: db.session.execute(
                sa.select(User).where(User.email == f"{name}@demo.example")
            ).scalar_one()
            for name in ("officer", "manager", "police", "nhs", "carehome", "auditor", "board")
        }
        self.agencies = {a.name: a for a in db.session.scalars(sa.select(Agency))}
        self.council = self.users["officer"].agency
        self.made: dict[str, int] = {"adults": 0, "meetings": 0, "plans": 0, "forms": 0}
        self.kept: dict[str, Concern] = {}  # concerns a later part of the day works on
        # the county's areas, drawn apart from the cases so they come out as before
        council_id = self.users["officer"].council_id
        self.areas = [
            a.id for a in team_operations.listed(Locality, active=True, council_id=council_id)
        ]
        self.area_rng = random.Random(seed + 1)  # noqa: S311 - synthetic demo data
        self._last_event = db.session.scalar(sa.select(sa.func.max(CaseEvent.id))) or 0

    # -- time ------------------------------------------------------------------

    def working_days_ago(self, days: int) -> date:
        return self.working.subtract_working_days(self._this_or_last_working_day(), days)

    def working_days_ahead(self, days: int) -> date:
        return self.working.add_working_days(self.today, days)

    def _this_or_last_working_day(self) -> date:
        day = self.today
        while not self.working.is_working_day(day):
            day -= timedelta(days=1)
        return day

    @staticmethod
    def at(day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), LOCAL).astimezone(UTC)

    def dated(self, moment: datetime) -> None:
        """The case events written since the last call happened at ``moment``."""
        db.session.flush()
        db.session.execute(
            sa.update(CaseEvent)
            .where(CaseEvent.id > self._last_event)
            .values(occurred_at=min(moment, self.now))
        )
        self._last_event = db.session.scalar(sa.select(sa.func.max(CaseEvent.id))) or 0

    # -- records ---------------------------------------------------------------

    def person(self, age: int, sex: Sex | None = None) -> Person:
        sex = sex or self.rng.choice([Sex.MALE, Sex.FEMALE])
        given = self.fake.first_name_male() if sex == Sex.MALE else self.fake.first_name_female()
        born = self.today - timedelta(days=age * 365 + self.rng.randrange(0, 360))
        return people_operations.create_person(
            {
                "given_name": given,
                "family_name": self.fake.last_name(),
                "date_of_birth": born,
                "sex": sex.value,
                "address": self.fake.street_address(),
                "postcode": self.fake.postcode(),
            }
        )

    def establishment_named(self, name: str) -> Establishment | None:
        return db.session.scalar(sa.select(Establishment).where(Establishment.name == name))

    def establishment(self, name: str, kind: LocationOfRisk, **values: Any) -> Establishment:
        found = self.establishment_named(name)
        if found is not None:
            return found
        return people_operations.create_establishment(
            {
                "name": name,
                "kind": kind.value,
                "address": self.fake.street_address(),
                "postcode": self.fake.postcode(),
                **values,
            }
        )

    def concern(self, received: datetime, person: Person, **values: Any) -> Concern:
        values = {
            "received_at": received,
            "route": "phone",
            "location": LocationOfRisk.OWN_HOME.value,
            "source_of_risk": "known",
            "msp_asked": "asked_expressed",
            "lacked_capacity": "no",
            "locality_id": self.area_rng.choice(self.areas) if self.areas else None,
            **values,
        }
        concern = concern_operations.record_concern(values, person, self.users["officer"])
        concern.created_at = received
        self.dated(received)
        self.made["adults" if not concern.is_child else "children"] = (
            self.made.get("adults" if not concern.is_child else "children", 0) + 1
        )
        return concern

    def decide(self, concern: Concern, decision: str, on: date, reason: str) -> None:
        concern_operations.decide(concern, decision, reason, self.users["officer"])
        concern.decided_at = self.at(on, 11, 30)
        if concern.enquiry is not None:
            concern.enquiry.started_on = on
        self.dated(concern.decided_at)

    def meeting(
        self,
        code: str,
        concerns: list[Concern],
        starts: datetime,
        called: datetime,
        *,
        video: bool = False,
        added: list[tuple[str, str]] | None = None,
    ) -> Meeting:
        meeting = meeting_operations.schedule(
            code,
            concerns,
            {
                "starts_at": starts,
                "duration_minutes": 90,
                "venue": None if video else VENUE,
                "video_link": VIDEO if video else None,
                "chair_id": self.users["manager"].id,
            },
            self.users["officer"],
            added=[(self.agencies[name].id, why) for name, why in added or ()],
        )
        meeting.created_at = called
        for invitation in meeting.invitations:
            invitation.invited_at = called
        self.dated(called)
        self.made["meetings"] += 1
        return meeting

    def answer(self, meeting: Meeting, agency: str, when: datetime) -> None:
        for invitation in meeting.active_invitations:
            if invitation.agency.name == agency:
                invitation.response = Response.ACCEPTED
                invitation.responded_at = when

    def hold(
        self,
        meeting: Meeting,
        decisions: list[dict[str, Any]],
        actions: list[dict[str, Any]] | None = None,
        minutes: str = "Each agency shared what it knows; the decisions are recorded below.",
    ) -> None:
        meeting_operations.record_held(
            meeting,
            {
                "held_at": meeting.starts_at,
                "outcomes": {
                    i.id: Outcome.ATTENDED_IN_PERSON.value for i in meeting.active_invitations
                },
                "minutes": minutes,
                "decisions": decisions,
                "actions": [
                    {"description": d, "owner_agency_id": self.agencies[a].id, "due_on": due}
                    for d, a, due in actions or ()
                ],
            },
            self.users["officer"],
        )
        self.dated(meeting.starts_at + timedelta(hours=3))

    def form(
        self, name: str, subject_id: int, answers: dict[str, Any], user: str, on: datetime
    ) -> FormSubmission:
        definition = form_operations.definition_of(name)
        submission = form_operations.create(definition, subject_id, answers, self.users[user])
        submission.created_at = submission.updated_at = on
        db.session.flush()
        db.session.execute(
            sa.update(FormVersion)
            .where(FormVersion.submission_id == submission.id)
            .values(saved_at=on)
        )
        self.dated(on)
        self.made["forms"] += 1
        return submission


def add_workday(now: datetime | None = None, seed: int = 2026) -> dict[str, int]:
    """Add the day's work in hand (see the module's docstring); the caller commits."""
    day = Workday(now or utcnow(), seed)
    _screening(day)
    _hospital_discharges(day)
    _tasks(day)
    _a_repeat_referral(day)
    _care_home_cluster(day)
    _enquiries(day)
    _contact_follow_ups(day)
    _protection_conference(day)
    _child_protection_review_overdue(day)
    _attendance_of_held_meetings(day)
    # the invitations of meetings already held were emailed when they were called, long
    # before today: only those of meetings still to come wait in the outbox
    _forget_mail_of_past_meetings(day)
    _a_bounced_email(day)
    _audits(day)
    _staff_training(day)
    _alleged_son(day)
    _subject_access(day)
    _complaints(day)
    return day.made


def _screening(day: Workday) -> None:
    """New, due today, overdue, and two out-of-hours concerns for the handover."""
    day.concern(
        day.now - timedelta(minutes=25),
        day.person(84, Sex.FEMALE),
        types_of_risk=["neglect"],
        referrer_name=day.fake.name(),
        referrer_role="Neighbour",
        description="Neighbour has not seen her for three days; milk bottles on the step and "
        "the curtains drawn. Her carer stopped coming last week.",
    )
    yesterday = day.working_days_ago(1)
    discharged = day.concern(
        day.at(yesterday, 14, 10),
        day.person(77, Sex.MALE),
        route="portal",
        referrer_agency_id=day.agencies[HOSPITALS].id,
        referrer_name=day.fake.name(),
        referrer_role="Discharge coordinator",
        types_of_risk=["self_neglect"],
        description="Discharged home after a fall with no package of care in place; the ward "
        "could not reach his daughter. He says he is managing but could not stand unaided.",
    )
    day.form(
        "nhs_trust.discharge_notification",
        discharged.id,
        {
            "discharged_at": (day.at(yesterday, 20, 5)).isoformat(),
            "discharged_to": "Own home",
            "care_in_place": False,
            "notes": "Transport home booked; reablement referral not yet accepted.",
        },
        "nhs",
        day.at(yesterday, 20, 30),
    )
    day.kept["domestic"] = day.concern(
        day.at(day.working_days_ago(3), 10, 5),
        day.person(41, Sex.FEMALE),
        route="email",
        referrer_agency_id=day.agencies[POLICE].id,
        referrer_name=day.fake.name(),
        referrer_role="Police constable",
        types_of_risk=["domestic", "psychological"],
        crime_suspected=True,
        description="Attended a third domestic incident this month; she has a learning "
        "disability and her partner manages her money and her phone.",
    )
    evening = day.today - timedelta(days=1)
    # the Emergency Duty Team took last night's calls and holds them until the handover
    duty = db.session.scalar(sa.select(Team).where(Team.name.startswith("Emergency Duty")))
    for hour, minute, risk, text in (
        (
            21,
            40,
            "physical",
            "Care worker found bruising to both forearms at the evening "
            "call; the son who lives with her was not there.",
        ),
        (
            23,
            55,
            "financial",
            "Bank's fraud team called the out-of-hours line: large withdrawals over a "
            "week from the account of a man with a learning disability; two new 'friends' "
            "go with him to the cash machine.",
        ),
    ):
        day.kept[risk] = day.concern(
            day.at(evening, hour, minute),
            day.person(day.rng.randrange(70, 93)),
            types_of_risk=[risk],
            referrer_name=day.fake.name(),
            referrer_role="Out-of-hours caller",
            description=text,
            # befriended to be exploited: a mate crime (core/reference.py)
            **(
                {"hate_crime": "mate", "hate_strands": ["disability"]}
                if risk == "financial"
                else {}
            ),
        )
        if duty is not None:
            day.kept[risk].team_id = duty.id


def _hospital_discharges(day: Workday) -> None:
    """Two discharges with no open concern, notified by the trust, both out of hours (the
    rule works it out): last night's waits for follow-up; the other, followed up."""
    last_night = day.at(day.today - timedelta(days=1), 21, 15)
    earlier = day.at(day.working_days_ago(2), 19, 40)
    for at, ward, to, follow_up in (
        (last_night, "Northshire General, Ward 12 (frailty)", "Own home, lives alone", None),
        (
            earlier,
            "Northshire General, Ward 7 (orthopaedics)",
            "Own home, with his wife",
            (
                earlier + timedelta(hours=14),
                "Called at the home: his wife is coping and reablement starts tomorrow. "
                "No safeguarding concern.",
            ),
        ),
    ):
        sex = day.rng.choice([Sex.MALE, Sex.FEMALE])
        given = day.fake.first_name_male() if sex == Sex.MALE else day.fake.first_name_female()
        discharge = discharge_operations.notify(
            {
                "discharged_at": at,
                "discharged_from": ward,
                "discharged_to": to,
                "care_in_place": follow_up is not None,
                "notes": "Transport home booked; the ward could not reach the family.",
            },
            {
                "given_name": given,
                "family_name": day.fake.last_name(),
                "date_of_birth": day.today - timedelta(days=day.rng.randrange(75, 92) * 365),
                "postcode": day.fake.postcode(),
            },
            day.users["nhs"],
        )
        discharge.notified_at = at + timedelta(minutes=20)
        if follow_up is not None:
            when, action = follow_up
            discharge_operations.follow_up(
                discharge,
                {
                    "followed_up_by": f"{day.fake.name()}, Emergency Duty Team",
                    "followed_up_at": when,
                    "follow_up_action": action,
                    "concern_raised": False,
                },
                day.users["officer"],
            )
            discharge.follow_up_recorded_at = when
    db.session.flush()


def _task(
    day: Workday,
    concern: Concern,
    values: dict[str, Any],
    set_at: datetime,
    due_on: date,
    due_time: time | None,
) -> Task:
    """A task set at ``set_at`` (through the operation, then dated back as it happened:
    its due day may have passed since)."""
    task = task_operations.set_task(
        concern,
        values | {"due_on": day.today + timedelta(days=30), "due_time": None},
        day.users["officer"],
    )
    task.set_at = set_at
    task.due_on, task.due_time_given = due_on, due_time is not None
    task.due_at = task_operations.due_moment(due_on, due_time)
    when = f"{due_on:%-d %B %Y}" + (f" {due_time:%H:%M}" if due_time else "")
    db.session.execute(
        sa.update(CaseEvent)
        .where(CaseEvent.id > day._last_event, CaseEvent.kind == "task.set")
        .values(
            summary=sa.func.replace(
                CaseEvent.summary, f"{day.today + timedelta(days=30):%-d %B %Y}", when
            )
        )
    )
    day.dated(set_at)
    return task


def _tasks(day: Workday) -> None:
    """Last night the out-of-hours team handed the fraud call over to the day team with a
    follow-up due this morning; three days ago the day team asked the out-of-hours team
    for a late-night check on the domestic abuse case, which nobody marked done."""
    evening = day.today - timedelta(days=1)
    _task(
        day,
        day.kept["financial"],
        {
            "title": "Visit with the police: who are the two new friends at the cash machine?",
            "details": "The bank has frozen the account for now. He agreed to a visit on "
            "the next working day; do not phone first, the friends answer his phone.",
            "assignee_team": "day",
            "from_handover": True,
        },
        day.at(day.today, 0, 20) if day.at(day.today, 0, 20) < day.now else day.now,
        day.working.add_working_days(evening, 1),
        time(11, 0),
    )
    asked = day.working_days_ago(3)
    _task(
        day,
        day.kept["domestic"],
        {
            "title": "Late-night check: is the partner staying at the address?",
            "details": "She said he comes back after the pubs close. Drive past after 23:00 "
            "and call her on the safe number if his van is outside.",
            "assignee_team": "out_of_hours",
        },
        day.at(asked, 16, 30),
        asked,
        time(23, 30),
    )


def _a_repeat_referral(day: Workday) -> None:
    """A man referred again: his first concern, five months ago, closed with no further
    action; the new one came yesterday (the repeat referrals report lists it)."""
    person = day.person(day.rng.randrange(66, 80), Sex.MALE)
    first_day = day.working.subtract_working_days(day.today, 105)
    first = day.concern(
        day.at(first_day, 10, 20),
        person,
        types_of_risk=["self_neglect"],
        referrer_name=day.fake.name(),
        referrer_role="Neighbour",
        description="Neighbour worried: no heating and post piling up behind the door.",
    )
    day.decide(first, "no_further_action", first_day, "Visited: warm, eating, wants no help")
    closing = day.working.add_working_days(first_day, 3)
    concern_operations.close(
        first,
        {
            "risk_outcome": "none_no_action",
            "msp_achieved": "fully",
            "feedback_person_on": closing,
            "feedback_person_method": "Home visit",
            "feedback_referrer_on": closing,
            "feedback_referrer_method": "Phone",
        },
        day.users["officer"],
    )
    first.closed_at = day.at(closing, 15)
    day.dated(first.closed_at)
    yesterday = day.working_days_ago(1)
    day.concern(
        day.at(yesterday, 10, 15),
        person,
        types_of_risk=["self_neglect"],
        referrer_name=day.fake.name(),
        referrer_role="District nurse",
        description="District nurse found him unwell in a cold house; he has stopped "
        "eating and refuses a GP visit.",
    )


def _care_home_cluster(day: Workday) -> None:
    """Three concerns at Meadowbank House within three weeks, its provider's alerts, and
    the organisational strategy meeting the cluster called for."""
    meadowbank = day.establishment(
        "Meadowbank House",
        LocationOfRisk.CARE_HOME_NURSING,
        cqc_location_id="1-000000201",
        provider_agency_id=day.agencies[MEADOWBANK].id,
    )
    day.establishment(
        "Riverside Court",
        LocationOfRisk.CARE_HOME_RESIDENTIAL,
        cqc_location_id="1-000000202",
        provider_agency_id=day.agencies[RIVERSIDE].id,
    )
    if day.establishment_named("Meadowbank Lodge") is None:
        # the provider's new home, proposed for the team to confirm
        people_operations.propose_establishment(
            {
                "name": "Meadowbank Lodge",
                "kind": LocationOfRisk.CARE_HOME_RESIDENTIAL.value,
                "cqc_location_id": "1-000000203",
                "address": day.fake.street_address(),
                "postcode": day.fake.postcode(),
            },
            day.users["carehome"],
        )
    day.establishment(
        "Northshire General Hospital",
        LocationOfRisk.HOSPITAL_ACUTE,
        ods_code="ZZ101",
        provider_agency_id=day.agencies[HOSPITALS].id,
    )
    concerns = []
    for days_ago, referrer, risk, text in (
        (
            14,
            "CQC North Local Inspection Team",
            "neglect",
            "Inspection found residents left in wet beds overnight and fluid charts not kept.",
        ),
        (
            8,
            MEADOWBANK,
            "physical",
            "Home manager reports a resident found with a fractured "
            "wrist; night staff cannot say how it happened.",
        ),
        (
            2,
            HOSPITALS,
            "organisational",
            "Resident admitted dehydrated with pressure ulcers; "
            "third admission from the home this month.",
        ),
    ):
        received = day.at(day.working_days_ago(days_ago), 11, 20)
        concern = day.concern(
            received,
            day.person(day.rng.randrange(78, 96)),
            route="portal",
            location=LocationOfRisk.CARE_HOME_NURSING.value,
            establishment_id=meadowbank.id,
            source_of_risk="service_provider",
            referrer_agency_id=day.agencies[referrer].id,
            referrer_name=day.fake.name(),
            types_of_risk=[risk],
            lacked_capacity="yes",
            msp_asked="not_asked",
            description=text,
        )
        day.decide(
            concern,
            "section_42_enquiry",
            day.working.add_working_days(to_local(received).date(), 1),
            "Care home resident at risk of harm from the care provided: section 42 duty met",
        )
        concerns.append(concern)
    incident = day.working_days_ago(15)
    day.form(
        "care_home.provider_alert",
        meadowbank.id,
        {
            "incident_on": incident.isoformat(),
            "what_happened": "Resident A found in a wet bed at the morning round; the night "
            "checks were not recorded.",
            "people_affected": 1,
            "immediate_actions": "Night checks every two hours, signed by the nurse in charge.",
            "family_informed": True,
            "cqc_notified_on": (incident + timedelta(days=1)).isoformat(),
        },
        "carehome",
        day.at(incident + timedelta(days=1), 9),
    )
    incident = day.working_days_ago(9)
    day.form(
        "care_home.provider_alert",
        meadowbank.id,
        {
            "incident_on": incident.isoformat(),
            "what_happened": "Resident B's wrist found swollen at the morning round; an X-ray "
            "showed a fracture. Staff member C was on the night shift.",
            "people_affected": 1,
        },
        "carehome",
        day.at(incident, 16),
    )
    meeting = day.meeting(
        "organisational_strategy_meeting",
        concerns,
        day.at(day.working_days_ahead(2), 14),
        day.at(day.working_days_ago(1), 15),
    )
    day.answer(meeting, "CQC North Local Inspection Team", day.at(day.working_days_ago(1), 16))
    _night_care_assistant(day, concerns[1], meadowbank)


def _night_care_assistant(day: Workday, concern: Concern, meadowbank: Any) -> None:
    """The fractured wrist at Meadowbank House: the night care assistant on shift is alleged
    to have caused it. She is employed in a position of trust, so the team referred it to
    the council's PiPoT lead (Care and support statutory guidance, 14.120 to 14.132) two
    days after the concern; the home suspended her the same day. The referral is open."""
    officer = day.users["officer"]
    staff = people_operations.create_person(
        {
            "given_name": day.fake.first_name_female(),
            "family_name": day.fake.last_name(),
            "sex": Sex.FEMALE.value,
            "date_of_birth": day.today - timedelta(days=34 * 365 + 100),
        }
    )
    alleged = people_operations.add_alleged(
        concern,
        {
            "person_id": staff.id,
            "relationship_kind": "other",
            "relationship_detail": "Paid carer at the home",
            "informed": "not_yet",
            "trust_capacity": "employed",
            "trust_establishment_id": meadowbank.id,
            "trust_role": "Night care assistant",
        },
        officer,
    )
    referred_on = day.working_days_ago(6)
    referral = trust_operations.make_referral(
        concern,
        alleged,
        {"referred_on": referred_on, "referred_to": f"{day.fake.name()}, PiPoT lead"},
        officer,
    )
    trust_operations.record_action(
        referral,
        {
            "action": "suspended",
            "taken_on": referred_on,
            "notes": "Suspended on full pay while the enquiry and the home's investigation run",
        },
        officer,
    )
    referral.created_at = day.at(referred_on, 15)
    day.dated(day.at(referred_on, 15))


def _enquiries(day: Workday) -> None:
    """A section 42 enquiry with its strategy discussion tomorrow, another enquiry, and a
    concern signposted elsewhere."""
    received = day.at(day.working_days_ago(2), 9, 40)
    concern = day.concern(
        received,
        day.person(88, Sex.FEMALE),
        referrer_agency_id=day.agencies[POLICE].id,
        referrer_name=day.fake.name(),
        referrer_role="Detective constable",
        types_of_risk=["financial"],
        crime_suspected=True,
        desired_outcomes="To stay in her own home and to have her savings back",
        description="Her grandson has power of attorney and £18,000 has gone from her "
        "savings in four months; the care agency has not been paid.",
    )
    decided = day.working_days_ago(1)
    day.decide(
        concern,
        "section_42_enquiry",
        decided,
        "Financial abuse by a person in a position of trust; she has care and support needs",
    )
    day.meeting(
        "strategy_discussion",
        [concern],
        day.at(day.working_days_ahead(1), 10),
        day.at(decided, 12),
        video=True,
    )
    day.form(
        "police.investigation",
        concern.id,
        {
            "crime_reference": f"NP/{day.today:%y}/{day.rng.randrange(10000, 99999):05d}",
            "officer_in_charge": f"DC {day.fake.last_name()} 4{day.rng.randrange(1000, 9999)}",
            "offence_category": "fraud",
            "reported_on": to_local(received).date().isoformat(),
            "status": "under_investigation",
            "status_on": decided.isoformat(),
        },
        "police",
        day.at(decided, 15),
    )
    for received, age, risk, role, text, decision, reason in (
        (
            6,
            52,
            "self_neglect",
            "Housing officer",
            "Flat filled with rubbish to the ceiling; fire service visited and found the "
            "smoke alarm disconnected. He refuses help but agreed to a visit.",
            "other_enquiry",
            "Self-neglect: no section 42 duty while he has capacity, but the risk of fire "
            "calls for an enquiry",
        ),
        (
            8,
            67,
            "psychological",
            "Friend",
            "Lonely since his wife died and worried about a neighbour's dog; no abuse or "
            "neglect described.",
            "signposted",
            "No safeguarding concern: signposted to the bereavement service and Age UK befriending",
        ),
    ):
        concern = day.concern(
            day.at(day.working_days_ago(received), 13, 15),
            day.person(age, Sex.MALE),
            types_of_risk=[risk],
            referrer_name=day.fake.name(),
            referrer_role=role,
            description=text,
        )
        day.decide(concern, decision, day.working_days_ago(received - 1), reason)


def _contact_follow_ups(day: Workday) -> None:
    """Two contacts screened out and followed up (Dudley's action plan, 6.3): a daughter
    signposted two weeks ago, whose call is due today; a man who rang about himself three
    weeks ago, decided no further action, called last week: the signposting worked. The
    demo stands in for the sample, which the council's share draws."""
    officer = day.users["officer"]
    for days_ago, referrer, decision, text, reason in (
        (
            14,
            {
                "referrer_name": day.fake.name(),
                "referrer_role": "Daughter",
                "referrer_contact": f"{day.fake.street_address()}\n{day.fake.postcode()}\n"
                f"Phone {day.fake.phone_number()}",
            },
            "signposted",
            "Worried her father is not coping with shopping since his hip operation; no "
            "abuse or neglect described.",
            "No safeguarding concern: signposted to the community meals service and the falls team",
        ),
        (
            21,
            {},
            "no_further_action",
            "Rang about a doorstep seller who pressed him to buy a new boiler; he said no and "
            "lost no money.",
            "No safeguarding concern: trading standards' number given and the no cold "
            "calling zone explained",
        ),
    ):
        received = day.at(day.today - timedelta(days=days_ago), 10, 20)
        concern = day.concern(
            received,
            day.person(day.rng.randrange(70, 90), Sex.MALE),
            types_of_risk=["financial" if decision == "no_further_action" else "neglect"],
            description=text,
            **referrer,
        )
        day.decide(concern, decision, day.working.add_working_days(received.date(), 1), reason)
        contacted = to_local(received).date()
        due = contacted + timedelta(days=14)
        follow_up = follow_up_operations.open_follow_up(concern, officer, due=due)
        follow_up.due_on = due  # were it drawn already at the decision
        follow_up.sampled_at = concern.decided_at or received
        day.dated(follow_up.sampled_at)
        if follow_up.due_on < day.today:
            follow_up_operations.record_outcome(
                follow_up,
                {
                    "outcome": "signposting_worked",
                    "note": "Trading standards visited; he has joined the no cold calling "
                    "zone and feels safer answering the door.",
                },
                officer,
            )
            follow_up.recorded_at = day.at(follow_up.due_on, 11, 0)
            day.dated(follow_up.recorded_at)


def _protection_conference(day: Workday) -> None:
    """A section 42 enquiry taken to an adult protection conference last week, which
    decided a protection plan with actions for the police and the hospital trust."""
    received = day.at(day.working_days_ago(30), 10, 50)
    concern = day.concern(
        received,
        day.person(79, Sex.MALE),
        route="portal",
        referrer_agency_id=day.agencies[HOSPITALS].id,
        referrer_name=day.fake.name(),
        referrer_role="Emergency department nurse",
        types_of_risk=["physical", "financial"],
        crime_suspected=True,
        desired_outcomes="To feel safe at home and to keep seeing his grandchildren",
        description="Seen in the emergency department with bruising to his face and arms; "
        "he said his son pushed him when he would not hand over his bank card.",
    )
    decided = day.working_days_ago(29)
    day.decide(
        concern,
        "section_42_enquiry",
        decided,
        "Physical and financial abuse by a family member; a crime suspected",
    )
    discussion = day.meeting(
        "strategy_discussion",
        [concern],
        day.at(day.working_days_ago(27), 10),
        day.at(decided, 12),
        video=True,
    )
    day.hold(
        discussion,
        [
            {
                "kind": "section_42_enquiry",
                "note": "Enquiry led by the council; police to interview the son",
            },
            {"kind": "convene_adult_protection_conference"},
        ],
    )
    conference = day.meeting(
        "adult_protection_conference",
        [concern],
        day.at(day.working_days_ago(5), 10),
        day.at(day.working_days_ago(26), 11),
    )
    plan_actions = [
        ("Interview the son under caution and tell the team the outcome", POLICE, 10),
        ("District nurse to visit weekly and record any new injury", HOSPITALS, -2),
        ("Offer a respite bed at Meadowbank House while his son is away", MEADOWBANK, 3),
    ]
    day.hold(
        conference,
        [{"kind": "protection_plan", "note": "Plan to be reviewed in three months"}],
        [
            (
                "Send the emergency department notes to the enquiry officer",
                HOSPITALS,
                day.working_days_ahead(2),
            )
        ],
    )
    plan = db.session.scalars(sa.select(Plan).where(Plan.concern_id == concern.id)).one()
    for text, agency, due_in in plan_actions:
        due = day.working_days_ahead(due_in) if due_in >= 0 else day.working_days_ago(-due_in)
        plan_operations.add_action(
            plan,
            {"description": text, "owner_agency_id": day.agencies[agency].id, "due_on": due},
            day.users["officer"],
        )
    day.dated(conference.starts_at + timedelta(hours=4))
    day.made["plans"] += 1
    investigation = day.form(
        "police.investigation",
        concern.id,
        {
            "crime_reference": f"NP/{day.today:%y}/{day.rng.randrange(10000, 99999):05d}",
            "officer_in_charge": f"DS {day.fake.last_name()} 3{day.rng.randrange(1000, 9999)}",
            "offence_category": "violence",
            "reported_on": decided.isoformat(),
            "status": "under_investigation",
            "status_on": day.working_days_ago(20).isoformat(),
        },
        "police",
        day.at(day.working_days_ago(20), 15),
    )
    _chronology(day, concern, investigation)


def _chronology(day: Workday, concern: Concern, investigation: FormSubmission) -> None:
    """The conference case's chronology for a review: the police charge the son (a new
    version of the investigation), the district nurse finds no one in, the team records
    the son moving out as a key event, and the police add intelligence about him that only
    the team and the police read (restricted: the trust's users do not see it)."""
    charged_on = day.working_days_ago(3)
    form_operations.update(
        form_operations.definition_of("police.investigation"),
        investigation,
        dict(investigation.data) | {"status": "charged", "status_on": charged_on.isoformat()},
        day.users["police"],
    )
    db.session.flush()
    db.session.execute(
        sa.update(FormVersion)
        .where(FormVersion.submission_id == investigation.id, FormVersion.number == 2)
        .values(saved_at=day.at(charged_on, 16))
    )
    day.dated(day.at(charged_on, 16))
    entries = [
        (
            "nhs",
            day.working_days_ago(12),
            "District nurse visit: no answer at the door and the curtains drawn; the nurse "
            "called the team the same afternoon.",
            "medium",
            None,
        ),
        (
            "officer",
            day.working_days_ago(8),
            "His son moved out of the family home to his partner's address; the bank card "
            "was returned and the bank put a protection marker on the account.",
            "key",
            None,
        ),
        (
            "police",
            day.working_days_ago(6),
            "Intelligence: the son has two earlier call-outs for violence at another address.",
            "high",
            "police_sensitive",
        ),
    ]
    for user, on, summary, significance, restriction in entries:
        writer = day.users[user]
        entry = chronology_operations.add_entry(
            concern,
            {
                "occurred_on": on,
                "source_agency_id": writer.agency_id,
                "summary": summary,
                "significance": significance,
                "restriction": restriction,
            },
            writer,
        )
        entry.written_at = day.at(on, 17)
        day.dated(day.at(on, 17))


def _child_protection_review_overdue(day: Workday) -> None:
    """A child referred about five months ago: a section 47 enquiry, an initial child
    protection conference and a plan whose first review (three months on) is overdue."""
    referral = day.working.subtract_working_days(day.today - timedelta(days=140), 0)
    while not day.working.is_working_day(referral):
        referral -= timedelta(days=1)
    child = day.person(6)
    concern = day.concern(
        day.at(referral, 9, 15),
        child,
        is_child=True,
        referral_source="2A",
        level_of_need=4,
        msp_asked=None,
        lacked_capacity=None,
        types_of_risk=["neglect"],
        referrer_name=day.fake.name(),
        referrer_role="Designated safeguarding lead",
        description="Arrives at school hungry, in the same clothes all week; a younger "
        "sibling was left alone at home when mother was taken to hospital.",
    )
    decided = day.working.add_working_days(referral, 1)
    day.decide(
        concern,
        "strategy_discussion",
        decided,
        "Reasonable cause to suspect significant harm from neglect",
    )
    discussion = day.meeting(
        "strategy_discussion", [concern], day.at(decided, 15), day.at(decided, 12), video=True
    )
    day.hold(discussion, [{"kind": "section_47_enquiry"}])
    icpc = day.working.add_working_days(decided, 12)
    conference = day.meeting(
        "initial_child_protection_conference",
        [concern],
        day.at(icpc, 10),
        day.at(day.working.add_working_days(decided, 2), 10),
    )
    day.hold(conference, [{"kind": "child_protection_plan", "plan_category": "NEG"}])
    day.made["plans"] += 1


def _attendance_of_held_meetings(day: Workday) -> None:
    """The children's caseload's meetings were held with the police, children's social
    care and the hospital trust invited: what each did, drawn with fixed odds."""
    uninvited = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.status == MeetingStatus.HELD, ~Meeting.invitations.any())
        .order_by(Meeting.id)
    ).all()
    officer = day.users["officer"]
    for meeting in uninvited:
        for name, odds in ATTENDANCE.items():
            came = day.rng.random() < odds
            meeting.invitations.append(
                Invitation(
                    agency_id=day.agencies[name].id,
                    reason="On the standard list for this meeting",
                    standard=True,
                    invited_by_id=officer.id,
                    invited_at=meeting.created_at,
                    response=Response.ACCEPTED if came else None,
                    outcome=(
                        day.rng.choice([Outcome.ATTENDED_IN_PERSON, Outcome.ATTENDED_VIRTUALLY])
                        if came
                        else day.rng.choice(
                            [Outcome.APOLOGIES_WITHOUT_REPORT, Outcome.DID_NOT_ATTEND]
                        )
                    ),
                )
            )
    db.session.flush()
    for meeting in uninvited:
        meeting_operations.record_quoracy(meeting)  # as correcting the outcomes does
    db.session.flush()


def _forget_mail_of_past_meetings(day: Workday) -> None:
    past = sa.select(Meeting.id).where(Meeting.starts_at < day.now)
    for message in db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.meeting_id.in_(past))
    ):
        db.session.delete(message)  # with its attachments
    db.session.flush()


def _a_bounced_email(day: Workday) -> None:
    """One invitation the mail server refused every time: the administrator's work."""
    message = db.session.scalar(
        sa.select(OutboxMessage)
        .where(OutboxMessage.status == DeliveryStatus.PENDING)
        .order_by(OutboxMessage.id)
    )
    if message is None:
        return
    address = message.recipients.split(",")[0].strip()
    # as the delivery worker leaves a message it gave up on (core/mail/operations.py)
    message.attempts = int(current_app.config["MAIL_MAX_ATTEMPTS"])
    message.last_error = (
        f"SMTPRecipientsRefused: {{'{address}': (550, b'5.1.1 Mailbox unavailable')}}"
    )
    message.status = DeliveryStatus.FAILED
    db.session.flush()


def _audits(day: Workday) -> None:
    """The last two half years' attendance audits, the board's actions for the agencies
    under the threshold, and this quarter's case file audit."""
    manager, board = day.users["manager"], day.users["board"]
    latest = audit_operations.default_period(day.today)
    for start, end in (audit_operations.preceding_period(*latest), latest):
        audit = audit_operations.run_attendance_audit(start, end, manager)
        audit.run_at = day.at(end + timedelta(days=10), 9)
        for agency_id, name in audit_operations.agencies_below_threshold(audit):
            audit_operations.add_board_action(
                audit,
                {
                    "agency_id": agency_id,
                    "action": f"{name} to report to the board on why its staff missed "
                    "strategy discussions and conferences, and what it will change",
                    "owner": "Named nurse for safeguarding",
                    "due_on": end + timedelta(days=90),
                },
                board,
            )
    # the case file audit as the teams run it (Newport samples out-of-hours recording):
    # this quarter of the audit year, limited to out-of-hours cases; the auditor reviews
    # one case and the manager, who drew it, another that is not their own
    starts = casefile_operations.year_starts()
    months = (day.today.month - starts) % 12
    year = day.today.year if day.today.month >= starts else day.today.year - 1
    audit = casefile_operations.draw(
        {"year": year, "quarter": months // 3 + 1, "sample_size": 5, "seed": 7}
        | {"out_of_hours": True},
        manager,
    )
    if audit.reviews:
        casefile_operations.assign(audit.reviews[0], day.users["auditor"].id, manager)
    for review in audit.reviews[1:]:
        if casefile_policy.may_be_assigned(manager, review.concern):
            casefile_operations.assign(review, manager.id, manager)
            break


def _staff_training(day: Workday) -> None:
    """The hospital trust's staff safeguarding training records (Dudley's plan, 1.10):
    nurses and a healthcare assistant trained this quarter and in past years, one whose
    adults' level 2 ran out last month (overdue for refresher training) and a ward sister
    whose children's level 3 expires in a fortnight."""
    nhs = day.users["nhs"]
    this_quarter = day.today.replace(month=3 * ((day.today.month - 1) // 3) + 1, day=1)
    staff = [
        ("Staff nurse", "adults_2", "Safeguarding adults level 2 e-learning", this_quarter),
        ("Staff nurse", "children_2", "Safeguarding children level 2 e-learning", this_quarter),
        ("Healthcare assistant", "adults_1", "Safeguarding adults level 1", day.today),
        ("Ward sister", "children_3", "Safeguarding children level 3 workshop", None),
        ("Staff nurse", "adults_2", "Safeguarding adults level 2 e-learning", None),
        ("Named nurse", "adults_4", "Named professionals' safeguarding update", None),
    ]
    for number, (role, level, course, completed) in enumerate(staff, start=1):
        expires = None
        if completed is None and number == 4:  # due for a refresher in a fortnight
            expires = day.today + timedelta(days=14)
            completed = add_months(expires, -36)
        elif completed is None and number == 5:  # ran out last month: overdue
            completed = add_months(day.today, -37)
        elif completed is None:
            completed = add_months(day.today, -14)
        training_operations.create_record(
            {
                "staff_name": f"{day.fake.first_name()} {day.fake.last_name()}",
                "staff_number": f"NHS{40000 + number * 37}",
                "role": role,
                "level": level,
                "course": course,
                "completed_on": min(completed, day.today),
                "expires_on": expires,
            },
            nhs,
        )


def _alleged_son(day: Workday) -> None:
    """Last night's bruising concern: her son, who lives with her, is alleged to have
    caused the harm; an earlier concern four months ago named him too (screened out then).
    The household: her son and his partner. He drinks heavily and has care and support
    needs of his own: support was offered; he has not been told of the new concern yet
    (a strategy discussion first)."""
    mother = day.kept["physical"]
    officer = day.users["officer"]
    person = mother.person
    son = people_operations.create_person(
        {
            "given_name": day.fake.first_name_male(),
            "family_name": person.family_name,
            "date_of_birth": day.today - timedelta(days=52 * 365 + 40),
            "sex": Sex.MALE.value,
            "address": person.address,
            "postcode": person.postcode,
        }
    )
    partner = people_operations.create_person(
        {
            "given_name": day.fake.first_name_female(),
            "family_name": day.fake.last_name(),
            "sex": Sex.FEMALE.value,
            "address": person.address,
            "postcode": person.postcode,
        }
    )
    people_operations.add_relationship(person, {"person_id": son.id, "kind": "parent"}, officer)
    people_operations.add_relationship(
        partner, {"person_id": person.id, "kind": "household"}, officer
    )
    people_operations.add_relationship(son, {"person_id": partner.id, "kind": "partner"}, officer)
    received = day.at(day.today - timedelta(days=120), 14, 5)
    earlier = day.concern(
        received,
        person,
        types_of_risk=["psychological"],
        referrer_name=day.fake.name(),
        referrer_role="GP receptionist",
        description="She came to the surgery upset: her son shouts at her when he has been "
        "drinking. No injury seen; she did not want anything done.",
    )
    day.decide(
        earlier,
        "no_further_action",
        day.working.add_working_days(received.date(), 1),
        "She has capacity and declined support; the GP will see her again in a month",
    )
    for concern, facts in (
        (
            earlier,
            {
                "informed": "informed",
                "informed_on": to_local(received).date() + timedelta(days=2),
                "has_care_needs": True,
                "support": "declined",
            },
        ),
        (
            mother,
            {
                "informed": "not_informed",
                "not_informed_reason": "Not before the strategy discussion: telling him now "
                "could put his mother at risk",
                "has_care_needs": True,
                "support": "offered",
            },
        ),
    ):
        people_operations.add_alleged(
            concern,
            {"person_id": son.id, "relationship_kind": "household", "relationship_detail": "Son"}
            | facts,
            officer,
        )


def _subject_access(day: Workday) -> None:
    """A neighbour (a private individual) reported bruises on a woman's arms five weeks
    ago; the team visited, marked the body map and kept the neighbour's wish not to be
    named in a restricted note. The woman asked for her records nineteen days ago: the
    request waits for the manager to produce, due a month after it came."""
    officer, manager = day.users["officer"], day.users["manager"]
    neighbour = day.fake.name()
    received = day.at(day.working_days_ago(25), 11, 5)
    person = day.person(79, Sex.FEMALE)
    concern = day.concern(
        received,
        person,
        referrer_name=neighbour,
        referrer_role="Neighbour",
        referrer_contact=f"Phone {day.fake.phone_number()}",
        types_of_risk=["physical"],
        description=f"{neighbour}, her neighbour, saw bruises on both her upper arms when "
        "she dropped off shopping; she said she had fallen, but seemed frightened of the "
        "visitor who was there.",
        desired_outcomes="To feel safe at home",
    )
    decided = day.working_days_ago(24)
    day.decide(
        concern, "section_42_enquiry", decided, "Unexplained bruising; care and support needs"
    )
    visited = day.working_days_ago(22)
    concern_operations.add_body_map_mark(
        concern,
        {
            "side": "front",
            "site": "Both upper arms",
            "size": "About 3 cm each",
            "colour": "Yellow-green",
            "description": "Four oval bruises on each arm, as from fingertips",
            "seen_by": officer.name,
            "seen_on": visited,
        },
        officer,
    )
    visit_note = concern_operations.add_note(
        concern,
        "Home visit with her consent: she wants to stay at home and agreed to a carer's "
        "assessment. She did not want to talk about the bruises yet.",
        True,
        officer,
    )
    restricted_note = concern_operations.add_note(
        concern,
        f"{neighbour} rang again and asked that the family is never told she called.",
        False,
        officer,
        restriction="third_party",
    )
    visit_note.written_at = restricted_note.written_at = day.at(visited, 15, 30)
    day.dated(day.at(visited, 15, 30))
    subject_access_operations.record_request(
        person,
        {
            "requested_by": f"{person.full_name} herself, by letter",
            "received_on": day.today - timedelta(days=19),
            "identity_checked": "Passport and a council tax bill seen at a home visit",
        },
        manager,
    )


def _complaints(day: Workday) -> None:
    """The complaints and compliments log (issue 25, item 10): a stage 1 children's
    complaint due in two working days, an adult's complaint answered late, a compliment."""
    officer = day.users["officer"]
    child_case = db.session.scalar(
        sa.select(Concern)
        .where(Concern.is_child, Concern.deleted_at.is_(None))
        .order_by(Concern.id)
    )
    adult_cases = list(
        db.session.scalars(
            sa.select(Concern)
            .where(Concern.is_child.is_(False), Concern.deleted_at.is_(None))
            .order_by(Concern.id)
            .limit(2)
        )
    )
    if child_case is None or len(adult_cases) < 2:
        return
    common = {"made_by": "family_or_carer"}
    complaint_operations.record_entry(
        common
        | {
            "kind": "complaint",
            "procedure": "children",
            "concern_id": child_case.id,
            "made_by_name": day.fake.name_female(),
            "received_via": "email",
            # stage 1 (10 working days) then falls due two working days from today
            "received_on": day.working_days_ago(8),
            "about": "Says she was not told the outcome of the strategy discussion, and "
            "that the social worker has not returned her calls for a week.",
        },
        officer,
    )
    received = day.working_days_ago(40)
    late = complaint_operations.record_entry(
        common
        | {
            "kind": "complaint",
            "procedure": "adults",
            "concern_id": adult_cases[0].id,
            "made_by_name": day.fake.name_male(),
            "received_via": "letter",
            "received_on": received,
            "about": "Complains that his father was moved to a new care home without the "
            "family being asked, while the enquiry was open.",
        },
        officer,
    )
    complaint_operations.acknowledge(
        late,
        {
            "acknowledged_on": day.working.add_working_days(received, 5),
            "response_due_on": day.working.add_working_days(received, 20),
        },
        officer,
    )
    complaint_operations.answer(
        late,
        {
            "answered_on": day.working.add_working_days(received, 28),
            "outcome": "partly_upheld",
            "response": "The move was needed at short notice; the family should have been "
            "told the same day. The team's practice note has been changed.",
        },
        officer,
    )
    complaint_operations.record_entry(
        common
        | {
            "kind": "compliment",
            "concern_id": adult_cases[1].id,
            "made_by_name": day.fake.name_female(),
            "received_via": "phone",
            "received_on": day.working_days_ago(3),
            "about": "Thanks the officer who visited her mother for listening to what her "
            "mother wanted and explaining each step.",
        },
        officer,
    )
