"""Meeting pages: scheduling with the proposed list, the agency portal, attendance."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, record_concern, schedule
from tests.support.clock import set_now
from tests.support.files import PDF_LOOKALIKE, one_page_pdf

PDF = one_page_pdf()


def _sign_in(client, email, password):
    token = csrf_token(client, "/sign-in")
    response = client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_police_send_apologies_with_a_report_and_the_officer_sees_it(app, runner):
    from core.demo.operations import DEMO_PASSWORD

    assert runner.invoke(args=["demo", "load", "--accounts-only"]).exit_code == 0
    with app.app_context():
        from core.auth.models import User

        officer_id = db.session.scalar(
            sa.select(User.id).where(User.email == "officer@demo.example")
        )
    officer_api = ApiClient(app.test_client(), make_token(app, officer_id))
    concern = officer_api.post(
        "/api/v1/concerns/",
        json={
            "received_at": "2026-11-20T10:15:00+00:00",
            "person": {"given_name": "Mia", "family_name": "Hart", "date_of_birth": "2017-01-03"},
            "is_child": True,
            "referral_source": "2A",
            "types_of_risk": ["physical"],
            "location": "own_home",
            "source_of_risk": "known",
            "description": "Bruising seen at school.",
        },
    ).json
    meeting = officer_api.post(
        "/api/v1/meetings/",
        json={
            "type": "initial_child_protection_conference",
            "concern_ids": [concern["id"]],
            "starts_at": "2026-12-16T10:00:00+00:00",
            "video_link": "https://meet.example.org/icpc",
        },
    ).json

    police = app.test_client()
    _sign_in(police, "police@demo.example", DEMO_PASSWORD)
    portal = police.get("/portal/").get_data(as_text=True)
    assert "Initial child protection conference" in portal
    assert concern["reference"] in portal
    invitation_id = next(
        i["id"] for i in meeting["invitations"] if i["agency_name"] == "Northshire Police"
    )
    page = f"/portal/invitations/{invitation_id}"
    token = csrf_token(police, page)
    answered = police.post(
        page,
        data={"answer-csrf_token": token, "answer-response": "apologies", "answer-submit": "Send"},
    )
    assert answered.status_code == 302, answered.get_data(as_text=True)
    from io import BytesIO

    token = csrf_token(police, page)
    sent = police.post(
        page,
        data={
            "report-csrf_token": token,
            "report-report_text": "",
            "report-report_file": (BytesIO(PDF), "police-report.pdf"),
            "report-submit": "Send report",
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    assert "Sent" in police.get(page).get_data(as_text=True)

    set_now(datetime(2026, 12, 16, 12, 0, tzinfo=UTC))  # after the meeting
    officer = app.test_client()
    _sign_in(officer, "officer@demo.example", DEMO_PASSWORD)
    form = officer.get(f"/meetings/{meeting['id']}/record").get_data(as_text=True)
    expected = (
        f'id="outcome-{invitation_id}-apologies_with_report" name="outcome-{invitation_id}" '
        'type="radio" value="apologies_with_report" checked'
    )
    assert expected in form
    attendance = officer.get(f"/meetings/{meeting['id']}").get_data(as_text=True)
    assert "Apologies" in attendance and "police-report.pdf" not in attendance
    pdf = officer.get(f"/meetings/{meeting['id']}/invitations/{invitation_id}/report.pdf")
    assert pdf.status_code == 200 and pdf.data == PDF
    data = {"csrf_token": csrf_token(officer, f"/meetings/{meeting['id']}/record")}
    for invitation in meeting["invitations"]:
        data[f"outcome-{invitation['id']}"] = (
            "apologies_with_report" if invitation["id"] == invitation_id else "attended_in_person"
        )
    recorded = officer.post(f"/meetings/{meeting['id']}/record", data=data)
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    attendance = officer.get(f"/meetings/{meeting['id']}").get_data(as_text=True)
    assert "Apologies with report" in attendance


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 not a pdf", PDF_LOOKALIKE, one_page_pdf()[:200]],
    ids=["executable", "html-after-%PDF", "truncated-pdf"],
)
def test_a_report_that_is_not_a_pdf_is_refused(app, factory, auth, content):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    meeting = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-16T10:00:00+00:00"
    ).json
    invitation_id = next(
        i["id"] for i in meeting["invitations"] if i["agency_id"] == world.agencies["police"]
    )
    client = auth.client
    auth.sign_in("police@example.org")
    page = f"/portal/invitations/{invitation_id}"
    from io import BytesIO

    response = client.post(
        page,
        data={
            "report-csrf_token": csrf_token(client, page),
            "report-report_file": (BytesIO(content), "report.pdf"),
            "report-submit": "Send report",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "The file must be a PDF" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.scalar(
                sa.text("SELECT count(*) FROM invitations WHERE report_submitted_at IS NOT NULL")
            )
            == 0
        )
    # another agency's invitation is not found
    other = next(i["id"] for i in meeting["invitations"] if i["agency_id"] == world.agencies["nhs"])
    assert client.get(f"/portal/invitations/{other}").status_code == 404


def test_scheduling_page_shows_reasons_and_refuses_removal_without_one(app, factory, auth):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    client = auth.client
    auth.sign_in("officer@example.org")
    url = f"/meetings/new?concern_id={concern_id}&type=initial_child_protection_conference"
    page = client.get(url).get_data(as_text=True)
    assert "Police: statutory partner" in page and "Health: statutory partner" in page
    assert "Children&#39;s social care: leads the section 47 enquiry" in page
    data = {
        "csrf_token": csrf_token(client, url),
        "starts_on": ["10", "12", "2026"],
        "starts_time": "10:00",
        "duration_minutes": "90",
        "venue": "County Hall",
        "video_link": "",
        "chair_id": "",
        f"invite_{world.agencies['nhs']}": "yes",
        f"invite_{world.agencies['csc']}": "yes",
        # police unticked, with no reason
    }
    refused = client.post(url, data=data)
    assert refused.status_code == 200
    assert "Give a reason for not inviting Northshire Police" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM meetings")) == 0
    # issue 22: with the start time missing too, both are said on the first submit
    both = client.post(url, data=data | {"starts_time": "", "csrf_token": csrf_token(client, url)})
    text = html.unescape(both.get_data(as_text=True))
    assert "Give a reason for not inviting Northshire Police" in text
    assert "Enter the start time" in text
    assert "Enter the date and time the meeting starts" not in text, "said once"
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM meetings")) == 0
    data[f"removal_reason_{world.agencies['police']}"] = "No police role: a neglect case"
    data["csrf_token"] = csrf_token(client, url)
    created = client.post(url, data=data)
    assert created.status_code == 302, created.get_data(as_text=True)
    meeting_page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "No police role: a neglect case" in meeting_page
    assert "Northshire Hospitals NHS Trust" in meeting_page
    case = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Initial child protection conference scheduled for" in case


def test_work_list_shows_the_overdue_strategy_discussion(app, factory, auth):
    world = build_world(app, factory)
    concern_id = record_concern(world, child=False)
    set_now(datetime(2026, 11, 23, 11, 0, tzinfo=UTC))
    world.clients["officer"].post(
        f"/api/v1/concerns/{concern_id}/decision",
        json={"decision": "section_42_enquiry", "reason": "Care needs and at risk"},
    )
    set_now(datetime(2026, 12, 2, 11, 0, tzinfo=UTC))
    auth.sign_in("officer@example.org")
    page = auth.client.get("/meetings/work").get_data(as_text=True)
    assert "Strategy discussion for SG-2026-000001" in page
    assert "Overdue" in page and "Mon 30 Nov 2026" in page


def test_work_list_shows_screening_decisions_due_today_and_overdue(app, factory, auth):
    """Issue 22: the manager's work list left out the screening decisions due today."""
    world = build_world(app, factory)
    set_now(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))  # a Wednesday
    for received in ("2026-11-30", "2026-12-01", "2026-12-02"):  # due Tue, Wed, Thu
        record_concern(world, child=False, received_at=f"{received}T09:30:00+00:00")
    decided = record_concern(world, child=False, received_at="2026-11-30T09:45:00+00:00")
    world.clients["officer"].post(
        f"/api/v1/concerns/{decided}/decision",
        json={"decision": "signposted", "reason": "Signposted to the GP"},
    )
    auth.sign_in("officer@example.org")
    page = html.unescape(auth.client.get("/meetings/work").get_data(as_text=True))
    assert "Screening decision for SG-2026-000001" in page
    assert "Screening decision for SG-2026-000002" in page
    assert "SG-2026-000003" not in page, "not due until tomorrow"
    assert "SG-2026-000004" not in page, "decided"
    items = world.clients["officer"].get("/api/v1/meetings/work").json
    screening = [(i["label"], i["due"], i["overdue"]) for i in items if i["kind"] == "screening"]
    assert screening == [
        ("Screening decision for SG-2026-000001", "2026-12-01", True),
        ("Screening decision for SG-2026-000002", "2026-12-02", False),
    ]


