"""What each agency sees, as a state machine.

Hypothesis runs random sequences of what changes who sees a case, and how much of it:
concerns recorded by the safeguarding team or referred by an agency (some about a service
provider, some with a screening decision), involvement added and ended, the level of an
agency's involvement changed, strategy discussions scheduled, agencies invited and
uninvited, reports sent to meetings (perhaps restricted to some of the invited agencies),
meetings cancelled or held (their minutes with a confidential part for the agencies
named, perhaps none), case notes written (perhaps restricted to some agencies),
agency forms written, shared and no longer shared. A plain model of sets and dicts says
what each agency should see. After every step each partner agency's practitioner reads
the API with their own token and must see exactly that: the concerns list (each concern
as its level shows it), the meetings list (which of each meeting's concerns it shows,
and the meeting's records or only its own invitation) and each form's submissions list;
and each concern, meeting, form and case's notes whose answer is new or has changed
since the agency last opened it must answer 200 with what the model says, 403 for notes
its level does not show, or 404 exactly like a record that does not exist. The
safeguarding officer sees everything, with exactly the model's involvements and their
levels, and every note.

The model follows the design and the access modules:
- an agency sees a case while one of its involvements in it is active. The referrer is
  involved; the team adds an agency with a reason; an invitation involves the agency in
  each concern of the meeting until no meeting of that concern still going ahead (not
  cancelled) invites it. Ending an involvement ends that one at once, whatever its reason.
- need to know inside a case: an agency reads a case at the narrowest level of its active
  involvements in it (implicated, contributor, full). A new involvement takes the level of
  the agency's active involvements in the case, or else of its last one that ended (a
  level the team set outlives a lapse); with none ever, the provider the case implicates
  is implicated (the source of risk is a service provider, and the agency runs the
  establishment where it happened or, where none is named, referred the concern and runs
  an establishment), any other agency is involved in full. The team sets the level of all
  the agency's active involvements in the case at once. Full shows the whole case;
  contributor its summary, clocks and who is involved, not the decision or the notes;
  implicated none of these, but the summary of its own referral.
- a meeting is seen by an agency while it is invited (not withdrawn) and sees one of its
  concerns, and shows only those concerns. Its records (minutes, the other invitations)
  are read by an invited agency involved in full in each of those concerns; any other
  reads only its own invitation. The confidential part of its minutes is read by the
  agencies named for it among those that read its records. A cancelled or held meeting
  refuses every change. An invited agency sends its report until the meeting is
  cancelled; an agency is told of its own report and, where it reads the meeting's
  records, of every report: it reads an open one, and a restricted one only where it is
  named on it; of the others it sees only that they exist.
- a case's notes are read where its level shows them (in full); a restricted note only
  by the team, its author's agency and the agencies named on it: the others see that it
  exists, when and by which agency, not what it says. An agency writes notes where it
  reads them.
- a form is read by the agency that wrote it and the agencies it is shared with and,
  when it is about a case, only while the reader sees the case. An agency's own return
  is about no case.

The app, its agencies and the establishments are built once. Each example starts again
from that world by deleting the rows it wrote; the access log refuses deletes (it is
append-only and hash-chained), so its entries stay, and the chain is verified at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.auth.helpers import sign_in
from tests.conftest import TEST_PASSWORD, Factory, csrf_token

EXAMPLES = 70
SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=5,
    deadline=None,
    derandomize=True,  # the same sequences on every run and in CI
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
PARTNERS = ("police", "nhs", "care_home")
AGENCY_TYPES = {
    "council": "local_authority",
    "police": "police",
    "nhs": "nhs_trust",
    "care_home": "care_provider",
}
# Establishments: the partner that runs each (None: no partner does), and its kind.
ESTABLISHMENTS = {
    "home": ("care_home", "care_home_residential"),
    "ward": ("nhs", "hospital_acute"),
    "day_centre": (None, "community_service"),
}
PROVIDERS = frozenset(p for p, _ in ESTABLISHMENTS.values() if p is not None)
# Involvement levels, the narrowest first, and what each shows of what is checked here
# (core/policy/cases.py, LEVEL_SECTIONS; an implicated referrer also reads its summary).
LEVELS = ("implicated", "contributor", "full")
SHOWN = {
    "implicated": frozenset[str](),
    "contributor": frozenset({"summary", "clocks", "involvements"}),
    "full": frozenset({"summary", "clocks", "involvements", "decision", "notes"}),
}
RESTRICTIONS = (None, "third_party", "police_sensitive", "health")
# Kept between examples: the access log refuses DELETE, and reference numbers carry on.
KEPT_TABLES = frozenset({"access_log", "access_log_checkpoints", "reference_counters"})
PAGE = "?page_size=100"
ADULT = {"given_name": "Edith", "family_name": "Marsh", "date_of_birth": "1938-04-02"}
CHILD = {"given_name": "Alfie", "family_name": "Turner", "date_of_birth": "2016-05-09"}
DESCRIPTION = "Neighbour reports the person is left alone without food."
DECISION = "No further action: the family has arranged daily visits."
MINUTES = "Agreed: daily welfare visits, reviewed in a week."
CONFIDENTIAL = "The police have a named suspect; not to be shared with the family."


@dataclass(frozen=True)
class Form:
    name: str
    writer: str
    about_concern: bool
    answers: Mapping[str, Any]


INVESTIGATION = Form(
    "police.investigation",
    "police",
    True,
    {
        "crime_reference": "NP/26/012345",
        "officer_in_charge": "DC Priya Shah 4471",
        "offence_category": "violence",
        "reported_on": "2026-11-18",
        "status": "reported",
        "status_on": "2026-11-18",
    },
)
INCIDENT = Form(
    "nhs_trust.patient_safety_incident",
    "nhs",
    False,
    {
        "incident_reference": "W123456",
        "setting": "emergency_department",
        "occurred_on": "2026-11-12",
        "safeguarding_element": "Patient disclosed financial abuse by a carer.",
        "learning_response": "after_action_review",
        "referral_made": False,
    },
)
FORMS = (INVESTIGATION, INCIDENT)


# --- The model ------------------------------------------------------------------------------


@dataclass
class Case:
    referrer: str | None
    implicates: str | None  # the provider the case implicates, if a partner
    decided: bool = False  # a screening decision is made


@dataclass
class Involved:
    concern: int
    agency: str
    reason: str  # referrer, added or invited
    level: str
    # None until read back from the API, for the rows an invitation creates
    id: int | None = None
    active: bool = True


@dataclass(frozen=True)
class Report:
    agency: str
    restriction: str | None
    readers: frozenset[str]
    text: str


@dataclass
class MeetingState:
    concerns: tuple[int, ...]
    # agency -> its invitation, until withdrawn (a cancelled or held meeting keeps them)
    invitations: dict[str, int]
    cancelled: bool = False
    held: bool = False
    # once held: the agencies named for the confidential part of its minutes
    confidential: frozenset[str] = frozenset()
    # invitation -> the report its agency sent (the last one: a new one replaces it)
    reports: dict[int, Report] = field(default_factory=dict)


@dataclass(frozen=True)
class Note:
    concern: int
    author: str  # the author's agency: the council for the officer
    restriction: str | None
    readers: frozenset[str]
    text: str


@dataclass
class SubmissionState:
    form: Form
    owner: str
    concern: int | None
    # agency -> its share, until withdrawn
    shares: dict[str, int] = field(default_factory=dict)


@dataclass
class Model:
    concerns: dict[int, Case] = field(default_factory=dict)
    involvements: list[Involved] = field(default_factory=list)
    meetings: dict[int, MeetingState] = field(default_factory=dict)
    notes: dict[int, Note] = field(default_factory=dict)
    submissions: dict[int, SubmissionState] = field(default_factory=dict)

    def active(self, concern: int, agency: str | None = None) -> list[Involved]:
        return [
            row
            for row in self.involvements
            if row.active and row.concern == concern and agency in (None, row.agency)
        ]

    def level(self, agency: str, concern: int) -> str | None:
        """The narrowest level of the agency's active involvements in the case; None
        while it has none."""
        levels = {row.level for row in self.active(concern, agency)}
        return next((level for level in LEVELS if level in levels), None)

    def sees(self, agency: str, concern: int) -> bool:
        return self.level(agency, concern) is not None

    def shown(self, agency: str, concern: int) -> frozenset[str]:
        """What of the case (one it sees) the agency reads, of what is checked here."""
        level = self.level(agency, concern)
        assert level is not None
        if level == "implicated" and self.concerns[concern].referrer == agency:
            return SHOWN[level] | {"summary"}  # its own referral
        return SHOWN[level]

    def involve(self, concern: int, agency: str, reason: str, id: int | None = None) -> Involved:
        """A new involvement: at the level of the agency's active ones in the case, or
        else of its last one that ended, or, with none ever, implicated if the case
        implicates it and in full otherwise."""
        current = self.active(concern, agency)
        ended = [i for i in self.involvements if i.concern == concern and i.agency == agency]
        if current:
            level = current[0].level
        elif ended:
            level = ended[-1].level
        elif self.concerns[concern].implicates == agency:
            level = "implicated"
        else:
            level = "full"
        row = Involved(concern, agency, reason, level, id)
        self.involvements.append(row)
        return row

    def concerns_seen(self, agency: str) -> set[int]:
        return {concern for concern in self.concerns if self.sees(agency, concern)}

    def meeting_concerns_seen(self, agency: str, meeting: int) -> set[int]:
        return {c for c in self.meetings[meeting].concerns if self.sees(agency, c)}

    def meetings_seen(self, agency: str) -> dict[int, set[int]]:
        """Meeting -> the concerns it shows the agency, for each meeting it sees: those it
        is invited to (a cancelled meeting keeps its invitations) and sees a concern of."""
        shown = {
            m: self.meeting_concerns_seen(agency, m)
            for m, state in self.meetings.items()
            if agency in state.invitations
        }
        return {meeting: concerns for meeting, concerns in shown.items() if concerns}

    def reads_records(self, agency: str, meeting: int) -> bool:
        """An agency reads a meeting's records (one it sees) while invited and involved in
        full in each of the meeting's concerns it sees."""
        return agency in self.meetings[meeting].invitations and all(
            self.level(agency, c) == "full" for c in self.meeting_concerns_seen(agency, meeting)
        )

    def reads_confidential(self, agency: str, meeting: int) -> bool:
        named = self.meetings[meeting].confidential
        return agency in named and self.reads_records(agency, meeting)

    def report_shown(self, agency: str, meeting: int, report: Report) -> tuple[bool, bool]:
        """Is the agency told of a report to the meeting, and may it read it? Told of its
        own, and of every report where it reads the meeting's records; it reads its own,
        an open one, and a restricted one it is named on."""
        told = report.agency == agency or self.reads_records(agency, meeting)
        readable = report.agency == agency or not report.restriction or agency in report.readers
        return told, told and readable

    def notes_of(self, concern: int) -> dict[int, Note]:
        return {n: note for n, note in self.notes.items() if note.concern == concern}

    @staticmethod
    def reads_note(agency: str, note: Note) -> bool:
        """Of a case's notes, an agency reading them reads an open note, and a restricted
        one if it wrote it or is named on it."""
        return note.restriction is None or agency == note.author or agency in note.readers

    def reads(self, agency: str, submission: int) -> bool:
        state = self.submissions[submission]
        return (state.owner == agency or agency in state.shares) and (
            state.concern is None or self.sees(agency, state.concern)
        )

    def readable(self, agency: str, form: Form) -> set[int]:
        return {
            s
            for s, state in self.submissions.items()
            if state.form == form and self.reads(agency, s)
        }

    def forms_written(self) -> list[Form]:
        return [f for f in FORMS if any(s.form == f for s in self.submissions.values())]

    def involve_invitees(self, meeting: int, agencies: Iterable[str]) -> None:
        """Each newly invited agency is involved in each concern of the meeting, once."""
        for concern in self.meetings[meeting].concerns:
            for agency in agencies:
                if not any(r.reason == "invited" for r in self.active(concern, agency)):
                    self.involve(concern, agency, "invited")

    def end_invited(self, meeting: int, agency: str) -> None:
        """The agency stops being involved through invitations in each concern of the
        meeting that no meeting still going ahead invites it to."""
        for concern in self.meetings[meeting].concerns:
            still_invited = any(
                not other.cancelled and concern in other.concerns and agency in other.invitations
                for other in self.meetings.values()
            )
            if still_invited:
                continue
            for row in self.active(concern, agency):
                if row.reason == "invited":
                    row.active = False


