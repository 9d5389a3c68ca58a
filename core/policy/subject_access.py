"""Subject access requests: the safeguarding managers' alone, each council's its own (the
recording manager's council; another council's answers 404). Officers, partner agencies,
the board and auditors read none (their routes' permission turns them away first)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.auth.roles import Role
from core.policy.resources import Resource, declare, from_query
from core.subject_access.models import SubjectAccessRequest


def is_manager(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.SAFEGUARDING_MANAGER)


def visible_requests(user: Any) -> sa.Select[tuple[SubjectAccessRequest]]:
    query = sa.select(SubjectAccessRequest)
    if not is_manager(user):
        return query.where(sa.false())
    return query.where(SubjectAccessRequest.council_id == user.council_id)


SUBJECT_ACCESS = declare(
    Resource(
        "subject_access",
        "request_id",
        from_query(visible_requests, SubjectAccessRequest),
        model=SubjectAccessRequest,
        api_endpoint="subject_access_api.get_request",
        url_ids=lambda request: {"request_id": request.id},
    )
)
