"""CSRF protection, security headers, session cookie flags and production settings."""

from __future__ import annotations

import re

import pytest

from core.auth.models import Agency, UserSession
from core.auth.roles import Role
from core.config import DEV_SECRET_KEY, ConfigurationError
from tests.auth.helpers import count, sign_in
from tests.conftest import TEST_PASSWORD, Factory

NONCE_IN_CSP = re.compile(r"script-src [^;]*'nonce-([^']+)'")


def _session_cookie_header(response) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("sgh_session=")]
    assert len(headers) == 1, response.headers.getlist("Set-Cookie")
    return headers[0]


def _attributes(set_cookie: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]}


# --- CSRF -------------------------------------------------------------------------


def test_sign_in_post_without_csrf_token_is_400_and_signs_nobody_in(app, client, factory):
    factory.user(email="csrf@example.org")
    client.get("/sign-in")  # a session exists, but the form carries no token
    response = client.post(
        "/sign-in", data={"email": "csrf@example.org", "password": TEST_PASSWORD}
    )
    assert response.status_code == 400
    assert "Your form expired or was not sent from this site" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert count(app, UserSession) == 0


def test_sign_in_post_with_a_forged_token_is_400(client, factory):
    factory.user(email="csrf@example.org")
    client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": "csrf@example.org", "password": TEST_PASSWORD, "csrf_token": "forged"},
    )
    assert response.status_code == 400


def test_admin_form_post_without_csrf_token_is_400_and_saves_nothing(app, auth, client):
    auth.as_role(Role.ADMINISTRATOR)
    before = count(app, Agency)
    response = client.post(
        "/admin/agencies/new", data={"name": "Tokenless Trust", "type": "other", "active": "y"}
    )
    assert response.status_code == 400
    assert count(app, Agency) == before
    assert "Tokenless Trust" not in client.get("/admin/agencies/").get_data(as_text=True)


def test_sign_out_without_csrf_token_is_400_and_keeps_the_session(auth, client):
    auth.as_role(Role.AUDITOR)
    assert client.post("/sign-out").status_code == 400
    assert client.get("/").status_code == 200


# --- Headers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.SAFEGUARDING_OFFICER, "/"),
        (Role.AGENCY_PRACTITIONER, "/account/"),
        (Role.ADMINISTRATOR, "/admin/users/"),
        (Role.ADMINISTRATOR, "/admin/agencies/"),
        (Role.ADMINISTRATOR, "/admin/access-log/"),
    ],
)
def test_signed_in_pages_carry_security_headers(auth, client, role, path):
    auth.as_role(role)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    match = NONCE_IN_CSP.search(csp)
    assert match, csp
    nonce = match.group(1)
    assert len(nonce) >= 16
    # The page's own script carries the nonce; no script runs without it.
    scripts = re.findall(r"<script[^>]*>", response.get_data(as_text=True))
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_each_response_gets_a_fresh_nonce(auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    first = NONCE_IN_CSP.search(client.get("/").headers["Content-Security-Policy"])
    second = NONCE_IN_CSP.search(client.get("/").headers["Content-Security-Policy"])
    assert first and second and first.group(1) != second.group(1)


def test_error_pages_are_not_cached_either(auth, client):
    auth.as_role(Role.BOARD_MEMBER)
    response = client.get("/admin/users/")
    assert response.status_code == 403
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


# --- Cookies and production settings ----------------------------------------------


def test_session_cookie_is_http_only_and_same_site_lax(client, factory):
    factory.user(email="cookie@example.org")
    response = sign_in(client, "cookie@example.org", TEST_PASSWORD)
    assert response.status_code == 302
    cookie = _session_cookie_header(response)
    attributes = _attributes(cookie)
    assert "httponly" in attributes
    assert "samesite=lax" in cookie.lower().replace(" ", "")
    assert "secure" not in attributes  # development over plain HTTP


def test_production_session_cookie_is_secure(app_factory):
    production = app_factory(
        ENV_NAME="production",
        SECRET_KEY="s" * 48,
        SESSION_COOKIE_SECURE=True,
        FORCE_HTTPS=False,
    )
    Factory(production).user(email="prod@example.org")
    client = production.test_client()
    response = sign_in(client, "prod@example.org", TEST_PASSWORD)
    assert response.status_code == 302
    cookie = _session_cookie_header(response)
    attributes = _attributes(cookie)
    assert {"secure", "httponly"} <= attributes
    assert "samesite=lax" in cookie.lower().replace(" ", "")


@pytest.mark.parametrize(
    "secret",
    [DEV_SECRET_KEY, "", "too-short", "x" * 31],
    ids=["dev-key", "empty", "short", "31-chars"],
)
def test_production_refuses_a_weak_secret_key(app_factory, secret):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        app_factory(
            ENV_NAME="production", SECRET_KEY=secret, SESSION_COOKIE_SECURE=True, FORCE_HTTPS=False
        )


def test_production_refuses_an_insecure_session_cookie(app_factory):
    with pytest.raises(ConfigurationError, match="SESSION_COOKIE_SECURE"):
        app_factory(
            ENV_NAME="production",
            SECRET_KEY="s" * 48,
            SESSION_COOKIE_SECURE=False,
            FORCE_HTTPS=False,
        )


def test_production_starts_with_a_long_random_key(app_factory):
    production = app_factory(
        ENV_NAME="production", SECRET_KEY="k" * 32, SESSION_COOKIE_SECURE=True, FORCE_HTTPS=False
    )
    assert production.test_client().get("/healthz").status_code == 200
