from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs, page_schema
from core.fields import Moment


class AgencySchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    type = ma.fields.String(
        required=True, metadata={"description": "Agency type code: see GET /api/v1/agency-types"}
    )
    ods_code = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=10)
    )
    cqc_code = ma.fields.String(
        allow_none=True, load_default=None, validate=ma.validate.Length(max=20)
    )
    active = ma.fields.Boolean(load_default=True)
    team_mailbox = ma.fields.String(
        allow_none=True,
        load_default=None,
        validate=ma.validate.Length(max=254),
        metadata={
            "description": "A shared safeguarding mailbox: the agency's case emails go "
            "to it and to its named contacts"
        },
    )
    created_at = Moment(dump_only=True)


class AgencyUpdateSchema(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    type = ma.fields.String()
    ods_code = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=10))
    cqc_code = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20))
    active = ma.fields.Boolean()
    team_mailbox = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=254))


class AgencyListArgs(PageArgs):
    type = ma.fields.String(metadata={"description": "Only agencies of this type code"})
    active = ma.fields.Boolean(metadata={"description": "Only active (true) or inactive (false)"})
    name = ma.fields.String(
        validate=ma.validate.Length(max=200),
        metadata={"description": "Only agencies whose name contains this text"},
    )


class AgencyTypeSchema(ma.Schema):
    code = ma.fields.String()
    label = ma.fields.String()
    description = ma.fields.String()


AgencyPageSchema = page_schema(AgencySchema)
