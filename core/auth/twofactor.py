"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238).

Administrators and board members must have a second factor; everyone else may add one.
A code is accepted for the current 30-second time-step and one either side (clock drift),
and only for a step later than the last one accepted for that user, so a code, once used,
is never accepted again (and neither is an older one). Recovery is an administrator
resetting the user's second factor, which also ends the user's sessions.
"""

from __future__ import annotations

import hmac
import time

import pyotp
import segno
import sqlalchemy as sa
from markupsafe import Markup

from core.accesslog import operations as access_log
from core.auth.models import User
from core.auth.sessions import end_all_sessions
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db

ISSUER = "Safeguarding Hub"
DRIFT_STEPS = 1
WRONG_CODE = (
    "That code is wrong or has expired: enter the 6-digit code your authenticator app shows now"
)


def enrolled(user: User) -> bool:
    return user.totp_enabled_at is not None


def begin_enrolment(user: User) -> str:
    """The secret the user's authenticator app will hold (made once, kept until confirmed)."""
    if enrolled(user):
        raise ValidationFailed({"code": ["Two-factor sign-in is already set up"]})
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    assert user.totp_secret is not None  # begin_enrolment made it
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> Markup:
    """The URI as an inline SVG QR code: no script, no style, no external request."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, light="#ffffff")
    # segno's own markup: one path drawn from the bits, no text from the user in it
    return Markup(svg)  # noqa: S704  # nosec B704


def _matching_step(secret: str, code: str) -> int | None:
    """The time-step (current one, or one either side) whose code is ``code``."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(time.time())
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _take_step(user: User, step: int) -> bool:
    """Record ``step`` as used, atomically: False when it (or a later one) was used already,
    even by a request running at the same moment."""
    result = db.session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .where(sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    taken = bool(getattr(result, "rowcount", 0))
    if taken:
        db.session.expire(user, ["totp_last_step"])
    return taken


def check_code(user: User, code: str) -> bool:
    """Whether ``code`` is a fresh code of ``user``'s second factor (and use it up)."""
    if not enrolled(user) or not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code)
    return step is not None and _take_step(user, step)


def confirm_enrolment(user: User, code: str) -> None:
    """Turn the second factor on once the user shows a code from their app."""
    if enrolled(user) or not user.totp_secret:
        raise ValidationFailed({"code": ["Start setting up two-factor sign-in again"]})
    step = _matching_step(user.totp_secret, code)
    if step is None or not _take_step(user, step):
        raise ValidationFailed({"code": [WRONG_CODE]})
    user.totp_enabled_at = utcnow()
    access_log.record("user.two_factor_enrol", object_type="user", object_id=user.id)


def reset(user: User) -> None:
    """Recovery: an administrator removes the user's second factor. The user's sessions
    end; a privileged user must set up a new one at their next sign-in."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    end_all_sessions(user, "two_factor_reset")
    access_log.record("user.two_factor_reset", object_type="user", object_id=user.id)
