from __future__ import annotations

from typing import Any

import marshmallow as ma

from core.api.conventions import PageArgs, id_field, page_schema, query_id_field
from core.auth.roles import Role
from core.fields import Moment

ROLE_VALUES = [role.value for role in Role]


class AgencySummarySchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    type = ma.fields.String()


class UserSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    email = ma.fields.Email(required=True, validate=ma.validate.Length(max=254))
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    agency_id = id_field(required=True)
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLE_VALUES))
    password = ma.fields.String(
        required=True,
        load_only=True,
        validate=ma.validate.Length(max=256),
        metadata={"description": "12 characters or more; never returned"},
    )
    active = ma.fields.Boolean(dump_only=True)
    safeguarding_contact = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "One of the agency's named contacts, whom its case emails reach"},
    )
    team_id = ma.fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "Officers and managers: their team (GET /api/v1/teams)"},
    )
    council_id = ma.fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "The council area the user works for (GET /api/v1/councils); "
            "left out: the administrator's own"
        },
    )
    complaints_officer = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "The council's complaints officer: keeps the complaints and "
            "compliments log (council agencies only)"
        },
    )
    created_at = Moment(dump_only=True)
    last_signed_in_at = Moment(dump_only=True, allow_none=True)

    @ma.post_dump(pass_original=True)
    def role_value(self, data: dict, original: object, **kwargs: object) -> dict:
        data["role"] = getattr(getattr(original, "role", None), "value", data.get("role"))
        return data


class UserUpdateSchema(ma.Schema):
    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    agency_id = id_field()
    role = ma.fields.String(validate=ma.validate.OneOf(ROLE_VALUES))
    active = ma.fields.Boolean()
    safeguarding_contact = ma.fields.Boolean()
    team_id = ma.fields.Integer(allow_none=True)
    complaints_officer = ma.fields.Boolean()
    council_id = ma.fields.Integer(allow_none=True)


class UserListArgs(PageArgs):
    agency_id = query_id_field(metadata={"description": "Only users of this agency"})
    role = ma.fields.String(validate=ma.validate.OneOf(ROLE_VALUES))
    active = ma.fields.Boolean()
    team_id = query_id_field(metadata={"description": "Only members of this team"})
    council_id = query_id_field(metadata={"description": "Only users of this council area"})


class MeSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()
    role = ma.fields.Function(lambda user: user.role.value)
    agency = ma.fields.Nested(AgencySummarySchema)


class MeUpdateSchema(ma.Schema):
    """Only your name is yours to change; role and agency are set by administrators."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))


class PasswordChangeSchema(ma.Schema):
    """Your current password and the new one (12 characters or more, not one of the most
    common passwords)."""

    current_password = ma.fields.String(
        required=True, load_only=True, validate=ma.validate.Length(min=1, max=256)
    )
    new_password = ma.fields.String(
        required=True, load_only=True, validate=ma.validate.Length(min=1, max=256)
    )


UserPageSchema = page_schema(UserSchema)


class ApiTokenSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    prefix = ma.fields.String(metadata={"description": "The token's first characters"})
    created_at = Moment()
    expires_at = Moment()
    last_used_at = Moment(allow_none=True)
    revoked_at = Moment(allow_none=True)


class EndedSessionsSchema(ma.Schema):
    ended = ma.fields.Integer(metadata={"description": "How many open sessions were ended"})


class AccessLogArgs(PageArgs):
    """Paging, and optionally a record's type and id: who has seen it."""

    object_type = ma.fields.String(
        validate=ma.validate.Length(min=1, max=60),
        metadata={"description": "e.g. concern, person, meeting, plan, user"},
    )
    object_id = ma.fields.String(
        validate=ma.validate.Length(min=1, max=120), metadata={"description": "with its type"}
    )


class SeenBySchema(ma.Schema):
    """An access log entry about a record, with who acted by name (a row of
    ``core.users.seen_by.entries_about``)."""

    occurred_at = Moment()
    user_id = ma.fields.Integer(allow_none=True)
    user_name = ma.fields.String(allow_none=True, metadata={"description": "Who acted"})
    agency_id = ma.fields.Integer(allow_none=True)
    agency_name = ma.fields.String(allow_none=True)
    action = ma.fields.String(metadata={"description": "e.g. concern.view, person.update"})
    object_type = ma.fields.String(allow_none=True)
    object_id = ma.fields.String(allow_none=True)
    outcome = ma.fields.String(metadata={"description": "allowed or denied"})

    @ma.pre_dump
    def _from_row(self, row: Any, **kwargs: Any) -> dict[str, Any]:
        entry, user_name, agency_name = row
        return {
            "occurred_at": entry.occurred_at,
            "user_id": entry.user_id,
            "user_name": user_name,
            "agency_id": entry.agency_id,
            "agency_name": agency_name,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "outcome": entry.outcome,
            "id": entry.id,
            "remote_addr": entry.remote_addr,
        }


class AccessLogEntrySchema(SeenBySchema):
    """An entry of the access log, with who acted by name (a row of
    ``core.users.seen_by.with_names``)."""

    id = ma.fields.Integer()
    remote_addr = ma.fields.String(allow_none=True, metadata={"description": "From"})
