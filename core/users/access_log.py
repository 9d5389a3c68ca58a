"""The administrators' access log page (the log itself is core/accesslog/)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask.typing import ResponseReturnValue

from core.accesslog.models import AccessLogEntry
from core.pagination import paginate
from core.pipeline import logged
from core.policy.routes import requires


@requires("access_log.view")
@logged("access_log.view", object_type="access_log")
def index() -> ResponseReturnValue:
    page = paginate(sa.select(AccessLogEntry).order_by(AccessLogEntry.id.desc()), per_page=50)
    return render_template("accesslog/index.html", page=page)
