"""The clocks in force: each clock's working days and where its default comes from, the
council's core hours and its closure days, for the page and the API alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from flask import current_app

from core.clocks import CLOCK_RULES, clock_days
from core.concerns.operations import calendar


@dataclass(frozen=True)
class ClockInForce:
    name: str
    label: str
    days: int
    default_days: int
    source: str

    @property
    def local(self) -> bool:
        return self.days != self.default_days


@dataclass(frozen=True)
class ClocksInForce:
    clocks: list[ClockInForce]
    core_start: time
    core_end: time
    closure_days: list[date]
    bank_holidays: str = "England's bank holidays (the holidays package, offline)"


def clocks_in_force() -> ClocksInForce:
    configured = current_app.config.get("CLOCK_DAYS")
    working = calendar()
    return ClocksInForce(
        clocks=[
            ClockInForce(
                rule.name, rule.label, clock_days(configured, rule.name), rule.days, rule.source
            )
            for rule in CLOCK_RULES
        ],
        core_start=working.core_start,
        core_end=working.core_end,
        closure_days=sorted(working.extra_closures),
    )
