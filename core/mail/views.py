from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import selectinload

from core.forms import flashed
from core.mail import operations
from core.mail.models import DeliveryStatus, OutboxMessage
from core.pagination import paginate
from core.pipeline import logged, record
from core.policy import mail as _record_types  # noqa: F401  (declares "outbox_message")
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


@requires("mail.view")
@logged("outbox.message.view", object_type="outbox_message", object_id="message_id")
@record("outbox_message", argument="message")
def show(message: OutboxMessage) -> ResponseReturnValue:
    return render_template("mail/show.html", message=message)


@requires("mail.send")
def send() -> ResponseReturnValue:
    try:
        report = operations.send_now()
    except operations.MailNotConfigured:
        flash("No mail server is configured (MAIL_SERVER), so nothing was sent.", "error")
    except operations.DeliveryError as error:
        flash(str(error), "error")
    else:
        done = f"Sent {report.sent}, failed {report.failed}." if report else None
        flash(done or "The pending emails are being sent in the background.", "success")
    return redirect(url_for("outbox.index"))


@requires("mail.send")
@record("outbox_message", argument="message")
def retry(message: OutboxMessage) -> ResponseReturnValue:
    flashed(lambda: operations.retry(message), "The message is back in the queue.")
    return redirect(url_for("outbox.show", message_id=message.id))
