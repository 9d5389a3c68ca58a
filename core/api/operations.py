"""Creating, checking and revoking bearer tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from core.accesslog import operations as access_log
from core.api.models import ApiToken
from core.auth.models import User
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.policy.routes import must_enrol

TOKEN_PREFIX = "sgh_"  # noqa: S105 - a marker, not a secret
DEFAULT_DAYS = 90
MAX_DAYS = 365
_TOUCH_EVERY = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Make a token; the secret is returned once and never stored."""
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Enter a name for the token, like the system that will use it"]
    elif len(name) > 100:
        errors["name"] = ["Token name must be 100 characters or fewer"]
    if not 1 <= days <= MAX_DAYS:
        errors["days"] = [f"A token lasts between 1 and {MAX_DAYS} days"]
    if not user.active:
        errors["user"] = ["This account is disabled"]
    elif must_enrol(user):
        errors["user"] = [
            "Administrators and board members must set up two-factor sign-in "
            "(Your account, Two-factor sign-in) before a token can be made for them"
        ]
    if errors:
        raise ValidationFailed(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_token(secret),
        prefix=secret[:12],
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    access_log.record(
        "api_token.create",
        object_type="api_token",
        object_id=token.id,
        user_id=user.id,
        agency_id=user.agency_id,
    )
    return token, secret


def user_for_token(secret: str) -> User | None:
    """The active owner of a valid, unexpired, unrevoked token; None otherwise."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.execute(
        sa.select(ApiToken)
        .where(ApiToken.token_hash == hash_token(secret))
        .options(joinedload(ApiToken.user))
    ).scalar_one_or_none()
    now = utcnow()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        token.last_used_at = now
        db.session.commit()
    return token.user


def revoke_token(token: ApiToken, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        token.revoked_by_id = by.id
        access_log.record("api_token.revoke", object_type="api_token", object_id=token.id)


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.execute(
            sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        ).scalars()
    )
