"""``flask --app core audits attendance``: run and store an attendance audit."""

from __future__ import annotations

import sys
from datetime import date, datetime

import click
from flask.cli import AppGroup

from core.auth.councils import command_council, council_option
from core.errors import ValidationFailed
from core.extensions import db
from core.jobs.cli import hand_to_worker
from core.meetings.quorum import store_quoracy

from . import operations
from .export import CSV_COLUMNS, audit_csv
from .report import audit_report, shown

audits_cli = AppGroup("audits", help="Board audits.")


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@audits_cli.command("attendance")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (YYYY-MM-DD).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day, included.")
@click.option("--format", "output", type=click.Choice(["text", "csv"]), default="text")
@click.option("--published", is_flag=True, help="Withhold counts from 1 to 4 (the setting).")
@click.option("--queue", "on_queue", is_flag=True, help="Leave it to the worker (needs REDIS_URL).")
@council_option
def attendance(
    start: datetime | None,
    end: datetime | None,
    output: str,
    published: bool,
    on_queue: bool,
    council: str | None,
) -> None:
    """Run an attendance audit of one council (--council, needed when the instance serves
    several) and store it (each run is a new audit). Without --from and --to: the last
    full half year. With --queue the worker runs it and the audit appears on the audits
    page."""
    council_id = command_council(council)
    if on_queue:
        hand_to_worker(
            operations.run_attendance_audit_job,
            start.date().isoformat() if start else None,
            end.date().isoformat() if end else None,
            council_id,
        )
        return
    first, last = operations.default_period(operations.today())
    try:
        audit = operations.run_attendance_audit(
            _day(start) or first, _day(end) or last, None, council_id
        )
    except ValidationFailed as failed:
        db.session.rollback()
        for field, messages in failed.errors.items():
            for message in messages:
                click.echo(f"{field}: {message}", err=True)
        sys.exit(2)
    db.session.commit()
    report = audit_report(audit, published)
    if output == "csv":
        click.echo(audit_csv(report), nl=False)
        return
    click.echo(
        f"Attendance audit {audit.id}: {audit.period_start} to {audit.period_end}, "
        f"{audit.meetings_held} meetings held, threshold {audit.threshold:g}."
    )
    names = [c for c in CSV_COLUMNS if c not in {"agency_id", "meeting_type"}][:11]
    click.echo("\t".join(names))
    for row in report.rows:
        click.echo("\t".join(shown(row, name) for name in names))


@audits_cli.command("requorate")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Decide every held meeting again under today's rules, replacing the verdicts of record.",
)
def requorate(everything: bool) -> None:
    """Store the quoracy of the held meetings that have none (recorded before it was
    stored), under today's quorum rules. With --all, every held meeting's verdict is
    decided again: past audits keep their figures, later ones count the new verdicts."""
    written = store_quoracy(everything)
    db.session.commit()
    click.echo(f"Quoracy stored for {written} held conference{'s' if written != 1 else ''}.")
