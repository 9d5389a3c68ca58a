"""/api/v1/users (administrators) and /api/v1/me (everyone, about themselves)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_login import current_user

from core.api.conventions import (
    Blueprint,
    documented_update,
    paginate,
)
from core.auth import twofactor
from core.auth.models import ApiToken, User
from core.errors import ValidationFailed, abort
from core.pipeline import logged, record
from core.policy import users as _record_types  # noqa: F401  (declares "user" and "me")
from core.policy.routes import signed_in
from core.users import operations
from core.users.operations import tokens_of
from core.users.schemas import (
    ApiTokenSchema,
    EndedSessionsSchema,
    MeSchema,
    MeUpdateSchema,
    PasswordChangeSchema,
    UserListArgs,
    UserPageSchema,
    UserSchema,
    UserUpdateSchema,
)

blp = Blueprint("users_api", __name__, url_prefix="/users", description="User accounts")
me_blp = Blueprint("me_api", __name__, url_prefix="/me", description="The signed-in user")


@blp.get("/", "users.manage", UserListArgs, UserPageSchema)
@logged("user.list", object_type="user")
def list_users(args: dict[str, Any]) -> dict[str, Any]:
    """List user accounts (administrators)."""
    query = sa.select(User).order_by(User.id)
    for field in ("agency_id", "role", "active", "team_id", "council_id"):
        if field in args:
            query = query.where(getattr(User, field) == args[field])
    page = paginate(query, args["page"], args["page_size"])
    return page


@blp.post("/", "users.manage", UserSchema, UserSchema, status=201)
def create_user(data: dict[str, Any]) -> Any:
    """Create a user account (administrators)."""
    return operations.create_user(**data)


@blp.get("/<id:user_id>", "users.manage", None, UserSchema)
@logged("user.view", object_type="user", object_id="user_id")
@record("user")
def get_user(user: User) -> Any:
    """Read one user account (administrators)."""
    return user


@blp.patch("/<id:user_id>", "users.manage", UserUpdateSchema, UserSchema)
@documented_update(blp)
@record("user")
def update_user(data: dict[str, Any], user: User) -> Any:
    """Change a user account (administrators); needs If-Match. Disabling ends every
    session and token use at once."""
    return operations.update_user(user, **data)


@me_blp.route("", methods=["GET"])
@signed_in
@me_blp.response(200, MeSchema)
@logged("user.view", object_type="user", object_id="me")
@record("me")
def get_me(me: User) -> Any:
    """The user the bearer token belongs to, and their agency."""
    return me


@me_blp.route("", methods=["PATCH"])
@signed_in
@me_blp.arguments(MeUpdateSchema)
@me_blp.response(200, MeSchema)
@documented_update(me_blp)
@record("me")
def update_me(data: dict[str, Any], me: User) -> Any:
    """Change your own name; needs If-Match. Role and agency are not yours to change."""
    return operations.update_user(me, **data)


@me_blp.route("/password", methods=["POST"])
@signed_in
@me_blp.arguments(PasswordChangeSchema)
@me_blp.response(204)
@me_blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
@record("me")
def change_password(data: dict[str, Any], me: User) -> Any:
    """Change your own password, giving the current one. Every session of yours ends and
    every API token of yours is revoked, this one included: make a new token after."""
    try:
        operations.change_own_password(me, data["current_password"], data["new_password"])
    except ValidationFailed as failed:
        named = {"new_password" if k == "password" else k: v for k, v in failed.errors.items()}
        abort(422, errors=named)
    return None


# --- What the administrators' user page does beside editing ----------------------------------

USER = "/<id:user_id>"


@blp.get(USER + "/tokens", "users.manage", None, ApiTokenSchema(many=True))
@logged("user.view", object_type="user", object_id="user_id")
@record("user")
def list_tokens(user: User) -> Any:
    """The user's API tokens, newest first: never the secret, only its first characters."""
    return tokens_of(user)


@blp.delete(USER + "/tokens/<id:token_id>", "users.manage")
@record("user")
@record("api_token", argument="token")
def revoke_token(user: User, token: ApiToken) -> None:
    """Revoke one of the user's API tokens; it stops answering at once."""
    operations.revoke_token(token, current_user)


@blp.delete(USER + "/sessions", "users.manage", None, EndedSessionsSchema, status=200)
@record("user")
def end_sessions(user: User) -> Any:
    """Sign the user out everywhere: every open session ends (their API tokens stand)."""
    return {"ended": operations.end_sessions(user)}


@blp.delete(USER + "/two-factor", "users.manage")
@record("user")
def reset_two_factor(user: User) -> None:
    """Recovery of a lost authenticator: remove the user's second factor. Their sessions
    end; an administrator or board member sets a new one up at the next sign-in."""
    twofactor.reset(user)