# --- The world, built once ------------------------------------------------------------------


@dataclass
class Page:
    """A signed-in browser session, for what only the pages do (withdrawing a share)."""

    client: FlaskClient
    csrf: str


@dataclass
class World:
    app: Flask
    agencies: dict[str, int]
    api: dict[str, ApiClient]
    pages: dict[str, Page]
    establishments: dict[str, int] = field(default_factory=dict)
    # table -> the highest id before the examples; rows above it are an example's
    marks: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    examples: int = 0

    def agency_key(self, agency_id: int) -> str:
        return next(key for key, value in self.agencies.items() if value == agency_id)

    def agency_keys(self, agency_ids: Iterable[int]) -> set[str]:
        return {self.agency_key(agency_id) for agency_id in agency_ids}

    def remember_rows(self) -> None:
        with self.app.app_context():
            for table in db.metadata.sorted_tables:
                if "id" in table.c:
                    top = db.session.scalar(sa.select(sa.func.max(table.c.id)))
                    self.marks[table.name] = top or 0
            self.counts = self.row_counts()

    def row_counts(self) -> dict[str, int]:
        return {
            table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
            for table in db.metadata.sorted_tables
            if table.name not in KEPT_TABLES
        }

    def reset(self) -> None:
        """Delete every row the example wrote, children first."""
        self.examples += 1
        with self.app.app_context():
            for table in reversed(db.metadata.sorted_tables):
                if table.name in KEPT_TABLES:
                    continue
                if "id" in table.c:
                    db.session.execute(table.delete().where(table.c.id > self.marks[table.name]))
                    continue
                for key in table.foreign_keys:  # association tables
                    mark = self.marks[key.column.table.name]
                    db.session.execute(table.delete().where(key.parent > mark))
            db.session.commit()


