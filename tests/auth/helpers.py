"""Small helpers shared by the sign-in and administration tests."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from core.accesslog.models import AccessLogEntry
from core.extensions import db
from tests.conftest import csrf_token

GENERIC_FAILURE = "Enter a correct email address and password"
H1 = re.compile(r'<h1 class="govuk-heading-l">\s*(.*?)\s*</h1>', re.S)
# Per-response values (CSP nonces, CSRF tokens) blanked out before comparing two pages.
_VOLATILE = re.compile(r"nonce-[^']+|nonce=\"[^\"]*\"|value=\"[^\"]*\"")


def post_form(
    client: FlaskClient, url: str, data: dict[str, Any], *, form_page: str | None = None
) -> Any:
    """POST ``data`` with a CSRF token read from ``form_page`` (default: ``url``)."""
    token = csrf_token(client, form_page or url)
    return client.post(url, data={**data, "csrf_token": token})


def sign_in(client: FlaskClient, email: str, password: str, next_url: str | None = None) -> Any:
    """Sign in; for a user with a second factor, also type a fresh code from their app."""
    url = "/sign-in" if next_url is None else next_url
    response = post_form(client, url, {"email": email, "password": password}, form_page="/sign-in")
    location = response.headers.get("Location", "")
    if response.status_code == 302 and location.startswith("/sign-in/code"):
        response = second_step(client, email, location)
    return response


def second_step(client: FlaskClient, email: str, url: str = "/sign-in/code") -> Any:
    """Type the code the user's authenticator app shows now."""
    from core.auth.operations import find_user_by_email
    from tests.support.totp import user_code

    app = client.application
    with app.app_context():
        user = find_user_by_email(email)
        assert user is not None
        user_id = user.id
    return post_form(client, url, {"code": user_code(app, user_id)})


def heading(response: Any) -> str:
    match = H1.search(response.get_data(as_text=True))
    assert match, "the page has no main heading"
    return match.group(1)


def without_volatile(html: str) -> str:
    return _VOLATILE.sub("", html)


def log_entries(app: Flask, **where: Any) -> list[AccessLogEntry]:
    """Access log rows in order, filtered by column values."""
    with app.app_context():
        query = sa.select(AccessLogEntry).order_by(AccessLogEntry.id)
        for column, value in where.items():
            query = query.where(getattr(AccessLogEntry, column) == value)
        return list(db.session.execute(query).scalars())


def row_text(entry: AccessLogEntry) -> str:
    """Every stored column of an access log row, as one string to search."""
    return " ".join(str(getattr(entry, column.key)) for column in AccessLogEntry.__table__.columns)


def count(app: Flask, model: Any) -> int:
    with app.app_context():
        return int(db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)
