from __future__ import annotations

import hashlib

from flask import Blueprint, current_app, g, request
from flask_limiter.util import get_remote_address

from core.auth import views
from core.extensions import limiter


def _account_key() -> str:
    """Rate-limit key for one account: a hash of the email typed, never the email."""
    email = (request.form.get("email") or "").strip().lower()
    return "sign-in:" + hashlib.sha256(email.encode()).hexdigest()


def _failed() -> bool:
    return bool(g.get("sign_in_failed"))


bp = Blueprint("auth", __name__, template_folder="templates")

sign_in = limiter.limit(
    lambda: current_app.config["SIGN_IN_RATE_LIMIT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=lambda response: _failed(),
    error_message="Too many sign-in attempts",
)(
    limiter.limit(
        lambda: current_app.config["SIGN_IN_IP_RATE_LIMIT"],
        key_func=get_remote_address,
        methods=["POST"],
        deduct_when=lambda response: _failed(),
        error_message="Too many sign-in attempts",
    )(views.sign_in)
)

bp.add_url_rule("/sign-in", view_func=sign_in, methods=["GET", "POST"])
bp.add_url_rule("/sign-out", view_func=views.sign_out, methods=["POST"])
