"""``flask --app core returns cin-census``: the children in need census file."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from core.accesslog import operations as access_log
from core.db import utcnow
from core.extensions import db
from core.returns import cin_census

returns_cli = AppGroup("returns", help="National returns.")


@returns_cli.command("cin-census")
@click.option("--year", required=True, help="The collection year, e.g. 2025-26.")
@click.option(
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the XML file.",
)
def cin_census_command(year: str, output: Path) -> None:
    """Write the children in need census file for YEAR (April to March) in the DfE's XML
    format, and list the queries the DfE would ask the council to explain."""
    try:
        census_year = cin_census.CensusYear.parse(year)
    except cin_census.CensusYearError as error:
        click.echo(f"year: {error}", err=True)
        sys.exit(2)
    census = cin_census.build(census_year, utcnow())
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
