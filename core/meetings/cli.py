"""``flask --app core reminders send``: chase overdue answers, reports and actions."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.clocks import to_local
from core.db import utcnow
from core.extensions import db
from core.mail import operations as mail
from core.meetings import notices, worklist
from core.meetings.types import type_label

reminders_cli = AppGroup("reminders", help="Remind agencies of what is overdue.")


@reminders_cli.command("send")
def send_reminders() -> None:
    """Queue one reminder per overdue item per day (running it twice a day sends
    nothing new); `flask mail send-pending` or the configured SMTP server delivers them."""
    today = to_local(utcnow()).date()
    queued = 0
    for invitation in worklist.unanswered_invitations():
        if today > worklist.answer_due(invitation):
            label = type_label(invitation.meeting.type)
            queued += notices.reminder(
                invitation.agency_id,
                invitation.meeting_id,
                f"Reminder: please answer the invitation to a {label.lower()}",
                f"{invitation.agency.name} has not yet answered the invitation to the "
                f"{label.lower()} on {to_local(invitation.meeting.starts_at):%d %B %Y at %H:%M}."
                f"\n\n{notices.portal_link(invitation)}\n",
                f"reminder:answer:{invitation.id}:{today.isoformat()}",
            )
    for invitation, deadline in worklist.missing_reports():
        if today > deadline:
            label = type_label(invitation.meeting.type)
            queued += notices.reminder(
                invitation.agency_id,
                invitation.meeting_id,
                f"Reminder: your report for a {label.lower()} is overdue",
                f"{invitation.agency.name}'s report was due by {deadline:%d %B %Y}.\n\n"
                f"{notices.portal_link(invitation)}\n",
                f"reminder:report:{invitation.id}:{today.isoformat()}",
            )
    for action in worklist.open_actions(today):
        if today > action.due_on:
            queued += notices.reminder(
                action.owner_agency_id,
                action.meeting_id,
                "Reminder: a safeguarding action is overdue",
                f"An action {action.owner_agency.name} agreed to was due on "
                f"{action.due_on:%d %B %Y}:\n\n{action.description}\n",
                f"reminder:action:{action.id}:{today.isoformat()}",
            )
    db.session.commit()
    click.echo(f"Queued {queued} reminder{'s' if queued != 1 else ''}.")
    mail.deliver_after_commit()
