"""Platform acceptance: sign-in limits, CSRF, headers, cookies and server-side sessions."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.auth.models import UserSession
from core.auth.roles import Role
from core.config import ConfigurationError
from core.db import utcnow
from core.extensions import db
from tests.auth.helpers import second_step
from tests.conftest import FULL_PASSWORD_COSTS, TEST_PASSWORD, csrf_token
from tests.support.totp import enrol

WRONG = "Wrong-Password-7731"


def _post_sign_in(client, email, password):
    token = csrf_token(client, "/sign-in")
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})


def test_eleven_wrong_passwords_in_a_minute(app, client, factory, caplog):
    user_id = factory.user(role=Role.SAFEGUARDING_OFFICER, email="target@example.org")
    caplog.set_level(logging.DEBUG)
    statuses = []
    for _ in range(11):
        response = _post_sign_in(client, "target@example.org", WRONG)
        statuses.append(response.status_code)
        if response.status_code == 200:
            assert "Enter a correct email address and password" in response.get_data(as_text=True)
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    limited = _post_sign_in(client, "target@example.org", TEST_PASSWORD)
    assert limited.status_code == 429  # even the right password waits out the minute
    body = limited.get_data(as_text=True)
    assert "Too many attempts" in body and "target@example.org" not in body

    with app.app_context():
        rows = db.session.execute(sa.select(AccessLogEntry)).scalars().all()
    failed = [r for r in rows if r.action == "sign_in" and r.outcome == "denied"]
    assert len(failed) == 10 and all(r.user_id == user_id for r in failed)
    assert any(r.action == "rate_limited" for r in rows)
    for row in rows:
        assert "target@example.org" not in repr(vars(row))
        assert WRONG not in repr(vars(row))
    for record in caplog.records:
        assert WRONG not in record.getMessage()
        assert TEST_PASSWORD not in record.getMessage()


def test_another_account_is_not_blocked_by_one_accounts_limit(client, factory):
    factory.user(email="target@example.org")
    factory.user(email="other@example.org")
    for _ in range(11):
        _post_sign_in(client, "target@example.org", WRONG)
    assert _post_sign_in(client, "other@example.org", TEST_PASSWORD).status_code == 302


def test_unknown_account_gets_the_same_answer_as_a_wrong_password(client, factory):
    factory.user(email="real@example.org")
    unknown = _post_sign_in(client, "nobody@example.org", WRONG).get_data(as_text=True)
    wrong = _post_sign_in(client, "real@example.org", WRONG).get_data(as_text=True)
    assert "Enter a correct email address and password" in unknown
    assert unknown.count("Enter a correct email") == wrong.count("Enter a correct email")


def test_post_without_csrf_token_is_400(auth, client, factory):
    factory.user(email="a@example.org")
    assert (
        client.post("/sign-in", data={"email": "a@example.org", "password": "x"}).status_code == 400
    )
    auth.as_role(Role.ADMINISTRATOR)
    response = client.post("/admin/agencies/new", data={"name": "No token", "type": "other"})
    assert response.status_code == 400
    assert "No token" not in client.get("/admin/agencies/").get_data(as_text=True)


def test_signed_in_pages_carry_security_headers(auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.get_data(as_text=True)


def test_session_cookie_flags(client, app_factory, factory):
    factory.user(email="c@example.org")
    response = _post_sign_in(client, "c@example.org", TEST_PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie

    production = app_factory(
        ENV_NAME="production", SECRET_KEY="p" * 48, SESSION_COOKIE_SECURE=True, FORCE_HTTPS=False
    )
    secure_client = production.test_client()
    secure = _post_sign_in(secure_client, "c@example.org", TEST_PASSWORD)
    assert secure.status_code == 302
    set_cookie = secure.headers["Set-Cookie"]
    assert "Secure" in set_cookie and "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie


@pytest.mark.parametrize("secret", ["dev-only-not-secret", "short"])
def test_production_refuses_a_weak_secret_key(app_factory, secret):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        app_factory(ENV_NAME="production", SECRET_KEY=secret, SESSION_COOKIE_SECURE=True)


def _signed_in_cookie(auth, client, role=Role.SAFEGUARDING_OFFICER):
    user_id = auth.as_role(role)
    assert client.get("/").status_code == 200
    return user_id, client.get_cookie("sgh_session").value


def _replay(client, cookie):
    client.set_cookie("sgh_session", cookie)
    return client.get("/")


def test_cookie_replayed_after_sign_out_is_not_signed_in(auth, client):
    _, cookie = _signed_in_cookie(auth, client)
    assert auth.sign_out().status_code == 302
    response = _replay(client, cookie)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_cookie_replayed_after_account_disabled_is_not_signed_in(app, auth, client):
    user_id, cookie = _signed_in_cookie(auth, client)
    admin_client = app.test_client()
    from tests.conftest import Auth

    Auth(admin_client, auth.factory).as_role(Role.ADMINISTRATOR)
    page = f"/admin/users/{user_id}"
    token = csrf_token(admin_client, page)
    with app.app_context():
        from core.auth.models import User

        user = db.session.get(User, user_id)
        form = {
            "csrf_token": token,
            "name": user.name,
            "agency_id": str(user.agency_id),
            "role": user.role.value,
        }  # no "active": the box is unticked
    assert admin_client.post(page, data=form).status_code == 302
    response = _replay(client, cookie)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    with app.app_context():
        ended = (
            db.session.execute(
                sa.select(UserSession.ended_reason).where(UserSession.user_id == user_id)
            )
            .scalars()
            .all()
        )
    assert ended == ["disabled"]


def test_sign_in_starts_a_new_session(client, factory):
    factory.user(email="n@example.org")
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("sgh_session").value
    _post_sign_in(client, "n@example.org", TEST_PASSWORD)
    assert client.get_cookie("sgh_session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session


def test_thirty_minutes_idle_ends_the_session(app, auth, client):
    user_id, _ = _signed_in_cookie(auth, client)
    with app.app_context():
        row = db.session.execute(
            sa.select(UserSession).where(UserSession.user_id == user_id)
        ).scalar_one()
        row.last_seen_at = utcnow() - timedelta(minutes=31)
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    with app.app_context():
        reason = db.session.execute(
            sa.select(UserSession.ended_reason).where(UserSession.user_id == user_id)
        ).scalar_one()
    assert reason == "idle"
    assert "without activity" in client.get("/sign-in").get_data(as_text=True)


def test_password_hashes_are_argon2id(app, factory, monkeypatch):
    from core.auth import passwords

    monkeypatch.setattr(passwords, "COSTS", FULL_PASSWORD_COSTS)
    with app.app_context():
        assert passwords.hash_password("a-long-enough-password").startswith(
            "$argon2id$v=19$m=19456,t=2,p=1$"
        )
    user_id = factory.user(email="h@example.org")
    with factory.app.app_context():
        from core.auth.models import User

        assert db.session.get(User, user_id).password_hash.startswith("$argon2id$")


def test_next_parameter_only_follows_local_paths(client, factory):
    enrol(factory.app, factory.user(role=Role.ADMINISTRATOR, email="adm@example.org"))
    redirect = client.get("/admin/users/")
    assert (
        redirect.status_code == 302 and "next=%2Fadmin%2Fusers%2F" in redirect.headers["Location"]
    )
    token = csrf_token(client, "/sign-in")
    data = {"email": "adm@example.org", "password": TEST_PASSWORD, "csrf_token": token}
    # the password step keeps the target for the code step, which then goes there
    code_step = client.post("/sign-in?next=/admin/users/", data=data)
    assert code_step.headers["Location"] == "/sign-in/code?next=/admin/users/"
    assert second_step(client, "adm@example.org", code_step.headers["Location"]).headers[
        "Location"
    ] == ("/admin/users/")
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    token = csrf_token(client, "/sign-in")
    data["csrf_token"] = token
    code_step = client.post("/sign-in?next=https://evil.example/", data=data)
    evil = second_step(client, "adm@example.org", code_step.headers["Location"])
    assert evil.headers["Location"] == "/"
