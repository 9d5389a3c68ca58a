from __future__ import annotations

import marshmallow as ma

from core.fields import Moment


class NamedSchema(ma.Schema):
    """A team or an area."""

    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    active = ma.fields.Boolean(
        load_default=True,
        metadata={"description": "false: no longer in use (kept on its cases, not offered)"},
    )
    created_at = Moment(dump_only=True)


class NamedUpdateSchema(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    active = ma.fields.Boolean()


class NamedListArgs(ma.Schema):
    active = ma.fields.Boolean(metadata={"description": "Only in use (true) or not (false)"})
