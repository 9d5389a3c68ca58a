"""Recording a meeting (outcomes, decisions, actions, the meeting_held hook), meeting
types from plugins, standard lists kept by administrators, reports and reminders."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import sqlalchemy as sa

from core.auth.roles import Role
from core.extensions import db
from core.mail.models import OutboxMessage
from plugins import HeldMeeting, MeetingType, hookimpl
from tests.conftest import Auth, Factory, csrf_token
from tests.meetings.helpers import build_world, record_concern, schedule
from tests.support.clock import set_now
from tests.support.files import one_page_pdf


class Recorder:
    """A throwaway plugin: one extra meeting type, and a note of every held meeting."""

    def __init__(self) -> None:
        self.held: list[HeldMeeting] = []

    @hookimpl
    def register_meeting_types(self) -> list[MeetingType]:
        return [MeetingType("professionals_meeting", "Professionals meeting", audience="child")]

    @hookimpl
    def meeting_held(self, meeting: HeldMeeting) -> None:
        self.held.append(meeting)


def test_a_held_meeting_records_decisions_and_actions_goes_on_the_timeline_and_fires_the_hook(
    app_factory,
):
    recorder = Recorder()
    app = app_factory(EXTRA_PLUGINS=[recorder])
    world = build_world(app, Factory(app))
    concern_id = record_concern(world)
    types = world.clients["officer"].get("/api/v1/meeting-types/").json
    assert "professionals_meeting" in {t["code"] for t in types}
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-01T10:00:00+00:00").json
    set_now(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    outcomes = [
        {"invitation_id": i["id"], "outcome": "attended_in_person"} for i in meeting["invitations"]
    ]
    held = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/held",
        json={
            "outcomes": outcomes,
            "attendees": [{"name": "Dr Asha Patel", "role": "GP", "agency": "Riverside Surgery"}],
            "minutes": "Agreed to convene an initial conference.",
            "decisions": [{"kind": "section_47_enquiry"}, {"kind": "convene_icpc"}],
            "actions": [
                {
                    "description": "Share the chronology with the conference chair",
                    "owner_agency_id": world.agencies["police"],
                    "due_on": "2026-12-04",
                }
            ],
        },
    )
    assert held.status_code == 200, held.json
    assert held.json["status"] == "held"
    assert [d["kind"] for d in held.json["decisions"]] == ["section_47_enquiry", "convene_icpc"]
    [action] = held.json["actions"]
    assert action["status"] == "open" and action["due_on"] == "2026-12-04"
    [seen] = recorder.held
    assert (seen.id, seen.type, seen.concern_ids) == (
        meeting["id"],
        "strategy_discussion",
        (concern_id,),
    )
    # the police own an action, so they can see the case that follows
    assert world.clients["police"].get(f"/api/v1/concerns/{concern_id}").status_code == 200
    again = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/held", json={"outcomes": outcomes}
    )
    assert again.status_code == 422

    client = app.test_client()
    Auth(client, Factory(app)).sign_in("officer@example.org")
    case = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Strategy discussion held" in case


def test_a_bad_outcome_code_is_refused_and_nothing_is_recorded(app, factory):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-01T10:00:00+00:00").json
    set_now(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    held = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/held",
        json={"outcomes": [{"invitation_id": meeting["invitations"][0]["id"], "outcome": "late"}]},
    )
    assert held.status_code == 422
    assert world.clients["officer"].get(f"/api/v1/meetings/{meeting['id']}").json["status"] == (
        "scheduled"
    )


def test_a_meeting_is_not_recorded_as_held_before_the_day_it_was_called_for(app, factory):
    """The invitees were told a day: a meeting brought forward is rescheduled first, then
    recorded; the refusal writes nothing."""
    world = build_world(app, factory)
    officer = world.clients["officer"]
    concern_id = record_concern(world)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00").json
    set_now(datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    outcomes = [
        {"invitation_id": i["id"], "outcome": "attended_in_person"} for i in meeting["invitations"]
    ]
    url = f"/api/v1/meetings/{meeting['id']}/held"
    early = officer.post(url, json={"outcomes": outcomes, "held_at": "2026-12-03T10:00:00+00:00"})
    assert early.status_code == 422, early.json
    assert "10 December 2026" in early.json["errors"]["held_at"][0]
    assert officer.get(f"/api/v1/meetings/{meeting['id']}").json["status"] == "scheduled"
    etag = officer.get(f"/api/v1/meetings/{meeting['id']}").headers["ETag"]
    moved = officer.patch(
        f"/api/v1/meetings/{meeting['id']}",
        json={"starts_at": "2026-12-03T10:00:00+00:00"},
        headers={"If-Match": etag},
    )
    assert moved.status_code == 200, moved.json
    held = officer.post(url, json={"outcomes": outcomes})
    assert held.status_code == 200, held.json
    assert held.json["held_at"].startswith("2026-12-03T10:00")


def test_a_report_after_the_deadline_is_refused(app, factory):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    meeting = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-16T10:00:00+00:00"
    ).json
    assert meeting["report_deadline"] == "2026-12-11"
    police_invitation = next(
        i for i in meeting["invitations"] if i["agency_id"] == world.agencies["police"]
    )
    set_now(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    police = world.clients["police"]
    url = f"/api/v1/meetings/{meeting['id']}/invitations/{police_invitation['id']}"
    read = police.get(url)
    assert read.status_code == 200 and read.json["agency_id"] == world.agencies["police"]
    assert world.clients["school"].get(url).status_code == 404
    answered = police.patch(
        url, json={"response": "apologies"}, headers={"If-Match": read.headers["ETag"]}
    )
    assert answered.status_code == 200, answered.json
    assert answered.status_code == 200 and answered.json["response"] == "apologies"
    page = app.test_client()
    Auth(page, Factory(app)).sign_in("police@example.org")
    portal_url = f"/portal/invitations/{police_invitation['id']}"
    late = page.post(
        portal_url,
        data={
            "report-csrf_token": csrf_token(page, portal_url),
            "report-report_text": "Our report, sent late.",
            "report-submit": "Send report",
        },
    )
    assert late.status_code == 200
    assert "Reports for this meeting were due by Friday 11 December 2026" in late.get_data(
        as_text=True
    )
    assert police.get(url).json["report_submitted_at"] is None


def test_an_agency_sends_its_report_through_the_api_as_on_its_portal_page(app, factory):
    """A partner system sends the police report, as text and a PDF in base64: the chair
    downloads the PDF; another agency cannot send or read it; bad input is a 422 that
    writes nothing."""
    world = build_world(app, factory)
    concern_id = record_concern(world)
    meeting = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-16T10:00:00+00:00"
    ).json
    invitation = next(
        i for i in meeting["invitations"] if i["agency_id"] == world.agencies["police"]
    )
    police, officer = world.clients["police"], world.clients["officer"]
    url = f"/api/v1/meetings/{meeting['id']}/invitations/{invitation['id']}/report"
    invitation_url = url.removesuffix("/report")
    for bad, field in (
        ({}, "report"),
        ({"pdf": "not base64!"}, "pdf"),
        ({"pdf": base64.b64encode(b"plain text, not a PDF").decode()}, "report_file"),
    ):
        refused = police.post(url, json=bad)
        assert refused.status_code == 422 and field in refused.json["errors"], refused.json
    assert police.get(invitation_url).json["report_submitted_at"] is None
    assert world.clients["school"].post(url, json={"text": "Ours"}).status_code == 404
    pdf = one_page_pdf()
    sent = police.post(
        url,
        json={
            "text": "Known to police: two call-outs.",
            "pdf": base64.b64encode(pdf).decode(),
            "filename": "police-report.pdf",
        },
    )
    assert sent.status_code == 200, sent.json
    assert sent.json["report_submitted_at"] is not None
    download = officer.get(url)
    assert download.status_code == 200 and download.data == pdf
    assert "police-report.pdf" in download.headers["Content-Disposition"]
    assert world.clients["school"].get(url).status_code == 404
    set_now(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    late = police.post(url, json={"text": "Sent late"})
    assert late.status_code == 422 and "were due by" in late.json["errors"]["report"][0]


def test_reminders_go_once_per_item_per_day(app, factory, runner):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00")

    def reminders() -> list[str]:
        with app.app_context():
            return list(
                db.session.scalars(
                    sa.select(OutboxMessage.dedupe_key)
                    .where(OutboxMessage.kind == "meeting.reminder")
                    .order_by(OutboxMessage.id)
                )
            )

    set_now(datetime.now(UTC))
    assert runner.invoke(args=["reminders", "send"]).output == "Queued 0 reminders.\n"
    set_now(datetime(2026, 12, 8, 9, 0, tzinfo=UTC))  # answers overdue
    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    sent = reminders()
    assert len(sent) == 2 and all(key.endswith(":2026-12-08") for key in sent)  # police, NHS
    assert runner.invoke(args=["reminders", "send"]).output == "Queued 0 reminders.\n"
    assert reminders() == sent
    set_now(datetime(2026, 12, 9, 9, 0, tzinfo=UTC))
    assert runner.invoke(args=["reminders", "send"]).output == "Queued 2 reminders.\n"


def test_administrators_keep_the_standard_lists(app, factory):
    world = build_world(app, factory)
    client = app.test_client()
    Auth(client, Factory(app)).as_role(Role.ADMINISTRATOR)
    token = csrf_token(client, "/meetings/standard-lists")
    refused = client.post(
        "/meetings/standard-lists",
        data={"csrf_token": token, "meeting_type": "strategy_discussion", "audience": "child"},
    )
    assert refused.status_code == 200
    assert "Give the reason shown when it is proposed" in refused.get_data(as_text=True)
    added = client.post(
        "/meetings/standard-lists",
        data={
            "csrf_token": token,
            "meeting_type": "strategy_discussion",
            "audience": "child",
            "agency_type": "housing",
            "reason": "Housing know the family's tenancy",
        },
    )
    assert added.status_code == 302, added.get_data(as_text=True)
    concern_id = record_concern(world)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00").json
    housing = [i for i in meeting["invitations"] if i["agency_id"] == world.agencies["housing"]]
    assert [(i["reason"], i["standard"]) for i in housing] == [
        ("Housing know the family's tenancy", True)
    ]
