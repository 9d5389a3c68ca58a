"""A signed-in user changes their own password, on the account page or through the API:
the current password is needed, every session ends and every API token is revoked, and
the page says so."""

from __future__ import annotations

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.auth.helpers import log_entries, post_form, sign_in
from tests.conftest import TEST_PASSWORD

NEW = "a-fresh-long-password"


def test_changing_the_password_on_the_page_ends_sessions_and_revokes_tokens(app, factory):
    user_id = factory.user(role=Role.SAFEGUARDING_OFFICER, email="jo@example.org")
    token = ApiClient(app.test_client(), make_token(app, user_id))
    assert token.get("/api/v1/me").status_code == 200
    elsewhere, here = app.test_client(), app.test_client()
    sign_in(elsewhere, "jo@example.org", TEST_PASSWORD)
    sign_in(here, "jo@example.org", TEST_PASSWORD)
    account = here.get("/account/").get_data(as_text=True)
    assert 'href="/account/password"' in account and "revokes your API tokens" in account
    page = here.get("/account/password").get_data(as_text=True)
    assert "revokes every API token" in " ".join(page.split())

    wrong = post_form(
        here,
        "/account/password",
        {"current_password": "not-my-password", "password": NEW, "confirm_password": NEW},
    )
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and "Your current password is not right" in text
    assert "<title>Error: " in text
    assert token.get("/api/v1/me").status_code == 200  # nothing changed

    done = post_form(
        here,
        "/account/password",
        {"current_password": TEST_PASSWORD, "password": NEW, "confirm_password": NEW},
    )
    assert done.status_code == 302 and done.headers["Location"] == "/sign-in"
    assert "your API tokens have been revoked" in here.get("/sign-in").get_data(as_text=True)
    assert elsewhere.get("/").status_code == 302  # signed out everywhere
    assert here.get("/account/").status_code == 302
    assert token.get("/api/v1/me").status_code == 401
    assert sign_in(app.test_client(), "jo@example.org", NEW).status_code == 302
    actions = [entry.action for entry in log_entries(app)]
    assert "user.password_change" in actions and "api_token.revoke" in actions


def test_changing_the_password_through_the_api(app, factory):
    user_id = factory.user(role=Role.AGENCY_PRACTITIONER, email="pc@example.org")
    api = ApiClient(app.test_client(), make_token(app, user_id))
    other = ApiClient(app.test_client(), make_token(app, user_id))
    wrong = api.post("/api/v1/me/password", json={"current_password": "nope", "new_password": NEW})
    assert wrong.status_code == 422
    assert wrong.json["errors"] == {"current_password": ["Your current password is not right"]}
    weak = api.post(
        "/api/v1/me/password",
        json={"current_password": TEST_PASSWORD, "new_password": "short"},
    )
    assert weak.status_code == 422 and "new_password" in weak.json["errors"]
    done = api.post(
        "/api/v1/me/password", json={"current_password": TEST_PASSWORD, "new_password": NEW}
    )
    assert done.status_code == 204
    assert api.get("/api/v1/me").status_code == 401
    assert other.get("/api/v1/me").status_code == 401
    assert sign_in(app.test_client(), "pc@example.org", NEW).status_code == 302
