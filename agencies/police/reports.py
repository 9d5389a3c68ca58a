"""The police plugin's reports: SQL over what the user may see."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime as dt

import sqlalchemy as sa

from plugins import ReportTable
from plugins.forms import display
from plugins.reports import Concern, ReportQuery, Submission, answer, days_between

AGE_BANDS = (("Under 4 weeks", 0, 28), ("4 weeks to 3 months", 28, 91), ("3 to 6 months", 91, 183))


def open_investigations(query: ReportQuery) -> ReportTable:
    from agencies.police import OPEN_STATUSES, STATUSES, InvestigationSchema

    rows = query.submissions("police.investigation").subquery()
    status = answer("status", rows)
    age = days_between(answer("reported_on", rows), sa.literal(query.today.isoformat()))
    bands = [
        sa.func.sum(sa.case((sa.and_(age >= low, age < high), 1), else_=0))
        for _, low, high in AGE_BANDS
    ]
    older = sa.func.sum(sa.case((age >= AGE_BANDS[-1][2], 1), else_=0))
    counted = {
        row[0]: row[1:]
        for row in query.rows(
            sa.select(status, *bands, older, sa.func.count())
            .where(status.in_(OPEN_STATUSES))
            .group_by(status)
        )
    }
    schema = InvestigationSchema()
    table = [
        (display(schema, "status", code), *[int(n or 0) for n in counted[code]])
        for code, _ in STATUSES
        if code in counted
    ]
    columns = ("Status", *[band for band, _, _ in AGE_BANDS], "Over 6 months", "Total")
    return ReportTable(columns, table, notes=("Age counts from the date reported to the police.",))


def crime_without_investigation(query: ReportQuery) -> ReportTable:
    recorded = sa.exists().where(
        Submission.form_name == "police.investigation", Submission.concern_id == Concern.id
    )
    concerns = query.rows(
        query.concerns()
        .where(Concern.crime_suspected.is_(True), Concern.status == "open", ~recorded)
        .with_only_columns(Concern.reference, Concern.received_at)
        .order_by(Concern.received_at)
    )
    rows = [(reference, received.strftime("%d %b %Y")) for reference, received in concerns]
    return ReportTable(("Concern", "Received"), rows)


def missing_children(query: ReportQuery) -> ReportTable:
    from agencies.police import MissingChildSchema

    rows = query.submissions("police.missing_child").subquery()
    now = dt.now(UTC).isoformat(timespec="minutes")
    returned, interview = answer("returned_at", rows), answer("interview_at", rows)
    episodes = query.rows(
        sa.select(
            answer("missing_from", rows),
            answer("missing_at", rows),
            returned,
            interview,
            days_between(returned, sa.func.coalesce(interview, sa.literal(now))),
        ).order_by(answer("missing_at", rows).desc())
    )
    schema = MissingChildSchema()
    table = []
    for missing_from, missing_at, back, held, days in episodes:
        if back is None:
            interview_status = "Still missing"
        elif held is not None:
            interview_status = "Yes" if days <= 3 else "No: late"
        else:
            interview_status = "Not yet due" if days <= 3 else "No: not held"
        table.append(
            (
                missing_from,
                display(schema, "missing_at", missing_at),
                display(schema, "returned_at", back) or "",
                display(schema, "interview_at", held) or "",
                interview_status,
            )
        )
    return ReportTable(
        ("Missing from", "Went missing", "Returned", "Return interview", "Within 72 hours"),
        table,
        notes=(f"{sum(1 for row in table if row[-1] == 'Still missing')} still missing.",),
    )
