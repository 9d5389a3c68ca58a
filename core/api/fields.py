"""Date fields for API bodies and queries that refuse what the calendar sums cannot hold:
a date or time outside EARLIEST_YEAR to LATEST_YEAR (``core.clocks``) is a 422 naming the
field, never an OverflowError."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import marshmallow as ma

from core.clocks import OUT_OF_RANGE, in_range


def _in_range(value: date | datetime) -> None:
    if not in_range(value):
        raise ma.ValidationError(OUT_OF_RANGE)


class Day(ma.fields.Date):
    """A date (``2026-03-27``) in the years the hub takes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators.insert(0, _in_range)


class Moment(ma.fields.AwareDateTime):
    """A date and time with its offset (``2026-03-27T14:30:00Z``) in the years the hub
    takes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators.insert(0, _in_range)


def codes(enum_class: type) -> ma.validate.OneOf:
    """Validate a national list's (or any enum's) code: one of its members' values."""
    return ma.validate.OneOf([member.value for member in enum_class])  # type: ignore[attr-defined]
