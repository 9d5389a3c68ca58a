"""The care home plugin's reports, over what the user may see (``plugins.reports``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, time, timedelta

from agencies.care_home.forms import ALERT_REQUIRED_ITEMS, PROVIDER_ALERT, ProviderAlertSchema
from plugins import ReportTable
from plugins.forms import display
from plugins.reports import ReportQuery, SubmissionRecord, day, days_between


def _late(alert: SubmissionRecord, query: ReportQuery) -> bool:
    """CQC notified (or still not notified today) more than the allowed days after the
    incident (regulation 18: CQC_NOTIFICATION_DAYS)."""
    limit = int(query.config["CQC_NOTIFICATION_DAYS"])
    incident = day(alert.answers.get("incident_on"))
    if incident is None:
        return False
    notified = day(alert.answers.get("cqc_notified_on"))
    return days_between(incident, notified or query.today) > limit


def _missing(alert: SubmissionRecord) -> list[str]:
    return [item for item in ALERT_REQUIRED_ITEMS if alert.answers.get(item) is None]


def late_or_incomplete_alerts(query: ReportQuery) -> ReportTable:
    places = {place.id: place.name for place in query.establishments()}
    schema = ProviderAlertSchema()
    alerts = [
        (places[alert.subject_id], alert)
        for alert in query.submissions(PROVIDER_ALERT.name)
        if alert.subject_id in places and (_late(alert, query) or _missing(alert))
    ]
    alerts.sort(key=lambda pair: (pair[1].answers.get("incident_on") or "", pair[0]))
    table = [
        (
            name,
            display(schema, "incident_on", alert.answers.get("incident_on")),
            display(schema, "cqc_notified_on", alert.answers.get("cqc_notified_on")) or "Not yet",
            "Yes" if _late(alert, query) else "No",
            ", ".join(schema.fields[item].metadata["label"] for item in _missing(alert)) or "None",
        )
        for name, alert in alerts
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
    provider_of = {
        place.id: place.provider_agency_id
        for place in query.establishments()
        if place.provider_agency_id is not None
    }
    concerns: Counter[int] = Counter()
    recent: dict[int, Counter[int]] = defaultdict(Counter)
    for concern in query.concerns():
        provider = provider_of.get(concern.establishment_id or 0)
        if provider is None:
            continue
        concerns[provider] += 1
        if concern.received_at >= since:
            recent[provider][concern.establishment_id or 0] += 1
    late = Counter(
        alert.agency_id for alert in query.submissions(PROVIDER_ALERT.name) if _late(alert, query)
    )
    rows = [
        (
            provider.name,
            concerns[provider.id],
            sum(1 for count in recent[provider.id].values() if count >= minimum),
            late[provider.id],
        )
        for provider in query.agencies("care_provider")
    ]
    return ReportTable(
        ("Provider", "Concerns", "Establishments with a cluster", "Late CQC notifications"),
        rows,
        notes=(f"A cluster is {minimum} or more concerns in {window} days.",),
    )
