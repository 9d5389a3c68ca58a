"""Authenticator-app stand-ins for the tests: real TOTP codes computed with pyotp.

The service takes each 30-second time-step once, for the current step and one either
side, so :func:`fresh_code` gives the earliest acceptable step not yet used: three
sign-ins of one user within 30 seconds, or two when the step just gone is about to expire.
When the codes the service would take now are used up, the test's clock moves on to the
next step (tests/support/clock.py), as a person would wait for their app's next code;
nothing sleeps.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from tests.support import clock

SECRET_ON_PAGE = re.compile(r'<code id="totp-secret"[^>]*>([A-Z2-7]+)</code>')


# a code for the step just gone is typed only while this much of the current step is left:
# on a busy machine the request that carries it may take a few seconds to arrive
MARGIN_SECONDS = 8


def fresh_code(secret: str, last_step: int | None) -> str:
    """The earliest code the service will still take; when the codes it would take now
    are used up (the margin skipped one), the clock moves on to the next step."""
    totp = pyotp.TOTP(secret)
    for _ in range(2):
        moment = time.time()
        now = totp.timecode(moment)
        left = totp.interval - moment % totp.interval
        earliest = now - 1 if left > MARGIN_SECONDS else now
        for step in range(earliest, now + 2):
            if last_step is None or step > last_step:
                return totp.generate_otp(step)
        if clock.current is None:
            raise AssertionError("the codes of this step are used up and no test clock runs")
        clock.current.advance(timedelta(seconds=left + 0.1))
    raise AssertionError("every code of the last 90 seconds is used up")


def user_code(app: Flask, user_id: int) -> str:
    """A fresh code for an enrolled user, as their authenticator app would show."""
    from core.auth.models import User
    from core.extensions import db

    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None and user.totp_secret, "the user has no second factor"
        return fresh_code(user.totp_secret, user.totp_last_step)


def enrol(app: Flask, user_id: int) -> str:
    """Set up the second factor through the real operations; returns the secret."""
    from core.auth import twofactor
    from core.auth.models import User
    from core.extensions import db

    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        secret = twofactor.begin_enrolment(user)
        twofactor.confirm_enrolment(user, fresh_code(secret, user.totp_last_step))
        db.session.commit()
        return secret


def enrol_on_page(client: FlaskClient, csrf_token: Any) -> str:
    """Set up the second factor on the enrolment page as a person would: read the key
    from the page, type the app's code. Returns the secret."""
    page = client.get("/account/two-factor").get_data(as_text=True)
    match = SECRET_ON_PAGE.search(page)
    assert match, "no key on the two-factor page"
    secret = match.group(1)
    token = csrf_token(client, "/account/two-factor")
    response = client.post(
        "/account/two-factor", data={"code": fresh_code(secret, None), "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return secret
