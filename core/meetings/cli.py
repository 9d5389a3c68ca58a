"""``flask --app core reminders send``: chase overdue answers, reports and actions."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.jobs.cli import hand_to_worker
from core.mail import operations as mail
from core.meetings import reminders
from core.meetings.reminders import queue_reminders

reminders_cli = AppGroup("reminders", help="Remind agencies of what is overdue.")


@reminders_cli.command("send")
@click.option("--queue", "on_queue", is_flag=True, help="Leave it to the worker (needs REDIS_URL).")
def send_reminders(on_queue: bool) -> None:
    """Queue one reminder per overdue item per day (running it twice a day sends
    nothing new); the worker, `flask mail send-pending` or, without Redis, this command
    delivers them. The worker also runs this every day (JOBS_REMINDERS_CRON)."""
    if on_queue:
        hand_to_worker(reminders.send_reminders)
        return
    queued = queue_reminders()
    click.echo(f"Queued {queued} reminder{'s' if queued != 1 else ''}.")
    mail.deliver_after_commit()
