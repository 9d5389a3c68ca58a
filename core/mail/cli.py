"""``flask --app core mail ...``: deliver and inspect the outbox."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from core.extensions import db
from core.mail import operations
from core.mail.models import DeliveryStatus, OutboxMessage

mail_cli = AppGroup("mail", help="Deliver and inspect the email outbox.")


@mail_cli.command("send-pending")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Send at most this many.")
def send_pending(limit: int | None) -> None:
    """Deliver pending emails through MAIL_SERVER; exit 1 if any could not be sent."""
    try:
        report = operations.deliver_pending(limit=limit)
    except operations.MailNotConfigured as error:
        click.echo(f"{error} Set MAIL_SERVER (and MAIL_PORT) to send.", err=True)
        sys.exit(2)
    except operations.DeliveryError as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    left = operations.count_pending()
    click.echo(f"Sent {report.sent}, failed {report.failed}, still pending {left}.")
    if report.failed:
        sys.exit(1)


@mail_cli.command("outbox")
@click.option(
    "--status",
    type=click.Choice([status.value for status in DeliveryStatus]),
    default=DeliveryStatus.PENDING.value,
    show_default=True,
)
def outbox(status: str) -> None:
    """List the messages in the outbox with this status, oldest first."""
    messages = db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.status == DeliveryStatus(status))
        .order_by(OutboxMessage.id)
    )
    count = 0
    for message in messages:
        count += 1
        click.echo(
            f"{message.id}\t{message.created_at:%Y-%m-%d %H:%M}\t{message.kind}\t"
            f"{message.recipients}\t{message.subject}"
        )
    click.echo(f"{count} {status} message{'s' if count != 1 else ''}.")
