"""``flask --app core access-log verify``: check the hash chain and sign a checkpoint."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from core.accesslog.operations import checkpoint_now, verify_chain
from core.extensions import db

access_log_cli = AppGroup("access-log", help="Check the access log.")


@access_log_cli.command("verify")
def verify_access_log() -> None:
    """Check the hash chain; exit 1 naming the first row that breaks it."""
    result = verify_chain()
    if not result.intact:
        db.session.rollback()
        click.echo(
            f"Access log broken at row {result.first_bad_id}: {result.problem} "
            f"({result.checked} rows checked before it).",
            err=True,
        )
        sys.exit(1)
    click.echo(
        f"Access log intact: {result.checked} rows checked, "
        f"matching {result.checkpoints} signed "
        f"checkpoint{'' if result.checkpoints == 1 else 's'}."
    )
    if result.warning:
        click.echo(f"Warning: {result.warning}", err=True)
    checkpoint = checkpoint_now()
    db.session.commit()
    if checkpoint is not None:
        click.echo(
            f"Checkpoint {checkpoint.id} signed at row {checkpoint.entry_id}: "
            f"{checkpoint.entry_hash} (keep this line outside the database to check "
            "the log against it later)."
        )
