"""Creating and changing user accounts. Pages, API and CLI all come through here."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import has_request_context
from flask_login import current_user

from core.accesslog import operations as access_log
from core.auth.councils import default_council_id
from core.auth.models import Agency, ApiToken, Council, Team, User
from core.auth.operations import set_password
from core.auth.passwords import hash_password, password_problems, verify_password
from core.auth.roles import Role
from core.auth.sessions import end_all_sessions
from core.auth.tokens import TOKEN_PREFIX, hash_token
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.policy.routes import COUNCIL_AGENCY_TYPES, must_enrol
from core.policy.teams import may_join_a_team
from core.teams.operations import chosen

EDITABLE = (
    "name",
    "agency_id",
    "role",
    "active",
    "safeguarding_contact",
    "team_id",
    "complaints_officer",
    "council_id",
)


def acting_council_id() -> int:
    """The council of the administrator at work (a new user or agency is theirs unless
    they choose another); the instance's default council from the command line."""
    if has_request_context() and current_user.is_authenticated:
        return int(current_user.council_id)
    return default_council_id()


def _check_council(
    values: dict[str, Any], errors: dict[str, list[str]], current_id: int | None
) -> None:
    """The user's council area: one in use (one already held may stay after it is taken
    out of use). Left blank: a new user is the administrator's council's, a user being
    changed keeps theirs."""
    if "council_id" not in values:
        return
    chosen_id = chosen(Council, values["council_id"], "council_id", errors, current_id)
    if chosen_id is None and "council_id" not in errors:
        chosen_id = current_id if current_id is not None else acting_council_id()
    values["council_id"] = chosen_id


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


def _check_team(
    values: dict[str, Any],
    role: Any,
    errors: dict[str, list[str]],
    current_id: int | None,
    council_id: int,
) -> None:
    """A safeguarding-team user's team, if any: one of their council's in use (a team
    already held may stay after it is taken out of use); other roles belong to no team."""
    if "team_id" not in values:
        return
    values["team_id"] = chosen(Team, values["team_id"], "team_id", errors, current_id, council_id)
    if values["team_id"] is not None and not may_join_a_team(role) and "role" not in errors:
        errors["team_id"] = [
            "Only safeguarding officers and managers belong to a team: leave the team out"
        ]


def _check_complaints_officer(
    values: dict[str, Any], user: User | None, errors: dict[str, list[str]]
) -> None:
    """The complaints officer is council staff: a user of a partner agency cannot be one
    (the flag is kept off rather than left meaning nothing)."""
    if not values.get("complaints_officer") or "agency_id" in errors:
        return
    agency_id = values.get("agency_id", user.agency_id if user is not None else None)
    agency = db.session.get(Agency, agency_id) if agency_id else None
    if agency is not None and agency.type not in COUNCIL_AGENCY_TYPES:
        errors["complaints_officer"] = [
            "Only the council's own staff can be the complaints officer: choose a council "
            "agency or leave it unticked"
        ]


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


def create_user(
    *,
    email: str,
    name: str,
    agency_id: int | None,
    role: str,
    password: str,
    safeguarding_contact: bool = False,
    team_id: int | None = None,
    complaints_officer: bool = False,
    council_id: int | None = None,
) -> User:
    """A new account; ``safeguarding_contact``: one of its agency's named contacts, whom
    the agency's case emails reach."""
    email = _normalise_email(email)
    values: dict[str, Any] = {
        "name": name,
        "agency_id": agency_id,
        "role": role,
        "safeguarding_contact": bool(safeguarding_contact),
        "team_id": team_id,
        "complaints_officer": bool(complaints_officer),
        "council_id": council_id,
    }
    errors: dict[str, list[str]] = {}
    _check_email(email, None, errors)
    _check_fields(values, errors)
    _check_council(values, errors, None)
    if "council_id" not in errors:
        _check_team(values, values.get("role"), errors, None, values["council_id"])
    _check_complaints_officer(values, None, errors)
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
    _check_council(values, errors, user.council_id)
    council_id = values.get("council_id") or user.council_id
    if council_id != user.council_id and "team_id" not in values:
        values["team_id"] = None  # a user moving to another council leaves their team
    if "council_id" not in errors:
        _check_team(values, values.get("role", user.role), errors, user.team_id, council_id)
    if "role" in values and not may_join_a_team(values["role"]) and "team_id" not in values:
        values["team_id"] = None  # a user leaving the safeguarding team leaves its team
    _check_complaints_officer(values, user, errors)
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


def change_own_password(user: User, current: str, new: str) -> None:
    """The user changes their own password, giving the current one: every session of
    theirs ends (this one too) and every API token is revoked, as after a reset."""
    if not verify_password(user.password_hash, current or ""):
        raise ValidationFailed({"current_password": ["Your current password is not right"]})
    if current == new:
        raise ValidationFailed({"password": ["Choose a password you are not using now"]})
    set_password(user, new)


def end_sessions(user: User) -> int:
    ended = end_all_sessions(user, "ended_by_administrator")
    access_log.record("user.end_sessions", object_type="user", object_id=user.id)
    return ended


DEFAULT_DAYS = 90
MAX_DAYS = 365


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
