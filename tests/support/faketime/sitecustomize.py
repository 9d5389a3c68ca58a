"""Loaded first by every Python process of the suite's runs under another date (the
Makefile puts this folder on PYTHONPATH for ``faketime`` only).

Debian 12's libfaketime 0.9.10 mis-handles ``clock_nanosleep(CLOCK_MONOTONIC,
TIMER_ABSTIME, …)`` when the monotonic clock is left real (``FAKETIME_DONT_FAKE_MONOTONIC=1``):
it shifts the deadline by the fake offset, so Python 3.11's ``time.sleep`` fails with
EINVAL a year ahead and sleeps for a month a month back
(https://github.com/wolfcw/libfaketime/issues/426, fixed after 0.9.10). Faking the
monotonic clock instead hangs every lock wait with a timeout (glibc's ``sem_clockwait``
is not intercepted). So the monotonic clock stays real, and ``time.sleep`` waits in
``select`` here, which takes a relative timeout that libfaketime leaves alone. Nothing
in the application changes; wall-clock time is still the faked one.
"""

from __future__ import annotations

import os
import select
import time


def _sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        select.select([], [], [], left)


if (
    "faketime" in os.environ.get("LD_PRELOAD", "")
    and os.environ.get("FAKETIME_DONT_FAKE_MONOTONIC") == "1"
):
    time.sleep = _sleep
