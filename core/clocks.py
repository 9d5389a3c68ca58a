"""Working days, core hours and statutory clocks.

Every clock counts working days: weekends and England bank holidays are not working
days (the ``holidays`` package, which works offline). Councils can add local closure
days. Times are stored in UTC and judged in the council's local time (Europe/London).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

LOCAL_ZONE = ZoneInfo("Europe/London")

# Every date and time the hub takes, on pages and in the API, lies in these years: wide
# enough for the date of birth of anyone alive and any plan's review, narrow enough that
# working-day sums and time zone conversions cannot leave the calendar.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
EARLIEST_DAY, LATEST_DAY = date(EARLIEST_YEAR, 1, 1), date(LATEST_YEAR, 12, 31)
OUT_OF_RANGE = f"Enter a date from {EARLIEST_YEAR} to {LATEST_YEAR}"


def in_range(value: date | datetime) -> bool:
    """Whether a date, or a date and time, lies in the years the hub takes."""
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


@dataclass(frozen=True)
class ClockRule:
    """One clock: its default length in working days and where that comes from."""

    name: str
    label: str
    days: int
    source: str


_WT2023 = "Working Together to Safeguard Children 2023, chapter 2"
_LOCAL = (
    "Local default: the Care Act 2014 statutory guidance (chapter 14) sets no national "
    "timescale, so each council sets its own"
)
# The clocks counted in working days; CLOCK_DAYS changes the number of days of any.
CLOCK_RULES = (
    ClockRule("screening", "Screening decision after a concern is received", 1, _LOCAL),
    ClockRule("strategy_discussion", "Strategy discussion after a section 42 decision", 5, _LOCAL),
    ClockRule(
        "assessment",
        "Children's social care assessment concluded after the referral",
        45,
        f"{_WT2023}, assessment of a child under the Children Act 1989: timeliness",
    ),
    ClockRule(
        "initial_child_protection_conference",
        "Initial child protection conference after the strategy discussion that started "
        "the section 47 enquiry",
        15,
        f"{_WT2023}, initial child protection conferences",
    ),
    ClockRule(
        "core_group",
        "First core group after the initial child protection conference",
        10,
        f"{_WT2023}, the child protection plan",
    ),
    ClockRule("decision_letter", "Decision letter after a conference", 1, _LOCAL),
)
DEFAULT_DAYS = {rule.name: rule.days for rule in CLOCK_RULES}


def clock_days(configured: dict[str, object] | None, name: str) -> int:
    """Working days for the clock ``name``: the council's setting, else the default."""
    return int((configured or {}).get(name, DEFAULT_DAYS[name]))  # type: ignore[call-overload]


def clock_settings_problems(configured: dict[str, object] | None) -> list[str]:
    """What is wrong with a CLOCK_DAYS setting (unknown clocks, days that are not whole
    numbers from 0 to 365), for a clear refusal at start-up."""
    problems = []
    for name, value in (configured or {}).items():
        if name not in DEFAULT_DAYS:
            problems.append(f"{name} is not a clock; the clocks are {', '.join(DEFAULT_DAYS)}")
        elif not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 365:
            problems.append(f"{name} must be a whole number of working days from 0 to 365")
    return problems


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days, and the core hours within them."""

    core_start: time = time(8, 30)
    core_end: time = time(17, 0)
    extra_closures: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in _bank_holidays(day.year)
            and day not in self.extra_closures
        )

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (0 gives ``start`` itself)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        remaining = days
        while remaining:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def subtract_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days before ``start`` (0 gives ``start`` itself)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current = start
        remaining = days
        while remaining:
            current -= timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
        count = 0
        current = start
        while current < end:
            current += timedelta(days=1)
            if self.is_working_day(current):
                count += 1
        return count

    def is_out_of_hours(self, moment: datetime) -> bool:
        """Outside core hours on a working day, or any time on another day."""
        local = to_local(moment)
        if not self.is_working_day(local.date()):
            return True
        return not (self.core_start <= local.time() < self.core_end)


def council_calendar(config: Mapping[str, Any]) -> WorkingCalendar:
    """The council's working days and core hours: CORE_HOURS_START, CORE_HOURS_END and
    LOCAL_CLOSURE_DAYS beside England's bank holidays (docs/configuration.md). The one
    out-of-hours rule: concerns received and hospital discharges are judged by it."""
    return WorkingCalendar(
        core_start=config.get("CORE_HOURS_START") or WorkingCalendar.core_start,
        core_end=config.get("CORE_HOURS_END") or WorkingCalendar.core_end,
        extra_closures=frozenset(config.get("LOCAL_CLOSURE_DAYS") or ()),
    )


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(LOCAL_ZONE)


def add_months(day: date, months: int) -> date:
    """Same day of the month ``months`` later, or the month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ClockStatus:
    """Where a statutory clock stands on a given day: met, stopped (its case closed
    before it was met), or running."""

    due: date
    met_on: date | None
    today: date
    stopped_on: date | None = None

    @property
    def overdue(self) -> bool:
        if self.met_on is not None:
            return self.met_on > self.due
        if self.stopped_on is not None:
            return self.stopped_on > self.due
        return self.today > self.due

    @property
    def stopped(self) -> bool:
        return self.met_on is None and self.stopped_on is not None

    @property
    def label(self) -> str:
        if self.met_on is not None:
            return "Met late" if self.met_on > self.due else "Met"
        if self.stopped_on is not None:
            return "Stopped: case closed" + (" when overdue" if self.overdue else "")
        return "Overdue" if self.today > self.due else "Due"
