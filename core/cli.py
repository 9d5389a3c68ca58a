"""``flask --app core ...`` administration commands."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from core import retention
from core.accesslog.operations import checkpoint_now, verify_chain
from core.agencies import operations as agency_operations
from core.api.cli import tokens_cli
from core.audits.cli import audits_cli
from core.auth import twofactor
from core.auth.operations import find_user_by_email
from core.auth.roles import Role
from core.backups import BackupError
from core.backups import create_backup as make_backup
from core.backups import restore_backup as restore
from core.demo.cli import demo_cli
from core.errors import ValidationFailed
from core.extensions import db
from core.jobs.cli import hand_to_worker, worker
from core.mail.cli import mail_cli
from core.meetings.cli import reminders_cli
from core.platform import current_platform
from core.returns.cli import returns_cli
from core.users import operations as user_operations
from plugins.manager import describe_plugins, installed_entry_points

users_cli = AppGroup("users", help="Manage user accounts.")
agencies_cli = AppGroup("agencies", help="Manage agencies.")
access_log_cli = AppGroup("access-log", help="Check the access log.")
plugins_cli = AppGroup("plugins", help="Inspect plugins.")
backup_cli = AppGroup("backup", help="Back up the database and restore a backup.")
retention_cli = AppGroup("retention", help="Keep case records only as long as the schedule says.")


def _fail(failed: ValidationFailed) -> None:
    db.session.rollback()
    for field, messages in failed.errors.items():
        for message in messages:
            click.echo(f"{field}: {message}", err=True)
    sys.exit(2)


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--agency", "agency_name", required=True, help="Agency name or id.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(email: str, name: str, agency_name: str, role: str, password_stdin: bool) -> None:
    """Create a user; the password is asked for, or read from standard input."""
    agency = agency_operations.find_agency(agency_name)
    if agency is None:
        click.echo(f"agency: no agency called {agency_name!r}", err=True)
        sys.exit(2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = user_operations.create_user(
            email=email, name=name, agency_id=agency.id, role=role, password=password
        )
    except ValidationFailed as failed:
        _fail(failed)
    db.session.commit()
    click.echo(f"Created user {user.id} ({user.role.value}) in agency {agency.id}.")


@users_cli.command("reset-two-factor")
@click.option("--email", required=True)
def reset_two_factor(email: str) -> None:
    """Remove a user's second factor (a lost authenticator) and end their sessions."""

    user = find_user_by_email(email)
    if user is None:
        click.echo(f"email: no user with the email address {email!r}", err=True)
        sys.exit(2)
    twofactor.reset(user)
    db.session.commit()
    click.echo(f"Two-factor sign-in of user {user.id} reset; they set it up at their next sign-in.")


@agencies_cli.command("create")
@click.option("--name", required=True)
@click.option("--type", "agency_type", required=True, help="Agency type code.")
@click.option("--ods-code", default=None)
@click.option("--cqc-code", default=None)
def create_agency(name: str, agency_type: str, ods_code: str | None, cqc_code: str | None) -> None:
    """Create an agency. `flask agencies types` lists the type codes."""
    try:
        agency = agency_operations.create_agency(
            name=name, type=agency_type, ods_code=ods_code, cqc_code=cqc_code
        )
    except ValidationFailed as failed:
        _fail(failed)
    db.session.commit()
    click.echo(f"Created agency {agency.id}: {agency.name}")


@agencies_cli.command("types")
def list_agency_types() -> None:
    """List the agency type codes the loaded plugins provide."""
    for code, agency_type in sorted(current_platform().agency_types.items()):
        click.echo(f"{code}\t{agency_type.label}")


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


@plugins_cli.command("list")
def list_plugins() -> None:
    """Each loaded plugin, where it came from and the hooks it implements."""
    described = describe_plugins(current_platform().pm)
    for plugin in described:
        click.echo(f"{plugin.name} [{plugin.source}]")
        click.echo(f"    hooks: {', '.join(plugin.hooks) or '(none)'}")
    loaded = {p.name for p in described}
    denied = set(current_app.config.get("PLUGINS_DENY", ()))
    for entry_point in installed_entry_points():
        if entry_point.name in denied:
            click.echo(f"{entry_point.name} [installed, disabled by PLUGINS_DENY]")
        elif entry_point.name not in loaded:
            click.echo(f"{entry_point.name} [installed, not enabled: add it to PLUGINS_ALLOW]")


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


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="List what is due; delete nothing.")
@click.option("--queue", "on_queue", is_flag=True, help="Leave it to the worker (needs REDIS_URL).")
def run_retention(dry_run: bool, on_queue: bool) -> None:
    """Purge (or with --dry-run list) closed case records past retention and not held.
    The worker also runs the purge every day (JOBS_RETENTION_CRON)."""

    if on_queue and not dry_run:
        hand_to_worker(retention.run_retention)
        return

    due = retention.run(dry_run=dry_run)
    verb = "Due" if dry_run else "Purged"
    for record in due:
        click.echo(
            f"{verb}\t{record.reference}\tconcern {record.concern_id}\t{record.category}\t"
            f"closed {record.closed_on.isoformat()}\tkept until {record.keep_until.isoformat()}"
        )
    held = retention.held_past_retention(
        retention._today(), retention.retention_periods(current_app.config)
    )
    click.echo(
        f"{len(due)} case record(s) past retention and not under a legal hold "
        f"{'would be purged' if dry_run else 'purged'}; {len(held)} kept by a legal hold."
    )


def register_commands(app: Flask) -> None:

    for group in (
        users_cli,
        agencies_cli,
        access_log_cli,
        plugins_cli,
        demo_cli,
        tokens_cli,
        reminders_cli,
        mail_cli,
        backup_cli,
        retention_cli,
        audits_cli,
        returns_cli,
    ):
        app.cli.add_command(group)
    app.cli.add_command(worker)
