"""Creating and changing user accounts. Pages, API and CLI all come through here."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import has_request_context
from flask_login import current_user

from core.accesslog import operations as access_log
from core.agencies.models import Agency
from core.api.models import ApiToken
from core.auth.models import User
from core.auth.passwords import hash_password, password_problems, verify_password
from core.auth.roles import Role
from core.auth.sessions import end_all_sessions
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db

EDITABLE = ("name", "agency_id", "role", "active")


def _normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _check_email(email: str, user: User | None, errors: dict[str, list[str]]) -> None:
    if not email:
        errors["email"] = ["Enter an email address"]
        return
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        errors["email"] = ["Enter an email address in the correct format, like name@example.org"]
        return
    holder = db.session.execute(sa.select(User.id).where(User.email == email)).scalar()
    if holder is not None and (user is None or holder != user.id):
        errors["email"] = ["A user with this email address already exists"]


def _check_fields(values: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if "name" in values:
        name = (values["name"] or "").strip()
        if not name:
            errors["name"] = ["Enter the person's full name"]
        elif len(name) > 200:
            errors["name"] = ["Name must be 200 characters or fewer"]
        values["name"] = name
    if "agency_id" in values:
        agency = db.session.get(Agency, values["agency_id"]) if values["agency_id"] else None
        if agency is None:
            errors["agency_id"] = ["Select the user's agency"]
        elif not agency.active:
            errors["agency_id"] = ["This agency is inactive; choose an active agency"]
    if "role" in values:
        try:
            values["role"] = Role(values["role"])
        except ValueError:
            errors["role"] = ["Select a role"]


def _check_not_own_privileges(
    user: User, values: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    """Nobody changes their own role or agency, or disables themselves."""
    if not (has_request_context() and current_user.is_authenticated):
        return
    if current_user.id != user.id:
        return
    if "role" in values and "role" not in errors and values["role"] != user.role:
        errors["role"] = ["You cannot change your own role"]
    if values.get("agency_id") not in (None, user.agency_id) and "agency_id" not in errors:
        errors["agency_id"] = ["You cannot move yourself to another agency"]
    if values.get("active") is False:
        errors["active"] = ["You cannot disable your own account"]


def create_user(*, email: str, name: str, agency_id: int | None, role: str, password: str) -> User:
    email = _normalise_email(email)
    values: dict[str, Any] = {"name": name, "agency_id": agency_id, "role": role}
    errors: dict[str, list[str]] = {}
    _check_email(email, None, errors)
    _check_fields(values, errors)
    if problems := password_problems(password or ""):
        errors["password"] = problems
    if errors:
        raise ValidationFailed(errors)
    user = User(email=email, password_hash=hash_password(password), **values)
    db.session.add(user)
    db.session.flush()
    access_log.record("user.create", object_type="user", object_id=user.id)
    return user


def update_user(user: User, **changes: Any) -> User:
    values = {k: v for k, v in changes.items() if k in EDITABLE}
    errors: dict[str, list[str]] = {}
    _check_fields(values, errors)
    _check_not_own_privileges(user, values, errors)
    if errors:
        raise ValidationFailed(errors)
    disabling = user.active and values.get("active") is False
    for field, value in values.items():
        setattr(user, field, value)
    db.session.flush()
    access_log.record("user.update", object_type="user", object_id=user.id)
    if disabling:
        end_all_sessions(user, "disabled")
        access_log.record("user.disable", object_type="user", object_id=user.id)
    return user


def set_password(user: User, password: str) -> None:
    if problems := password_problems(password or ""):
        raise ValidationFailed({"password": problems})
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user, "password_changed")
    revoke_all_tokens(user, by=user)
    access_log.record("user.password_change", object_type="user", object_id=user.id)


def change_own_password(user: User, current: str, new: str) -> None:
    """The user changes their own password, giving the current one: every session of
    theirs ends (this one too) and every API token is revoked, as after a reset."""
    if not verify_password(user.password_hash, current or ""):
        raise ValidationFailed({"current_password": ["Your current password is not right"]})
    if current == new:
        raise ValidationFailed({"password": ["Choose a password you are not using now"]})
    set_password(user, new)


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


def end_sessions(user: User) -> int:
    ended = end_all_sessions(user, "ended_by_administrator")
    access_log.record("user.end_sessions", object_type="user", object_id=user.id)
    return ended
