"""The police plugin's reports, over what the user may see (``plugins.reports``)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from agencies.police.forms import (
    INVESTIGATION,
    MISSING_CHILD,
    OPEN_STATUSES,
    STATUSES,
    InvestigationSchema,
    MissingChildSchema,
)
from plugins import ReportTable
from plugins.forms import display
from plugins.reports import ReportQuery, day, days_between, moment

AGE_BANDS = (("Under 4 weeks", 0, 28), ("4 weeks to 3 months", 28, 91), ("3 to 6 months", 91, 183))
OLDER = AGE_BANDS[-1][2]


def _band(age: float | None) -> str | None:
    """The age band's heading, "Over 6 months", or None for an investigation with no date
    (or a date still to come): it counts in the total only."""
    if age is None or age < 0:
        return None
    return next((band for band, low, high in AGE_BANDS if low <= age < high), "Over 6 months")


def open_investigations(query: ReportQuery) -> ReportTable:
    counts: dict[str, Counter[str | None]] = {}
    for submission in query.submissions(INVESTIGATION.name):
        status = submission.answers.get("status")
        if status not in OPEN_STATUSES:
            continue
        reported = day(submission.answers.get("reported_on"))
        age = days_between(reported, query.today) if reported else None
        counts.setdefault(status, Counter())[_band(age)] += 1
    schema = InvestigationSchema()
    headings = [band for band, _, _ in AGE_BANDS] + ["Over 6 months"]
    table = [
        (
            display(schema, "status", code),
            *[counts[code][band] for band in headings],
            sum(counts[code].values()),
        )
        for code, _ in STATUSES
        if code in counts
    ]
    return ReportTable(
        ("Status", *headings, "Total"),
        table,
        notes=("Age counts from the date reported to the police.",),
    )


def crime_without_investigation(query: ReportQuery) -> ReportTable:
    rows = [
        (concern.reference, concern.received_at.strftime("%d %b %Y"))
        for concern in query.concerns()
        if concern.crime_suspected
        and concern.status == "open"
        and INVESTIGATION.name not in concern.forms
    ]
    return ReportTable(("Concern", "Received"), rows)


def _interview_status(returned: datetime | None, interview: datetime | None, now: datetime) -> str:
    """Whether the return interview was held within 72 hours of the child's return."""
    if returned is None:
        return "Still missing"
    days = days_between(returned, interview or now)
    if interview is not None:
        return "Yes" if days <= 3 else "No: late"
    return "Not yet due" if days <= 3 else "No: not held"


def missing_children(query: ReportQuery) -> ReportTable:
    now = datetime.now(UTC)
    schema = MissingChildSchema()
    episodes = sorted(
        query.submissions(MISSING_CHILD.name),
        key=lambda submission: submission.answers.get("missing_at") or "",
        reverse=True,
    )
    table = []
    for episode in episodes:
        answers = episode.answers
        back, held = answers.get("returned_at"), answers.get("interview_at")
        table.append(
            (
                answers.get("missing_from"),
                display(schema, "missing_at", answers.get("missing_at")),
                display(schema, "returned_at", back) or "",
                display(schema, "interview_at", held) or "",
                _interview_status(moment(back), moment(held), now),
            )
        )
    return ReportTable(
        ("Missing from", "Went missing", "Returned", "Return interview", "Within 72 hours"),
        table,
        notes=(f"{sum(1 for row in table if row[-1] == 'Still missing')} still missing.",),
    )
