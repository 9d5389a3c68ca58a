"""Pages of the returns: the Safeguarding Adults Collection, the children's figures, the
performance dashboard and the children in need census file. Figures only, but for the
census (safeguarding managers only): its file holds a record per child, and its page lists
the queries by census child id and case reference."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.clocks import add_months, to_local
from core.db import utcnow, whole_number
from core.downloads import CSV, XLSX, download
from core.forms import day_from_parts
from core.pipeline import logged, record
from core.policy.councils import figures_council
from core.policy.returns import TableCode
from core.policy.routes import requires, user_can
from core.returns import cin_census, export, snapshots
from core.returns import dashboard as performance
from core.returns.hate_crime import hate_crime_report
from core.returns.periods import Period, financial_year_of
from core.returns.repeats import repeat_report, repeats_csv
from core.trust.report import trust_report

FIRST_YEAR, LAST_YEAR = 2000, 2100
EARLIEST, LATEST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


def today() -> date:
    return to_local(utcnow()).date()


def default_year() -> int:
    """The last complete financial year: the one a council submits."""
    return financial_year_of(today()) - 1


def _year(errors: list[dict[str, str]]) -> int:
    raw = request.args.get("year", "").strip()
    if not raw:
        return default_year()
    year = whole_number(raw)
    if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
        return year
    errors.append(
        {
            "text": f"Year must be a year from {FIRST_YEAR} to {LAST_YEAR}, like 2026",
            "href": "#year",
        }
    )
    return default_year()


def _file_year() -> int:
    errors: list[dict[str, str]] = []
    year = _year(errors)
    if errors:
        abort(400, description=errors[0]["text"])
    return year


def _counted(counted: performance.Counted[object]) -> dict[str, object]:
    """When the figures were counted and how, for the page (``counted_note``)."""
    return {"counted_at": to_local(counted.counted_at), "counted_directly": counted.directly}


@requires("returns.view")
def index() -> ResponseReturnValue:
    return render_template(
        "returns/index.html",
        year=default_year(),
        can_census=user_can(current_user, "returns.cin_census"),
        can_repeat_cases=user_can(current_user, "returns.repeat_cases"),
    )


@requires("returns.view")
@logged("returns.sac.view", object_type="return")
def sac_page() -> ResponseReturnValue:
    errors: list[dict[str, str]] = []
    counted = snapshots.current_sac(_year(errors), current_user.council_id)
    return render_template(
        "returns/sac.html", figures=counted.figures, errors=errors, **_counted(counted)
    ), (400 if errors else 200)


@requires("returns.view")
@logged("returns.sac.view", object_type="return", object_id="sac_table")
@record("sac_table", argument="code")
def sac_table(code: TableCode) -> ResponseReturnValue:
    errors: list[dict[str, str]] = []
    counted = snapshots.current_sac(_year(errors), current_user.council_id)
    figures = counted.figures
    table = figures.table(code.id)
    return render_template(
        "returns/sac_table.html", figures=figures, table=table, errors=errors, **_counted(counted)
    ), (400 if errors else 200)


@requires("returns.view")
@logged("returns.sac.export", object_type="return", object_id="sac_table")
@record("sac_table", argument="code")
def sac_table_csv(code: TableCode) -> ResponseReturnValue:
    counted = snapshots.current_sac(_file_year(), current_user.council_id)
    figures = counted.figures
    table = figures.table(code.id)
    body = export.table_csv(table, export.suppression_threshold(current_user), counted)
    return download(body, CSV, f"sac-{figures.year}-{table.slug}.csv")


@requires("returns.view")
@logged("returns.sac.export", object_type="return", object_id=lambda: "workbook")
def sac_workbook() -> ResponseReturnValue:
    counted = snapshots.current_sac(_file_year(), current_user.council_id)
    figures = counted.figures
    body = export.workbook(figures, export.suppression_threshold(current_user), counted)
    return download(body, XLSX, f"sac-{figures.year}.xlsx")


@requires("returns.view")
@logged("returns.children.view", object_type="return")
def children_page() -> ResponseReturnValue:
    errors: list[dict[str, str]] = []
    counted = snapshots.current_children(_year(errors), current_user.council_id)
    return render_template(
        "returns/children.html", figures=counted.figures, errors=errors, **_counted(counted)
    ), (400 if errors else 200)


def dashboard_period(errors: list[dict[str, str]]) -> Period:
    """``from`` and ``to`` (days, local); default the 12 months up to today."""
    end = today()
    values = {"from": add_months(end.replace(day=1), -11), "to": end}
    for name in values:
        raw = day_from_parts(request.args, name)
        if raw:
            label = name.capitalize()
            try:
                values[name] = date.fromisoformat(raw)
            except ValueError:
                errors.append(
                    {"text": f"{label} must be a real date, like 1 4 2026", "href": f"#{name}-day"}
                )
                continue
            if not EARLIEST <= values[name] <= LATEST:
                errors.append(
                    {
                        "text": f"{label} must be from {EARLIEST:%-d %B %Y} to {LATEST:%-d %B %Y}",
                        "href": f"#{name}-day",
                    }
                )
                values[name] = end
    if values["to"] < values["from"]:
        errors.append({"text": "To must be the same as or after From", "href": "#to-day"})
        values = {"from": add_months(end.replace(day=1), -11), "to": end}
    if (values["to"] - values["from"]).days > 3660:
        errors.append({"text": "From must be at most ten years before To", "href": "#from-day"})
        values = {"from": add_months(end.replace(day=1), -11), "to": end}
    return Period(values["from"], values["to"], current_user.council_id)


@requires("returns.view")
@logged("returns.dashboard.view", object_type="return")
def dashboard() -> ResponseReturnValue:
    errors: list[dict[str, str]] = []
    counted = performance.current_dashboard(dashboard_period(errors))
    return render_template(
        "returns/dashboard.html",
        figures=counted.figures,
        errors=errors,
        as_at=to_local(counted.counted_at),
        directly=counted.directly,
        refresh_minutes=-(-int(current_app.config.get("DASHBOARD_CACHE_SECONDS") or 0) // 60),
    ), (400 if errors else 200)


@requires("returns.view")
@logged("returns.hate_crime.view", object_type="return")
def hate_crime() -> ResponseReturnValue:
    """The board's hate and mate crime figures for a period (the dashboard's period)."""
    errors: list[dict[str, str]] = []
    report = hate_crime_report(dashboard_period(errors))
    return render_template(
        "returns/hate_crime.html",
        report=report,
        counted_at=to_local(report.counted_at),
        errors=errors,
    ), (400 if errors else 200)


@requires("returns.view")
@logged("returns.positions_of_trust.view", object_type="return")
def positions_of_trust() -> ResponseReturnValue:
    """PiPoT and LADO referrals: the open ones by employer and days open for the
    safeguarding team; the board reads the figures only."""
    report = trust_report(
        today(),
        named=user_can(current_user, "concerns.trust_referral"),
        council_id=figures_council(current_user),
    )
    return render_template("returns/positions_of_trust.html", report=report)


@requires("returns.view")
@logged("returns.repeats.view", object_type="return")
def repeats() -> ResponseReturnValue:
    """Repeat referrals for a period (the dashboard's period): the figures for the board,
    and the cases for the safeguarding team's half-yearly audit."""
    errors: list[dict[str, str]] = []
    period = dashboard_period(errors)
    cases = user_can(current_user, "returns.repeat_cases")
    report = repeat_report(period, with_cases=cases)
    return render_template(
        "returns/repeats.html", report=report, counted_at=to_local(report.counted_at), errors=errors
    ), (400 if errors else 200)


@requires("returns.repeat_cases")
@logged("returns.repeats.export", object_type="return")
def repeats_file() -> ResponseReturnValue:
    """The repeat concerns of the period as CSV (the safeguarding team)."""
    errors: list[dict[str, str]] = []
    period = dashboard_period(errors)
    if errors:
        abort(400, description=errors[0]["text"])
    body = repeats_csv(repeat_report(period, with_cases=True))
    return download(body, CSV, f"repeat-referrals-{period.first}-to-{period.last}.csv")


def _census_year(errors: list[dict[str, str]]) -> cin_census.CensusYear:
    raw = request.args.get("year", "").strip()
    if raw:
        try:
            return cin_census.CensusYear.parse(raw)
        except cin_census.CensusYearError as error:
            errors.append({"text": str(error), "href": "#year"})
    return cin_census.CensusYear(default_year())


@requires("returns.cin_census")
@logged("returns.cin_census.view", object_type="return")
def cin_census_page() -> ResponseReturnValue:
    errors: list[dict[str, str]] = []
    year = _census_year(errors)
    census = cin_census.build(year, utcnow(), current_user.council_id)
    return render_template(
        "returns/cin_census.html",
        census=census,
        errors=errors,
        la_code=current_app.config.get("LA_CODE"),
    ), (400 if errors else 200)


@requires("returns.cin_census")
@logged("returns.cin_census.export", object_type="return")
def cin_census_file() -> ResponseReturnValue:
    errors: list[dict[str, str]] = []
    year = _census_year(errors)
    if errors:
        abort(400, description=errors[0]["text"])
    census = cin_census.build(year, utcnow(), current_user.council_id)
    return download(census.xml, "application/xml", f"cin-census-{year.label}.xml")
