"""The care home plugin's reports: SQL over what the user may see."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from plugins import ReportTable
from plugins.forms import display
from plugins.reports import (
    Agency,
    Establishment,
    ReportQuery,
    Submission,
    answer,
    days_between,
)


def _late(rows: Any, query: ReportQuery) -> sa.ColumnElement[bool]:
    limit = int(query.config["CQC_NOTIFICATION_DAYS"])
    incident, notified = answer("incident_on", rows), answer("cqc_notified_on", rows)
    today = sa.literal(query.today.isoformat())
    return sa.or_(
        sa.and_(notified.is_not(None), days_between(incident, notified) > limit),
        sa.and_(notified.is_(None), days_between(incident, today) > limit),
    )


def late_or_incomplete_alerts(query: ReportQuery) -> ReportTable:
    from agencies.care_home import ALERT_REQUIRED_ITEMS, ProviderAlertSchema

    rows = query.submissions("care_home.provider_alert").subquery()
    missing = [answer(name, rows).is_(None) for name in ALERT_REQUIRED_ITEMS]
    late = _late(rows, query)
    alerts = query.rows(
        sa.select(
            Establishment.name,
            answer("incident_on", rows),
            answer("cqc_notified_on", rows),
            late,
            *missing,
        )
        .join(Establishment, Establishment.id == rows.c.subject_id)
        .where(sa.or_(late, *missing))
        .order_by(answer("incident_on", rows), Establishment.name)
    )
    schema = ProviderAlertSchema()
    table = [
        (
            name,
            display(schema, "incident_on", incident),
            display(schema, "cqc_notified_on", notified) or "Not yet",
            "Yes" if is_late else "No",
            ", ".join(
                schema.fields[item].metadata["label"]
                for item, gap in zip(ALERT_REQUIRED_ITEMS, gaps, strict=True)
                if gap
            )
            or "None",
        )
        for name, incident, notified, is_late, *gaps in alerts
    ]
    limit = int(query.config["CQC_NOTIFICATION_DAYS"])
    return ReportTable(
        ("Establishment", "Incident", "CQC notified", "Late", "Missing items"),
        table,
        notes=(f"Late: CQC notified more than {limit} day(s) after the incident.",),
    )


def provider_safeguarding(query: ReportQuery) -> ReportTable:
    minimum = int(query.config["CLUSTER_MIN_CONCERNS"])
    window = int(query.config["CLUSTER_WINDOW_DAYS"])
    since = datetime.combine(query.today - timedelta(days=window), time.min, UTC)
    visible = query.concerns().subquery()
    recent = sa.func.sum(sa.case((visible.c.received_at >= since, 1), else_=0))
    per_place = (
        sa.select(
            Establishment.provider_agency_id.label("agency_id"),
            Establishment.id.label("establishment_id"),
            sa.func.count(visible.c.id).label("concerns"),
            recent.label("recent"),
        )
        .join(visible, visible.c.establishment_id == Establishment.id)
        .group_by(Establishment.provider_agency_id, Establishment.id)
        .subquery()
    )
    alerts = query.submissions("care_home.provider_alert").subquery()
    late_alerts = (
        sa.select(Submission.agency_id, sa.func.count().label("late"))
        .select_from(alerts)
        .join(Submission, Submission.id == alerts.c.id)
        .where(_late(alerts, query))
        .group_by(Submission.agency_id)
        .subquery()
    )
    rows = query.rows(
        sa.select(
            Agency.name,
            sa.func.coalesce(sa.func.sum(per_place.c.concerns), 0),
            sa.func.coalesce(sa.func.sum(sa.case((per_place.c.recent >= minimum, 1), else_=0)), 0),
            sa.func.coalesce(sa.func.max(late_alerts.c.late), 0),
        )
        .select_from(Agency)
        .outerjoin(per_place, per_place.c.agency_id == Agency.id)
        .outerjoin(late_alerts, late_alerts.c.agency_id == Agency.id)
        .where(Agency.type == "care_provider")
        .group_by(Agency.id, Agency.name)
        .order_by(Agency.name)
    )
    return ReportTable(
        ("Provider", "Concerns", "Establishments with a cluster", "Late CQC notifications"),
        [(name, int(c), int(k), int(late)) for name, c, k, late in rows],
        notes=(f"A cluster is {minimum} or more concerns in {window} days.",),
    )
