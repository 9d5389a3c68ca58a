"""The roles a user can hold. Every user has exactly one. The enum is part of the public
plugin API (plugins name roles in reports and permissions), so it is defined there."""

from __future__ import annotations

from plugins.types import ROLE_LABELS, Role

__all__ = ["ROLE_LABELS", "Role"]
