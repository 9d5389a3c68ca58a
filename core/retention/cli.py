"""``flask --app core retention run``: purge what is past retention and not held."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from core.jobs.cli import hand_to_worker
from core.retention import operations as retention

retention_cli = AppGroup("retention", help="Keep case records only as long as the schedule says.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="List what is due; delete nothing.")
@click.option("--queue", "on_queue", is_flag=True, help="Leave it to the worker (needs REDIS_URL).")
def run_retention(dry_run: bool, on_queue: bool) -> None:
    """Purge (or with --dry-run list) closed case records past retention and not held,
    and hospital discharge notifications past theirs.
    The worker also runs the purge every day (JOBS_RETENTION_CRON)."""

    if on_queue and not dry_run:
        hand_to_worker(retention.run_retention)
        return

    done = retention.run(dry_run=dry_run)
    due = done.cases
    verb = "Due" if dry_run else "Purged"
    for record in due:
        click.echo(
            f"{verb}\t{record.reference}\tconcern {record.concern_id}\t{record.category}\t"
            f"closed {record.closed_on.isoformat()}\tkept until {record.keep_until.isoformat()}"
        )
    for discharge in done.discharges:
        click.echo(
            f"{verb}\tdischarge {discharge.discharge_id}\thospital discharge\t"
            f"discharged {discharge.discharged_on.isoformat()}\t"
            f"kept until {discharge.keep_until.isoformat()}"
        )
    held = retention.held_past_retention(
        retention._today(), retention.retention_periods(current_app.config)
    )
    click.echo(
        f"{len(due)} case record(s) past retention and not under a legal hold "
        f"{'would be purged' if dry_run else 'purged'}; {len(held)} kept by a legal hold."
    )
    click.echo(
        f"{len(done.discharges)} hospital discharge(s) past retention "
        f"{'would be purged' if dry_run else 'purged'}."
    )
