"""The email outbox: queueing, delivery over a real SMTP server, failures, retries and
the administrators' page."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa

from core.auth.roles import Role
from core.errors import ValidationFailed
from core.extensions import db
from core.mail import operations as mail
from core.mail.calendar import calendar_attachment
from core.mail.models import DeliveryStatus, OutboxMessage
from tests.conftest import csrf_token
from tests.support.smtp import calendar_part


def _queue(app, recipients=("someone@example.org",), **extra):
    with app.app_context():
        message = mail.queue_message(
            recipients, extra.pop("subject", "Hello"), "Body text\n", kind="test", **extra
        )
        db.session.commit()
        return message.id


def _message(app, message_id):
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        db.session.expunge(message)
        return message


def test_a_queued_message_is_delivered_once_with_its_attachment(app, smtp_server):
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    message_id = _queue(
        app,
        ("B@Example.org", "a@example.org", "a@example.org"),
        subject="Line one\r\nBcc: evil@example.org",
        attachments=[calendar_attachment(ics, "REQUEST")],
    )
    app.config.update(smtp_server.settings())
    with app.app_context():
        assert mail.deliver_pending() == mail.DeliveryReport(sent=1, failed=0)
        assert mail.deliver_pending() == mail.DeliveryReport(sent=0, failed=0)
    [received] = smtp_server.mailbox.received
    assert received.recipients == ["a@example.org", "b@example.org"]
    assert received.message["Subject"] == "Line one Bcc: evil@example.org"
    assert received.message["Bcc"] is None
    assert received.message.get_body(("plain",)).get_content().strip() == "Body text"
    assert calendar_part(received.message) == ics
    [part] = received.message.iter_attachments()
    assert part.get_param("method") == "REQUEST"
    sent = _message(app, message_id)
    assert sent.status is DeliveryStatus.SENT and sent.sent_at is not None and sent.attempts == 1


def test_a_refused_recipient_is_retried_until_it_fails_and_others_still_go(
    app_factory, smtp_server
):
    app = app_factory(**smtp_server.settings(), MAIL_MAX_ATTEMPTS=2)
    refused = _queue(app, ("refuse-me@example.org",))
    fine = _queue(app, ("fine@example.org",))
    with app.app_context():
        assert mail.deliver_pending() == mail.DeliveryReport(sent=1, failed=1)
    first = _message(app, refused)
    assert first.status is DeliveryStatus.PENDING and first.attempts == 1
    assert "550" in first.last_error
    assert _message(app, fine).status is DeliveryStatus.SENT
    result = app.test_cli_runner().invoke(args=["mail", "send-pending"])
    assert result.exit_code == 1
    assert "Sent 0, failed 1, still pending 0." in result.output
    assert _message(app, refused).status is DeliveryStatus.FAILED
    with app.app_context():
        mail.retry(db.session.get(OutboxMessage, refused))
        db.session.commit()
        with pytest.raises(ValidationFailed):
            mail.retry(db.session.get(OutboxMessage, fine))
    assert _message(app, refused).status is DeliveryStatus.PENDING


def test_an_unreachable_server_loses_nothing_and_the_request_still_succeeds(app_factory, auth):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = app_factory(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=2)
    message_id = _queue(app)
    result = app.test_cli_runner().invoke(args=["mail", "send-pending"])
    assert result.exit_code == 1
    assert "Cannot reach the mail server" in result.output
    waiting = _message(app, message_id)
    assert waiting.status is DeliveryStatus.PENDING and waiting.attempts == 0


def test_a_dedupe_key_queues_one_message_only(app):
    first = _queue(app, dedupe_key="reminder:answer:1:2026-12-01")
    second = _queue(app, dedupe_key="reminder:answer:1:2026-12-01")
    third = _queue(app, dedupe_key="reminder:answer:1:2026-12-02")
    assert first == second != third
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2


@pytest.mark.parametrize(
    "recipients", [(), ("",), ("not-an-address",), ("a@example.org, b@example.org",)]
)
def test_bad_recipients_are_refused(app, recipients):
    with app.app_context(), pytest.raises(ValidationFailed):
        mail.queue_message(recipients, "Subject", "Body", kind="test")


def test_administrators_read_the_outbox_and_send_what_waits(app_factory, smtp_server, factory):
    app = app_factory(**smtp_server.settings())
    message_id = _queue(app, ("reader@example.org",), subject="Invitation: Strategy discussion")
    client = app.test_client()
    from tests.conftest import Auth, Factory

    admin = Auth(client, Factory(app))
    admin.as_role(Role.ADMINISTRATOR)
    page = client.get("/admin/outbox/").get_data(as_text=True)
    assert "Invitation: Strategy discussion" in page and "Waiting" in page
    assert "Send waiting emails now" in page
    shown = client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)
    assert "reader@example.org" in shown and "Body text" in shown
    assert client.get("/admin/outbox/?status=lost").status_code == 400
    assert client.get("/admin/outbox/999999").status_code == 404
    sent = client.post(
        "/admin/outbox/send", data={"csrf_token": csrf_token(client, "/admin/outbox/")}
    )
    assert sent.status_code == 302
    assert "Sent 1, failed 0." in client.get("/admin/outbox/").get_data(as_text=True)
    assert [r.recipients for r in smtp_server.mailbox.received] == [["reader@example.org"]]
    assert "Waiting" not in client.get("/admin/outbox/?status=pending").get_data(as_text=True)


def test_safeguarding_officers_cannot_read_the_outbox(app, auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    assert client.get("/admin/outbox/").status_code == 403
    token = csrf_token(client, "/")
    assert client.post("/admin/outbox/send", data={"csrf_token": token}).status_code == 403
