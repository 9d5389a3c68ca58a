"""Invitations, updates and cancellations reach a real SMTP server with calendar files."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import icalendar
import sqlalchemy as sa

from core.extensions import db
from core.mail.models import DeliveryStatus, OutboxMessage
from tests.meetings.helpers import build_world, record_concern, schedule
from tests.support.smtp import calendar_part


def _event(ics: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_an_invitation_and_its_reschedule_reach_the_smtp_server_with_calendar_files(
    app_factory, smtp_server
):
    from tests.conftest import Factory

    app = app_factory(**smtp_server.settings(), MAIL_SENDER="safeguarding@northshire.example")
    world = build_world(app, Factory(app))
    concern_id = record_concern(world)
    created = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-16T10:00:00+00:00"
    )
    assert created.status_code == 201, created.json

    [invitation] = smtp_server.mailbox.to("police@example.org")
    assert invitation["From"] == "safeguarding@northshire.example"
    assert invitation["Subject"].startswith("Invitation: Initial child protection conference SG-")
    assert "Alfie" not in invitation.as_string()  # emails never carry the person's name
    calendar, event = _event(calendar_part(invitation))
    assert str(calendar["METHOD"]) == "REQUEST"
    uid = str(event["UID"])
    assert uid == created.json["calendar_uid"]
    first_sequence = int(event["SEQUENCE"])
    assert event.decoded("DTSTART") == datetime(2026, 12, 16, 10, 0, tzinfo=UTC)
    attendees = event["ATTENDEE"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:police@example.org"]

    officer = world.clients["officer"]
    etag = officer.get(f"/api/v1/meetings/{created.json['id']}").headers["ETag"]
    moved = officer.patch(
        f"/api/v1/meetings/{created.json['id']}",
        json={"starts_at": "2026-12-17T14:00:00+00:00"},
        headers={"If-Match": etag},
    )
    assert moved.status_code == 200, moved.json

    _, update = smtp_server.mailbox.to("police@example.org")
    assert update["Subject"].startswith("Changed: ")
    _, changed = _event(calendar_part(update))
    assert str(changed["UID"]) == uid
    assert int(changed["SEQUENCE"]) > first_sequence
    assert changed.decoded("DTSTART") == datetime(2026, 12, 17, 14, 0, tzinfo=UTC)

    cancelled = officer.post(
        f"/api/v1/meetings/{created.json['id']}/cancel", json={"reason": "Family moved away"}
    )
    assert cancelled.status_code == 200
    cancellation = smtp_server.mailbox.to("police@example.org")[-1]
    calendar, gone = _event(calendar_part(cancellation))
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(gone["STATUS"]) == "CANCELLED"
    assert int(gone["SEQUENCE"]) > int(changed["SEQUENCE"])

    with app.app_context():
        statuses = set(db.session.scalars(sa.select(OutboxMessage.status)))
    assert statuses == {DeliveryStatus.SENT}


def test_without_a_mail_server_invitations_wait_in_the_outbox_until_send_pending(
    app_factory, smtp_server
):
    from tests.conftest import Factory

    app = app_factory()
    world = build_world(app, Factory(app))
    concern_id = record_concern(world)
    created = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00")
    assert created.status_code == 201
    assert smtp_server.mailbox.received == []
    with app.app_context():
        waiting = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.status == DeliveryStatus.PENDING)
        ).all()
        assert {m.kind for m in waiting} == {"meeting.invitation"}
        addressed = {address for m in waiting for address in m.recipient_list}
    assert {"police@example.org", "nhs@example.org"} <= addressed

    runner = app.test_cli_runner()
    refused = runner.invoke(args=["mail", "send-pending"])
    assert refused.exit_code == 2
    assert "MAIL_SERVER is not set" in refused.output

    app.config.update(smtp_server.settings())
    sent = runner.invoke(args=["mail", "send-pending"])
    assert sent.exit_code == 0, sent.output
    assert f"Sent {len(waiting)}, failed 0, still pending 0." in sent.output
    assert {a for r in smtp_server.mailbox.received for a in r.recipients} == addressed
    again = runner.invoke(args=["mail", "send-pending"])
    assert "Sent 0, failed 0, still pending 0." in again.output
    assert len(smtp_server.mailbox.received) == len(waiting)


def test_board_members_auditors_and_administrators_are_never_sent_a_case_s_email(
    app_factory, smtp_server
):
    """Need to know: an invited agency's board member, auditor or administrator (and a
    disabled practitioner, and a practitioner who is not one of its named safeguarding
    contacts) gets no invitation, change, cancellation or reminder; its named contacts
    and its team mailbox do, and the calendar file names only them. An agency with
    neither is not emailed, and the meeting page says so."""
    from core.auth.roles import Role
    from tests.conftest import Factory

    app = app_factory(**smtp_server.settings())
    factory = Factory(app)
    world = build_world(app, factory)
    police = world.agencies["police"]
    for role in (Role.BOARD_MEMBER, Role.AUDITOR, Role.ADMINISTRATOR):
        factory.user(role=role, email=f"{role.value}@police.example", agency_id=police)
    factory.user(role=Role.AGENCY_PRACTITIONER, email="colleague@police.example", agency_id=police)
    factory.user(
        role=Role.AGENCY_PRACTITIONER,
        email="not-a-contact@police.example",
        agency_id=police,
        contact=False,
    )
    with app.app_context():
        from core.agencies.operations import update_agency
        from core.auth.models import Agency

        update_agency(db.session.get(Agency, police), team_mailbox="PPU@police.example ")
        db.session.commit()
    gone = factory.user(
        role=Role.AGENCY_PRACTITIONER, email="gone@police.example", agency_id=police
    )
    with app.app_context():
        from core.auth.models import User

        db.session.get(User, gone).active = False
        db.session.commit()
    concern_id = record_concern(world)
    created = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00")
    assert created.status_code == 201, created.json
    cancelled = world.clients["officer"].post(
        f"/api/v1/meetings/{created.json['id']}/cancel", json={"reason": "Family moved away"}
    )
    assert cancelled.status_code == 200

    police_mail = [
        r for r in smtp_server.mailbox.received if any("police" in a for a in r.recipients)
    ]
    assert len(police_mail) == 2  # the invitation and the cancellation
    for received in police_mail:
        assert sorted(received.recipients) == [  # addresses are sent lower case
            "colleague@police.example",
            "police@example.org",
            "ppu@police.example",
        ]
        _, event = _event(calendar_part(received.message))
        attendees = event["ATTENDEE"]
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert sorted(str(a) for a in attendees) == [
            "mailto:PPU@police.example",
            "mailto:colleague@police.example",
            "mailto:police@example.org",
        ]
    everyone = {a for r in smtp_server.mailbox.received for a in r.recipients}
    for never in ("board_member", "auditor", "administrator", "gone", "not-a-contact"):
        assert f"{never}@police.example" not in everyone


def test_an_agency_with_no_named_contact_is_not_emailed_and_the_officer_is_told(app, factory, auth):
    from core.auth.roles import Role

    world = build_world(app, factory)
    shelter = factory.agency(name="Riverside Housing Trust", type="housing")
    factory.user(role=Role.AGENCY_PRACTITIONER, email="worker@riverside.example", agency_id=shelter)
    factory.user(
        role=Role.AGENCY_PRACTITIONER,
        email="quiet@riverside.example",
        agency_id=shelter,
        contact=False,
    )
    concern_id = record_concern(world)
    created = schedule(
        world,
        concern_id,
        "strategy_discussion",
        "2026-12-10T10:00:00+00:00",
        added=[{"agency_id": shelter, "reason": "Tenancy at risk"}],
    )
    assert created.status_code == 201, created.json
    with app.app_context():
        addressed = {
            a
            for (to,) in db.session.execute(sa.select(OutboxMessage.recipients))
            for a in to.split(",")
        }
    assert "worker@riverside.example" in addressed
    assert "quiet@riverside.example" not in addressed

    # the only contact stops being one: the agency is not emailed, and the page says so
    admin = factory.user(role=Role.ADMINISTRATOR)
    from tests.api.conftest import ApiClient, make_token

    admin_api = ApiClient(app.test_client(), make_token(app, admin))
    users = admin_api.get(f"/api/v1/users/?agency_id={shelter}").json["items"]
    worker = next(u for u in users if u["email"] == "worker@riverside.example")
    assert worker["safeguarding_contact"] is True
    etag = admin_api.get(f"/api/v1/users/{worker['id']}").headers["ETag"]
    changed = admin_api.patch(
        f"/api/v1/users/{worker['id']}",
        json={"safeguarding_contact": False},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200 and changed.json["safeguarding_contact"] is False
    bad = admin_api.patch(
        f"/api/v1/agencies/{shelter}",
        json={"team_mailbox": "not an address"},
        headers={"If-Match": admin_api.get(f"/api/v1/agencies/{shelter}").headers["ETag"]},
    )
    assert bad.status_code == 422 and "team_mailbox" in bad.json["errors"]
    auth.sign_in("officer@example.org")
    page = auth.client.get(f"/meetings/{created.json['id']}").get_data(as_text=True)
    assert "Not emailed: no safeguarding contact or team mailbox" in page


def _addressed(app, kind: str) -> list[set[str]]:
    with app.app_context():
        return [
            set(to.split(","))
            for (to,) in db.session.execute(
                sa.select(OutboxMessage.recipients)
                .where(OutboxMessage.kind == kind)
                .order_by(OutboxMessage.id)
            )
        ]


def test_a_named_invitee_alone_is_sent_the_meeting_s_emails(app, factory, auth):
    """Item 4: the invited agency names who attends, in the portal or through the API;
    from then on the meeting's emails (the invitation to them, changes, reminders) go to
    that person alone, not to the agency's other contacts. A board member, an auditor, a
    user of another agency or a disabled user cannot be named."""
    from core.auth.roles import Role
    from tests.auth.helpers import sign_in
    from tests.conftest import TEST_PASSWORD, csrf_token

    world = build_world(app, factory)
    police = world.agencies["police"]
    colleague = factory.user(
        role=Role.AGENCY_PRACTITIONER, email="dc.shah@police.example", agency_id=police
    )
    board = factory.user(role=Role.BOARD_MEMBER, email="board@police.example", agency_id=police)
    concern_id = record_concern(world)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00").json
    invitation = next(i for i in meeting["invitations"] if i["agency_id"] == police)
    assert invitation["invitee_id"] is None
    assert _addressed(app, "meeting.invitation")[-1] >= {
        "police@example.org",
        "dc.shah@police.example",
    }

    # the police practitioner names a colleague on the invitation's page in the portal
    client = app.test_client()
    sign_in(client, "police@example.org", TEST_PASSWORD)
    url = f"/portal/invitations/{invitation['id']}"
    page = client.get(url).get_data(as_text=True)
    assert "Who attends" in page and "board@police.example" not in page
    named = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "invitee-invitee_id": str(colleague),
            "invitee-submit": "Name them",
        },
    )
    assert named.status_code == 302, named.get_data(as_text=True)
    assert _addressed(app, "meeting.invitation")[-1] == {"dc.shah@police.example"}
    officer = world.clients["officer"]
    shown = officer.get(f"/api/v1/meetings/{meeting['id']}/invitations/{invitation['id']}")
    assert shown.json["invitee_id"] == colleague
    assert shown.json["invitee_name"]

    moved = officer.patch(
        f"/api/v1/meetings/{meeting['id']}",
        json={"starts_at": "2026-12-11T10:00:00+00:00"},
        headers={"If-Match": officer.get(f"/api/v1/meetings/{meeting['id']}").headers["ETag"]},
    )
    assert moved.status_code == 200, moved.json
    assert _addressed(app, "meeting.update")[-1] == {"dc.shah@police.example"}

    # nobody who may not attend for the police can be named
    invitation_url = f"/api/v1/meetings/{meeting['id']}/invitations/{invitation['id']}"
    other_agency = world.users["nhs"]
    for wrong in (board, other_agency, 999999):
        refused = officer.patch(
            invitation_url,
            json={"invitee_id": wrong},
            headers={"If-Match": officer.get(invitation_url).headers["ETag"]},
        )
        assert refused.status_code == 422 and "invitee_id" in refused.json["errors"], wrong
    cleared = officer.patch(
        invitation_url,
        json={"invitee_id": None},
        headers={"If-Match": officer.get(invitation_url).headers["ETag"]},
    )
    assert cleared.status_code == 200 and cleared.json["invitee_id"] is None

    # the officer names them again on the meeting's page
    auth.sign_in("officer@example.org")
    meeting_page = f"/meetings/{meeting['id']}"
    assert "Who attends" in auth.client.get(meeting_page).get_data(as_text=True)
    again = auth.client.post(
        f"{meeting_page}/invitations/{invitation['id']}/invitee",
        data={
            "csrf_token": csrf_token(auth.client, meeting_page),
            f"invitee-{invitation['id']}-invitee_id": str(colleague),
        },
    )
    assert again.status_code == 302
    assert officer.get(invitation_url).json["invitee_id"] == colleague
    shown = auth.client.get(meeting_page).get_data(as_text=True)
    assert "Attending: " in shown and "Saved: who attends for Northshire Police" in shown


def test_no_email_carries_the_free_text_the_team_wrote(app_factory, smtp_server):
    """Why an agency is invited, why its invitation was withdrawn and why a meeting was
    cancelled are the team's words about the case ("staff member is the alleged source of
    risk"): the emails and their calendar files carry none of them; the invitation links
    to the portal page that says why the agency is invited."""
    from tests.conftest import Factory

    app = app_factory(**smtp_server.settings())
    world = build_world(app, Factory(app))
    officer = world.clients["officer"]
    concern_id = record_concern(world)
    why_invited = "Mr Briggs, a carer, is known to the police"
    withdrawn_because = "Staff member is the alleged source of risk"
    cancelled_because = "Mrs Turner died on Sunday"
    police = world.agencies["police"]
    kept = schedule(
        world,
        concern_id,
        "strategy_discussion",
        "2026-12-10T10:00:00+00:00",
        added=[{"agency_id": world.agencies["housing"], "reason": why_invited}],
    ).json
    other = schedule(world, concern_id, "strategy_discussion", "2026-12-11T10:00:00+00:00").json
    invitation = next(i for i in kept["invitations"] if i["agency_id"] == police)
    withdrawn = officer.delete(
        f"/api/v1/meetings/{kept['id']}/invitations/{invitation['id']}?"
        + urlencode({"reason": withdrawn_because})
    )
    assert withdrawn.status_code == 204
    cancelled = officer.post(
        f"/api/v1/meetings/{other['id']}/cancel", json={"reason": cancelled_because}
    )
    assert cancelled.status_code == 200, cancelled.json

    to_police = smtp_server.mailbox.to("police@example.org")
    subjects = [m["Subject"].split(":")[0] for m in to_police]
    assert sorted(subjects) == ["Cancelled", "Invitation", "Invitation", "No longer invited"]
    [to_housing] = smtp_server.mailbox.to("housing@example.org")
    for message in [*to_police, to_housing]:
        text = message.as_string() + calendar_part(message).decode()
        for secret in (why_invited, withdrawn_because, cancelled_because, "Briggs"):
            assert secret not in text, (message["Subject"], secret)
    body = to_housing.get_body(preferencelist=("plain",)).get_content()
    housing_invitation = next(
        i["id"] for i in kept["invitations"] if i["agency_id"] == world.agencies["housing"]
    )
    assert f"/portal/invitations/{housing_invitation}" in body
    assert "Read why your agency is invited" in body
