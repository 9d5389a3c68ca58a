"""The jobs: each takes plain values (ids, dates) and reads the rest from the database.

A job that fails raises, so that the queue retries it (``JOBS_RETRY_SECONDS``); every one
is safe to run twice (an email is sent once, a reminder queued once a day per item, a case
purged once)."""

from __future__ import annotations

import logging
from datetime import date

from core.jobs import task

log = logging.getLogger(__name__)


@task
def deliver_mail(message_ids: list[int]) -> str:
    """Send these outbox messages if still pending. An unreachable server raises (the job
    is retried); a message the server refuses is recorded on it, as ``mail send-pending``
    does."""
    from core.mail import operations as mail

    if not mail.mail_configured():
        return "MAIL_SERVER is not set: the messages wait in the outbox."
    report = mail.deliver_pending(ids=message_ids)
    return f"sent {report.sent}, failed {report.failed}"


@task
def sweep_outbox() -> str:
    """Send everything pending in the outbox: what a lost or failed job left behind."""
    from core.mail import operations as mail

    if not mail.mail_configured():
        return "MAIL_SERVER is not set: the messages wait in the outbox."
    report = mail.deliver_pending()
    return f"sent {report.sent}, failed {report.failed}"


@task
def send_reminders() -> str:
    """Queue today's reminders (one per overdue item per day), then deliver them."""
    from core.mail import operations as mail
    from core.meetings.reminders import queue_reminders

    queued = queue_reminders()
    mail.deliver_after_commit()  # a job of its own on the queue
    return f"queued {queued} reminder(s)"


@task
def run_retention() -> str:
    """Purge the closed case records past retention and not held (``retention run``)."""
    from core import retention

    purged = retention.run(dry_run=False)
    return f"purged {len(purged)} case record(s)"


@task
def run_attendance_audit(period_start: str | None = None, period_end: str | None = None) -> str:
    """Run and store an attendance audit (``audits attendance --queue``); without dates,
    the last full half year."""
    from core.audits import operations
    from core.extensions import db

    first, last = operations.default_period(operations.today())
    audit = operations.run_attendance_audit(
        date.fromisoformat(period_start) if period_start else first,
        date.fromisoformat(period_end) if period_end else last,
        None,
    )
    db.session.commit()
    return f"attendance audit {audit.id}"
