"""/api/v1/standard-lists: the administrators' standard invitation lists, as the page
at /meetings/standard-lists reads and changes them (a module of its own beside
core/meetings/api.py)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user

from core.api.conventions import Blueprint
from core.meetings import operations
from core.meetings.models import StandardInvitee
from core.meetings.schemas import StandardInviteeSchema
from core.pipeline import logged, record

blp = Blueprint(
    "standard_lists_api",
    __name__,
    url_prefix="/standard-lists",
    description="Standard invitation lists (administrators)",
)
ENTRY = "/<id:entry_id>"


@blp.get("/", "meetings.configure", None, StandardInviteeSchema(many=True))
@logged("standard_invitee.list", object_type="standard_invitee")
def list_entries() -> Any:
    """Every entry of every meeting type's standard invitation list, by meeting type."""
    return operations.standard_invitees()


@blp.post("/", "meetings.configure", StandardInviteeSchema, StandardInviteeSchema, status=201)
def add_entry(data: dict[str, Any]) -> Any:
    """Add an agency type, or one named agency, to a meeting type's standard list, with
    the reason shown when it is proposed (422 names what is wrong)."""
    return operations.add_standard_invitee(data, current_user), {
        "Location": url_for(".list_entries")
    }


@blp.delete(ENTRY, "meetings.configure")
@record("standard_invitee", argument="entry")
def remove_entry(entry: StandardInvitee) -> None:
    """Take an entry off its standard list."""
    operations.remove_standard_invitee(entry, current_user)
