"""The emails meetings send: invitations with a calendar file, updates, cancellations,
withdrawals and reminders. Queued in the outbox in the same transaction as the change.

Emails leave the council's systems, so they carry the case reference, the time and place
and what the recipient must do, never the person's name, any detail of the concern or
the free text the team wrote (why the agency is invited, why a meeting was cancelled or an
invitation withdrawn: "staff member is the alleged source of risk" must not reach the
provider withdrawn for it). The invitee reads why it is invited in the portal.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for

from core.clocks import to_local
from core.extensions import db
from core.mail import operations as mail
from core.mail.calendar import Method, calendar_attachment, meeting_calendar
from core.mail.models import OutboxMessage
from core.meetings.types import report_deadline, type_label
from core.policy.meetings import invitation_recipients

if TYPE_CHECKING:
    from core.meetings.models import Invitation, Meeting


def addresses(invitation: Invitation) -> list[str]:
    """Who is sent the invitation's emails: its named invitee, else the agency's contacts
    (the policy's invitation recipients)."""
    return invitation_recipients(invitation.agency_id, invitation.invitee)


def _title(meeting: Meeting) -> str:
    references = ", ".join(c.reference for c in meeting.concerns)
    return f"{type_label(meeting.type)} {references}"


PORTAL_PROMPT = "Read why your agency is invited, answer and send your report in Safeguarding Hub:"
NOTHING_MORE = (
    "Nothing more is needed from your agency for this meeting; the safeguarding team will "
    "contact you if that changes."
)


def _details(meeting: Meeting, invitation: Invitation) -> str:
    local = to_local(meeting.starts_at)
    deadline = report_deadline(meeting)
    lines = [
        f"When: {local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"
        f" ({meeting.duration_minutes} minutes)",
    ]
    if meeting.venue:
        lines.append(f"Where: {meeting.venue}")
    if meeting.video_link:
        lines.append(f"Video link: {meeting.video_link}")
    lines += [
        f"Written reports are due by {deadline:%A} {deadline.day} {deadline:%B %Y}.",
        "",
        PORTAL_PROMPT,
        portal_link(invitation),
    ]
    return "\n".join(lines)


def portal_link(invitation: Invitation) -> str:
    """The invitation's page in the portal; from the command line, on ``PUBLIC_URL``."""
    if has_request_context():
        return url_for("portal.invitation", invitation_id=invitation.id, _external=True)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for("portal.invitation", invitation_id=invitation.id, _external=True)


def _calendar(meeting: Meeting, invitation: Invitation, method: str) -> bytes:
    return meeting_calendar(
        uid=meeting.uid,
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.starts_at + timedelta(minutes=meeting.duration_minutes),
        summary=_title(meeting),
        location=meeting.venue or meeting.video_link or "",
        description=f"{PORTAL_PROMPT} {portal_link(invitation)}",
        organiser_email=current_app.config["MAIL_SENDER"],
        attendee_emails=addresses(invitation),
        method=method,
    )


def _send(
    invitation: Invitation, subject: str, body: str, kind: str, method: Method | None
) -> None:
    recipients = addresses(invitation)
    if not recipients:
        return  # no named contact nor team mailbox: the portal shows it, the meeting page says

    attachments = []
    if method is not None:
        attachments.append(
            calendar_attachment(_calendar(invitation.meeting, invitation, method), method)
        )
    mail.queue_message(
        recipients,
        subject,
        body,
        kind=kind,
        attachments=attachments,
        meeting_id=invitation.meeting_id,
    )


def invitation(meeting: Meeting, invitation: Invitation, update: bool = False) -> None:
    title = _title(meeting)
    subject = f"{'Changed: ' if update else 'Invitation: '}{title}"
    opening = (
        "The meeting your agency is invited to has changed."
        if update
        else f"{invitation.agency.name} is invited to a safeguarding meeting."
    )
    _send(
        invitation,
        subject,
        f"{opening}\n\n{title}\n{_details(meeting, invitation)}\n",
        "meeting.update" if update else "meeting.invitation",
        "REQUEST",
    )


def cancellation(meeting: Meeting, invitation: Invitation) -> None:
    title = _title(meeting)
    _send(
        invitation,
        f"Cancelled: {title}",
        f"The {title} has been cancelled.\n\n{NOTHING_MORE}\n",
        "meeting.cancellation",
        "CANCEL",
    )


def withdrawal(meeting: Meeting, invitation: Invitation) -> None:
    title = _title(meeting)
    _send(
        invitation,
        f"No longer invited: {title}",
        f"{invitation.agency.name} is no longer invited to the {title}.\n\n{NOTHING_MORE}\n",
        "meeting.withdrawal",
        "CANCEL",
    )


def reminder(
    recipients: list[str], meeting_id: int, subject: str, body: str, dedupe_key: str
) -> bool:
    """Queue a reminder about something of a meeting to ``recipients`` (``addresses``, or
    the policy's for an agency) unless one with this key (item and day) was queued
    already; True when one was queued now."""
    already = db.session.scalar(
        sa.select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    )
    if not recipients or already is not None:
        return False
    mail.queue_message(
        recipients,
        subject,
        body,
        kind="meeting.reminder",
        dedupe_key=dedupe_key,
        meeting_id=meeting_id,
    )
    return True
