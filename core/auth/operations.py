"""Signing in and out, the second step of two-factor sign-in and password resets. Each
writes its access log entry in the same transaction."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import session

from core.accesslog import operations as access_log
from core.auth import twofactor
from core.auth.models import PasswordReset, User
from core.auth.passwords import hash_password, needs_rehash, password_problems, verify_password
from core.auth.sessions import end_all_sessions, end_current_session, start_session
from core.auth.tokens import revoke_all_tokens
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db

# the signed cookie remembers, for a few minutes, whose password was right
_PENDING_KEY = "second_factor_pending"
SECOND_STEP_SECONDS = 300
RESET_LINK_LIFETIME = timedelta(minutes=30)


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        sa.select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()


def _log_failed_sign_in(user: User | None, action: str = "sign_in") -> None:
    access_log.record(
        action,
        object_type="user",
        object_id=user.id if user else None,
        allowed=False,
        user_id=user.id if user else None,
        agency_id=user.agency_id if user else None,
    )


def _complete_sign_in(user: User) -> None:
    start_session(user)
    access_log.record("sign_in", object_type="user", object_id=user.id)


def sign_in(email: str, password: str) -> User | None:
    """Check the email and password of an active account.

    Returns the user, or None after logging the failed attempt. The log entry names
    the account's id when it exists, never the email typed. A user with a second factor
    is not signed in yet: :func:`awaiting_second_factor` then names them and
    :func:`sign_in_with_code` finishes the sign-in.
    """
    session.pop(_PENDING_KEY, None)
    user = find_user_by_email(email)
    if user is None or not verify_password(user.password_hash, password) or not user.active:
        if user is None:
            verify_password(None, password)  # same cost as a wrong password
        _log_failed_sign_in(user)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if twofactor.enrolled(user):
        access_log.record(
            "sign_in.password",
            object_type="user",
            object_id=user.id,
            user_id=user.id,
            agency_id=user.agency_id,
        )
        session[_PENDING_KEY] = {"user_id": user.id, "at": int(time.time())}
        return user
    _complete_sign_in(user)
    return user


def awaiting_second_factor() -> User | None:
    """The user whose password was right in the last few minutes and who owes a code."""
    pending = session.get(_PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("at", 0)) > SECOND_STEP_SECONDS:
        session.pop(_PENDING_KEY, None)
        return None
    user = db.session.get(User, pending.get("user_id"))
    if user is None or not user.active or not twofactor.enrolled(user):
        return None
    return user


def sign_in_with_code(code: str) -> User | None:
    """The second step: a fresh code from the authenticator finishes the sign-in."""
    user = awaiting_second_factor()
    if user is None:
        return None
    if not twofactor.check_code(user, code):
        db.session.rollback()
        _log_failed_sign_in(user, "sign_in.second_factor")
        return None
    _complete_sign_in(user)  # start_session clears the pending state with the session
    return user


def sign_out() -> None:
    access_log.record("sign_out", object_type="user")
    end_current_session("signed_out")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_password_reset(email: str) -> tuple[User, str] | None:
    """A single-use reset link's secret for an active account with that address (the
    caller emails it), or None. Logged either way; the caller shows the same answer for
    any address."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        access_log.record("password_reset.request", object_type="user", allowed=False)
        return None
    now = utcnow()
    db.session.execute(  # a new link replaces any earlier one
        sa.update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=now + RESET_LINK_LIFETIME,
        )
    )
    db.session.flush()
    access_log.record(
        "password_reset.request",
        object_type="user",
        object_id=user.id,
        user_id=user.id,
        agency_id=user.agency_id,
    )
    return user, token


def find_reset(token: str) -> PasswordReset | None:
    """The unused, unexpired reset of an active account that ``token`` opens."""
    reset = db.session.execute(
        sa.select(PasswordReset).where(PasswordReset.token_hash == _token_hash(token))
    ).scalar_one_or_none()
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return None
    if not reset.user.active:
        return None
    return reset


def complete_password_reset(reset: PasswordReset, password: str) -> bool:
    """Set the new password and use the link up. False when the link was used meanwhile.
    Raises ValidationFailed for a password the rules refuse (the link stays usable)."""

    user = reset.user
    set_password(user, password)  # checks the rules and ends every session
    used = db.session.execute(
        sa.update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not getattr(used, "rowcount", 0):
        db.session.rollback()
        return False
    access_log.record(
        "password_reset.complete",
        object_type="user",
        object_id=user.id,
        user_id=user.id,
        agency_id=user.agency_id,
    )
    return True


def set_password(user: User, password: str) -> None:
    if problems := password_problems(password or ""):
        raise ValidationFailed({"password": problems})
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user, "password_changed")
    revoke_all_tokens(user, by=user)
    access_log.record("user.password_change", object_type="user", object_id=user.id)