def build_world(app: Flask) -> World:
    """The council with an officer, three partner agencies with a practitioner each, and
    the establishments (a care home the care provider runs, a ward the trust runs, a day
    centre no partner runs)."""
    factory = Factory(app)
    agencies = {
        key: factory.agency(name=f"Northshire {key.replace('_', ' ').title()}", type=type_)
        for key, type_ in AGENCY_TYPES.items()
    }
    users = {"officer": (Role.SAFEGUARDING_OFFICER, "council")} | {
        key: (Role.AGENCY_PRACTITIONER, key) for key in PARTNERS
    }
    api: dict[str, ApiClient] = {}
    pages: dict[str, Page] = {}
    for key, (role, agency) in users.items():
        email = f"{key}@example.org"
        user_id = factory.user(role=role, email=email, agency_id=agencies[agency])
        api[key] = ApiClient(app.test_client(), make_token(app, user_id, days=365))
        client = app.test_client()
        assert sign_in(client, email, TEST_PASSWORD).status_code == 302
        pages[key] = Page(client, csrf_token(client, "/"))
    world = World(app, agencies, api, pages)
    for name, (provider, kind) in ESTABLISHMENTS.items():
        response = api["officer"].post(
            "/api/v1/establishments/",
            json={
                "name": f"Northshire {name.replace('_', ' ').title()}",
                "kind": kind,
                "provider_agency_id": agencies[provider] if provider else None,
            },
        )
        assert response.status_code == 201, response.json
        world.establishments[name] = response.json["id"]
    world.remember_rows()
    return world


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.json
    assert response.json["total"] == len(response.json["items"])  # one page holds them all
    return {item["id"] for item in response.json["items"]}


def agency_name(key: str) -> str:
    return f"Northshire {key.replace('_', ' ').title()}"


@dataclass(frozen=True)
class NewConcern:
    referrer: str | None
    by_referrer: bool  # the referrer's practitioner records it, not the officer
    child: bool
    provider: bool  # the source of risk is a service provider
    establishment: str | None
    decided: bool  # the officer makes the screening decision

    def implicates(self) -> str | None:
        """The partner the case implicates: where the source of risk is a service
        provider, the partner running the establishment named (none if no partner runs
        it), or where none is named, the referrer if it runs one."""
        if not self.provider:
            return None
        if self.establishment is not None:
            return ESTABLISHMENTS[self.establishment][0]
        return self.referrer if self.referrer in PROVIDERS else None


