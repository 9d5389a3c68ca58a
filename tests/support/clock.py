"""The suite's clock: time is an input, never today's date.

Every test runs with the clock at :data:`SUITE_NOW` (time-machine), moving on as real
time passes, so a test that builds "a concern received three days ago" or "a meeting next
week" gives the same answer on any day it is run. A test sets its own moment with the
``clock`` fixture: ``clock.set(when)`` holds the clock still at ``when`` (as a frozen
page would see it), ``clock.set(when, tick=True)`` lets it run on from there, and
``clock.advance(timedelta(...))`` moves it forward.

Only time in this process is moved. A test that starts a server in another process gives
it the same moment through :func:`served_clock_environment` (the served app's module
starts time-machine there), so both sides agree whatever the machine's date.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import time_machine

# A Monday in working hours, neither a bank holiday nor near one.
SUITE_NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

SERVED_NOW_VARIABLE = "SGH_TEST_SERVED_NOW"


class Clock:
    """The test's hold on the clock (one per test; see the ``clock`` fixture)."""

    def __init__(self) -> None:
        self._travel: time_machine.travel | None = None
        self._tick = True

    def set(self, when: datetime, *, tick: bool = False) -> None:
        """Put the clock at ``when``; still there until moved, unless ``tick``."""
        if when.tzinfo is None:
            raise ValueError("give the clock an aware datetime")
        self.stop()
        self._travel = time_machine.travel(when, tick=tick)
        self._travel.start()
        self._tick = tick

    def advance(self, delta: timedelta) -> None:
        """Move the clock on by ``delta``, keeping whether it ticks."""
        self.set(self.now() + delta, tick=self._tick)

    def now(self) -> datetime:
        return datetime.now(UTC)

    def stop(self) -> None:
        if self._travel is not None:
            self._travel.stop()
            self._travel = None


# The clock of the running test, for helpers that need to move it (the authenticator codes).
current: Clock | None = None


@contextmanager
def holding(when: datetime, *, tick: bool = False) -> Iterator[Clock]:
    """A clock of its own, for set-up that runs outside a test (a module's records)."""
    global current
    before, held = current, Clock()
    held.set(when, tick=tick)
    current = held
    try:
        yield held
    finally:
        current = before
        held.stop()


def served_clock_environment() -> dict[str, str]:
    """Environment for a server process of a test: it starts at this process's now."""
    return {SERVED_NOW_VARIABLE: datetime.now(UTC).isoformat()}


def start_served_clock() -> None:
    """In a served test app's module: run from the moment the test gave, if it gave one."""
    given = os.environ.get(SERVED_NOW_VARIABLE)
    if given:
        time_machine.travel(datetime.fromisoformat(given), tick=True).start()


def set_now(when: datetime, *, tick: bool = False) -> None:
    """Put the running test's clock at ``when`` (see :meth:`Clock.set`)."""
    if current is None:
        raise RuntimeError("no test clock is running (set_now outside a test)")
    current.set(when, tick=tick)
