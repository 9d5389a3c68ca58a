"""Signing in and out. Each writes its access log entry in the same transaction."""

from __future__ import annotations

import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.auth.models import User
from core.auth.passwords import hash_password, needs_rehash, verify_password
from core.auth.sessions import end_current_session, start_session
from core.extensions import db


def find_user_by_email(email: str) -> User | None:
    return db.session.execute(
        sa.select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()


def sign_in(email: str, password: str) -> User | None:
    """Start a session when the email and password match an active account.

    Returns the user, or None after logging the failed attempt. The log entry names
    the account's id when it exists, never the email typed.
    """
    user = find_user_by_email(email)
    if user is None or not verify_password(user.password_hash, password) or not user.active:
        if user is None:
            verify_password(None, password)  # same cost as a wrong password
        access_log.record(
            "sign_in",
            object_type="user",
            object_id=user.id if user else None,
            allowed=False,
            user_id=user.id if user else None,
            agency_id=user.agency_id if user else None,
        )
        db.session.commit()
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    start_session(user)
    access_log.record("sign_in", object_type="user", object_id=user.id)
    db.session.commit()
    return user


def sign_out() -> None:
    access_log.record("sign_out", object_type="user")
    end_current_session("signed_out")
    db.session.commit()
