"""The sign-in pages' one operation of their own: emailing a password reset link (the
reset itself, sign-in and sessions are core/auth/)."""

from __future__ import annotations

from flask import current_app, url_for

from core.auth.operations import RESET_LINK_LIFETIME, start_password_reset
from core.mail.operations import queue_message


def reset_link(token: str) -> str:
    """Always under PUBLIC_URL: never a host taken from the request's headers, which an
    attacker could set to send the link to their own site."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return base + url_for("auth.reset_password", token=token)


def request_password_reset(email: str) -> None:
    """Email a single-use reset link to an active account with that address. Says
    nothing either way: the caller shows the same answer for any address."""
    started = start_password_reset(email)
    if started is None:
        return
    user, token = started
    minutes = int(RESET_LINK_LIFETIME.total_seconds() // 60)
    queue_message(
        [user.email],
        "Reset your Safeguarding Hub password",
        f"Someone asked to reset the password of your Safeguarding Hub account.\n\n"
        f"To choose a new password, open this link within {minutes} minutes:\n\n"
        f"{reset_link(token)}\n\n"
        "The link works once. If you did not ask for this, ignore this email: your "
        "password stays as it is.\n",
        kind="password_reset",
    )
