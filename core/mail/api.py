"""/api/v1/outbox: the administrators' outbox pages through the API."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.api.conventions import Blueprint, page_schema, paginate
from core.errors import abort
from core.mail import operations
from core.mail.models import DeliveryStatus, OutboxMessage
from core.mail.schemas import DeliverySchema, OutboxListArgs, OutboxMessageSchema
from core.pipeline import logged, record
from core.policy import mail as _record_types  # noqa: F401  (declares "outbox_message")

blp = Blueprint("outbox_api", __name__, url_prefix="/outbox", description="The email outbox")
MESSAGE = "/<id:message_id>"


@blp.get("/", "mail.view", OutboxListArgs, page_schema(OutboxMessageSchema))
@logged("outbox.view", object_type="outbox")
def list_messages(args: dict[str, Any]) -> dict[str, Any]:
    """The outbox, newest first; ``status`` keeps the pending, sent or failed ones."""
    query = (
        sa.select(OutboxMessage)
        .options(selectinload(OutboxMessage.attachments))
        .order_by(OutboxMessage.id.desc())
    )
    if args.get("status"):
        query = query.where(OutboxMessage.status == DeliveryStatus(args["status"]))
    return paginate(query, args["page"], args["page_size"])


@blp.get(MESSAGE, "mail.view", None, OutboxMessageSchema)
@logged("outbox.message.view", object_type="outbox_message", object_id="message_id")
@record("outbox_message", argument="message")
def get_message(message: OutboxMessage) -> Any:
    """One email: its text, attachments, attempts and last error."""
    return message


@blp.post(MESSAGE + "/retry", "mail.send", None, OutboxMessageSchema)
@record("outbox_message", argument="message")
def retry_message(message: OutboxMessage) -> Any:
    """Put a failed email back in the queue (422 for one that has not failed)."""
    operations.retry(message)
    return message


@blp.post("/send", "mail.send", None, DeliverySchema)
@blp.alt_response(502, response="BAD_GATEWAY")
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
def send_pending() -> Any:
    """Send the pending emails now: how many were sent and how many failed, or, where a
    worker sends email, none yet (`queued` true: the worker sends them). 503 when no mail
    server is configured, 502 when it cannot be reached (nothing sent)."""
    try:
        report = operations.send_now()
    except operations.MailNotConfigured:
        abort(503, "No mail server is configured (MAIL_SERVER), so nothing was sent.")
    except operations.DeliveryError as error:
        abort(502, str(error))
    return report or {"sent": 0, "failed": 0, "queued": True}