def test_a_cluster_offers_an_organisational_strategy_meeting_that_invites_the_provider(
    app, factory, auth
):
    """The provider is proposed when it is not the source of risk, with its commissioners
    and the regulator's local inspection team where the instance has them; when it is,
    it is left off as implicated (issue 19, item 6)."""
    world = build_world(app, factory)
    commissioning = factory.agency(name="Northshire Commissioning", type="commissioning")
    provider = factory.agency(name="Meadowbank Care Ltd", type="care_provider")
    officer = world.clients["officer"]
    home = officer.post(
        "/api/v1/establishments/",
        json={
            "name": "Meadowbank House",
            "kind": "care_home_residential",
            "provider_agency_id": provider,
        },
    ).json
    concern_ids = [
        record_concern(
            world,
            child=False,
            person={"given_name": name, "family_name": "Ward", "date_of_birth": "1938-04-0" + d},
            location="care_home_residential",
            source_of_risk="known",
            establishment_id=home["id"],
        )
        for name, d in (("Edna", "1"), ("Frank", "2"), ("Gladys", "3"))
    ]
    auth.sign_in("officer@example.org")
    clusters = auth.client.get("/concerns/clusters").get_data(as_text=True)
    link = f"/meetings/new?establishment_id={home['id']}"
    assert link in clusters
    form = auth.client.get(link).get_data(as_text=True)
    assert "Organisational strategy meeting" in form
    meeting = officer.post(
        "/api/v1/meetings/",
        json={
            "type": "organisational_strategy_meeting",
            "concern_ids": concern_ids,
            "starts_at": "2026-12-03T10:00:00+00:00",
            "venue": "County Hall",
        },
    )
    assert meeting.status_code == 201, meeting.json
    assert meeting.json["establishment_id"] == home["id"]
    assert sorted(meeting.json["concern_ids"]) == sorted(concern_ids)
    invited = {i["agency_id"]: i for i in meeting.json["invitations"]}
    assert invited[provider]["reason"] == "Runs the establishment the concerns are about"
    assert invited[provider]["standard"] is True
    assert invited[commissioning]["standard"] is False
    assert invited[commissioning]["reason"].startswith("Commissions the provider's services")
    # no regulator in this instance: proposed where there is one, and not told missing
    proposal = officer.get(
        f"/api/v1/meetings/proposal?type=organisational_strategy_meeting&concern_id={concern_ids[0]}"
    ).json
    assert "care_regulator" not in proposal["missing_types"]
    regulator = factory.agency(name="CQC North Local Inspection Team", type="care_regulator")

    # a concern where the provider's own staff are the source of risk implicates it
    implicating = record_concern(
        world,
        child=False,
        person={"given_name": "Harold", "family_name": "Ward", "date_of_birth": "1937-05-05"},
        location="care_home_residential",
        source_of_risk="service_provider",
        establishment_id=home["id"],
    )
    proposal = officer.get(
        f"/api/v1/meetings/proposal?type=organisational_strategy_meeting&concern_id={implicating}"
    ).json
    proposed = {i["agency_id"] for i in proposal["invitees"]}
    assert {commissioning, regulator} <= proposed and provider not in proposed
    [left_off] = [e for e in proposal["left_off"] if e["agency_id"] == provider]
    assert left_off["reason"].startswith("Implicated in the case")


