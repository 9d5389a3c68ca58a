"""Reminders of what is overdue: unanswered invitations, missing reports, open actions.

Run daily by the job queue's schedule (:func:`send_reminders`, ``JOBS_REMINDERS_CRON``)
and by ``flask --app core reminders send``."""

from __future__ import annotations

from core import jobs
from core.clocks import to_local
from core.db import utcnow
from core.extensions import db
from core.mail import operations as mail
from core.meetings import notices, worklist
from core.meetings.types import type_label
from core.policy.meetings import invitation_recipients


def queue_reminders() -> int:
    """Queue one reminder per overdue item per day (running it twice a day queues nothing
    new) and commit; answers how many were queued. Deliver them after the commit."""
    today = to_local(utcnow()).date()
    queued = 0
    for invitation in worklist.unanswered_invitations():
        if today > worklist.answer_due(invitation):
            label = type_label(invitation.meeting.type)
            queued += notices.reminder(
                notices.addresses(invitation),
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
                notices.addresses(invitation),
                invitation.meeting_id,
                f"Reminder: your report for a {label.lower()} is overdue",
                f"{invitation.agency.name}'s report was due by {deadline:%d %B %Y}.\n\n"
                f"{notices.portal_link(invitation)}\n",
                f"reminder:report:{invitation.id}:{today.isoformat()}",
            )
    for action in worklist.open_actions(today):
        if today > action.due_on:
            queued += notices.reminder(
                invitation_recipients(action.owner_agency_id),
                action.meeting_id,
                "Reminder: a safeguarding action is overdue",
                f"An action {action.owner_agency.name} agreed to was due on "
                f"{action.due_on:%d %B %Y}:\n\n{action.description}\n",
                f"reminder:action:{action.id}:{today.isoformat()}",
            )
    db.session.commit()
    return queued


@jobs.periodic("cron", "JOBS_REMINDERS_CRON")
@jobs.task
def send_reminders() -> str:
    """The job: queue today's reminders (one per overdue item per day), then deliver them."""
    queued = queue_reminders()
    mail.deliver_after_commit()  # a job of its own on the queue
    return f"queued {queued} reminder(s)"
