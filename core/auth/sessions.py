"""Server-side sign-in sessions behind Flask-Login.

The signed cookie holds a random session id. The id's hash is stored in
``user_sessions``; a session counts only while that row is open, the user is active and
the last request was within the idle timeout. Signing out, disabling the account or an
administrator ending sessions closes the rows, so a replayed old cookie signs nobody in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask, Request, current_app, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_login import login_user, logout_user
from itsdangerous import BadSignature
from sqlalchemy.orm import joinedload

from core.auth.models import User, UserSession
from core.auth.tokens import user_for_token
from core.db import utcnow
from core.extensions import db, login_manager

_SESSION_KEY = "sid"
_TOUCH_EVERY = timedelta(seconds=60)


# How far ahead of this node's clock another node's may run: a cookie it signed that far
# "in the future" is still read (NTP keeps real nodes well inside it).
NODE_CLOCK_SKEW = timedelta(seconds=60)


class NodesSessionInterface(SecureCookieSessionInterface):
    """Flask's signed session cookie, readable by every node of a deployment.

    Flask refuses a cookie whose signature time is after this node's clock (itsdangerous:
    "Signature age -1 < 0 seconds"), and the cookie is signed again at every response: a
    request reaching a node whose clock is a moment behind the last one's, across a second
    boundary, found an empty session and signed the person out. This reads it with up to
    :data:`NODE_CLOCK_SKEW` of difference; the lifetime check is Flask's, and the session
    itself is still checked on the server (:func:`load_user`)."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        try:
            data, signed_at = serializer.loads(value, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        age = datetime.now(UTC) - signed_at
        if not -NODE_CLOCK_SKEW <= age <= app.permanent_session_lifetime:
            return self.session_class()
        return self.session_class(data)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> None:
    """Sign ``user`` in with a brand-new session (no state carried over)."""
    session.clear()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        UserSession(token_hash=_hash(token), user_id=user.id, created_at=now, last_seen_at=now)
    )
    # A plain UPDATE, not a change to the versioned record: two sign-ins of one account at
    # the same moment must both succeed (the version guards edits of the account itself).
    db.session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .values(last_signed_in_at=now)
        .execution_options(synchronize_session=False)
    )
    session[_SESSION_KEY] = token
    session.permanent = True
    login_user(user)


def end_current_session(reason: str = "signed_out") -> None:
    token = session.get(_SESSION_KEY)
    if token:
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.token_hash == _hash(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow(), ended_reason=reason)
        )
    logout_user()
    session.clear()


def end_all_sessions(user: User, reason: str) -> int:
    """Close every open session of ``user``; returns how many were open."""
    result = db.session.execute(
        sa.update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason=reason)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def is_api_request() -> bool:
    """The JSON API signs in by bearer token only; its session cookie is ignored."""
    return request.path.startswith("/api/")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if is_api_request():
        return None
    token = session.get(_SESSION_KEY)
    if not token:
        return None
    row = db.session.execute(
        sa.select(UserSession)
        .where(UserSession.token_hash == _hash(token))
        # the user in the same statement: every page reads it
        .options(joinedload(UserSession.user))
    ).scalar_one_or_none()
    if row is None or row.ended_at is not None or str(row.user_id) != user_id:
        return None
    now = utcnow()
    idle = timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    if now - row.last_seen_at > idle:
        row.ended_at, row.ended_reason = now, "idle"
        db.session.commit()
        session.clear()
        session["signed_out_idle"] = True
        return None
    user = row.user
    if not user.active:
        return None
    if now - row.last_seen_at > _TOUCH_EVERY:
        row.last_seen_at = now
        db.session.commit()
    return user


@login_manager.request_loader
def load_user_from_bearer_token(incoming: Request) -> User | None:
    if not is_api_request():
        return None
    scheme, _, secret = (incoming.headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None

    return user_for_token(secret.strip())
