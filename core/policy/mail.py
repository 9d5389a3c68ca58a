"""The outbox: whoever the route lets in (administrators) sees every message."""

from __future__ import annotations

from core.mail.models import OutboxMessage
from core.policy.resources import Resource, by_id, declare

OUTBOX_MESSAGE = declare(
    Resource(
        "outbox_message",
        "message_id",
        by_id(OutboxMessage),
        model=OutboxMessage,
        denied="outbox.message.view",
    )
)
