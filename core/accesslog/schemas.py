"""The access log's entries in the API."""

from __future__ import annotations

import marshmallow as ma

from core.api.fields import Moment


class AccessLogEntrySchema(ma.Schema):
    id = ma.fields.Integer()
    occurred_at = Moment()
    user_id = ma.fields.Integer(allow_none=True, metadata={"description": "Who acted"})
    agency_id = ma.fields.Integer(allow_none=True)
    action = ma.fields.String(metadata={"description": "e.g. sign_in, concern.view"})
    object_type = ma.fields.String(allow_none=True)
    object_id = ma.fields.String(allow_none=True)
    remote_addr = ma.fields.String(allow_none=True, metadata={"description": "From"})
    outcome = ma.fields.String(metadata={"description": "allowed or denied"})
