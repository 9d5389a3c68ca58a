"""Only administrators reach the administration pages; everyone else is refused and logged.

Signed-out visitors are sent to sign in and brought back afterwards, but only ever to a
path on this site.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest

from core.auth.models import Agency
from core.auth.roles import Role
from tests.auth.helpers import count, log_entries, sign_in
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.support.totp import enrol

ADMIN_PAGES = {
    "/admin/users/": "users.index",
    "/admin/agencies/": "agencies.index",
    "/admin/access-log/": "access_log.index",
    "/admin/outbox/": "outbox.index",
    "/plugins": "home.plugins",
}
NON_ADMIN_ROLES = [role for role in Role if role is not Role.ADMINISTRATOR]


@pytest.mark.parametrize("role", NON_ADMIN_ROLES, ids=[r.value for r in NON_ADMIN_ROLES])
def test_every_other_role_is_refused_and_the_refusal_logged(app, auth, client, role):
    user_id = auth.as_role(role)
    for path, endpoint in ADMIN_PAGES.items():
        response = client.get(path)
        assert response.status_code == 403, path
        assert "You do not have permission to see this page" in response.get_data(as_text=True)
        [entry] = log_entries(app, object_id=endpoint)
        assert (entry.action, entry.outcome, entry.user_id) == (
            "route.forbidden",
            "denied",
            user_id,
        )
    # Changes are refused too, even with a valid CSRF token, and nothing is saved.
    before = count(app, Agency)
    token = csrf_token(client, "/")
    response = client.post(
        "/admin/agencies/new", data={"csrf_token": token, "name": "Sneaky", "type": "other"}
    )
    assert response.status_code == 403
    assert count(app, Agency) == before
    assert log_entries(app, object_id="agencies.new", outcome="denied", user_id=user_id)
    assert client.get("/").status_code == 200  # still signed in, just not allowed


def test_administrator_reaches_every_admin_page(app, auth, client):
    auth.as_role(Role.ADMINISTRATOR)
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 200, path
    assert not log_entries(app, outcome="denied")


def test_signed_out_visitors_are_sent_to_sign_in_and_brought_back(app, factory):
    for number, (path, endpoint) in enumerate(ADMIN_PAGES.items()):
        # one administrator per page: each sign-in takes a fresh two-factor code
        email = f"admin{number}@example.org"
        enrol(app, factory.user(role=Role.ADMINISTRATOR, email=email))
        client = app.test_client()
        response = client.get(path)
        assert response.status_code == 302, path
        location = response.headers["Location"]
        assert location.startswith(f"/sign-in?next={quote(path, safe='')}"), location
        [entry] = log_entries(app, object_id=endpoint)
        assert (entry.action, entry.outcome, entry.user_id) == ("route.signed_out", "denied", None)

        signed_in = sign_in(client, email, TEST_PASSWORD, next_url=location)
        assert signed_in.status_code == 302
        assert signed_in.headers["Location"] == path
        assert client.get(path).status_code == 200


def test_the_query_string_survives_the_round_trip(app, factory):
    factory.user(role=Role.ADMINISTRATOR, email="admin@example.org")
    client = app.test_client()
    location = client.get("/admin/users/?page=1").headers["Location"]
    signed_in = sign_in(client, "admin@example.org", TEST_PASSWORD, next_url=location)
    assert signed_in.headers["Location"] == "/admin/users/?page=1"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "http://evil.example/admin/users/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "/\t/evil.example/",
        "http:evil.example",
        "javascript:alert(1)",
        "admin/users/",
    ],
)
def test_next_never_leads_off_the_site(app, factory, target):
    factory.user(role=Role.ADMINISTRATOR, email="admin@example.org")
    client = app.test_client()
    next_url = "/sign-in?next=" + quote(target, safe="")
    response = sign_in(client, "admin@example.org", TEST_PASSWORD, next_url=next_url)
    assert response.status_code == 302
    location = response.headers["Location"]
    # A browser treats a backslash like a slash; either way the target must stay here.
    as_browser = urlsplit(location.replace("\\", "/"))
    assert not as_browser.scheme and not as_browser.netloc, location
    assert location.startswith("/") and not location.startswith("//"), location
    if target.startswith(("http", "//", "///", "javascript")):
        assert location == "/"


def test_signed_out_api_request_is_401_not_a_redirect(client):
    response = client.get("/api/v1/users/")
    assert response.status_code == 401
