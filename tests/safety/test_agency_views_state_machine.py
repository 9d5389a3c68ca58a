"""What each agency sees, as a state machine.

Hypothesis runs random sequences of what changes who sees a case: concerns recorded by
the safeguarding team or referred by an agency, involvement added and ended, strategy
discussions scheduled, agencies invited and uninvited, meetings cancelled, agency forms
written, shared and no longer shared. A plain model of sets and dicts says what each
agency should see. After every step each partner agency's practitioner reads the API
with their own token and must see exactly that: the concerns list, the meetings list
(and which of each meeting's concerns it shows) and each form's submissions list; and
each concern, meeting and form whose answer is new or has changed since the agency last
opened it must answer 200, or 404 exactly like a record that does not exist. The
safeguarding officer sees everything, with exactly the model's involvements.

The model follows the design and the access modules:
- an agency sees a case while one of its involvements in it is active. The referrer is
  involved; the team adds an agency with a reason; an invitation involves the agency in
  each concern of the meeting until no meeting of that concern still going ahead invites
  it. Ending an involvement ends that one at once, whatever its reason.
- a meeting is seen by an agency while it is invited (not withdrawn) and sees one of its
  concerns, and shows only those concerns.
- a form is read by the agency that wrote it and the agencies it is shared with and,
  when it is about a case, only while the reader sees the case. An agency's own return
  is about no case.

The app and its agencies are built once. Each example starts again from that world by
deleting the rows it wrote; the access log refuses deletes (it is append-only and
hash-chained), so its entries stay, and the chain is verified at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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

EXAMPLES = 200
SETTINGS = settings(
    max_examples=EXAMPLES,
    stateful_step_count=4,
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
# Kept between examples: the access log refuses DELETE, and reference numbers carry on.
KEPT_TABLES = frozenset({"access_log", "reference_counters"})
PAGE = "?page_size=100"
ADULT = {"given_name": "Edith", "family_name": "Marsh", "date_of_birth": "1938-04-02"}
CHILD = {"given_name": "Alfie", "family_name": "Turner", "date_of_birth": "2016-05-09"}


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
class Involved:
    concern: int
    agency: str
    reason: str  # referrer, added or invited
    # None until read back from the API, for the rows an invitation creates
    id: int | None = None
    active: bool = True


@dataclass
class MeetingState:
    concerns: tuple[int, ...]
    # agency -> its invitation, until withdrawn (a cancelled meeting keeps them)
    invitations: dict[str, int]
    cancelled: bool = False


@dataclass
class SubmissionState:
    form: Form
    owner: str
    concern: int | None
    # agency -> its share, until withdrawn
    shares: dict[str, int] = field(default_factory=dict)


@dataclass
class Model:
    concerns: list[int] = field(default_factory=list)
    involvements: list[Involved] = field(default_factory=list)
    meetings: dict[int, MeetingState] = field(default_factory=dict)
    submissions: dict[int, SubmissionState] = field(default_factory=dict)

    def sees(self, agency: str, concern: int) -> bool:
        return any(
            row.active and row.concern == concern and row.agency == agency
            for row in self.involvements
        )

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
                key = (concern, agency, "invited")
                if not any(
                    r.active and (r.concern, r.agency, r.reason) == key for r in self.involvements
                ):
                    self.involvements.append(Involved(*key))

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
            for row in self.involvements:
                if (row.concern, row.agency, row.reason) == (concern, agency, "invited"):
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
    # table -> the highest id before the examples; rows above it are an example's
    marks: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    examples: int = 0

    def agency_key(self, agency_id: int) -> str:
        return next(key for key, value in self.agencies.items() if value == agency_id)

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
    """The council with an officer, and three partner agencies with a practitioner each."""
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
    world.remember_rows()
    return world


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.json
    assert response.json["total"] == len(response.json["items"])  # one page holds them all
    return {item["id"] for item in response.json["items"]}


# --- The machine ----------------------------------------------------------------------------


class AgencyViews(RuleBasedStateMachine):
    concerns = Bundle("concerns")
    meetings = Bundle("meetings")

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world
        self.model = Model()
        self.officer = world.api["officer"]
        # (agency, address) -> the status the model expected when the agency last opened it
        self.opened: dict[tuple[str, str], int] = {}
        self.officer_saw = {"meetings": 0, "forms": 0}

    def teardown(self) -> None:
        self.world.reset()

    def delete(self, api: ApiClient, url: str) -> Any:
        return api.client.delete(url, headers=api.headers())

    # --- Concerns and involvement

    @initialize(
        target=concerns,
        referrer=st.sampled_from((None, *PARTNERS)),
        by_referrer=st.booleans(),
        child=st.booleans(),
        involved=st.frozensets(st.sampled_from(PARTNERS)),
        trust_return=st.none() | st.frozensets(st.sampled_from(PARTNERS)),
    )
    def first_concern(
        self,
        referrer: str | None,
        by_referrer: bool,
        child: bool,
        involved: frozenset[str],
        trust_return: frozenset[str] | None,
    ) -> int:
        """Every example starts from a concern with some agencies involved in it, and
        perhaps the trust's return, shared with some agencies."""
        concern = self.record(referrer, by_referrer, child)
        for agency in sorted(involved):
            self.involve(concern, agency)
        if trust_return is not None:
            self.write_form(INCIDENT, concern, trust_return)
        return concern

    @rule(
        target=concerns,
        referrer=st.sampled_from((None, *PARTNERS)),
        by_referrer=st.booleans(),
        child=st.booleans(),
    )
    def record_concern(self, referrer: str | None, by_referrer: bool, child: bool) -> int:
        return self.record(referrer, by_referrer, child)

    def record(self, referrer: str | None, by_referrer: bool, child: bool) -> int:
        """The officer records a concern, naming the referring agency or none; or an
        agency's practitioner refers it as their own agency."""
        body = {
            "received_at": "2026-11-20T10:15:00+00:00",
            "person": CHILD if child else ADULT,
            "is_child": child,
            "referral_source": "6" if child else None,
            "types_of_risk": ["neglect"],
            "location": "own_home",
            "source_of_risk": "known",
            "description": "Neighbour reports the person is left alone without food.",
        }
        api = self.officer
        if referrer is not None and by_referrer:
            api = self.world.api[referrer]
        elif referrer is not None:
            body["referrer_agency_id"] = self.world.agencies[referrer]
        response = api.post("/api/v1/concerns/", json=body)
        assert response.status_code == 201, response.json
        concern = int(response.json["id"])
        self.model.concerns.append(concern)
        if referrer is not None:
            self.model.involvements.append(Involved(concern, referrer, "referrer"))
        self.learn_involvements(concern, response.json["involvements"])
        return concern

    @rule(concern=concerns, agency=st.sampled_from(PARTNERS), add=st.booleans(), data=st.data())
    def involve_or_end_involvement(
        self, concern: int, agency: str, add: bool, data: st.DataObject
    ) -> None:
        """The officer involves the agency in the case with a reason, or ends one of its
        active involvements in it, whatever that one's reason (referrer, invited...)."""
        rows = [
            row
            for row in self.model.involvements
            if row.active and (row.concern, row.agency) == (concern, agency)
        ]
        if rows and not add:
            row = data.draw(st.sampled_from(rows))
            url = f"/api/v1/concerns/{concern}/involvements/{row.id}?reason=Case+passed+on"
            response = self.delete(self.officer, url)
            assert response.status_code == 204, response.json
            row.active = False
            return
        self.involve(concern, agency)

    def involve(self, concern: int, agency: str) -> None:
        response = self.officer.post(
            f"/api/v1/concerns/{concern}/involvements",
            json={"agency_id": self.world.agencies[agency], "note": "Working with the person"},
        )
        assert response.status_code == 201, response.json
        self.model.involvements.append(Involved(concern, agency, "added", response.json["id"]))

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
            new.id = item["id"]
        missing = [r for r in self.model.involvements if r.id is None and r.concern == concern]
        assert not missing, f"the API does not show {missing}"

    def learn_from_officer(self, concerns: Iterable[int]) -> None:
        shown = self.officer_involvements()
        for concern in concerns:
            self.learn_involvements(concern, shown[concern])

    def officer_involvements(self) -> dict[int, list[dict[str, Any]]]:
        """Each concern's active involvements, from the officer's concerns list."""
        response = self.officer.get("/api/v1/concerns/" + PAGE)
        assert ids(response) == set(self.model.concerns)
        return {item["id"]: item["involvements"] for item in response.json["items"]}

    # --- Meetings and invitations

    @rule(
        target=meetings,
        first=concerns,
        second=st.none() | concerns,
        invited=st.frozensets(st.sampled_from(PARTNERS)),
    )
    def schedule_meeting(self, first: int, second: int | None, invited: frozenset[str]) -> int:
        """A strategy discussion about one or two concerns, inviting exactly ``invited``:
        every other agency the standard list proposes is left off, with the reason."""
        about = tuple(dict.fromkeys(c for c in (first, second) if c is not None))
        agencies = self.world.agencies
        response = self.officer.post(
            "/api/v1/meetings/",
            json={
                "type": "strategy_discussion",
                "concern_ids": list(about),
                "starts_at": "2026-12-01T10:00:00+00:00",
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
        self.model.involve_invitees(meeting, invited)
        self.learn_from_officer(about)
        return meeting

    @rule(meeting=meetings, agency=st.sampled_from((*PARTNERS, None)))
    def change_meeting(self, meeting: int, agency: str | None) -> None:
        """Invite the agency, withdraw its invitation, or (no agency) cancel the meeting.
        A cancelled meeting refuses every change."""
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
        if state.cancelled:
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
            self.learn_from_officer(state.concerns)

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
        for agency in PARTNERS:
            self.check_agency(agency)
        self.check_officer()

    def check_agency(self, agency: str) -> None:
        """The agency's lists are the model's, and it opens each concern, meeting and form
        whose answer is new or has changed since it last opened it: 200 when it may see
        it, otherwise 404."""
        api, model = self.world.api[agency], self.model
        seen = model.concerns_seen(agency)
        assert ids(api.get("/api/v1/concerns/" + PAGE)) == seen, agency
        expected = {f"/api/v1/concerns/{c}": 200 if c in seen else 404 for c in model.concerns}
        if model.meetings:
            meetings = model.meetings_seen(agency)
            listed = api.get("/api/v1/meetings/" + PAGE)
            assert ids(listed) == set(meetings), agency
            shown = {item["id"]: set(item["concern_ids"]) for item in listed.json["items"]}
            assert shown == meetings, agency  # only the concerns it sees
            expected |= {
                f"/api/v1/meetings/{m}": 200 if m in meetings else 404 for m in model.meetings
            }
        for form in model.forms_written():
            listed = api.get(f"/api/v1/forms/{form.name}/submissions" + PAGE)
            readable = model.readable(agency, form)
            assert ids(listed) == readable, (agency, form.name)
            expected |= {
                f"/api/v1/forms/{form.name}/submissions/{s}": 200 if s in readable else 404
                for s, state in model.submissions.items()
                if state.form == form
            }
        for url, status in expected.items():
            if self.opened.get((agency, url)) != status:
                assert api.get(url).status_code == status, (agency, url)
                self.opened[agency, url] = status

    def check_officer(self) -> None:
        """The officer sees every concern, with exactly the model's active involvements,
        and every meeting and form (listed again whenever one is added)."""
        model = self.model
        for concern, shown in self.officer_involvements().items():
            listed = {
                (item["id"], self.world.agency_key(item["agency_id"]), item["reason"])
                for item in shown
            }
            expected = {
                (row.id, row.agency, row.reason)
                for row in model.involvements
                if row.active and row.concern == concern
            }
            assert listed == expected, concern
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