def test_rescheduling_and_cancelling_from_the_pages(app, factory, auth):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00").json
    auth.sign_in("officer@example.org")
    client = auth.client
    url = f"/meetings/{meeting['id']}/change"
    form = client.get(url).get_data(as_text=True)
    assert 'value="10:00"' in form and "Room 2, County Hall" in form
    data = {
        "csrf_token": csrf_token(client, url),
        "starts_on": ["11", "12", "2026"],
        "starts_time": "25:00",
        "duration_minutes": "60",
        "venue": "Room 2, County Hall",
        "video_link": "",
        "chair_id": "",
    }
    refused = client.post(url, data=data)
    assert refused.status_code == 200 and "govuk-error-summary" in refused.get_data(as_text=True)
    data["starts_time"] = "14:30"
    moved = client.post(url, data=data)
    assert moved.status_code == 302, moved.get_data(as_text=True)
    changed = world.clients["officer"].get(f"/api/v1/meetings/{meeting['id']}").json
    assert changed["starts_at"] == "2026-12-11T14:30:00+00:00"
    assert changed["sequence"] == meeting["sequence"] + 1
    with app.app_context():
        kinds = db.session.scalars(sa.text("SELECT kind FROM outbox_message")).all()
    assert kinds.count("meeting.update") == 2  # police and NHS

    cancel_url = f"/meetings/{meeting['id']}/cancel"
    token = csrf_token(client, cancel_url)
    assert "Say why" in client.post(cancel_url, data={"csrf_token": token, "reason": ""}).get_data(
        as_text=True
    )
    done = client.post(cancel_url, data={"csrf_token": token, "reason": "Family moved away"})
    assert done.status_code == 302
    shown = client.get(f"/meetings/{meeting['id']}").get_data(as_text=True)
    assert "Cancelled" in shown and "Family moved away" in shown
