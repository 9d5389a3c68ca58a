"""Imports every model module so that the metadata is complete (for Alembic and tests)."""

from core.accesslog.models import AccessLogEntry
from core.agencies.models import Agency
from core.api.models import ApiToken, IdempotencyKey
from core.auth.models import User, UserSession

__all__ = [
    "AccessLogEntry",
    "Agency",
    "ApiToken",
    "IdempotencyKey",
    "User",
    "UserSession",
]