NEW_CONCERNS = st.builds(
    NewConcern,
    referrer=st.sampled_from((None, *PARTNERS)),
    by_referrer=st.booleans(),
    child=st.booleans(),
    provider=st.booleans(),
    establishment=st.sampled_from((None, *ESTABLISHMENTS)),
    decided=st.booleans(),
)
# The answer the model expects to a GET: its status and what the content depends on,
# with the check of the content.
Answer = tuple[tuple[Any, ...], Callable[[Any], None] | None]
EVERYTHING = SHOWN["full"]


# --- The machine ----------------------------------------------------------------------------


class AgencyViews(RuleBasedStateMachine):
    concerns = Bundle("concerns")

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world
        self.model = Model()
        self.officer = world.api["officer"]
        # (reader, address) -> the answer the model expected when the reader last opened it
        self.opened: dict[tuple[str, str], tuple[Any, ...]] = {}
        self.officer_saw = {"meetings": 0, "forms": 0}

    def teardown(self) -> None:
        self.world.reset()

    def delete(self, api: ApiClient, url: str) -> Any:
        return api.client.delete(url, headers=api.headers())

    # --- Concerns, involvement and its level

    @initialize(
        target=concerns,
        new=NEW_CONCERNS,
        involved=st.dictionaries(st.sampled_from(PARTNERS), st.sampled_from(LEVELS)),
        invited=st.none() | st.frozensets(st.sampled_from(PARTNERS)),
        trust_return=st.none() | st.frozensets(st.sampled_from(PARTNERS)),
    )
    def first_concern(
        self,
        new: NewConcern,
        involved: dict[str, str],
        invited: frozenset[str] | None,
        trust_return: frozenset[str] | None,
    ) -> int:
        """Every example starts from a concern with some agencies involved in it, each at
        some level, perhaps a meeting about it inviting some agencies, and perhaps the
        trust's return, shared with some agencies."""
        concern = self.record(new)
        for agency, level in sorted(involved.items()):
            row = self.involve(concern, agency)
            if row.level != level:
                self.set_level(row, level)
        if invited is not None:
            self.schedule_meeting(concern, None, invited)
        if trust_return is not None:
            self.write_form(INCIDENT, concern, trust_return)
        return concern

    @rule(target=concerns, new=NEW_CONCERNS)
    def record_concern(self, new: NewConcern) -> int:
        return self.record(new)

    def record(self, new: NewConcern) -> int:
        """The officer records a concern, naming the referring agency or none; or an
        agency's practitioner refers it as their own agency. The referrer is involved,
        implicated if the case implicates it."""
        establishment = new.establishment
        body = {
            "received_at": "2026-11-20T10:15:00+00:00",
            "person": CHILD if new.child else ADULT,
            "is_child": new.child,
            "referral_source": "6" if new.child else None,
            "types_of_risk": ["neglect"],
            "location": ESTABLISHMENTS[establishment][1] if establishment else "own_home",
            "establishment_id": self.world.establishments[establishment] if establishment else None,
            "source_of_risk": "service_provider" if new.provider else "known",
            "description": DESCRIPTION,
        }
        author, api = "officer", self.officer
        if new.referrer is not None and new.by_referrer:
            author, api = new.referrer, self.world.api[new.referrer]
        elif new.referrer is not None:
            body["referrer_agency_id"] = self.world.agencies[new.referrer]
        response = api.post("/api/v1/concerns/", json=body)
        assert response.status_code == 201, response.json
        concern = int(response.json["id"])
        self.model.concerns[concern] = Case(new.referrer, new.implicates(), decided=False)
        if new.referrer is not None:
            self.model.involve(concern, new.referrer, "referrer")
        if "involvements" in self.shown(author, concern):
            self.learn_involvements(concern, response.json["involvements"])
        # else (an implicated referrer is not told who is involved) from the officer's list
        self.check_concern(author, response.json)  # as its author reads it
        if new.decided:
            response = self.officer.post(
                f"/api/v1/concerns/{concern}/decision",
                json={"decision": "no_further_action", "reason": DECISION},
            )
            assert response.status_code == 200, response.json
            self.model.concerns[concern].decided = True
        return concern

    @rule(concern=concerns, agency=st.sampled_from(PARTNERS), add=st.booleans(), data=st.data())
    def involve_or_end_involvement(
        self, concern: int, agency: str, add: bool, data: st.DataObject
    ) -> None:
        """The officer involves the agency in the case with a reason, or ends one of its
        active involvements in it, whatever that one's reason (referrer, invited...)."""
        rows = self.model.active(concern, agency)
        if rows and not add:
            row = data.draw(st.sampled_from(rows))
            url = f"/api/v1/concerns/{concern}/involvements/{row.id}?reason=Case+passed+on"
            response = self.delete(self.officer, url)
            assert response.status_code == 204, response.json
            row.active = False
            return
        self.involve(concern, agency)

    def involve(self, concern: int, agency: str) -> Involved:
        response = self.officer.post(
            f"/api/v1/concerns/{concern}/involvements",
            json={"agency_id": self.world.agencies[agency], "note": "Working with the person"},
        )
        assert response.status_code == 201, response.json
        row = self.model.involve(concern, agency, "added", response.json["id"])
        assert response.json["level"] == row.level, response.json
        return row

    @precondition(lambda self: any(row.active for row in self.model.involvements))
    @rule(level=st.sampled_from(LEVELS), data=st.data())
    def change_level(self, level: str, data: st.DataObject) -> None:
        """The officer changes the level at which an agency reads a case, through one of
        its active involvements in it."""
        row = data.draw(st.sampled_from([r for r in self.model.involvements if r.active]))
        self.set_level(row, level)

    def set_level(self, row: Involved, level: str) -> None:
        response = self.officer.patch(
            f"/api/v1/concerns/{row.concern}/involvements/{row.id}",
            json={"level": level, "reason": "Need to know"},
        )
        assert response.status_code == 200, response.json
        assert response.json["level"] == level, response.json
        for other in self.model.active(row.concern, row.agency):
            other.level = level  # each of the agency's involvements in the case

    def learn_involvements(self, concern: int, shown: list[dict[str, Any]]) -> None:
        """Give the model's new involvements the ids the API shows for them; the API must
        show no new involvement the model does not expect, and all those it does."""
        known = {row.id for row in self.model.involvements}
        for item in shown:
            if item["id"] in known:
                continue
            key = (concern, self.world.agency_key(item["agency_id"]), item["reason"])
            new = next(
                (
                    row
                    for row in self.model.involvements
                    if row.id is None
                    and row.active
                    and (row.concern, row.agency, row.reason) == key
                ),
                None,
            )
            assert new is not None, f"unexpected involvement {item} in concern {concern}"
            assert item["level"] == new.level, (item, new)
            new.id = item["id"]
        missing = [r for r in self.model.involvements if r.id is None and r.concern == concern]
        assert not missing, f"the API does not show {missing}"

    # --- Case notes

    @rule(
        concern=concerns,
        author=st.sampled_from(("officer", *PARTNERS)),
        restriction=st.sampled_from(RESTRICTIONS),
        readers=st.frozensets(st.sampled_from(PARTNERS)),
    )
    def write_note(
        self, concern: int, author: str, restriction: str | None, readers: frozenset[str]
    ) -> None:
        """The officer or an agency's practitioner writes a case note, perhaps restricted
        to the agencies named. An agency writes notes only where it reads them: 404 where
        it does not see the case, 403 where its level does not show the notes."""
        readers = readers if restriction else frozenset()
        text = f"Note {len(self.model.notes) + 1} by {author}"
        api = self.officer if author == "officer" else self.world.api[author]
        response = api.post(
            f"/api/v1/concerns/{concern}/notes",
            json={
                "text": text,
                "restriction": restriction,
                "reader_agency_ids": sorted(self.world.agencies[a] for a in readers),
            },
        )
        if author != "officer" and not self.model.sees(author, concern):
            assert response.status_code == 404, response.json
            return
        if "notes" not in self.shown(author, concern):
            assert response.status_code == 403, response.json
            return
        assert response.status_code == 201, response.json
        assert (response.json["readable"], response.json["text"]) == (True, text)
        writer = "council" if author == "officer" else author
        self.model.notes[response.json["id"]] = Note(concern, writer, restriction, readers, text)

    # --- Meetings and invitations

    @rule(
        first=concerns,
        second=st.none() | concerns,
        invited=st.frozensets(st.sampled_from(PARTNERS)),
    )
    def schedule_meeting(self, first: int, second: int | None, invited: frozenset[str]) -> None:
        """A strategy discussion about one or two concerns, inviting exactly ``invited``:
        every other agency the standard list proposes is left off, with the reason."""
        about = tuple(dict.fromkeys(c for c in (first, second) if c is not None))
        agencies = self.world.agencies
        response = self.officer.post(
            "/api/v1/meetings/",
            json={
                "type": "strategy_discussion",
                "concern_ids": list(about),
                "starts_at": "2026-11-23T09:00:00+00:00",  # held that morning (hold_meeting)
                "venue": "Room 2, County Hall",
                "removed": [
                    {"agency_id": agency_id, "reason": "Not needed this time"}
                    for key, agency_id in agencies.items()
                    if key not in invited
                ],
                "added": [
                    {"agency_id": agencies[key], "reason": "Working with the family"}
                    for key in sorted(invited)
                ],
            },
        )
        assert response.status_code == 201, response.json
        meeting = int(response.json["id"])
        invitations = {
            self.world.agency_key(item["agency_id"]): item["id"]
            for item in response.json["invitations"]
        }
        assert set(invitations) == invited, response.json["invitations"]
        self.model.meetings[meeting] = MeetingState(about, invitations)
        self.model.involve_invitees(meeting, invited)  # their ids: from the officer's list

    @precondition(lambda self: bool(self.model.meetings))
    @rule(agency=st.sampled_from((*PARTNERS, None)), data=st.data())
    def change_meeting(self, agency: str | None, data: st.DataObject) -> None:
        """Invite the agency, withdraw its invitation, or (no agency) cancel a meeting.
        A cancelled or held meeting refuses every change."""
        meeting = data.draw(st.sampled_from(sorted(self.model.meetings)))
        state = self.model.meetings[meeting]
        if agency is None:
            response = self.officer.post(
                f"/api/v1/meetings/{meeting}/cancel", json={"reason": "The chair is ill"}
            )
        elif agency in state.invitations:
            url = f"/api/v1/meetings/{meeting}/invitations/{state.invitations[agency]}"
            response = self.delete(self.officer, url + "?reason=Not+needed")
        else:
            response = self.officer.post(
                f"/api/v1/meetings/{meeting}/invitations",
                json={"agency_id": self.world.agencies[agency], "reason": "Knows the family"},
            )
        if state.cancelled or state.held:
            assert response.status_code == 422, response.json
        elif agency is None:
            assert response.status_code == 200, response.json
            state.cancelled = True
            for invited in state.invitations:
                self.model.end_invited(meeting, invited)
        elif agency in state.invitations:
            assert response.status_code == 204, response.json
            del state.invitations[agency]
            self.model.end_invited(meeting, agency)
        else:
            assert response.status_code == 201, response.json
            state.invitations[agency] = response.json["id"]
            self.model.involve_invitees(meeting, [agency])

    @precondition(lambda self: bool(self.model.meetings))
    @rule(confidential=st.frozensets(st.sampled_from(PARTNERS)), data=st.data())
    def hold_meeting(self, confidential: frozenset[str], data: st.DataObject) -> None:
        """The officer records a meeting as held, everyone invited having attended, with
        its minutes and a confidential part for the agencies named (none: for the team
        only)."""
        meeting = data.draw(st.sampled_from(sorted(self.model.meetings)))
        state = self.model.meetings[meeting]
        body: dict[str, Any] = {
            "held_at": "2026-11-23T09:00:00+00:00",
            "outcomes": [
                {"invitation_id": invitation, "outcome": "attended_in_person"}
                for invitation in state.invitations.values()
            ],
            "minutes": MINUTES,
            "confidential_minutes": CONFIDENTIAL,
            "confidential_agency_ids": sorted(self.world.agencies[a] for a in confidential),
        }
        response = self.officer.post(f"/api/v1/meetings/{meeting}/held", json=body)
        if state.cancelled or state.held:
            assert response.status_code == 422, response.json
            return
        assert response.status_code == 200, response.json
        state.held, state.confidential = True, confidential
        self.check_meeting("officer", response.json)

    @precondition(lambda self: bool(self.model.meetings))
    @rule(
        restriction=st.sampled_from(RESTRICTIONS),
        readers=st.frozensets(st.sampled_from(PARTNERS)),
        data=st.data(),
    )
    def send_report(
        self, restriction: str | None, readers: frozenset[str], data: st.DataObject
    ) -> None:
        """An invited agency sends its report to a meeting, perhaps restricted to other
        invited agencies named (a new one replaces the last). Refused where the agency no
        longer sees the meeting (404) or the meeting was cancelled (422)."""
        meeting = data.draw(st.sampled_from(sorted(self.model.meetings)))
        state = self.model.meetings[meeting]
        if not state.invitations:
            return
        agency = data.draw(st.sampled_from(sorted(state.invitations)))
        readers = (readers & set(state.invitations)) - {agency} if restriction else frozenset()
        invitation = state.invitations[agency]
        text = f"Report {len(state.reports) + 1} from {agency}"
        response = self.world.api[agency].post(
            f"/api/v1/meetings/{meeting}/invitations/{invitation}/report",
            json={
                "text": text,
                "restriction": restriction,
                "reader_agency_ids": sorted(self.world.agencies[a] for a in readers),
            },
        )
        if meeting not in self.model.meetings_seen(agency):
            assert response.status_code == 404, response.json
            return
        if state.cancelled:
            assert response.status_code == 422, response.json
            return
        assert response.status_code == 200, response.json
        state.reports[invitation] = Report(agency, restriction, readers, text)

    # --- Agency forms

    @rule(
        form=st.sampled_from(FORMS),
        concern=concerns,
        share_with=st.frozensets(st.sampled_from(PARTNERS)),
    )
    def write_form(self, form: Form, concern: int, share_with: frozenset[str]) -> None:
        """The writing agency fills in a form about a case (refused unless it sees the
        case), or its own return about no case; then shares it with some agencies."""
        subject = concern if form.about_concern else None
        response = self.world.api[form.writer].post(
            f"/api/v1/forms/{form.name}/submissions",
            json={"subject_id": subject, "data": dict(form.answers)},
        )
        if subject is not None and not self.model.sees(form.writer, subject):
            assert response.status_code == 422, response.json
            return
        assert response.status_code == 201, response.json
        submission = int(response.json["id"])
        self.model.submissions[submission] = SubmissionState(form, form.writer, subject)
        for agency in sorted(share_with - {form.writer}):
            self.share(submission, agency, by_owner=True)

    @precondition(lambda self: bool(self.model.submissions))
    @rule(agency=st.sampled_from(PARTNERS), data=st.data())
    def share_or_unshare(self, agency: str, data: st.DataObject) -> None:
        """The writing agency or the officer shares a form with the agency, or stops
        sharing it (on the form's page: the API has no way to)."""
        submission = data.draw(st.sampled_from(sorted(self.model.submissions)))
        by_owner = data.draw(st.booleans())
        if agency in self.model.submissions[submission].shares:
            self.unshare(submission, agency, by_owner)
        else:
            self.share(submission, agency, by_owner)

    def share(self, submission: int, agency: str, by_owner: bool) -> None:
        state = self.model.submissions[submission]
        api = self.world.api[state.owner] if by_owner else self.officer
        response = api.post(
            f"/api/v1/forms/{state.form.name}/submissions/{submission}/shares",
            json={"agency_id": self.world.agencies[agency]},
        )
        if by_owner and not self.model.reads(state.owner, submission):
            assert response.status_code == 404, response.json  # it may no longer read it
        elif agency == state.owner:
            assert response.status_code == 422, response.json
        else:
            assert response.status_code == 201, response.json
            state.shares[agency] = response.json["id"]

    def unshare(self, submission: int, agency: str, by_owner: bool) -> None:
        state = self.model.submissions[submission]
        page = self.world.pages[state.owner if by_owner else "officer"]
        response = page.client.post(
            f"/forms/submissions/{submission}/shares/{state.shares[agency]}/withdraw",
            data={"csrf_token": page.csrf},
        )
        if by_owner and not self.model.reads(state.owner, submission):
            assert response.status_code == 404  # it may no longer read it
            return
        assert response.status_code == 302
        del state.shares[agency]

    # --- What everyone sees

    @invariant()
    def each_agency_sees_what_the_model_says(self) -> None:
        # A list of a kind nothing has been written of is not asked for: every example
        # starts from the world with none (the test checks none are left behind).
        self.check_officer()  # first: it learns the ids of the involvements the step made
        for agency in PARTNERS:
            self.check_agency(agency)

    def check_agency(self, agency: str) -> None:
        """The agency's lists are the model's, each item as its level shows it; and it
        opens each concern, notes list, meeting and form whose answer is new or has
        changed since it last opened it: 200 with what the model says when it may read
        it, 403 for notes its level does not show, otherwise 404."""
        api, model = self.world.api[agency], self.model
        seen = model.concerns_seen(agency)
        listed = api.get("/api/v1/concerns/" + PAGE)
        assert ids(listed) == seen, agency
        for item in listed.json["items"]:
            self.check_concern(agency, item)
        answers: dict[str, Answer] = {}
        for concern in model.concerns:
            url = f"/api/v1/concerns/{concern}"
            answers[url] = (
                ((200, model.shown(agency, concern)), partial(self.check_concern, agency))
                if concern in seen
                else ((404,), None)
            )
            if model.notes_of(concern):
                answers[url + "/notes"] = self.notes_answer(agency, concern)
        if model.meetings:
            meetings = model.meetings_seen(agency)
            listed = api.get("/api/v1/meetings/" + PAGE)
            assert ids(listed) == set(meetings), agency
            shown = {item["id"]: set(item["concern_ids"]) for item in listed.json["items"]}
            assert shown == meetings, agency  # only the concerns it sees
            for item in listed.json["items"]:
                self.check_meeting(agency, item)
            for meeting, state in model.meetings.items():
                records = self.reads_records(agency, meeting)
                answers[f"/api/v1/meetings/{meeting}"] = (
                    (
                        (
                            200,
                            records,
                            self.reads_confidential(agency, meeting),
                            records and state.held,
                        ),
                        partial(self.check_meeting, agency),
                    )
                    if meeting in meetings
                    else ((404,), None)
                )
        for form in model.forms_written():
            listed = api.get(f"/api/v1/forms/{form.name}/submissions" + PAGE)
            readable = model.readable(agency, form)
            assert ids(listed) == readable, (agency, form.name)
            answers |= {
                f"/api/v1/forms/{form.name}/submissions/{s}": (
                    (200 if s in readable else 404,),
                    None,
                )
                for s, state in model.submissions.items()
                if state.form == form
            }
        self.open_changed(agency, api, answers)

    def check_officer(self) -> None:
        """The officer sees every concern in full, with exactly the model's active
        involvements and their levels (giving the model the ids of those the step made),
        every note, and every meeting and form (listed again whenever one is added)."""
        model = self.model
        listed = self.officer.get("/api/v1/concerns/" + PAGE)
        assert ids(listed) == set(model.concerns)
        for item in listed.json["items"]:
            self.learn_involvements(item["id"], item["involvements"])
            self.check_concern("officer", item)
        answers = {
            f"/api/v1/concerns/{concern}/notes": self.notes_answer("officer", concern)
            for concern in model.concerns
            if model.notes_of(concern)
        }
        self.open_changed("officer", self.officer, answers)
        if len(model.meetings) != self.officer_saw["meetings"]:
            listed = self.officer.get("/api/v1/meetings/" + PAGE)
            assert {item["id"]: set(item["concern_ids"]) for item in listed.json["items"]} == {
                meeting: set(state.concerns) for meeting, state in model.meetings.items()
            }
            self.officer_saw["meetings"] = len(model.meetings)
        if len(model.submissions) != self.officer_saw["forms"]:
            for form in model.forms_written():
                listed = self.officer.get(f"/api/v1/forms/{form.name}/submissions" + PAGE)
                written = {s for s, state in model.submissions.items() if state.form == form}
                assert ids(listed) == written, form.name
            self.officer_saw["forms"] = len(model.submissions)

    def open_changed(self, reader: str, api: ApiClient, answers: Mapping[str, Answer]) -> None:
        """Open each address whose expected answer is new or has changed since the reader
        last opened it, and check its status and, where it answers 200, its content."""
        for url, (answer, check) in answers.items():
            if self.opened.get((reader, url)) == answer:
                continue
            response = api.get(url)
            assert response.status_code == answer[0], (reader, url, response.json)
            if check is not None:
                check(response.json)
            self.opened[reader, url] = answer

    # --- What the model says each reader reads (the officer: everything)

    def shown(self, reader: str, concern: int) -> frozenset[str]:
        return EVERYTHING if reader == "officer" else self.model.shown(reader, concern)

    def reads_records(self, reader: str, meeting: int) -> bool:
        return reader == "officer" or self.model.reads_records(reader, meeting)

    def reads_confidential(self, reader: str, meeting: int) -> bool:
        if reader == "officer":
            return self.model.meetings[meeting].held
        return self.model.reads_confidential(reader, meeting)

    def reads_note(self, reader: str, note: Note) -> bool:
        return reader == "officer" or self.model.reads_note(reader, note)

    def notes_answer(self, reader: str, concern: int) -> Answer:
        """A case's notes list (one with notes): 404 where the reader does not see the
        case, 403 where its level does not show the notes, else which it may read."""
        if reader != "officer" and not self.model.sees(reader, concern):
            return (404,), None
        if "notes" not in self.shown(reader, concern):
            return (403,), None
        notes = self.model.notes_of(concern)
        readable = frozenset((n, self.reads_note(reader, note)) for n, note in notes.items())
        return (200, readable), partial(self.check_notes, reader, concern)

    # --- What a reader's answer must say

    def check_concern(self, reader: str, item: dict[str, Any]) -> None:
        """A concern as the reader's level shows it: what was reported (its summary), its
        clocks, its decision and who is involved (at which level), or none of it."""
        concern = item["id"]
        case, shown, where = (
            self.model.concerns[concern],
            self.shown(reader, concern),
            (reader, item),
        )
        summary = "summary" in shown
        assert item["description"] == (DESCRIPTION if summary else None), where
        referrer = self.world.agencies[case.referrer] if summary and case.referrer else None
        assert item["referrer_agency_id"] == referrer, where
        assert (item["screening_due"] is not None) == ("clocks" in shown), where
        decision = DECISION if case.decided and "decision" in shown else None
        assert item["decision_reason"] == decision, where
        involved = {
            (row.id, row.agency, row.reason, row.level) for row in self.model.active(concern)
        }
        listed = [
            (i["id"], self.world.agency_key(i["agency_id"]), i["reason"], i["level"])
            for i in item["involvements"]
        ]
        assert len(listed) == len(set(listed)), where
        assert set(listed) == (involved if "involvements" in shown else set()), where

    def check_meeting(self, reader: str, item: dict[str, Any]) -> None:
        """A meeting with its records (minutes, every invitation) where the reader reads
        them, else only its own invitation; the confidential part of its minutes only for
        the team and the agencies named that read its records."""
        meeting, where = item["id"], (reader, item)
        state = self.model.meetings[meeting]
        status = "cancelled" if state.cancelled else "held" if state.held else "scheduled"
        assert item["status"] == status, where
        records = self.reads_records(reader, meeting)
        invited = self.world.agency_keys(i["agency_id"] for i in item["invitations"])
        assert invited == (set(state.invitations) if records else {reader}), where
        if not records:
            assert item["withdrawn_invitations"] == [], where
        assert item["minutes"] == (MINUTES if records and state.held else None), where
        confidential = self.reads_confidential(reader, meeting)
        assert item["confidential_minutes"] == (CONFIDENTIAL if confidential else None), where
        named = self.world.agency_keys(item["confidential_agency_ids"])
        assert named == (state.confidential if confidential else set()), where
        for invitation in item["invitations"] + item["withdrawn_invitations"]:
            self.check_report(reader, meeting, invitation)

    def check_report(self, reader: str, meeting: int, invitation: dict[str, Any]) -> None:
        """An invitation's report: none where none was sent or the reader is not told of
        it; what it says where the reader may read it; else only that it exists."""
        report = self.model.meetings[meeting].reports.get(invitation["id"])
        shown, where = invitation["report"], (reader, meeting, invitation)
        told, readable = (
            (report is not None, report is not None)
            if reader == "officer" or report is None
            else self.model.report_shown(reader, meeting, report)
        )
        if not told:
            assert shown is None, where
            return
        assert report is not None and shown["readable"] is readable, where
        if readable:
            assert (shown["text"], shown["restriction"]) == (report.text, report.restriction)
            assert self.world.agency_keys(shown["reader_agency_ids"]) == report.readers, where
        else:
            assert (shown["text"], shown["restriction"], shown["reader_agency_ids"]) == (
                None,
                None,
                [],
            ), where

    def check_notes(self, reader: str, concern: int, items: list[dict[str, Any]]) -> None:
        """Every note of the case: what it says where the reader may read it, else only
        that it exists, when and by which agency."""
        notes = self.model.notes_of(concern)
        assert sorted(item["id"] for item in items) == sorted(notes), (reader, items)
        for item in items:
            note, where = notes[item["id"]], (reader, item)
            assert item["author_agency_name"] == agency_name(note.author), where
            assert item["written_at"] is not None, where
            if self.reads_note(reader, note):
                assert item["readable"] is True, where
                assert (item["text"], item["restriction"]) == (note.text, note.restriction), where
                assert self.world.agency_keys(item["reader_agency_ids"]) == note.readers, where
            else:
                assert item["readable"] is False, where
                withheld = ("text", "restriction", "author_name", "key_decision")
                assert all(item[name] is None for name in withheld), where
                assert item["reader_agency_ids"] == [], where


