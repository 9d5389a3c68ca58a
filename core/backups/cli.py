"""``flask --app core backup create|restore``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from core.accesslog.operations import verify_chain
from core.backups.operations import BackupError
from core.backups.operations import create_backup as make_backup
from core.backups.operations import restore_backup as restore

backup_cli = AppGroup("backup", help="Back up the database and restore a backup.")


def _print_counts(tables: dict[str, int]) -> None:
    for name, rows in sorted(tables.items()):
        click.echo(f"  {name}: {rows}")


@backup_cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def create_backup(path: Path) -> None:
    """Back up the whole database to PATH (and PATH.manifest.json beside it)."""

    try:
        manifest = make_backup(path)
    except BackupError as error:
        click.echo(f"backup: {error}", err=True)
        sys.exit(1)
    click.echo(f"Backed up the {manifest.dialect} database to {path} (sha256 {manifest.sha256}):")
    _print_counts(manifest.tables)


@backup_cli.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
def restore_backup(path: Path, yes: bool) -> None:
    """Replace the whole database with the backup at PATH, then check it."""

    if not yes:
        click.confirm("This replaces everything in the database. Continue?", abort=True)
    try:
        manifest = restore(path)
    except BackupError as error:
        click.echo(f"restore: {error}", err=True)
        sys.exit(1)
    result = verify_chain()
    if not result.intact:
        click.echo(f"restore: access log broken at row {result.first_bad_id}", err=True)
        sys.exit(1)
    click.echo(
        f"Restored {path} (made {manifest.created_at}); row counts match the manifest and "
        f"the access log is intact ({result.checked} rows):"
    )
    _print_counts(manifest.tables)
