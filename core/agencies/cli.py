"""``flask --app core agencies ...``: agencies from the command line."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from core.agencies import operations as agency_operations
from core.auth.councils import find_council
from core.errors import ValidationFailed, exit_on
from core.extensions import db
from core.platform import current_platform

agencies_cli = AppGroup("agencies", help="Manage agencies.")


@agencies_cli.command("create")
@click.option("--name", required=True)
@click.option("--type", "agency_type", required=True, help="Agency type code.")
@click.option("--ods-code", default=None)
@click.option("--cqc-code", default=None)
@click.option(
    "--council",
    "councils",
    multiple=True,
    help="A council it serves, by name or id; repeat for several (default: the first).",
)
def create_agency(
    name: str, agency_type: str, ods_code: str | None, cqc_code: str | None, councils: tuple[str]
) -> None:
    """Create an agency. `flask agencies types` lists the type codes."""
    served = [find_council(council) for council in councils]
    if None in served:
        click.echo(f"council: no council called {councils[served.index(None)]!r}", err=True)
        sys.exit(2)
    try:
        agency = agency_operations.create_agency(
            name=name,
            type=agency_type,
            ods_code=ods_code,
            cqc_code=cqc_code,
            council_ids=[council.id for council in served if council is not None] or None,
        )
    except ValidationFailed as failed:
        exit_on(failed)
    db.session.commit()
    click.echo(f"Created agency {agency.id}: {agency.name}")


@agencies_cli.command("types")
def list_agency_types() -> None:
    """List the agency type codes the loaded plugins provide."""
    for code, agency_type in sorted(current_platform().agency_types.items()):
        click.echo(f"{code}\t{agency_type.label}")