def commit_without_waiting_for_the_disk(app: Flask) -> None:
    """Thousands of requests each commit their access log entry; whether a commit would
    survive a power cut is not what this test is about, so it does not wait for the disk."""
    with app.app_context():
        engine = db.engine
        postgres = engine.dialect.name == "postgresql"
        statement = "SET synchronous_commit = off" if postgres else "PRAGMA synchronous = OFF"

        def on_connect(connection: Any, record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute(statement)
            cursor.close()
            if postgres:
                connection.commit()

        sa.event.listen(engine, "connect", on_connect)
        engine.dispose()


def test_each_agency_sees_exactly_what_the_model_says(app: Flask) -> None:
    from core.accesslog.operations import verify_chain

    commit_without_waiting_for_the_disk(app)
    world = build_world(app)

    class AgencyViewsInThisWorld(AgencyViews):
        def __init__(self) -> None:
            super().__init__(world)

    run_state_machine_as_test(AgencyViewsInThisWorld, settings=SETTINGS)
    # Runs, counting the few Hypothesis discards as invalid: a floor that catches a run
    # that stopped early (--hypothesis-show-statistics on AgencyViews.TestCase counts
    # 200 passing examples).
    assert world.examples >= EXAMPLES
    with app.app_context():
        assert world.row_counts() == world.counts  # the examples left nothing behind
        assert verify_chain().intact
