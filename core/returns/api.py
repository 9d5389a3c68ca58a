"""/api/v1/returns and /api/v1/dashboard: the national returns and performance figures."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from core.api.problems import abort
from core.clocks import add_months
from core.pipeline import logged
from core.policy.routes import requires
from core.reference import PlanCategory
from core.returns import children, sac
from core.returns import dashboard as performance
from core.returns.periods import Period
from core.returns.schemas import (
    ChildrenSchema,
    DashboardArgs,
    DashboardSchema,
    SacSchema,
    YearArgs,
)
from core.returns.views import default_year, today

blp = Blueprint("returns_api", __name__, url_prefix="/returns", description="National returns")


@blp.route("/sac", methods=["GET"])
@requires("returns.view")
@blp.arguments(YearArgs, location="query")
@blp.response(200, SacSchema)
@logged("returns.sac.view", object_type="return")
def get_sac(args: dict[str, Any]) -> Any:
    """The Safeguarding Adults Collection tables for a financial year (April to March)."""
    figures = sac.collection(args.get("year", default_year()))
    return {
        "year": figures.year,
        "period_start": figures.period.first,
        "period_end": figures.period.last,
        "tables": figures.tables,
    }


@blp.route("/children", methods=["GET"])
@requires("returns.view")
@blp.arguments(YearArgs, location="query")
@blp.response(200, ChildrenSchema)
@logged("returns.children.view", object_type="return")
def get_children(args: dict[str, Any]) -> Any:
    """Section 47 enquiry start to ICPC in working-day bands with the median, child
    protection plans by category and reviews held on time, for a financial year."""
    figures = children.children_figures(args.get("year", default_year()))
    return {
        "year": figures.year,
        "period_start": figures.period.first,
        "period_end": figures.period.last,
        "icpc_timeliness": figures.bands,
        "icpc_median_working_days": figures.median,
        "plans_by_category": [
            {"category": code.value, "started": started, "open_at_end": open_}
            for code, (_, started, open_) in zip(PlanCategory, figures.plans, strict=True)
        ],
        "reviews_held": figures.reviews_held,
        "reviews_on_time": figures.reviews_on_time,
        "reviews_missed": figures.reviews_missed,
    }


dashboard_blp = Blueprint(
    "dashboard_api", __name__, url_prefix="/dashboard", description="Performance dashboard"
)


@dashboard_blp.route("", methods=["GET"])
@requires("returns.view")
@dashboard_blp.arguments(DashboardArgs, location="query")
@dashboard_blp.response(200, DashboardSchema)
@logged("returns.dashboard.view", object_type="return")
def get_dashboard(args: dict[str, Any]) -> Any:
    """Concerns and out-of-hours concerns per month, conversion, repeat and on-time rates
    (fractions from 0 to 1, null when there is nothing to divide by) and open clusters."""
    end = args.get("to") or today()
    start = args.get("from_") or add_months(end.replace(day=1), -11)
    if end < start:
        abort(422, errors={"to": ["The end must not be before the start"]})
    if (end - start).days > 3660:
        abort(422, errors={"from": ["Choose a period of at most ten years"]})
    figures = performance.dashboard(Period(start, end))
    return {
        "period_start": figures.period.first,
        "period_end": figures.period.last,
        "months": [
            {"month": m.label, "concerns": m.concerns, "out_of_hours": m.out_of_hours}
            for m in figures.months
        ],
        "section_42_conversion_rate": figures.conversion_rate,
        "repeat_concern_rate": figures.repeat_rate,
        "screening_on_time_rate": figures.on_time_rate,
        "concerns": figures.concerns,
        "open_clusters": figures.open_clusters,
    }
