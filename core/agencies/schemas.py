from __future__ import annotations

import marshmallow as ma

from core.api.conventions import PageArgs, page_schema, query_id_field
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
    council_ids = ma.fields.List(
        ma.fields.Integer(),
        load_default=None,
        validate=ma.validate.Length(max=100),
        metadata={
            "description": "The council areas it serves (GET /api/v1/councils); left out: "
            "the administrator's own"
        },
    )
    created_at = Moment(dump_only=True)

    @ma.post_dump(pass_original=True)
    def councils_served(self, data: dict, original: object, **kwargs: object) -> dict:
        data["council_ids"] = [c.id for c in getattr(original, "councils", [])]
        return data


class AgencyUpdateSchema(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    type = ma.fields.String()
    ods_code = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=10))
    cqc_code = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20))
    active = ma.fields.Boolean()
    team_mailbox = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=254))
    council_ids = ma.fields.List(
        ma.fields.Integer(),
        validate=ma.validate.Length(max=100),
        metadata={"description": "All the council areas it serves from now on"},
    )


class AgencyListArgs(PageArgs):
    type = ma.fields.String(metadata={"description": "Only agencies of this type code"})
    active = ma.fields.Boolean(metadata={"description": "Only active (true) or inactive (false)"})
    name = ma.fields.String(
        validate=ma.validate.Length(max=200),
        metadata={"description": "Only agencies whose name contains this text"},
    )
    council_id = query_id_field(metadata={"description": "Only agencies serving this council"})


class AgencySearchArgs(ma.Schema):
    q = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=100),
        metadata={"description": "Some of the name, ODS code or CQC id (any case)"},
    )
    council_id = query_id_field(
        metadata={"description": "The case's council: the agencies serving it come first"}
    )


class AgencyMatchSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    ods_code = ma.fields.String(allow_none=True)
    cqc_code = ma.fields.String(allow_none=True)
    serves_council = ma.fields.Boolean(
        metadata={"description": "Whether it serves the council asked about"}
    )


class AgencyTypeSchema(ma.Schema):
    code = ma.fields.String()
    label = ma.fields.String()
    description = ma.fields.String()


AgencyPageSchema = page_schema(AgencySchema)
