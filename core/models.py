"""Imports every model module so that the metadata is complete (for Alembic and tests)."""

from core.accesslog.models import AccessLogEntry
from core.agencies.models import Agency
from core.api.models import ApiToken, IdempotencyKey
from core.auth.models import User, UserSession
from core.concerns.models import (
    BodyMapMark,
    CaseEvent,
    CaseNote,
    Concern,
    ConcernRiskType,
    Handover,
    Involvement,
    ReferenceCounter,
    Supervision,
)
from core.people.models import Establishment, Person

__all__ = [
    "AccessLogEntry",
    "Agency",
    "ApiToken",
    "BodyMapMark",
    "CaseEvent",
    "CaseNote",
    "Concern",
    "ConcernRiskType",
    "Establishment",
    "Handover",
    "IdempotencyKey",
    "Involvement",
    "Person",
    "ReferenceCounter",
    "Supervision",
    "User",
    "UserSession",
]
