"""``flask --app core returns cin-census``: the children in need census file;
``flask --app core figures rebuild`` and ``figures refresh``: the dashboard's summary
tables."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from core.accesslog import operations as access_log
from core.auth.councils import command_council, council_option
from core.db import utcnow
from core.extensions import db
from core.returns import cin_census, summary

returns_cli = AppGroup("returns", help="National returns.")
figures_cli = AppGroup("figures", help="The performance dashboard's summary tables.")


@figures_cli.command("rebuild")
def rebuild_command() -> None:
    """Count every figure of the dashboard's summary tables again from the records (after
    loading data with SQL, or to check nothing drifted)."""
    click.echo(f"Figures counted at {summary.rebuild():%Y-%m-%d %H:%M:%S} UTC.")


@figures_cli.command("refresh")
def refresh_command() -> None:
    """Count again the days that changes made wrong, or everything on a new database (what
    the worker's figures job does; for cron where there is no worker)."""
    counted = summary.refresh(build_missing=True)
    click.echo(f"Figures counted at {counted:%Y-%m-%d %H:%M:%S} UTC.")


@returns_cli.command("cin-census")
@click.option("--year", required=True, help="The collection year, e.g. 2025-26.")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the XML file.",
)
@council_option
def cin_census_command(year: str, output: Path, council: str | None) -> None:
    """Write the children in need census file for YEAR (April to March) in the DfE's XML
    format, and list the queries the DfE would ask the council to explain: of one council
    (--council, needed when the instance serves several)."""
    council_id = command_council(council)
    try:
        census_year = cin_census.CensusYear.parse(year)
    except cin_census.CensusYearError as error:
        click.echo(f"year: {error}", err=True)
        sys.exit(2)
    census = cin_census.build(census_year, utcnow(), council_id)
    try:
        output.write_bytes(census.xml)
    except OSError as error:
        click.echo(f"output: cannot write {output}: {error.strerror}", err=True)
        sys.exit(1)
    # the file holds every child's case of the year: the export is logged as a read
    access_log.record("returns.cin_census.export", object_type="return")
    db.session.commit()
    click.echo(
        f"CIN census {census_year.label}: {census.children} children, {census.episodes} "
        f"episodes, written to {output}."
    )
    for query in census.queries:
        click.echo(f"query\t{query.child}\t{query.reference}\t{query.message}")
