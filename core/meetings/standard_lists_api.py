"""/api/v1/standard-lists: the administrators' standard invitation lists, as the page
at /meetings/standard-lists reads and changes them (a module of its own beside
core/meetings/api.py)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from core.api.conventions import documented_create, id_field, idempotent, validation_as_422
from core.api.fields import Moment
from core.api.problems import abort
from core.extensions import db
from core.meetings import operations
from core.meetings.models import StandardInvitee
from core.pipeline import logged
from core.policy.routes import requires

blp = Blueprint(
    "standard_lists_api",
    __name__,
    url_prefix="/standard-lists",
    description="Standard invitation lists (administrators)",
)
ENTRY = "/<int(min=1, max=2147483647):entry_id>"


class StandardInviteeSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    meeting_type = ma.fields.String(
        required=True,
        validate=ma.validate.Length(max=60),
        metadata={"description": "A meeting type's code (GET /api/v1/meeting-types/)"},
    )
    audience = ma.fields.String(
        load_default="any",
        validate=ma.validate.OneOf(["adult", "child", "any"]),
        metadata={"description": "Meetings about adults, children or any"},
    )
    agency_type = ma.fields.String(
        allow_none=True,
        load_default=None,
        validate=ma.validate.Length(max=60),
        metadata={"description": "Every agency of this type; or give agency_id"},
    )
    agency_id = id_field(allow_none=True, load_default=None)
    agency_name = ma.fields.String(attribute="agency.name", dump_only=True, allow_none=True)
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(max=2000),
        metadata={"description": "Shown when the agency is proposed for a meeting"},
    )
    created_at = Moment(dump_only=True)


@blp.route("/", methods=["GET"])
@requires("meetings.configure")
@blp.response(200, StandardInviteeSchema(many=True))
@logged("standard_invitee.list", object_type="standard_invitee")
def list_entries() -> Any:
    """Every entry of every meeting type's standard invitation list, by meeting type."""
    return db.session.scalars(
        sa.select(StandardInvitee)
        .options(selectinload(StandardInvitee.agency))
        .order_by(StandardInvitee.meeting_type, StandardInvitee.id)
    ).all()


@blp.route("/", methods=["POST"])
@requires("meetings.configure")
@idempotent
@documented_create(blp)
@blp.arguments(StandardInviteeSchema)
@blp.response(201, StandardInviteeSchema)
def add_entry(data: dict[str, Any]) -> Any:
    """Add an agency type, or one named agency, to a meeting type's standard list, with
    the reason shown when it is proposed (422 names what is wrong)."""
    with validation_as_422():
        entry = operations.add_standard_invitee(data, current_user)
    return entry, {"Location": url_for(".list_entries")}


@blp.route(ENTRY, methods=["DELETE"])
@requires("meetings.configure")
@blp.response(204)
def remove_entry(entry_id: int) -> None:
    """Take an entry off its standard list."""
    entry = db.session.get(StandardInvitee, entry_id)
    if entry is None:
        abort(404)
    operations.remove_standard_invitee(entry, current_user)
