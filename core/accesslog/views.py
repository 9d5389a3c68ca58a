from __future__ import annotations

import sqlalchemy as sa
from flask import render_template
from flask.typing import ResponseReturnValue

from core.accesslog import operations as access_log
from core.accesslog.models import AccessLogEntry
from core.auth.policy import requires
from core.pagination import paginate


@requires("access_log.view")
def index() -> ResponseReturnValue:
    page = paginate(sa.select(AccessLogEntry).order_by(AccessLogEntry.id.desc()), per_page=50)
    access_log.record("access_log.view", object_type="access_log")
    return render_template("accesslog/index.html", page=page)
