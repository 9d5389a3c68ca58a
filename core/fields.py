"""Date fields for API bodies and queries that refuse what the calendar sums cannot hold:
a date or time outside EARLIEST_YEAR to LATEST_YEAR (``core.clocks``) is a 422 naming the
field, never an OverflowError."""

from __future__ import annotations

import marshmallow as ma

# Day and Moment are fields of the public plugin API too (agency forms use them).
from plugins.forms import Day as Day
from plugins.forms import Moment as Moment


def codes(enum_class: type) -> ma.validate.OneOf:
    """Validate a national list's (or any enum's) code: one of its members' values."""
    return ma.validate.OneOf([member.value for member in enum_class])  # type: ignore[attr-defined]
