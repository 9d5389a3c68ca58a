"""Fields for API bodies and queries. Dates that refuse what the calendar sums cannot hold:
a date or time outside EARLIEST_YEAR to LATEST_YEAR (``core.clocks``) is a 422 naming the
field, never an OverflowError; enum codes; files sent as base64."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import marshmallow as ma

# Day and Moment are fields of the public plugin API too (agency forms use them).
from plugins.forms import Day as Day
from plugins.forms import Moment as Moment


def codes(enum_class: type) -> ma.validate.OneOf:
    """Validate a national list's (or any enum's) code: one of its members' values."""
    return ma.validate.OneOf([member.value for member in enum_class])  # type: ignore[attr-defined]


class Base64Bytes(ma.fields.String):
    """Bytes sent in a JSON body as base64 (RFC 4648)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).setdefault("format", "byte")
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bytes:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ma.ValidationError("Send the file as base64") from None
