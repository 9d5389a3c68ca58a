"""User accounts and their API tokens. Administrators (the route's permission) reach any
account; everyone reaches their own (``me``) and their own tokens."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.auth.models import ApiToken, User
from core.extensions import db
from core.policy.resources import Resource, by_id, declare


def _token(user: Any, token_id: int, loaded: Any) -> ApiToken | None:
    """A token of the account in the URL (an administrator's page), else the user's own."""
    owner = loaded.get("user", user)
    return db.session.execute(
        sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == owner.id)
    ).scalar_one_or_none()


USER = declare(
    Resource(
        "user",
        "user_id",
        by_id(User),
        model=User,
        api_endpoint="users_api.get_user",
        url_ids=lambda user: {"user_id": user.id},
    )
)
# The signed-in user's own account (/api/v1/me): no URL variable.
ME = declare(
    Resource("me", None, lambda user, _, __: db.session.get(User, user.id), object_type="user")
)
API_TOKEN = declare(
    Resource("api_token", "token_id", _token, denied="token.revoke", object_type="api_token")
)
