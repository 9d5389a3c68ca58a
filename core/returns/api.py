"""/api/v1/returns and /api/v1/dashboard: the national returns and performance figures."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, url_for
from flask_login import current_user

from core.api.conventions import Blueprint
from core.clocks import add_months
from core.db import utcnow
from core.errors import abort
from core.pipeline import logged
from core.policy.councils import figures_council
from core.policy.routes import requires, user_can
from core.reference import PlanCategory
from core.returns import cin_census, snapshots
from core.returns import dashboard as performance
from core.returns.hate_crime import hate_crime_report
from core.returns.periods import Period
from core.returns.repeats import repeat_report
from core.returns.schemas import (
    CensusYearArgs,
    ChildrenSchema,
    CinCensusSchema,
    DashboardArgs,
    DashboardSchema,
    HateCrimeReportSchema,
    RepeatReportSchema,
    SacSchema,
    YearArgs,
)
from core.returns.views import default_year, today
from core.trust.report import trust_report
from core.trust.schemas import TrustReportSchema

blp = Blueprint("returns_api", __name__, url_prefix="/returns", description="National returns")


@blp.get("/sac", "returns.view", YearArgs, SacSchema)
@logged("returns.sac.view", object_type="return")
def get_sac(args: dict[str, Any]) -> Any:
    """The Safeguarding Adults Collection tables for a financial year (April to March)."""
    counted = snapshots.current_sac(args.get("year", default_year()), current_user.council_id)
    figures = counted.figures
    return {
        "year": figures.year,
        "counted_at": counted.counted_at,
        "counted_directly": counted.directly,
        "period_start": figures.period.first,
        "period_end": figures.period.last,
        "tables": figures.tables,
    }


@blp.get("/children", "returns.view", YearArgs, ChildrenSchema)
@logged("returns.children.view", object_type="return")
def get_children(args: dict[str, Any]) -> Any:
    """Section 47 enquiry start to ICPC in working-day bands with the median, child
    protection plans by category and reviews held on time, for a financial year."""
    counted = snapshots.current_children(args.get("year", default_year()), current_user.council_id)
    figures = counted.figures
    return {
        "year": figures.year,
        "counted_at": counted.counted_at,
        "counted_directly": counted.directly,
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
        "assessments_concluded": figures.assessments_concluded,
        "assessments_on_time": figures.assessments_on_time,
    }


XML_RESPONSE = {
    "200": {
        "description": "The census file in the DfE's XML format for the year",
        "content": {"application/xml": {"schema": {"type": "string"}}},
    }
}


def _census_year(args: dict[str, Any]) -> cin_census.CensusYear:
    raw = args.get("year")
    if not raw:
        return cin_census.CensusYear(default_year())
    try:
        return cin_census.CensusYear.parse(raw)
    except cin_census.CensusYearError as error:
        abort(422, errors={"year": [str(error)]})


@blp.get("/cin-census", "returns.cin_census", CensusYearArgs, CinCensusSchema)
@logged("returns.cin_census.view", object_type="return")
def get_cin_census(args: dict[str, Any]) -> Any:
    """The children in need census for a collection year: how many children and episodes
    the file holds, and the queries the DfE would ask the council to explain."""
    year = _census_year(args)
    census = cin_census.build(year, utcnow(), current_user.council_id)
    return {
        "year": year.label,
        "reference_date": year.reference_date,
        "children": census.children,
        "episodes": census.episodes,
        "la_code_set": bool(current_app.config.get("LA_CODE")),
        "queries": census.queries,
        "file": url_for("returns_api.get_cin_census_file", year=year.label),
    }


@blp.route("/cin-census.xml", methods=["GET"])
@requires("returns.cin_census")
@blp.arguments(CensusYearArgs, location="query")
@blp.doc(responses=XML_RESPONSE)
@logged("returns.cin_census.export", object_type="return")
def get_cin_census_file(args: dict[str, Any]) -> Any:
    """The children in need census file (XML) for a collection year, as the page gives."""
    year = _census_year(args)
    census = cin_census.build(year, utcnow(), current_user.council_id)
    return Response(
        census.xml,
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="cin-census-{year.label}.xml"'},
    )


def requested_period(args: dict[str, Any]) -> Period:
    """The period a figures query asks for (``from``, ``to``): by default the twelve months
    to today; 422 when it ends before it starts or spans more than ten years (a default
    end counts too)."""
    end = args.get("to") or today()
    start = args.get("from_") or add_months(end.replace(day=1), -11)
    if end < start:
        abort(422, errors={"to": ["The end must not be before the start"]})
    if (end - start).days > 3660:
        abort(422, errors={"from": ["Choose a period of at most ten years"]})
    return Period(start, end, current_user.council_id)


@blp.get("/hate-crime", "returns.view", DashboardArgs, HateCrimeReportSchema)
@logged("returns.hate_crime.view", object_type="return")
def get_hate_crime(args: dict[str, Any]) -> Any:
    """Hate and mate crimes among the concerns received in a period (default the 12 months
    to today), by monitored strand and type of risk, with police involvement and outcome."""
    return hate_crime_report(requested_period(args))


@blp.get("/positions-of-trust", "returns.view", None, TrustReportSchema)
@logged("returns.positions_of_trust.view", object_type="return")
def get_positions_of_trust() -> Any:
    """PiPoT and LADO referrals: open ones by days open (under 30, 30 to 90, over 90),
    closed ones by outcome; ``employers`` (the open referrals by employer, with the case
    and the person named) for the safeguarding team only, null for the board."""
    return trust_report(
        today(),
        named=user_can(current_user, "concerns.trust_referral"),
        council_id=figures_council(current_user),
    )


@blp.get("/repeats", "returns.view", DashboardArgs, RepeatReportSchema)
@logged("returns.repeats.view", object_type="return")
def get_repeats(args: dict[str, Any]) -> Any:
    """Repeat referrals: concerns received in a period (default the 12 months to today)
    about a person who had another concern received within the 12 months before, by team
    and area; with the cases (the previous concern, its outcome, the days between) for the
    safeguarding team, null for the board."""
    report = repeat_report(
        requested_period(args), with_cases=user_can(current_user, "returns.repeat_cases")
    )
    return {
        "period_start": report.period.first,
        "period_end": report.period.last,
        "concerns": report.concerns,
        "repeats": report.repeats,
        "repeat_rate": report.repeat_rate,
        "by_team": report.by_team,
        "by_area": report.by_area,
        "cases": report.cases,
        "counted_at": report.counted_at,
        "counted_directly": report.counted_directly,
    }


dashboard_blp = Blueprint(
    "dashboard_api", __name__, url_prefix="/dashboard", description="Performance dashboard"
)


@dashboard_blp.get("", "returns.view", DashboardArgs, DashboardSchema)
@logged("returns.dashboard.view", object_type="return")
def get_dashboard(args: dict[str, Any]) -> Any:
    """Concerns and out-of-hours concerns per month, conversion, repeat and on-time rates
    (fractions from 0 to 1, null when there is nothing to divide by), open clusters and
    ``alleged_with_care_needs``: the people alleged to have caused harm in the period's
    concerns, those with care and support needs and the support offered them (counts);
    ``counted_at``: when the figures were counted (read from the summary tables the figures
    job keeps, or, ``counted_directly``, from the records when those are behind)."""
    counted = performance.current_dashboard(requested_period(args))
    figures = counted.figures
    return {
        "counted_at": counted.counted_at,
        "counted_directly": counted.directly,
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
        "by_team": figures.by_team,
        "by_area": figures.by_area,
        "outcomes_at_closure": {
            "children": figures.child_outcomes,
            "adults": figures.adult_outcomes,
        },
        "alleged_with_care_needs": {
            "named": figures.alleged_support.named,
            "care_needs": figures.alleged_support.care_needs,
            "offered": figures.alleged_support.offered,
            "accepted": figures.alleged_support.accepted,
            "declined": figures.alleged_support.declined,
            "not_offered": figures.alleged_support.not_offered,
            "not_recorded": figures.alleged_support.not_recorded,
        },
    }
