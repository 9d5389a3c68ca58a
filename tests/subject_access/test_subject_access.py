"""Subject access requests (issue 24, item 5; UK GDPR Article 15): a safeguarding manager
records a person's request, produces everything held about them across their cases as a
JSON file and a PDF with other people's information withheld and listed as withheld,
and marks it sent; the answer is due one month after receipt (Article 12(3)). Only
managers may do any of it, and the access log says who made the export."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import sqlalchemy as sa
from pypdf import PdfReader

from core.accesslog.models import AccessLogEntry
from core.auth.councils import default_council_id
from core.auth.models import User
from core.auth.roles import Role
from core.concerns import operations as concern_operations
from core.concerns.models import Concern
from core.discharges.models import HospitalDischarge
from core.extensions import db
from core.meetings import operations as meeting_operations
from core.people.models import Person
from core.retention.operations import DEFAULT_RETENTION, past_retention, purge
from core.subject_access.models import SubjectAccessRequest
from core.subject_access.operations import due_date, produce, record_request
from tests.api.conftest import ApiClient, make_token
from tests.auth.helpers import sign_in
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.demo.test_workday import _api, _load
from tests.meetings.helpers import build_world, record_concern
from tests.safety.test_retention import TODAY, Council, _at
from tests.support.pages import page_errors

NEIGHBOUR = "Norah Pembleton"
WITNESS = "Felix Amberley"
OTHER = {"given_name": "Walter", "family_name": "Quince", "date_of_birth": "1939-03-03"}
REQUESTS = "/api/v1/subject-access-requests/"


def _pdf_text(body: bytes) -> str:
    pages = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return " ".join(pages.split())  # the lines as wrapped, joined again


def _client(app, factory, role: Role, agency_id: int) -> ApiClient:
    user = factory.user(role=role, agency_id=agency_id)
    return ApiClient(app.test_client(), make_token(app, user, days=365))


def test_a_managers_export_holds_the_persons_records_and_withholds_third_parties(
    app, factory, clock
):
    clock.set(datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    world = build_world(app, factory)
    officer = world.clients["officer"]
    manager = _client(app, factory, Role.SAFEGUARDING_MANAGER, world.agencies["council"])
    concern_id = record_concern(
        world,
        child=False,
        referrer_name=NEIGHBOUR,
        referrer_role="Neighbour",
        referrer_contact="Phone 01632 960000",
        description=f"{NEIGHBOUR}, her neighbour, saw bruises on both arms.",
    )
    other_case = record_concern(world, child=False, person=OTHER, description="Left alone.")
    for body in (
        {"text": "Visited at home; she wants to stay there.", "key_decision": True},
        {"text": f"{NEIGHBOUR} asked not to be named.", "restriction": "third_party"},
    ):
        assert officer.post(f"/api/v1/concerns/{concern_id}/notes", json=body).status_code == 201
    with app.app_context():
        concern = db.session.get(Concern, concern_id)
        assert concern is not None
        officer_user = concern.received_by_id
        concern_operations.add_body_map_mark(
            concern,
            {"side": "front", "site": "Upper arms", "description": "Fingertip bruises",
             "seen_by": f"Dr {WITNESS}", "seen_on": date(2026, 11, 20)},
            db.session.get(User, officer_user),
        )  # fmt: skip
        # a strategy discussion about her case and the other person's, held with a friend
        other_concern = db.session.get(Concern, other_case)
        officer_row = db.session.get(User, officer_user)
        meeting = meeting_operations.schedule(
            "strategy_discussion",
            [concern, other_concern],
            {"starts_at": datetime(2026, 11, 20, 11, 0, tzinfo=UTC), "venue": "Room 2"},
            officer_row,
        )
        meeting_operations.record_held(
            meeting,
            {
                "outcomes": {i.id: "attended_in_person" for i in meeting.active_invitations},
                "attendees": [{"name": "Gwendolyn Farthing", "role": "Friend"}],
                "minutes": "Gwendolyn Farthing spoke for both of them.",
                "confidential_minutes": "Police hold intelligence about the visitor.",
                "decisions": [{"kind": "section_42_enquiry", "note": "Council to lead"}],
            },
            officer_row,
        )
        db.session.add(
            HospitalDischarge(
                agency_id=world.agencies["nhs"],
                council_id=default_council_id(),
                person_id=concern.person_id,
                discharged_at=datetime(2026, 11, 19, 21, 0, tzinfo=UTC),
                discharged_from="Ward 4",
                discharged_to="Own home",
                care_in_place=False,
                notified_by_id=world.users["nhs"],
                followed_up_by="Sam Tarrant, Emergency Duty Team",
                followed_up_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
                follow_up_action="Sam Tarrant rang her; a carer visits today.",
            )
        )
        db.session.commit()
        person_id = concern.person_id
        person_name = concern.person.full_name

    made = manager.post(
        REQUESTS,
        json={
            "person_id": person_id,
            "requested_by": "Herself, by letter",
            "received_on": "2026-11-18",
            "identity_checked": "Passport seen at a home visit",
        },
    )
    assert made.status_code == 201, made.json
    request_id = made.json["id"]
    assert (made.json["due_on"], made.json["status"]) == ("2026-12-18", "received")

    # only managers: officers, partners and the board are turned away, whatever they ask
    # (the board, which sees figures only, gets 404 for a named request, as for every record)
    board = _client(app, factory, Role.BOARD_MEMBER, factory.agency(type="local_authority"))
    for other, refused in ((officer, 403), (world.clients["police"], 403), (board, 404)):
        assert other.post(f"{REQUESTS}{request_id}/produce").status_code == refused
        assert other.get(f"{REQUESTS}{request_id}/export.json").status_code == refused
        assert other.get(REQUESTS).status_code == 403
        assert other.post(REQUESTS, json=made.json | {"id": None}).status_code in (403, 422)
    assert manager.get(f"{REQUESTS}{request_id}/export.json").status_code == 422, "not yet"

    produced = manager.post(f"{REQUESTS}{request_id}/produce")
    assert produced.status_code == 200, produced.json
    assert produced.json["status"] == "produced"
    answer = manager.get(f"{REQUESTS}{request_id}/export.json")
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    export = json.loads(text)
    assert export["person"]["given_name"] + " " + export["person"]["family_name"] == person_name
    [their_concern] = export["concerns"]
    assert "saw bruises on both arms" in their_concern["what_happened"]
    notes = [n["text"] for n in export["case_notes"]]
    assert notes == ["Visited at home; she wants to stay there."], "the restricted note withheld"
    assert export["body_maps"][0]["description"] == "Fingertip bruises"
    assert export["timeline"], "the case's timeline"
    [discharge] = export["hospital_discharges"]
    assert discharge["follow_up_action"].startswith("[withheld: third party] rang her")
    assert discharge["notified_by"] == "A practitioner of Northshire Hospitals NHS Trust"
    [meeting] = export["meetings"]
    [decision] = meeting["decisions"]
    assert (decision["decision"], decision["note"]) == (
        "Proceed to a section 42 enquiry",
        "Council to lead",
    )
    assert meeting["minutes"] is None, "about another person too"
    kinds = {item["kind"] for item in export["withheld"]}
    assert {"Name and details of a person who referred", "A case note",
            "Name of who saw the injury", "Names of other people in the text",
            "A concern about another person discussed at the meeting",
            "Name of someone at the meeting not there for an agency",
            "The confidential part of the minutes",
            "The minutes (they are about other people too)"} <= kinds  # fmt: skip
    for absent in (NEIGHBOUR, "Pembleton", WITNESS, "01632", "Quince", "asked not to be named",
                   "Farthing", "intelligence", "Left alone", "Tarrant"):  # fmt: skip
        assert absent not in text, absent
    pdf = manager.get(f"{REQUESTS}{request_id}/export.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    pdf_text = _pdf_text(pdf.data)
    assert person_name in pdf_text and "saw bruises on both arms" in pdf_text
    assert "Name and details of a person who referred" in pdf_text
    for absent in ("Pembleton", WITNESS, "Quince"):
        assert absent not in pdf_text, absent
    with app.app_context():
        logged = db.session.execute(
            sa.select(AccessLogEntry.action, AccessLogEntry.user_id).where(
                AccessLogEntry.object_type == "subject_access",
                AccessLogEntry.object_id == str(request_id),
                AccessLogEntry.outcome == "allowed",
            )
        ).all()
        manager_id = db.session.scalar(
            sa.select(AccessLogEntry.user_id).where(
                AccessLogEntry.action == "subject_access.create"
            )
        )
    assert ("subject_access.produce", manager_id) in logged
    assert ("subject_access.download", manager_id) in logged
    assert {user for action, user in logged if action == "subject_access.produce"} == {manager_id}

    sent = manager.post(f"{REQUESTS}{request_id}/sent")
    assert sent.status_code == 200
    assert (sent.json["status"], sent.json["sent_on"]) == ("sent", "2026-11-20")
    assert manager.post(f"{REQUESTS}{request_id}/sent").status_code == 422
    assert manager.post(f"{REQUESTS}{request_id}/produce").status_code == 422, "sent: kept as sent"
    assert manager.get(REQUESTS).json["items"] == []
    assert [r["id"] for r in manager.get(f"{REQUESTS}?state=sent").json["items"]] == [request_id]
    assert other_case


def test_the_answer_is_due_a_month_after_receipt_and_shown_overdue(app, factory, clock):
    assert due_date(date(2026, 1, 31)) == date(2026, 2, 28)
    assert due_date(date(2028, 1, 31)) == date(2028, 2, 29)
    assert due_date(date(2026, 12, 15)) == date(2027, 1, 15)
    clock.set(datetime(2026, 2, 2, 9, 0, tzinfo=UTC))
    world = build_world(app, factory)
    record_concern(world, child=False, received_at="2026-01-20T10:00:00+00:00")
    manager_id = factory.user(
        role=Role.SAFEGUARDING_MANAGER, email="manager@example.org",
        agency_id=world.agencies["council"],
    )  # fmt: skip
    with app.app_context():
        person_id = db.session.scalar(sa.select(Person.id))
    client = app.test_client()
    assert sign_in(client, "manager@example.org", TEST_PASSWORD).status_code == 302
    person_page = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert f"/subject-access/new/{person_id}" in person_page, "linked from the person's page"
    url = f"/subject-access/new/{person_id}"
    token = csrf_token(client, url)
    empty = client.post(url, data={"csrf_token": token})
    title, summary, _ = page_errors(empty.get_data(as_text=True))
    assert title.startswith("Error:") and len(summary) == 3, summary
    made = client.post(
        url,
        data={
            "csrf_token": token,
            "requested_by": "Her son, with lasting power of attorney",
            "received_on": ["31", "1", "2026"],
            "identity_checked": "Driving licence and the registered power of attorney seen",
        },
    )  # fmt: skip
    assert made.status_code == 302, page_errors(made.get_data(as_text=True))
    shown = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "28 February 2026" in shown and "Overdue" not in shown

    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    sign_in(client, "manager@example.org", TEST_PASSWORD)  # a month idle signed her out
    listing = client.get("/subject-access/").get_data(as_text=True)
    assert "28 February 2026" in listing and "Overdue" in listing
    officer = app.test_client()
    sign_in(officer, "officer@example.org", TEST_PASSWORD)
    assert officer.get("/subject-access/").status_code == 403
    assert manager_id


def test_the_demo_persons_export_holds_their_records_and_no_other_persons_name(app, runner, clock):
    _load(app, runner, clock, datetime(2026, 3, 11, 10, 0, tzinfo=UTC))
    manager = _api(app, "manager@demo.example")
    [waiting] = manager.get(REQUESTS).json["items"]
    assert (waiting["received_on"], waiting["due_on"]) == ("2026-02-20", "2026-03-20")
    work = {task["key"]: task for task in manager.get("/api/v1/me/work").json}
    task = work["subject_access"]
    assert (task["count"], task["due"], task["overdue"]) == (1, "2026-03-20", False)
    assert "subject_access" not in {
        t["key"] for t in _api(app, "officer@demo.example").get("/api/v1/me/work").json
    }, "the manager's"
    assert manager.post(f"{REQUESTS}{waiting['id']}/produce").status_code == 200
    text = manager.get(f"{REQUESTS}{waiting['id']}/export.json").get_data(as_text=True)
    pdf_text = _pdf_text(manager.get(f"{REQUESTS}{waiting['id']}/export.pdf").data)
    with app.app_context():
        person = db.session.get(Person, waiting["person_id"])
        assert person is not None
        [concern] = db.session.scalars(sa.select(Concern).where(Concern.person_id == person.id))
        neighbour = concern.referrer_name
        others = set(
            db.session.scalars(
                sa.select(Person.given_name + " " + Person.family_name).where(
                    Person.id != person.id
                )
            )
        )
        assert neighbour and neighbour not in others
        own = person.given_name, person.family_name, concern.reference
    for body in (text, pdf_text):
        assert all(part in body for part in own), own
        assert "bruises on both her upper arms" in body
        assert neighbour not in body
        assert not [name for name in others if name in body]
    export = json.loads(text)
    notes = [n["key_decision"] for n in export["case_notes"]]
    assert notes == [True], "the restricted note withheld"
    assert any(item["kind"] == "A case note" for item in export["withheld"])


def test_a_request_is_kept_with_the_persons_record_and_goes_with_it(app_factory, clock):
    """Retention: a request (with its export) stays while the person's record does, and is
    purged with it when their last case is purged."""
    clock.set(TODAY)
    council = Council(app_factory())
    _, concern_id = council.case("Ada", received=_at(2015), closed=_at(2019, 3))
    with council.app.app_context():
        concern = db.session.get(Concern, concern_id)
        assert concern is not None
        user = db.session.get(User, council.officer_id)  # the route asks for a manager
        made = record_request(
            concern.person,
            {"requested_by": "Herself", "received_on": date(2019, 4, 1),
             "identity_checked": "Passport seen"},
            user,
        )  # fmt: skip
        produce(made, user)
        db.session.commit()
        person_id = concern.person_id
        [record] = past_retention(TODAY.date(), DEFAULT_RETENTION)
        assert purge(record) is True
        db.session.commit()
        assert db.session.scalar(sa.select(Person.id).where(Person.id == person_id)) is None
        assert db.session.scalar(sa.select(sa.func.count(SubjectAccessRequest.id))) == 0
