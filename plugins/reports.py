"""What a report's ``run`` function receives: a read-only query of what the user may see,
giving plain, frozen records (never the platform's tables or classes)::

    def run(query: ReportQuery) -> ReportTable:
        found = query.submissions("police.investigation")
        counts = Counter(row.answers.get("status") for row in found)
        return ReportTable(("Status", "Investigations"), sorted(counts.items()))

The platform builds the query for the signed-in user (``core/reports/source.py``): every
method answers only what that user may see, so a report cannot show more than its reader
may read. Helpers below turn the answers (stored as JSON text) back into dates and times,
and judge a time out of hours as the platform does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from core.clocks import council_calendar


@dataclass(frozen=True)
class SubmissionRecord:
    """One agency form submission, as its latest answers.

    :param answers: the latest version's answers, as stored: text, numbers, booleans, dates
        as ``YYYY-MM-DD`` and times as UTC ISO 8601 (read them with :func:`day` and
        :func:`moment`).
    :param subject_type: ``concern``, ``establishment`` or ``agency``; ``subject_id`` its id.
    """

    id: int
    form_name: str
    agency_id: int
    agency_name: str
    subject_type: str
    subject_id: int
    concern_id: int | None
    answers: Mapping[str, Any]
    updated_at: dt.datetime


@dataclass(frozen=True)
class ConcernRecord:
    """A concern the user may see. ``forms`` names the agency forms recorded about it
    (that one exists, not what it says: read those through ``submissions``)."""

    id: int
    reference: str
    received_at: dt.datetime
    status: str
    crime_suspected: bool
    establishment_id: int | None
    forms: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class EstablishmentRecord:
    """A care home, hospital ward or other place; ``provider_agency_id`` is the agency that
    runs it, if it is on the hub."""

    id: int
    name: str
    provider_agency_id: int | None


@dataclass(frozen=True)
class AgencyRecord:
    id: int
    name: str
    type: str


class ReportQuery(Protocol):
    """The user running the report, today's date (local), the settings, and the records
    the user may see."""

    # the signed-in user (a ``plugins.CurrentUser``)
    user: Any
    today: dt.date
    config: Mapping[str, Any]

    def submissions(
        self, form_name: str, *, every_agency: bool = False
    ) -> tuple[SubmissionRecord, ...]:
        """The submissions of ``form_name`` the user may read, oldest first.

        ``every_agency=True`` gives every agency's submissions about the agency itself
        (``subject_type`` ``agency``: staff training figures) whoever runs the report:
        never about people, and only for reports that show aggregates.
        """
        ...

    def concerns(self) -> tuple[ConcernRecord, ...]:
        """The concerns the user may see (not deleted), oldest first."""
        ...

    def establishments(self) -> tuple[EstablishmentRecord, ...]:
        """Every establishment (places, not people), by name."""
        ...

    def agencies(self, type: str | None = None) -> tuple[AgencyRecord, ...]:
        """The agencies (of one type), by name."""
        ...


def out_of_hours(when: dt.datetime, config: Mapping[str, Any]) -> bool:
    """Whether ``when`` (aware) is outside the council's core hours, or on a weekend, an
    England bank holiday or a local closure day: the rule that flags concerns received
    out of hours, with the council's settings (``query.config``)."""
    return council_calendar(config).is_out_of_hours(when)


def day(value: Any) -> dt.date | None:
    """An answer stored as a date (``YYYY-MM-DD``), or None."""
    return dt.date.fromisoformat(value) if value else None


def moment(value: Any) -> dt.datetime | None:
    """An answer stored as a time (UTC ISO 8601), or None."""
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def days_between(first: dt.date | dt.datetime, second: dt.date | dt.datetime) -> float:
    """Days from ``first`` to ``second`` (fractions for times)."""
    if isinstance(first, dt.datetime) or isinstance(second, dt.datetime):
        start = first if isinstance(first, dt.datetime) else _midnight(first)
        end = second if isinstance(second, dt.datetime) else _midnight(second)
        return (end - start).total_seconds() / 86400
    return float((second - first).days)


def _midnight(value: dt.date) -> dt.datetime:
    return dt.datetime.combine(value, dt.time.min, dt.UTC)
