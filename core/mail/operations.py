"""Queue emails in the outbox and deliver them over SMTP.

Every email is written to the outbox in the same transaction as the change that
caused it, so a rolled-back change sends nothing and a committed one loses nothing.
With ``MAIL_SERVER`` set, what a request queued is delivered as soon as the request
has committed: by a job on the queue when ``REDIS_URL`` is set (the request does no SMTP;
the job carries only the outbox ids, and the worker's periodic sweep sends whatever a lost
job left pending), else in the web process. Without ``MAIL_SERVER`` (the default) messages
wait in the outbox, which administrators can read, until ``flask --app core mail
send-pending`` delivers them.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_app_context
from sqlalchemy.exc import IntegrityError

from core import jobs
from core.accesslog import operations as access_log
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.mail.models import DeliveryStatus, OutboxAttachment, OutboxMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    # full MIME type, parameters allowed: ``text/calendar; method=REQUEST``
    content_type: str
    content: bytes


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int


class MailNotConfigured(RuntimeError):
    """``MAIL_SERVER`` is not set, so nothing can be delivered."""


class DeliveryError(RuntimeError):
    """The SMTP server could not be reached; nothing was sent."""


def _one_line(text: str) -> str:
    # headers never carry line breaks (no header injection through a subject)
    return " ".join(text.split())


def queue_message(
    recipients: Iterable[str],
    subject: str,
    body: str,
    *,
    kind: str,
    attachments: Sequence[Attachment] = (),
    dedupe_key: str | None = None,
    meeting_id: int | None = None,
) -> OutboxMessage:
    """Store an email for delivery; with a ``dedupe_key`` that is taken already, the
    existing message is returned and nothing new is stored. An email about a meeting
    names it, so that it goes with the meeting when retention purges it."""
    addresses = sorted({address.strip().lower() for address in recipients if address.strip()})
    if not addresses:
        raise ValidationFailed({"recipients": ["An email needs at least one recipient."]})
    if any("," in address or "\n" in address or "@" not in address for address in addresses):
        raise ValidationFailed({"recipients": ["Every recipient must be one email address."]})
    if dedupe_key is not None:
        existing = _by_dedupe_key(dedupe_key)
        if existing is not None:
            return existing
    message = OutboxMessage(
        kind=kind,
        meeting_id=meeting_id,
        recipients=",".join(addresses),
        subject=_one_line(subject)[:300],
        body=body,
        dedupe_key=dedupe_key,
        attachments=[
            OutboxAttachment(
                filename=_one_line(a.filename)[:200],
                content_type=_one_line(a.content_type)[:200],
                content=a.content,
            )
            for a in attachments
        ],
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        # another transaction queued the same key between our check and our insert
        existing = _by_dedupe_key(dedupe_key) if dedupe_key else None
        if existing is None:
            raise
        return existing
    if has_app_context():
        g.setdefault("queued_mail", []).append(message.id)
    return message


def _by_dedupe_key(key: str) -> OutboxMessage | None:
    return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.dedupe_key == key))


def count_pending() -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == DeliveryStatus.PENDING)
        )
        or 0
    )


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def deliver_after_commit() -> None:
    """Deliver what this request or command queued, if SMTP is configured: a job
    (:func:`deliver_mail`) on the queue, or at once without Redis.

    Call only after the transaction that queued the messages has committed. A failure
    is logged and recorded on the messages; they stay in the outbox for the worker's
    sweep or ``mail send-pending``.
    """
    ids = g.pop("queued_mail", None) if has_app_context() else None
    if not ids or not mail_configured():
        return
    if jobs.queue_configured():
        jobs.enqueue(deliver_mail, list(ids))
        return
    try:
        deliver_pending(ids=ids)
    except DeliveryError:
        log.warning("Mail server unreachable; %d message(s) left in the outbox", len(ids))


def deliver_pending(limit: int | None = None, ids: Sequence[int] | None = None) -> DeliveryReport:
    """Send pending messages, oldest first; each is committed as sent (or as a failed
    attempt) on its own, so a crash never sends a message twice."""
    if not mail_configured():
        raise MailNotConfigured("MAIL_SERVER is not set: messages stay in the outbox.")
    db.session.commit()  # never carry a caller's transaction into the sending loop
    query = (
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.status == DeliveryStatus.PENDING)
        .order_by(OutboxMessage.id)
    )
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(list(ids)))
    if limit is not None:
        query = query.limit(limit)
    candidates = list(db.session.scalars(query))
    db.session.rollback()
    if not candidates:
        return DeliveryReport(0, 0)
    sent = failed = 0
    with _connect() as smtp:
        for message_id in candidates:
            message = db.session.scalar(
                sa.select(OutboxMessage)
                .where(OutboxMessage.id == message_id)
                .where(OutboxMessage.status == DeliveryStatus.PENDING)
                .with_for_update(skip_locked=True)
            )
            if message is None:  # sent meanwhile by another sender
                db.session.rollback()
                continue
            try:
                smtp.send_message(_compose(message))
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
                # this message was refused; the connection still serves the others
                _record_failure(message, error)
                failed += 1
            except OSError as error:  # includes a dropped connection and timeouts
                _record_failure(message, error)
                failed += 1
                db.session.commit()
                break  # the rest wait for the next run
            else:
                message.status = DeliveryStatus.SENT
                message.sent_at = utcnow()
                message.attempts += 1
                message.last_error = None
                sent += 1
            db.session.commit()
    return DeliveryReport(sent, failed)


def retry(message: OutboxMessage) -> None:
    """Put a failed message back in the queue (an administrator's request, logged)."""
    if message.status != DeliveryStatus.FAILED:
        raise ValidationFailed({"message": ["Only a failed message can be retried."]})
    message.status = DeliveryStatus.PENDING
    message.attempts = 0
    access_log.record("outbox.message.retry", object_type="outbox_message", object_id=message.id)


def send_now() -> DeliveryReport | None:
    """An administrator asks for the pending email to be sent now (logged): with a queue
    the worker's sweep sends it (None: nothing is sent in this request), else it is
    delivered here. Raises MailNotConfigured or DeliveryError as deliver_pending does."""
    if not mail_configured():
        raise MailNotConfigured("No mail server is configured (MAIL_SERVER)")
    access_log.record("outbox.send", object_type="outbox")
    if jobs.queue_configured():
        jobs.enqueue_once(sweep_outbox)
        return None
    return deliver_pending()


def _record_failure(message: OutboxMessage, error: BaseException) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        message.status = DeliveryStatus.FAILED
    log.warning("Email %s not delivered (attempt %d): %s", message.id, message.attempts, error)


def _connect() -> smtplib.SMTP:
    config = current_app.config
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    timeout = config["MAIL_TIMEOUT"]
    try:
        smtp: smtplib.SMTP
        if config["MAIL_USE_SSL"]:
            smtp = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
            if config["MAIL_USE_STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(f"Cannot reach the mail server {host}:{port}: {error}") from error
    return smtp


def _compose(message: OutboxMessage) -> EmailMessage:
    sender = current_app.config["MAIL_SENDER"]
    email = EmailMessage()
    email["From"] = sender
    email["To"] = ", ".join(message.recipient_list)
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False, usegmt=True)
    email["Message-ID"] = make_msgid(
        idstring=f"outbox-{message.id}", domain=sender.rpartition("@")[2] or None
    )
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(message.body)
    for attachment in message.attachments:
        maintype, subtype, params = _split_type(attachment.content_type)
        email.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=params,
        )
    return email


def _split_type(content_type: str) -> tuple[str, str, dict[str, Any]]:
    main, *parameters = [part.strip() for part in content_type.split(";")]
    maintype, _, subtype = main.partition("/")
    params = {}
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        if key and key.lower() != "charset":
            params[key.strip().lower()] = value.strip().strip('"')
    return maintype or "application", subtype or "octet-stream", params


@jobs.task
def deliver_mail(message_ids: list[int]) -> str:
    """The job: send these outbox messages if still pending. An unreachable server raises
    (the job is retried); a message the server refuses is recorded on it, as ``mail
    send-pending`` does."""
    if not mail_configured():
        return "MAIL_SERVER is not set: the messages wait in the outbox."
    report = deliver_pending(ids=message_ids)
    return f"sent {report.sent}, failed {report.failed}"


@jobs.periodic("interval", "JOBS_OUTBOX_SWEEP_SECONDS")
@jobs.task
def sweep_outbox() -> str:
    """The job: send everything pending in the outbox, what a lost or failed job left."""
    if not mail_configured():
        return "MAIL_SERVER is not set: the messages wait in the outbox."
    report = deliver_pending()
    return f"sent {report.sent}, failed {report.failed}"
