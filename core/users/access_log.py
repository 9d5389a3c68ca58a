"""The administrators' access log page (the log itself is core/accesslog/): every entry, or
with ``?object_type=&object_id=`` who has seen one record."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue

from core.accesslog.models import AccessLogEntry
from core.pagination import paginate_rows
from core.pipeline import logged
from core.policy.routes import requires
from core.users import seen_by


def _about() -> tuple[str, str] | None:
    """The one record the page is filtered to, if both its type and id are given."""
    kind = request.args.get("object_type", "").strip()
    record_id = request.args.get("object_id", "").strip()
    return (kind, record_id) if kind and record_id else None


@requires("access_log.view")
@logged("access_log.view", object_type="access_log")
def index() -> ResponseReturnValue:
    query = seen_by.with_names()
    about = _about()
    if about is not None:
        query = query.where(
            AccessLogEntry.object_type == about[0], AccessLogEntry.object_id == about[1]
        )
    page = paginate_rows(query, per_page=50)
    return render_template("accesslog/index.html", page=page, about=about)
