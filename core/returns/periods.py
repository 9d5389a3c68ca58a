"""Reporting periods in the council's local time, as UTC bounds for SQL.

Days, months and financial years begin at local midnight (Europe/London), so a concern
received at 00:30 BST on 1 April belongs to the new year. Each bound is computed here in
Python once per period, and the database compares stored UTC timestamps against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from core.clocks import LOCAL_ZONE, add_months
from core.concerns.models import Concern
from core.db import UTCDateTime


def local_midnight(day: date) -> datetime:
    """The UTC moment at which ``day`` begins in the council's local time."""
    return datetime.combine(day, time(), LOCAL_ZONE).astimezone(UTC)


@dataclass(frozen=True)
class Period:
    """From ``first`` to ``last`` inclusive (local days), of one council area's cases
    (``council_id``; None: every council's, which a single-council instance's are)."""

    first: date
    last: date
    council_id: int | None = None

    def of_council(self, column: Any) -> sa.ColumnElement[bool]:
        """The council's rows, by a column holding a council id (``Concern.council_id``)."""
        return sa.true() if self.council_id is None else column == self.council_id

    def of_council_case(self, column: Any) -> sa.ColumnElement[bool]:
        """The council's rows, by a column holding a case's id (``Plan.concern_id``)."""
        if self.council_id is None:
            return sa.true()
        return column.in_(sa.select(Concern.id).where(Concern.council_id == self.council_id))

    @property
    def starts(self) -> datetime:
        return local_midnight(self.first)

    @property
    def ends(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return local_midnight(self.last + timedelta(days=1))

    def holds(
        self, column: sa.ColumnElement[datetime] | sa.orm.InstrumentedAttribute[datetime]
    ) -> sa.ColumnElement[bool]:
        return sa.and_(column >= self.starts, column < self.ends)

    def holds_day(
        self, column: sa.ColumnElement[date] | sa.orm.InstrumentedAttribute[date]
    ) -> sa.ColumnElement[bool]:
        return sa.and_(column >= self.first, column <= self.last)


def financial_year(year: int, council_id: int | None = None) -> Period:
    """The financial year that starts on 1 April ``year`` (2026 is April 2026 to March 2027)."""
    return Period(date(year, 4, 1), date(year + 1, 3, 31), council_id)


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def quarter(year: int, number: int) -> Period:
    """Calendar quarter ``number`` (1: January to March … 4: October to December)."""
    first = date(year, 3 * (number - 1) + 1, 1)
    return Period(first, add_months(first, 3) - timedelta(days=1))


def quarter_in_year(year: int, number: int, year_starts: int = 1) -> Period:
    """Quarter ``number`` of the year that begins on the first of month ``year_starts`` of
    ``year``: with 4 (the financial year) quarter 1 of 2026 is April to June 2026 and
    quarter 4 is January to March 2027; with 1 these are calendar quarters."""
    first = add_months(date(year, year_starts, 1), 3 * (number - 1))
    return Period(first, add_months(first, 3) - timedelta(days=1))


def quarter_label(year: int, number: int, year_starts: int = 1) -> str:
    """As people say it: "Q1 2026/27 (April to June 2026)"; "Q1 2026 (January to March
    2026)" for calendar quarters."""
    period = quarter_in_year(year, number, year_starts)
    named = f"{year}" if year_starts == 1 else f"{year}/{(year + 1) % 100:02d}"
    first = period.first.strftime("%B")
    if period.first.year != period.last.year:
        first += f" {period.first.year}"
    return f"Q{number} {named} ({first} to {period.last.strftime('%B %Y')})"


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def months(period: Period) -> list[Period]:
    """The calendar months that overlap ``period``, each cut to it."""
    result = []
    first = period.first.replace(day=1)
    while first <= period.last:
        following = add_months(first, 1)
        result.append(
            Period(max(first, period.first), min(following - timedelta(days=1), period.last))
        )
        first = following
    return result


def buckets(periods: list[Period], name: str = "buckets") -> sa.CTE:
    """A small VALUES table of (position, starts, ends) to join timestamps against, so the
    database groups by local month however the offset from UTC changes within it."""
    return (
        sa.values(
            sa.column("position", sa.Integer),
            sa.column("starts", UTCDateTime),
            sa.column("ends", UTCDateTime),
            name=name,
        )
        .data([(index, p.starts, p.ends) for index, p in enumerate(periods)])
        .cte(name)
    )
