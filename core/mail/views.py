from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import selectinload

from core import jobs
from core.accesslog import operations as access_log
from core.errors import ValidationFailed
from core.extensions import db
from core.jobs.tasks import sweep_outbox
from core.mail import operations
from core.mail.models import DeliveryStatus, OutboxMessage
from core.pagination import paginate
from core.pipeline import logged
from core.policy.routes import requires

STATUSES = [status.value for status in DeliveryStatus]


@requires("mail.view")
@logged("outbox.view", object_type="outbox")
def index() -> ResponseReturnValue:
    status = request.args.get("status", "")
    if status and status not in STATUSES:
        abort(400, description=f"Unknown status {status!r}: use one of {', '.join(STATUSES)}.")
    query = (
        sa.select(OutboxMessage)
        .options(selectinload(OutboxMessage.attachments))
        .order_by(OutboxMessage.id.desc())
    )
    if status:
        query = query.where(OutboxMessage.status == DeliveryStatus(status))
    page = paginate(query, per_page=50)
    return render_template(
        "mail/index.html",
        page=page,
        status=status,
        statuses=STATUSES,
        pending=operations.count_pending(),
        configured=operations.mail_configured(),
    )


def _load(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return message


@requires("mail.view")
@logged("outbox.message.view", object_type="outbox_message", object_id="message_id")
def show(message_id: int) -> ResponseReturnValue:
    message = _load(message_id)
    return render_template("mail/show.html", message=message)


@requires("mail.send")
def send() -> ResponseReturnValue:
    if jobs.queue_configured() and operations.mail_configured():
        # the page does no SMTP: the worker sends what is pending (already committed)
        jobs.enqueue(sweep_outbox)
        access_log.record("outbox.send", object_type="outbox")
        flash("The pending emails are being sent in the background.", "success")
        return redirect(url_for("outbox.index"))
    try:
        report = operations.deliver_pending()
    except operations.MailNotConfigured:
        flash("No mail server is configured (MAIL_SERVER), so nothing was sent.", "error")
    except operations.DeliveryError as error:
        flash(str(error), "error")
    else:
        access_log.record("outbox.send", object_type="outbox")
        flash(f"Sent {report.sent}, failed {report.failed}.", "success")
    return redirect(url_for("outbox.index"))


@requires("mail.send")
def retry(message_id: int) -> ResponseReturnValue:
    message = _load(message_id)
    try:
        operations.retry(message)
    except ValidationFailed as failed:
        db.session.rollback()
        flash(" ".join(m for ms in failed.errors.values() for m in ms), "error")
    else:
        access_log.record(
            "outbox.message.retry", object_type="outbox_message", object_id=message.id
        )
        flash("The message is back in the queue.", "success")
    return redirect(url_for("outbox.show", message_id=message_id))
