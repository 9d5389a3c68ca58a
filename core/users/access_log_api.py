"""/api/v1/access-log: the administrators' access log page through the API."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_smorest import Blueprint

from core.accesslog.models import AccessLogEntry
from core.api.conventions import PageArgs, page_schema, paginate
from core.pipeline import logged
from core.policy.routes import requires
from core.users.schemas import AccessLogEntrySchema

blp = Blueprint("access_log_api", __name__, url_prefix="/access-log", description="The access log")


@blp.route("/", methods=["GET"])
@requires("access_log.view")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(AccessLogEntrySchema))
@logged("access_log.view", object_type="access_log")
def list_entries(args: dict[str, Any]) -> dict[str, Any]:
    """Every sign-in, view and change of a record, and every refused request, newest
    first, as the administrators' page lists them (``flask access-log verify`` checks
    the chain)."""
    query = sa.select(AccessLogEntry).order_by(AccessLogEntry.id.desc())
    return paginate(query, args["page"], args["page_size"])
