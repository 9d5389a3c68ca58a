"""/api/v1/returns and /api/v1/dashboard: the national returns and performance figures."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from core.accesslog import operations as access_log
from core.auth.policy import requires
from core.extensions import db
from core.returns import sac
from core.returns.schemas import SacSchema, YearArgs
from core.returns.views import default_year

blp = Blueprint("returns_api", __name__, url_prefix="/returns", description="National returns")


@blp.route("/sac", methods=["GET"])
@requires("returns.view")
@blp.arguments(YearArgs, location="query")
@blp.response(200, SacSchema)
def get_sac(args: dict[str, Any]) -> Any:
    """The Safeguarding Adults Collection tables for a financial year (April to March)."""
    figures = sac.collection(args.get("year", default_year()))
    access_log.record("returns.sac.view", object_type="return")
    db.session.commit()
    return {
        "year": figures.year,
        "period_start": figures.period.first,
        "period_end": figures.period.last,
        "tables": figures.tables,
    }
