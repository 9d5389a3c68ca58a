"""Errors that operations raise and every interface (pages, API, CLI) reports the same way."""

from __future__ import annotations


class ValidationFailed(Exception):
    """Input that cannot be saved. ``errors`` maps a field name to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        return cls({field: [message]})
