from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from core.clocks import ClockStatus, WorkingCalendar, add_months

CALENDAR = WorkingCalendar()


def test_christmas_eve_evening_concern_is_out_of_hours_and_due_on_29_december():
    received = datetime(2026, 12, 24, 18, 0, tzinfo=UTC)  # 18:00 GMT
    assert CALENDAR.is_out_of_hours(received)
    assert CALENDAR.add_working_days(received.date(), 1) == date(2026, 12, 29)


def test_strategy_discussion_14_december_puts_icpc_due_7_january():
    assert CALENDAR.add_working_days(date(2026, 12, 14), 15) == date(2027, 1, 7)


@pytest.mark.parametrize(
    ("moment", "out_of_hours"),
    [
        (datetime(2026, 11, 23, 8, 29, tzinfo=UTC), True),  # Monday, before 08:30 GMT
        (datetime(2026, 11, 23, 8, 30, tzinfo=UTC), False),
        (datetime(2026, 11, 23, 16, 59, tzinfo=UTC), False),
        (datetime(2026, 11, 23, 17, 0, tzinfo=UTC), True),
        (datetime(2026, 11, 21, 12, 0, tzinfo=UTC), True),  # Saturday
        (datetime(2026, 12, 25, 12, 0, tzinfo=UTC), True),  # Christmas Day
        # British Summer Time: 07:45 UTC is 08:45 in London
        (datetime(2026, 7, 1, 7, 45, tzinfo=UTC), False),
        (datetime(2026, 7, 1, 16, 15, tzinfo=UTC), True),  # 17:15 BST
    ],
)
def test_core_hours_are_judged_in_london_time(moment, out_of_hours):
    assert CALENDAR.is_out_of_hours(moment) is out_of_hours


def test_configurable_core_hours_and_local_closures():
    calendar = WorkingCalendar(
        core_start=time(9, 0), core_end=time(17, 30), extra_closures=frozenset({date(2026, 11, 24)})
    )
    assert calendar.is_out_of_hours(datetime(2026, 11, 23, 8, 45, tzinfo=UTC))
    assert not calendar.is_out_of_hours(datetime(2026, 11, 23, 17, 15, tzinfo=UTC))
    assert calendar.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)


def test_working_days_between_counts_the_end_not_the_start():
    assert CALENDAR.working_days_between(date(2026, 12, 14), date(2027, 1, 7)) == 15
    assert CALENDAR.working_days_between(date(2026, 12, 14), date(2026, 12, 14)) == 0


def test_add_months_keeps_the_day_or_falls_back_to_month_end():
    assert add_months(date(2027, 1, 7), 3) == date(2027, 4, 7)
    assert add_months(date(2027, 4, 1), 6) == date(2027, 10, 1)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_clock_status_due_overdue_and_met():
    due = date(2026, 12, 29)
    assert ClockStatus(due, None, date(2026, 12, 29)).label == "Due"
    assert ClockStatus(due, None, date(2026, 12, 30)).overdue
    assert ClockStatus(due, date(2026, 12, 29), date(2027, 1, 5)).label == "Met"
    assert ClockStatus(due, date(2026, 12, 30), date(2027, 1, 5)).label == "Met late"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        CALENDAR.is_out_of_hours(datetime(2026, 12, 24, 18, 0))
