"""Bearer tokens: who a token belongs to, and revoking them all when a password changes.
Making, listing and revoking one token are the users area's (core/users/operations.py),
which asks the policy whether the user may have one."""

from __future__ import annotations

import functools
import hashlib
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core.accesslog import operations as access_log
from core.auth.models import ApiToken, User
from core.db import utcnow
from core.extensions import db

TOKEN_PREFIX = "sgh_"  # noqa: S105 - a marker, not a secret
_TOUCH_EVERY = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(secret: str) -> User | None:
    """The active owner of a valid, unexpired, unrevoked token; None otherwise."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.execute(
        _token_query(), {"token_hash": hash_token(secret)}
    ).scalar_one_or_none()
    now = utcnow()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        token.last_used_at = now
        db.session.commit()
    return token.user


@functools.cache
def _token_query() -> sa.Select[tuple[ApiToken]]:
    """The token with its user and the user's team (recording a case reads it: who holds
    the case), in one query built once, at first use: every API request runs it, and
    naming the relationships at import would configure the mappers before every model
    is imported."""
    return (
        sa.select(ApiToken)
        .where(ApiToken.token_hash == sa.bindparam("token_hash"))
        .options(joinedload(ApiToken.user).joinedload(User.team))
    )


def revoke_all_tokens(user: User, by: User) -> int:
    """Revoke every API token of the user that still answers: a new password means
    whoever held the old one may hold a token made with it. Gives how many."""
    now = utcnow()
    live = db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for token in live:
        token.revoked_at = now
        token.revoked_by_id = by.id
        access_log.record("api_token.revoke", object_type="api_token", object_id=token.id)
    return len(live)
