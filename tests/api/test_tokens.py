from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from core.auth.models import ApiToken
from core.auth.roles import Role
from core.db import utcnow
from core.extensions import db
from tests.api.conftest import ApiClient, make_token


def test_cli_token_then_me_returns_user_and_agency(app, client, factory):
    agency_id = factory.agency(name="Northshire Police", type="police")
    factory.user(role=Role.AGENCY_PRACTITIONER, email="pc@example.org", agency_id=agency_id)
    result = app.test_cli_runner().invoke(
        args=["tokens", "create", "--email", "pc@example.org", "--name", "Case system"]
    )
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("sgh_") and " " not in token

    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json["email"] == "pc@example.org"
    assert response.json["role"] == "agency_practitioner"
    assert response.json["agency"] == {
        "id": agency_id,
        "name": "Northshire Police",
        "type": "police",
    }
    with app.app_context():
        stored = db.session.execute(sa.select(ApiToken.token_hash)).scalar_one()
    assert token not in stored  # only the hash is kept


def test_cli_refuses_unknown_user_and_bad_days(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tokens", "create", "--email", "no@example.org", "--name", "x"])
    assert result.exit_code != 0
    assert "no user" in result.output


def test_without_token_or_with_junk_is_401_problem(client):
    for headers in (
        {},
        {"Authorization": "Bearer sgh_not-a-real-token"},
        {"Authorization": "Basic x"},
    ):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.json["status"] == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401(app, api_as):
    api = api_as(Role.SAFEGUARDING_OFFICER)
    assert api.get("/api/v1/me").status_code == 200
    from core.auth.models import User
    from core.users.operations import revoke_token

    with app.app_context():
        token = db.session.execute(sa.select(ApiToken)).scalar_one()
        revoke_token(token, db.session.get(User, api.user_id))
        db.session.commit()
    assert api.get("/api/v1/me").status_code == 401


def test_expired_token_is_401(app, api_as):
    api = api_as(Role.SAFEGUARDING_OFFICER)
    with app.app_context():
        db.session.execute(sa.update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert api.get("/api/v1/me").status_code == 401


def test_disabled_users_tokens_stop_at_once(app, client, api_as):
    admin = api_as(Role.ADMINISTRATOR)
    officer = api_as(Role.SAFEGUARDING_OFFICER)
    assert officer.get("/api/v1/me").status_code == 200
    etag = admin.get(f"/api/v1/users/{officer.user_id}").headers["ETag"]
    response = admin.patch(
        f"/api/v1/users/{officer.user_id}", json={"active": False}, headers={"If-Match": etag}
    )
    assert response.status_code == 200, response.json
    assert response.json["active"] is False
    assert officer.get("/api/v1/me").status_code == 401


def test_session_cookie_does_not_sign_in_to_the_api(auth, client):
    auth.as_role(Role.ADMINISTRATOR)
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_user_revokes_own_token_from_account_page(app, auth, client):
    from tests.conftest import csrf_token

    user_id = auth.as_role(Role.AGENCY_PRACTITIONER)
    secret = make_token(app, user_id)
    api = ApiClient(client.application.test_client(), secret)
    assert api.get("/api/v1/me").status_code == 200
    page = client.get("/account/")
    assert "test token" in page.get_data(as_text=True)
    with app.app_context():
        token_id = db.session.execute(sa.select(ApiToken.id)).scalar_one()
    token = csrf_token(client, "/account/")
    response = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": token})
    assert response.status_code == 302
    assert api.get("/api/v1/me").status_code == 401


def test_account_page_creates_token_shown_once(app, auth, client):
    from tests.conftest import csrf_token

    auth.as_role(Role.SAFEGUARDING_OFFICER)
    token = csrf_token(client, "/account/")
    page = client.post("/account/", data={"csrf_token": token, "name": "My script", "days": "7"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    secret = html.split('<code id="new-token">')[1].split("</code>")[0]
    other = client.application.test_client()
    assert other.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert secret not in client.get("/account/").get_data(as_text=True)
    refused = client.post("/account/", data={"csrf_token": token, "name": "", "days": "900"})
    text = refused.get_data(as_text=True)
    assert "Enter a name for the token" in text and "between 1 and 365 days" in text


def test_administrator_revokes_another_users_token(app, auth, client, factory):
    from tests.conftest import csrf_token

    auth.as_role(Role.ADMINISTRATOR)
    other_id = factory.user(role=Role.AUDITOR)
    secret = make_token(app, other_id)
    with app.app_context():
        token_id = db.session.execute(
            sa.select(ApiToken.id).where(ApiToken.user_id == other_id)
        ).scalar_one()
    token = csrf_token(client, f"/admin/users/{other_id}")
    response = client.post(
        f"/admin/users/{other_id}/tokens/{token_id}/revoke", data={"csrf_token": token}
    )
    assert response.status_code == 302
    api = ApiClient(app.test_client(), secret)
    assert api.get("/api/v1/me").status_code == 401


def test_practitioner_cannot_revoke_someone_elses_token(app, auth, client, factory):
    from tests.conftest import csrf_token

    auth.as_role(Role.AGENCY_PRACTITIONER)
    other_id = factory.user(role=Role.AUDITOR)
    make_token(app, other_id)
    with app.app_context():
        token_id = db.session.execute(sa.select(ApiToken.id)).scalar_one()
    token = csrf_token(client, "/account/")
    response = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": token})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(ApiToken, token_id).revoked_at is None
