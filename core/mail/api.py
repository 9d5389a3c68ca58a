"""/api/v1/outbox: the administrators' outbox pages through the API."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from core.api.conventions import page_schema, paginate, validation_as_422
from core.api.problems import abort
from core.extensions import db
from core.mail import operations
from core.mail.models import DeliveryStatus, OutboxMessage
from core.mail.schemas import DeliverySchema, OutboxListArgs, OutboxMessageSchema
from core.pipeline import logged
from core.policy.routes import requires

blp = Blueprint("outbox_api", __name__, url_prefix="/outbox", description="The email outbox")
MESSAGE = "/<int(min=1, max=2147483647):message_id>"


def _message_or_404(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return message


@blp.route("/", methods=["GET"])
@requires("mail.view")
@blp.arguments(OutboxListArgs, location="query")
@blp.response(200, page_schema(OutboxMessageSchema))
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


@blp.route(MESSAGE, methods=["GET"])
@requires("mail.view")
@blp.response(200, OutboxMessageSchema)
@logged("outbox.message.view", object_type="outbox_message", object_id="message_id")
def get_message(message_id: int) -> Any:
    """One email: its text, attachments, attempts and last error."""
    return _message_or_404(message_id)


@blp.route(MESSAGE + "/retry", methods=["POST"])
@requires("mail.send")
@blp.response(200, OutboxMessageSchema)
@logged(
    "outbox.message.retry",
    object_type="outbox_message",
    object_id="message_id",
    methods=("POST",),
)
def retry_message(message_id: int) -> Any:
    """Put a failed email back in the queue (422 for one that has not failed)."""
    message = _message_or_404(message_id)
    with validation_as_422():
        operations.retry(message)
    return message


@blp.route("/send", methods=["POST"])
@requires("mail.send")
@blp.response(200, DeliverySchema)
@blp.alt_response(502, response="BAD_GATEWAY")
@blp.alt_response(503, response="SERVICE_UNAVAILABLE")
@logged("outbox.send", object_type="outbox", methods=("POST",))
def send_pending() -> Any:
    """Deliver the pending emails now: how many were sent and how many failed. 503 when
    no mail server is configured, 502 when it cannot be reached (nothing sent)."""
    try:
        return operations.deliver_pending()
    except operations.MailNotConfigured:
        abort(503, "No mail server is configured (MAIL_SERVER), so nothing was sent.")
    except operations.DeliveryError as error:
        abort(502, str(error))
