"""/api/v1/access-log: the administrators' access log page through the API."""

from __future__ import annotations

from typing import Any

from core.accesslog.models import AccessLogEntry
from core.api.conventions import Blueprint, page_schema, paginate
from core.pipeline import logged
from core.users import seen_by
from core.users.schemas import AccessLogArgs, AccessLogEntrySchema

blp = Blueprint("access_log_api", __name__, url_prefix="/access-log", description="The access log")


@blp.get("/", "access_log.view", AccessLogArgs, page_schema(AccessLogEntrySchema))
@logged("access_log.view", object_type="access_log")
def list_entries(args: dict[str, Any]) -> dict[str, Any]:
    """Every sign-in, view and change of a record, and every refused request, newest
    first, as the administrators' page lists them (``flask access-log verify`` checks
    the chain). With ``object_type`` and ``object_id``: who has seen that one record."""
    query = seen_by.with_names()
    if "object_type" in args:
        query = query.where(AccessLogEntry.object_type == args["object_type"])
    if "object_id" in args:
        query = query.where(AccessLogEntry.object_id == args["object_id"])
    return paginate(query, args["page"], args["page_size"], scalars=False)
