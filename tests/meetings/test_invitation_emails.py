"""Invitations, updates and cancellations reach a real SMTP server with calendar files."""

from __future__ import annotations

from datetime import UTC, datetime

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
    disabled practitioner) gets no invitation, change, cancellation or reminder; the
    agency's practitioners do, and the calendar file names only them."""
    from core.auth.roles import Role
    from tests.conftest import Factory

    app = app_factory(**smtp_server.settings())
    factory = Factory(app)
    world = build_world(app, factory)
    police = world.agencies["police"]
    for role in (Role.BOARD_MEMBER, Role.AUDITOR, Role.ADMINISTRATOR):
        factory.user(role=role, email=f"{role.value}@police.example", agency_id=police)
    factory.user(role=Role.AGENCY_PRACTITIONER, email="colleague@police.example", agency_id=police)
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
        assert sorted(received.recipients) == ["colleague@police.example", "police@example.org"]
        _, event = _event(calendar_part(received.message))
        attendees = event["ATTENDEE"]
        attendees = attendees if isinstance(attendees, list) else [attendees]
        assert sorted(str(a) for a in attendees) == [
            "mailto:colleague@police.example",
            "mailto:police@example.org",
        ]
    everyone = {a for r in smtp_server.mailbox.received for a in r.recipients}
    for never in ("board_member", "auditor", "administrator", "gone"):
        assert f"{never}@police.example" not in everyone
