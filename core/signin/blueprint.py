from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, g, request
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address

from core.accesslog.operations import record_denied
from core.auth.operations import awaiting_second_factor
from core.extensions import limiter
from core.signin import views


def _account_key() -> str:
    """Rate-limit key for one account: a hash of the email typed, never the email."""
    email = (request.form.get("email") or "").strip().lower()
    return "sign-in:" + hashlib.sha256(email.encode()).hexdigest()


def _pending_account_key() -> str:
    """Rate-limit key for the second step: the account whose password was right."""

    user = awaiting_second_factor()
    return f"second-factor:{user.id if user else 'none'}"


def _reset_key() -> str:
    email = (request.form.get("email") or "").strip().lower()
    return "password-reset:" + hashlib.sha256(email.encode()).hexdigest()


def _log_breach(limit: RequestLimit) -> None:
    """A refused attempt over the limit is in the access log (the 429 page follows)."""
    record_denied("rate_limited", object_type="endpoint", object_id=request.endpoint)


def _failed() -> bool:
    return bool(g.get("sign_in_failed"))


def _limited(view: Callable[..., Any], key_func: Callable[[], str]) -> Callable[..., Any]:
    """Failed attempts count against the account and against the client address."""
    per_account = limiter.limit(
        lambda: current_app.config["SIGN_IN_RATE_LIMIT"],
        key_func=key_func,
        methods=["POST"],
        deduct_when=lambda response: _failed(),
        error_message="Too many sign-in attempts",
        on_breach=_log_breach,
    )
    per_address = limiter.limit(
        lambda: current_app.config["SIGN_IN_IP_RATE_LIMIT"],
        key_func=get_remote_address,
        methods=["POST"],
        deduct_when=lambda response: _failed(),
        error_message="Too many sign-in attempts",
        on_breach=_log_breach,
    )
    return per_account(per_address(view))


bp = Blueprint("auth", __name__, template_folder="templates")

sign_in = _limited(views.sign_in, _account_key)
second_factor = _limited(views.second_factor, _pending_account_key)
# every request for a reset link counts, per address typed and per client address
forgotten_password = limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"],
    key_func=_reset_key,
    methods=["POST"],
    error_message="Too many password reset requests",
    on_breach=_log_breach,
)(
    limiter.limit(
        lambda: current_app.config["SIGN_IN_IP_RATE_LIMIT"],
        key_func=get_remote_address,
        methods=["POST"],
        error_message="Too many password reset requests",
        on_breach=_log_breach,
    )(views.forgotten_password)
)

bp.add_url_rule("/sign-in", view_func=sign_in, methods=["GET", "POST"])
bp.add_url_rule("/sign-in/code", view_func=second_factor, methods=["GET", "POST"])
bp.add_url_rule("/sign-out", view_func=views.sign_out, methods=["POST"])
bp.add_url_rule("/password/forgotten", view_func=forgotten_password, methods=["GET", "POST"])
bp.add_url_rule("/password/reset/<token>", view_func=views.reset_password, methods=["GET", "POST"])
