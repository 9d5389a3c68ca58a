"""The email outbox in the API."""

from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs
from core.fields import Moment
from core.mail.models import DeliveryStatus


class AttachmentSchema(ma.Schema):
    filename = ma.fields.String()
    content_type = ma.fields.String()
    size = ma.fields.Function(lambda attachment: len(attachment.content))


class OutboxMessageSchema(ma.Schema):
    id = ma.fields.Integer()
    created_at = Moment()
    kind = ma.fields.String(metadata={"description": "What it is for, e.g. meeting.invitation"})
    meeting_id = ma.fields.Integer(allow_none=True)
    recipients = ma.fields.List(ma.fields.String(), attribute="recipient_list")
    subject = ma.fields.String()
    body = ma.fields.String()
    status = ma.fields.Function(lambda message: message.status.value)
    attempts = ma.fields.Integer()
    last_error = ma.fields.String(allow_none=True)
    sent_at = Moment(allow_none=True)
    attachments = ma.fields.List(ma.fields.Nested(AttachmentSchema))


class OutboxListArgs(PageArgs):
    status = ma.fields.String(validate=ma.validate.OneOf([s.value for s in DeliveryStatus]))


class DeliverySchema(ma.Schema):
    sent = ma.fields.Integer()
    failed = ma.fields.Integer()
    queued = ma.fields.Boolean(
        dump_default=False, metadata={"description": "true: the worker sends them"}
    )
