"""``flask --app core councils ...``: the council areas of the instance from the command
line (a single council's instance has one, "The council", and needs none of this)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from core.auth.councils import default_council_id, find_council
from core.auth.models import Council
from core.errors import ValidationFailed, exit_on
from core.extensions import db
from core.teams import operations

councils_cli = AppGroup("councils", help="Manage the council areas the instance serves.")


def _first_council() -> None:
    """The instance's first council, made if a database emptied since its migration has
    none, so that the others are added beside it."""
    default_council_id()


@councils_cli.command("list")
def list_councils() -> None:
    """Every council area: id, whether in use, name."""
    _first_council()
    for council in operations.listed(Council):
        click.echo(f"{council.id}\t{'in use' if council.active else 'not in use'}\t{council.name}")


@councils_cli.command("create")
@click.option("--name", required=True)
def create_council(name: str) -> None:
    """Add a council area."""
    _first_council()
    try:
        council = operations.create(Council, name=name)
    except ValidationFailed as failed:
        exit_on(failed)
    db.session.commit()
    click.echo(f"Created council {council.id}: {council.name}")


@councils_cli.command("rename")
@click.option("--council", "council_name", required=True, help="Council name or id.")
@click.option("--name", required=True, help="Its new name.")
def rename_council(council_name: str, name: str) -> None:
    """Rename a council area (the first is made as "The council")."""
    _first_council()
    council = find_council(council_name)
    if council is None:
        click.echo(f"council: no council called {council_name!r}", err=True)
        sys.exit(2)
    try:
        operations.update(council, name=name)
    except ValidationFailed as failed:
        exit_on(failed)
    db.session.commit()
    click.echo(f"Council {council.id} is now {council.name}")
