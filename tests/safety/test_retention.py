"""Retention: `flask retention run --dry-run` lists exactly the closed case records past
their retention period and not under a legal hold; `flask retention run` purges them and
every row that refers to them, anywhere, leaving a tombstone in the access log."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.agency_forms.models import FormSubmission
from core.api.models import IdempotencyKey
from core.auth.models import User
from core.auth.roles import Role
from core.concerns import operations
from core.concerns.models import (
    Assessment,
    AssessmentFactorRow,
    CaseEvent,
    CaseNote,
    Concern,
    ConcernRiskType,
    Involvement,
)
from core.config import ConfigurationError
from core.extensions import db
from core.mail.models import OutboxMessage
from core.meetings.models import meeting_concerns
from core.people.models import Person, PersonDisability
from core.plans.models import Plan
from core.reference import AssessmentFactor, Disability
from core.retention.operations import DEFAULT_RETENTION, keep_until, past_retention, purge
from plugins import hookimpl
from plugins.forms import FormDefinition, FormSchema, textarea
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import PERSON, concern_body
from tests.conftest import Auth, Factory
from tests.support.clock import set_now

TODAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CLOSURE = {
    "risk_outcome": "identified_action",
    "risk_after_action": "reduced",
    "feedback_person_on": "2015-01-20",
    "feedback_person_method": "Home visit",
    "feedback_referrer_on": "2015-01-20",
    "feedback_referrer_method": "Phone",
}


class Council:
    def __init__(self, app):
        self.app = app
        self.factory = Factory(app)
        self.council = self.factory.agency(name="Northshire Council")
        self.police = self.factory.agency(name="Northshire Police", type="police")
        self.officer_id = self.factory.user(role=Role.SAFEGUARDING_OFFICER, agency_id=self.council)
        self.api = ApiClient(app.test_client(), make_token(app, self.officer_id))

    def case(self, name, *, received, closed=None, child=False, born=None, hold=None, key=None):
        """A concern received (and closed) on the given dates, with a note and an
        involved agency, made through the API and the real operations."""
        reference, concern_id = self.open_case(
            name, received=received, child=child, born=born, hold=hold, key=key
        )
        if closed is not None:
            self.close(concern_id, closed)
        return reference, concern_id

    def open_case(self, name, *, received, child=False, born=None, hold=None, key=None):
        set_now(received)
        person = PERSON | {"given_name": name, "nhs_number": None}
        if born is not None:
            person["date_of_birth"] = born
        body = concern_body(
            person=person,
            received_at=received.isoformat(),
            is_child=child,
            referral_source="1A" if child else None,
            msp_asked="not_recorded" if child else "asked_expressed",
            types_of_risk=["psychological"] if child else ["financial", "psychological"],
            referrer_name="A neighbour",
        )
        created = self.api.post(
            "/api/v1/concerns/", json=body, headers={"Idempotency-Key": key} if key else None
        )
        assert created.status_code == 201, created.json
        concern_id = created.json["id"]
        with self.app.app_context():
            concern = db.session.get(Concern, concern_id)
            officer = db.session.get(User, self.officer_id)
            operations.add_note(concern, "Spoke to the GP.", False, officer)
            operations.add_involvement(concern, self.police, "Police enquiry", officer)
            if hold:
                operations.set_legal_hold(concern, hold, officer)
            db.session.commit()
        set_now(TODAY)
        return created.json["reference"], concern_id

    def close(self, concern_id, closed):
        set_now(closed)
        feedback_on = closed.date().isoformat()
        closure = CLOSURE | {"feedback_person_on": feedback_on, "feedback_referrer_on": feedback_on}
        if not self.api.get(f"/api/v1/concerns/{concern_id}").json["is_child"]:
            closure["msp_achieved"] = "partially"  # Making Safeguarding Personal: adults
        else:  # a child's case closes with the census reason and primary need
            del closure["risk_outcome"], closure["risk_after_action"]
            closure |= {
                "closure_reason": "RC7",
                "primary_need": "N4",
                "family_outcome": "maintained_at_home",
            }
        response = self.api.post(f"/api/v1/concerns/{concern_id}/closure", json=closure)
        assert response.status_code == 200, response.json
        set_now(TODAY)


def _at(year, month=1, day=10):
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


@pytest.fixture
def council(app_factory):
    set_now(TODAY)
    return Council(app_factory())


def _listed(output):
    return sorted(line.split("\t")[1] for line in output.splitlines() if "\t" in line)


def test_dry_run_lists_exactly_the_records_past_retention_and_not_held(council):
    app = council.app
    due_adult, due_adult_id = council.case("Ada", received=_at(2015), closed=_at(2019, 3))
    kept_adult, _ = council.case("Bea", received=_at(2020), closed=_at(2021, 6))  # until 2027
    held, _ = council.case(
        "Cas", received=_at(2014), closed=_at(2015), hold="Claim against the council, 2026"
    )
    still_open, _ = council.case("Dot", received=_at(2012))  # still open: never due
    # a child born 2001 whose case closed in 2009: kept to the 25th birthday (2026-02-01)
    due_child, due_child_id = council.case(
        "Eve", received=_at(2008), closed=_at(2009), child=True, born="2001-02-01"
    )
    # a child born 2008 whose case closed in 2015: kept to the 25th birthday, in 2033
    kept_child, _ = council.case(
        "Fay", received=_at(2014), closed=_at(2015), child=True, born="2008-05-05"
    )
    # a 17-year-old whose case closed in 2021: 6 years after closure is later (2027)
    kept_teen, _ = council.case(
        "Gil", received=_at(2021), closed=_at(2021, 2), child=True, born="2003-06-01"
    )

    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert _listed(dry.output) == sorted([due_adult, due_child])
    assert "2 case record(s) past retention and not under a legal hold would be purged" in (
        dry.output
    )
    assert "1 kept by a legal hold" in dry.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Concern)) == 7

    purged = runner.invoke(args=["retention", "run"])
    assert purged.exit_code == 0, purged.output
    assert _listed(purged.output) == sorted([due_adult, due_child])
    with app.app_context():
        left = set(db.session.scalars(sa.select(Concern.reference)))
        assert left == {kept_adult, held, still_open, kept_child, kept_teen}
        for model in (ConcernRiskType, Involvement, CaseEvent, CaseNote):
            assert not db.session.scalar(
                sa.select(sa.func.count())
                .select_from(model)
                .where(model.concern_id.in_([due_adult_id, due_child_id]))
            ), model
        names = set(db.session.scalars(sa.select(Person.given_name)))
        assert {"Ada", "Eve"}.isdisjoint(names) and {"Bea", "Cas", "Fay"} <= names
        tombstones = db.session.scalars(
            sa.select(AccessLogEntry).where(AccessLogEntry.action == "retention.purge")
        ).all()
        assert sorted(t.object_id for t in tombstones) == sorted(
            [str(due_adult_id), str(due_child_id)]
        )
        for tombstone in tombstones:  # no personal data: the case's id and nothing else
            assert (tombstone.object_type, tombstone.user_id) == ("concern", None)
    assert runner.invoke(args=["access-log", "verify"]).exit_code == 0
    again = runner.invoke(args=["retention", "run", "--dry-run"])
    assert _listed(again.output) == []


def test_periods_are_configurable_and_checked(app_factory):
    set_now(TODAY)
    app = app_factory(RETENTION={"adult_years_after_closure": 3})
    council = Council(app)
    reference, _ = council.case("Ann", received=_at(2022), closed=_at(2023, 1))  # until 2026
    dry = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert _listed(dry.output) == [reference]
    with pytest.raises(ConfigurationError):
        app_factory(RETENTION={"adults": 6})
    with pytest.raises(ConfigurationError):
        app_factory(RETENTION={"child_until_age": "25"})


def test_a_case_is_due_the_day_after_its_last_day(council):
    app = council.app
    # 29 February 2024: six years after 28 February 2018 ended yesterday
    due, _ = council.case("Ann", received=_at(2017), closed=_at(2018, 2, 28))
    council.case("Bel", received=_at(2017), closed=_at(2018, 3, 1))  # kept until 1 March
    set_now(datetime(2024, 2, 29, 9, 0, tzinfo=UTC))
    dry = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert _listed(dry.output) == [due]


def test_a_case_put_on_hold_after_it_was_listed_is_not_purged(council):
    app = council.app
    _, concern_id = council.case("Ada", received=_at(2015), closed=_at(2019, 3))
    with app.app_context():
        [record] = past_retention(TODAY.date(), DEFAULT_RETENTION)
        concern = db.session.get(Concern, concern_id)
        officer = db.session.get(User, council.officer_id)
        operations.set_legal_hold(concern, "Subject access request", officer)
        db.session.commit()
        assert purge(record) is False
        db.session.commit()
        assert db.session.get(Concern, concern_id).legal_hold_reason == "Subject access request"


def test_keep_until_for_a_child_with_no_date_of_birth():
    concern = Concern(status="closed", closed_at=_at(2010), is_child=True)
    concern.person = Person(given_name="X", family_name="Y", date_of_birth=None)
    assert keep_until(concern, DEFAULT_RETENTION) == date(2035, 1, 10)


# --- A realistic case record, purged everywhere -----------------------------------------


class Note(FormSchema):
    note = textarea("Note")


class MeetingAndPlanForms:
    """A throwaway plugin: police forms about a meeting and about a plan (the shipped
    agency forms are about concerns, establishments and agencies)."""

    __name__ = "test.retention_forms"

    @hookimpl
    def register_forms(self):
        police = frozenset({"police"})
        return [
            FormDefinition("retention.meeting_note", "Meeting note", Note, "meeting", police),
            FormDefinition("retention.plan_note", "Plan note", Note, "plan", police),
        ]


class Partnership(Council):
    """The council with partners whose people receive emails and write forms, a manager
    and an auditor: every part of the service a case record reaches."""

    def __init__(self, app):
        super().__init__(app)
        self.nhs = self.factory.agency(name="Northshire Hospitals", type="nhs_trust")
        self.police_user = self.factory.user(
            role=Role.AGENCY_PRACTITIONER, email="police@example.org", agency_id=self.police
        )
        self.factory.user(
            role=Role.AGENCY_PRACTITIONER, email="nhs@example.org", agency_id=self.nhs
        )
        self.police_api = ApiClient(app.test_client(), make_token(app, self.police_user))
        manager = self.factory.user(
            role=Role.SAFEGUARDING_MANAGER, email="manager@example.org", agency_id=self.council
        )
        self.manager_api = ApiClient(app.test_client(), make_token(app, manager))
        self.auditor_id = self.factory.user(
            role=Role.AUDITOR, email="auditor@example.org", agency_id=self.council
        )
        self.auditor_api = ApiClient(app.test_client(), make_token(app, self.auditor_id))

    def at(self, when: datetime) -> None:
        set_now(when)

    def full_case(self, name: str, *, hold: str | None = None, key: str | None = None) -> dict:
        """An adult's case of 2015, closed in 2019: a strategy discussion with invitation
        emails, calendar files and a reminder, a protection plan reviewed and ended, a
        police investigation with two versions shared with the NHS, and forms about the
        meeting and the plan. Every free text names the person, as real records do."""
        reference, concern_id = self.open_case(name, received=_at(2015), hold=hold, key=key)
        officer, police = self.api, self.police_api
        self.at(_at(2015, 1, 12))
        meeting = officer.post(
            "/api/v1/meetings/",
            json={
                "type": "strategy_discussion",
                "concern_ids": [concern_id],
                "starts_at": _at(2015, 1, 20).isoformat(),
                "venue": f"{name}'s home, 4 Mill Lane",
                "added": [
                    {"agency_id": self.police, "reason": f"Investigating the theft from {name}"},
                    {"agency_id": self.nhs, "reason": f"The ward nurse knows {name}"},
                ],
            },
        )
        assert meeting.status_code == 201, meeting.json
        meeting_id = meeting.json["id"]
        self.at(datetime(2015, 1, 20, 13, tzinfo=UTC))
        held = officer.post(
            f"/api/v1/meetings/{meeting_id}/held",
            json={
                "outcomes": [
                    {"invitation_id": i["id"], "outcome": "attended_in_person"}
                    for i in meeting.json["invitations"]
                ],
                "attendees": [{"name": f"{name}'s daughter", "role": "Family"}],
                "minutes": f"{name} wants to stay at home.",
                "decisions": [{"kind": "section_42_enquiry", "note": f"{name} agrees"}],
                "actions": [
                    {
                        "description": f"Visit {name} at home",
                        "owner_agency_id": self.police,
                        "due_on": "2015-01-25",
                    }
                ],
            },
        )
        assert held.status_code == 200, held.json
        self.at(_at(2015, 1, 28))  # the action is overdue: a reminder email
        reminded = self.app.test_cli_runner().invoke(args=["reminders", "send"])
        assert "Queued 1 reminder." in reminded.output, reminded.output

        self.at(_at(2015, 2, 1))
        plan = officer.post(
            "/api/v1/plans/", json={"concern_id": concern_id, "started_on": "2015-02-01"}
        )
        assert plan.status_code == 201, plan.json
        plan_id = plan.json["id"]
        action = officer.post(
            f"/api/v1/plans/{plan_id}/actions",
            json={
                "description": f"Weekly call to {name}",
                "owner_agency_id": self.police,
                "due_on": "2015-03-01",
            },
        )
        assert action.status_code == 201, action.json

        task = officer.post(
            f"/api/v1/concerns/{concern_id}/tasks",
            json={
                "title": f"Late-night check on {name}",
                "due_on": "2015-02-03",
                "assignee_team": "out_of_hours",
            },
            headers={"Idempotency-Key": f"task-{key}"} if key else None,
        )
        assert task.status_code == 201, task.json
        done = officer.post(
            f"/api/v1/tasks/{task.json['id']}/complete", json={"note": f"{name} was asleep"}
        )
        assert done.status_code == 200, done.json

        self.at(_at(2015, 2, 2))
        investigation = police.post(
            "/api/v1/forms/police.investigation/submissions",
            json={
                "subject_id": concern_id,
                "data": {
                    "crime_reference": "NP/15/000777",
                    "officer_in_charge": "DS Tom Reed 1201",
                    "offence_category": "fraud",
                    "reported_on": "2015-01-18",
                    "status": "reported",
                    "status_on": "2015-01-18",
                },
            },
        )
        assert investigation.status_code == 201, investigation.json
        location = investigation.headers["Location"]
        changed = police.client.put(
            location,
            json={"data": investigation.json["data"] | {"status": "charged"}},
            headers=police.headers({"If-Match": investigation.headers["ETag"]}),
        )
        assert changed.status_code == 200, changed.json
        shared = police.post(location + "/shares", json={"agency_id": self.nhs})
        assert shared.status_code == 201, shared.json
        for form, subject_id in (("meeting_note", meeting_id), ("plan_note", plan_id)):
            note = police.post(
                f"/api/v1/forms/retention.{form}/submissions",
                json={"subject_id": subject_id, "data": {"note": f"{name} was seen"}},
            )
            assert note.status_code == 201, note.json

        self.at(_at(2015, 6, 1))
        review = officer.post(
            f"/api/v1/plans/{plan_id}/reviews",
            json={
                "reviewed_on": "2015-06-01",
                "decision": "end",
                "end_reason": "Risk removed",
                "attendees": f"{name} and her daughter",
                "notes": f"{name} feels safe now.",
                "progress": [{"action_id": action.json["id"], "status": "done"}],
            },
        )
        assert review.status_code == 201, review.json
        [visit] = held.json["actions"]
        done = officer.client.patch(
            f"/api/v1/meetings/{meeting_id}/actions/{visit['id']}",
            json={"status": "done"},
            headers=officer.headers({"If-Match": "*"}),
        )
        assert done.status_code == 200, done.json
        self.close(concern_id, _at(2019, 3))
        return {"reference": reference, "concern": concern_id, "meeting": meeting_id}

    def audit(self, quarter: int, findings: dict[int, tuple[str, str]] | None = None) -> dict:
        """A case file audit of a quarter of 2015; with ``findings`` (concern id: grade and
        comments) the auditor records them and the manager closes the audit."""
        drawn = self.manager_api.post(
            "/api/v1/casefile-audits/", json={"year": 2015, "quarter": quarter, "seed": 7}
        )
        assert drawn.status_code == 201, drawn.json
        audit = drawn.json
        if findings is None:
            return audit
        base = f"/api/v1/casefile-audits/{audit['id']}/cases"
        answers = [{"item_id": item["id"], "answer": "yes"} for item in audit["checklist"]]
        for case in audit["cases"]:
            grade, comments = findings[case["concern_id"]]
            manager, auditor = self.manager_api, self.auditor_api
            assigned = manager.client.put(
                f"{base}/{case['id']}/assignment",
                json={"auditor_id": self.auditor_id},
                headers=manager.headers(),
            )
            assert assigned.status_code == 200, assigned.json
            found = auditor.client.put(
                f"{base}/{case['id']}/findings",
                json={"answers": answers, "grade": grade, "comments": comments},
                headers=auditor.headers(),
            )
            assert found.status_code == 200, found.json
        closed = self.manager_api.post(f"/api/v1/casefile-audits/{audit['id']}/close")
        assert closed.status_code == 200, closed.json
        return closed.json


def _as_text(value: Any) -> str:
    if isinstance(value, bytes):  # calendar files fold long lines: unfold them
        return value.decode("utf-8", "replace").replace("\r\n ", "")
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _rows_mentioning(app, marker: str) -> dict[str, list[tuple]]:
    """Every row of every table with ``marker`` in any of its columns."""
    with app.app_context():
        found: dict[str, list[tuple]] = {}
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(sa.select(table)):
                if any(marker in _as_text(value) for value in row):
                    found.setdefault(table.name, []).append(tuple(row))
        return found


def _references(app, referred: str, ids: set[int]) -> dict[str, int]:
    """Rows of any table whose foreign key points at one of ``ids`` in ``referred``."""
    with app.app_context():
        counts = {}
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if any(fk.column.table.name == referred for fk in column.foreign_keys):
                    count = db.session.scalar(
                        sa.select(sa.func.count()).select_from(table).where(column.in_(ids))
                    )
                    if count:
                        counts[f"{table.name}.{column.name}"] = count
        return counts


def _case_ids(app, concern_id: int) -> dict[str, set[int]]:
    with app.app_context():
        concern = db.session.get(Concern, concern_id)
        return {
            "concerns": {concern_id},
            "people": {concern.person_id},
            "plans": set(
                db.session.scalars(sa.select(Plan.id).where(Plan.concern_id == concern_id))
            ),
            "meetings": set(
                db.session.scalars(
                    sa.select(meeting_concerns.c.meeting_id).where(
                        meeting_concerns.c.concern_id == concern_id
                    )
                )
            ),
        }


def test_a_realistic_case_is_purged_from_every_table_and_a_held_one_is_untouched(app_factory):
    set_now(TODAY)
    # a council that audits calendar quarters (AUDIT_YEAR_STARTS)
    app = app_factory(EXTRA_PLUGINS=[MeetingAndPlanForms()], AUDIT_YEAR_STARTS=1)
    council = Partnership(app)
    gone = council.full_case("Quillfeather", key="partner-system-0001")
    kept = council.full_case("Thistlewood", hold="Claim against the council, 2026")
    council.at(TODAY)
    closed_audit = council.audit(
        1,
        {
            gone["concern"]: ("outstanding", "Quillfeather's file is thorough"),
            kept["concern"]: ("good", "Thistlewood's file lacks the body map"),
        },
    )
    open_audit = council.audit(2)
    assert open_audit["sampled"] == 2
    # a stored API response of today (a retried create replays it) about the case
    today_note = council.api.post(
        f"/api/v1/concerns/{gone['concern']}/notes",
        json={"text": "Quillfeather's file checked for the archive"},
        headers={"Idempotency-Key": "archive-check"},
    )
    assert today_note.status_code == 201, today_note.json
    # her paid carer, in a position of trust, referred on (PiPoT) and suspended
    carer = council.api.post(
        f"/api/v1/concerns/{gone['concern']}/alleged-people",
        json={
            "person": {"given_name": "Ivo", "family_name": "Quillfeather-Carer"},
            "relationship_kind": "other",
            "relationship_detail": "Paid carer",
            "trust_capacity": "employed",
            "trust_employer": "Quillfeather Home Care",
            "trust_role": "Carer",
        },
    )
    assert carer.status_code == 201, carer.json
    referral = council.api.post(
        f"/api/v1/concerns/{gone['concern']}/trust-referrals",
        json={
            "alleged_id": carer.json["id"],
            "referred_on": TODAY.date().isoformat(),
            "referred_to": "The PiPoT lead",
        },
    )
    assert referral.status_code == 201, referral.json
    suspended = council.api.post(
        f"/api/v1/concerns/{gone['concern']}/trust-referrals/{referral.json['id']}/actions",
        json={
            "action": "suspended",
            "taken_on": TODAY.date().isoformat(),
            "notes": "Suspended while Quillfeather's case is looked into",
        },
    )
    assert suspended.status_code == 200, suspended.json
    report_url = f"/api/v1/casefile-audits/{closed_audit['id']}/report"
    report = council.manager_api.get(report_url).json
    ids = _case_ids(app, gone["concern"])
    assert ids["plans"] and ids["meetings"]
    before = _rows_mentioning(app, "Quillfeather")
    # the case reaches every part of the service (so the check below means something)
    assert {
        "people", "case_notes", "meetings", "invitations", "meeting_attendees",
        "meeting_decisions", "meeting_actions", "outbox_message", "outbox_attachment",
        "plan_actions", "plan_reviews", "form_submissions", "form_versions",
        "casefile_reviews", "idempotency_keys", "tasks", "trust_referrals",
        "trust_referral_actions",
    } <= set(before)  # fmt: skip
    held_before = _rows_mentioning(app, "Thistlewood")

    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert _listed(dry.output) == [gone["reference"]]
    assert _rows_mentioning(app, "Quillfeather") == before  # a dry run changes nothing
    purged = runner.invoke(args=["retention", "run"])
    assert purged.exit_code == 0, purged.output
    assert _listed(purged.output) == [gone["reference"]]

    assert _rows_mentioning(app, "Quillfeather") == {}
    assert _rows_mentioning(app, gone["reference"]) == {}
    for referred, purged_ids in ids.items():
        assert _references(app, referred, purged_ids) == {}, referred
    subjects = [("concern", gone["concern"]), ("meeting", gone["meeting"])]
    subjects += [("plan", plan_id) for plan_id in ids["plans"]]
    about_the_case = sa.or_(
        *[
            sa.and_(FormSubmission.subject_type == kind, FormSubmission.subject_id == subject)
            for kind, subject in subjects
        ]
    )
    with app.app_context():
        assert not db.session.scalar(
            sa.select(sa.func.count()).select_from(FormSubmission).where(about_the_case)
        )
        [tombstone] = db.session.scalars(
            sa.select(AccessLogEntry).where(AccessLogEntry.action == "retention.purge")
        )
        assert tombstone.object_id == str(gone["concern"])
    assert runner.invoke(args=["access-log", "verify"]).exit_code == 0

    # the case under a legal hold is exactly as it was
    assert _rows_mentioning(app, "Thistlewood") == held_before
    # the closed audit keeps its figures without the purged case; the open one drops it
    assert council.manager_api.get(report_url).json == report
    cases = council.manager_api.get(f"/api/v1/casefile-audits/{closed_audit['id']}").json
    assert sorted(c["concern_id"] or 0 for c in cases["cases"]) == [0, kept["concern"]]
    reopened = council.manager_api.get(f"/api/v1/casefile-audits/{open_audit['id']}").json
    assert [c["concern_id"] for c in reopened["cases"]] == [kept["concern"]]
    assert reopened["sampled"] == 1
    pages = app.test_client()
    Auth(pages, council.factory).sign_in("manager@example.org")
    page = pages.get(f"/casefile-audits/{closed_audit['id']}")
    assert page.status_code == 200 and "Removed under retention" in page.get_data(as_text=True)
    auditor = app.test_client()
    Auth(auditor, council.factory).sign_in("auditor@example.org")
    page = auditor.get(f"/casefile-audits/{closed_audit['id']}")
    assert page.status_code == 200 and "Removed under retention" in page.get_data(as_text=True)
    detached = next(c for c in cases["cases"] if c["concern_id"] is None)
    review = auditor.get(f"/casefile-audits/{closed_audit['id']}/reviews/{detached['id']}")
    assert review.status_code == 200 and "Removed under retention" in review.get_data(as_text=True)


def test_a_run_forgets_expired_idempotency_keys_and_a_dry_run_forgets_nothing(council):
    app = council.app

    def create_person(when: datetime, key: str) -> None:
        set_now(when)
        created = council.api.post(
            "/api/v1/people/",
            json={"given_name": key, "family_name": "Marsh"},
            headers={"Idempotency-Key": key},
        )
        assert created.status_code == 201, created.json

    def keys() -> set[str]:
        with app.app_context():
            return set(db.session.scalars(sa.select(IdempotencyKey.key)))

    create_person(TODAY - timedelta(hours=25), "expired")
    create_person(TODAY - timedelta(hours=23), "kept")
    set_now(TODAY)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["retention", "run", "--dry-run"]).exit_code == 0
    assert keys() == {"expired", "kept"}
    assert runner.invoke(args=["retention", "run"]).exit_code == 0
    assert keys() == {"kept"}


def test_the_migration_links_emails_queued_before_it_to_their_meeting(app_factory):
    """Emails queued before emails named their meeting are linked by the migration: a
    reminder through its key, an invitation through the UID in its calendar file."""
    from flask_migrate import downgrade, upgrade

    set_now(TODAY)

    app = app_factory(EXTRA_PLUGINS=[MeetingAndPlanForms()])
    case = Partnership(app).full_case("Ada")

    def links() -> dict[int, tuple[str, int | None]]:
        with app.app_context():
            rows = db.session.execute(
                sa.select(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.meeting_id)
            )
            return {row.id: (row.kind, row.meeting_id) for row in rows}

    linked = links()
    assert {kind for kind, _ in linked.values()} == {"meeting.invitation", "meeting.reminder"}
    assert {meeting for _, meeting in linked.values()} == {case["meeting"]}
    with app.app_context():
        downgrade(revision="b8b712ce9e0d")
        upgrade()
        db.session.remove()
    assert links() == linked


def test_a_childs_case_goes_with_its_assessments(council):
    """A child's case past retention (the child is 25) is purged with its assessment, the
    factors identified at it and the child's disabilities: nothing refers to it afterwards."""
    app = council.app
    reference, concern_id = council.case(
        "Eve", received=_at(2008), closed=_at(2009), child=True, born="2001-02-01"
    )
    with app.app_context():
        assessment = Assessment(
            concern_id=concern_id,
            started_on=date(2008, 1, 11),
            due_on=date(2008, 3, 14),
            authorised_on=date(2008, 2, 1),
            started_by_id=council.officer_id,
        )
        assessment.factor_rows = [AssessmentFactorRow(factor=AssessmentFactor.F16A)]
        db.session.add(assessment)
        db.session.get(Concern, concern_id).person.disabilities = [Disability.HEAR]
        db.session.commit()
    purged = app.test_cli_runner().invoke(args=["retention", "run"])
    assert purged.exit_code == 0, purged.output
    assert _listed(purged.output) == [reference]
    assert _references(app, "concerns", {concern_id}) == {}
    with app.app_context():
        for model in (Assessment, AssessmentFactorRow, PersonDisability):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
