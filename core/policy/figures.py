"""Figures only: board members read aggregates, never a person's record, and every export
they take is the published version, with small counts suppressed."""

from __future__ import annotations

from typing import Any

from core.auth.roles import Role


def exports_are_published(user: Any) -> bool:
    """Whether the exports this user takes are the published version (board members)."""
    return getattr(user, "role", None) == Role.BOARD_MEMBER
