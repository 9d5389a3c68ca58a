"""iCalendar (RFC 5545 / iTIP RFC 5546) files for meeting invitations.

A REQUEST carries the meeting; a later REQUEST with the same UID and a higher
SEQUENCE updates it in the invitee's calendar; a CANCEL with a higher SEQUENCE
removes it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import icalendar

from core.mail.operations import Attachment

Method = Literal["REQUEST", "CANCEL"]
PRODUCT_ID = "-//Safeguarding Hub//Meetings//EN"


def meeting_calendar(
    *,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    description: str,
    organiser_email: str,
    attendee_emails: list[str],
    method: Method,
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", datetime.now(UTC))
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organiser = icalendar.vCalAddress(f"mailto:{organiser_email}")
    organiser.params["cn"] = icalendar.vText("Safeguarding Hub")
    event.add("organizer", organiser)
    for email in attendee_emails:
        attendee = icalendar.vCalAddress(f"mailto:{email}")
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = icalendar.vText("NEEDS-ACTION")
        attendee.params["rsvp"] = icalendar.vText("FALSE")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def calendar_attachment(ics: bytes, method: Method) -> Attachment:
    filename = "cancellation.ics" if method == "CANCEL" else "invitation.ics"
    return Attachment(filename, f"text/calendar; method={method}; charset=UTF-8", ics)
