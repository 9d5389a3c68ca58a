"""Accounts: two-factor sign-in (required for administrators and board members, a used
code never taken twice), password reset by emailed single-use link, the common
passwords list, and recovery by an administrator."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from core.auth.models import PasswordReset, User
from core.auth.roles import Role
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.auth.helpers import log_entries, post_form, sign_in
from tests.conftest import TEST_PASSWORD, Auth, Factory, csrf_token
from tests.support.clock import set_now
from tests.support.totp import enrol, enrol_on_page, fresh_code

ADMIN_PAGES = ["/admin/users/", "/admin/agencies/", "/admin/access-log/", "/admin/outbox/"]


def _user(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


# -- two-factor sign-in -------------------------------------------------------------


def test_an_administrator_without_a_second_factor_reaches_only_the_enrolment_page(
    app, client, factory
):
    factory.user(role=Role.ADMINISTRATOR, email="admin@example.org")
    assert sign_in(client, "admin@example.org", TEST_PASSWORD).status_code == 302
    for path in [*ADMIN_PAGES, "/", "/account/", "/concerns/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/account/two-factor", path
    denied = log_entries(app, action="route.second_factor_missing")
    assert {entry.object_id for entry in denied} >= {"users.index", "agencies.index"}
    assert all(entry.outcome == "denied" for entry in denied)

    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "Your role needs two-factor sign-in" in page
    assert "<svg" in page and 'class="segno"' in page  # the QR code, inline
    secret = re.search(r'<code id="totp-secret"[^>]*>([A-Z2-7]+)</code>', page)[1]
    uri = re.search(r'<code id="totp-uri" class="app-break-all">([^<]+)</code>', page)[1]
    assert uri.replace("&amp;", "&") == pyotp.TOTP(secret).provisioning_uri(
        name="admin@example.org", issuer_name="Safeguarding Hub"
    )

    wrong = post_form(client, "/account/two-factor", {"code": "000000"})
    assert wrong.status_code == 200
    # issue 22: a wrong code says it was wrong
    assert "That code is wrong or has expired" in wrong.get_data(as_text=True)
    right = post_form(client, "/account/two-factor", {"code": fresh_code(secret, None)})
    assert right.status_code == 302
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 200, path
    assert log_entries(app, action="user.two_factor_enrol")


def test_board_members_need_a_second_factor_too_and_others_may_add_one(app, client, factory):
    board = app.test_client()
    factory.user(role=Role.BOARD_MEMBER, email="board@example.org")
    sign_in(board, "board@example.org", TEST_PASSWORD)
    assert board.get("/").headers["Location"] == "/account/two-factor"

    officer_id = factory.user(role=Role.SAFEGUARDING_OFFICER, email="officer@example.org")
    assert sign_in(client, "officer@example.org", TEST_PASSWORD).headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert "Set up two-factor sign-in" in client.get("/account/").get_data(as_text=True)
    enrol_on_page(client, csrf_token)
    post_form(client, "/sign-out", {}, form_page="/")
    # from now on the officer's password alone does not sign in
    first = post_form(
        client, "/sign-in", {"email": "officer@example.org", "password": TEST_PASSWORD}
    )
    assert first.headers["Location"] == "/sign-in/code"
    assert client.get("/").status_code == 302  # not signed in before the code
    code = fresh_code(_user(app, officer_id).totp_secret, _user(app, officer_id).totp_last_step)
    assert post_form(client, "/sign-in/code", {"code": code}).headers["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_replayed_code_is_refused(app, client, factory):
    user_id = factory.user(role=Role.ADMINISTRATOR, email="admin@example.org")
    secret = enrol(app, user_id)
    data = {"email": "admin@example.org", "password": TEST_PASSWORD}
    post_form(client, "/sign-in", data)
    code = fresh_code(secret, _user(app, user_id).totp_last_step)
    assert post_form(client, "/sign-in/code", {"code": code}).headers["Location"] == "/"
    post_form(client, "/sign-out", {}, form_page="/")

    # the same code again, with the right password: refused
    post_form(client, "/sign-in", data)
    replayed = post_form(client, "/sign-in/code", {"code": code})
    assert replayed.status_code == 200
    assert "That code is wrong or has expired" in replayed.get_data(as_text=True)
    assert client.get("/admin/users/").status_code == 302
    [refusal] = log_entries(app, action="sign_in.second_factor")
    assert (refusal.outcome, refusal.user_id) == ("denied", user_id)
    # and an older code than the one used is refused as well
    totp = pyotp.TOTP(secret)
    older = totp.generate_otp(_user(app, user_id).totp_last_step - 1)
    assert post_form(client, "/sign-in/code", {"code": older}).status_code == 200
    # a fresh one works
    fresh = fresh_code(secret, _user(app, user_id).totp_last_step)
    assert post_form(client, "/sign-in/code", {"code": fresh}).status_code == 302
    assert client.get("/admin/users/").status_code == 200


def test_the_code_step_needs_the_password_step_first(client):
    response = client.post("/sign-in/code", data={"code": "123456"})
    assert response.status_code in (302, 400)
    assert client.get("/sign-in/code").headers["Location"].startswith("/sign-in")


def test_an_administrator_resets_a_lost_second_factor(app, client, auth, factory):
    auth.as_role(Role.ADMINISTRATOR)
    victim_id = factory.user(role=Role.BOARD_MEMBER, email="board@example.org")
    enrol(app, victim_id)
    board = app.test_client()
    assert sign_in(board, "board@example.org", TEST_PASSWORD).headers["Location"] == "/"
    assert board.get("/").status_code == 200

    page = client.get(f"/admin/users/{victim_id}").get_data(as_text=True)
    assert "Reset two-factor sign-in" in page
    reset = post_form(
        client,
        f"/admin/users/{victim_id}/reset-two-factor",
        {},
        form_page=f"/admin/users/{victim_id}",
    )
    assert reset.status_code == 302
    victim = _user(app, victim_id)
    assert (victim.totp_secret, victim.totp_enabled_at, victim.totp_last_step) == (None,) * 3
    # their sessions ended; at the next sign-in they set up a new second factor
    assert board.get("/").status_code == 302
    assert sign_in(board, "board@example.org", TEST_PASSWORD).headers["Location"] == "/"
    assert board.get("/").headers["Location"] == "/account/two-factor"
    [entry] = log_entries(app, action="user.two_factor_reset")
    assert entry.object_id == str(victim_id)


def test_the_last_administrator_recovers_from_the_command_line(app, runner, factory):
    user_id = factory.user(role=Role.ADMINISTRATOR, email="only-admin@example.org")
    enrol(app, user_id)
    result = runner.invoke(args=["users", "reset-two-factor", "--email", "only-admin@example.org"])
    assert result.exit_code == 0, result.output
    assert _user(app, user_id).totp_enabled_at is None
    assert log_entries(app, action="user.two_factor_reset")
    unknown = runner.invoke(args=["users", "reset-two-factor", "--email", "no@example.org"])
    assert unknown.exit_code == 2


def test_privileged_tokens_need_a_second_factor(app, runner, factory):
    admin_id = factory.user(role=Role.ADMINISTRATOR, email="admin@example.org")
    result = runner.invoke(
        args=["tokens", "create", "--email", "admin@example.org", "--name", "Case system"]
    )
    assert result.exit_code == 2
    assert "must set up two-factor sign-in" in result.output
    with app.app_context(), pytest.raises(ValidationFailed):
        from core.users.operations import create_token

        create_token(db.session.get(User, admin_id), "Case system", 30)

    # practitioners' tokens work as before, without a second factor
    practitioner = factory.user(role=Role.AGENCY_PRACTITIONER, email="police@example.org")
    api = ApiClient(app.test_client(), make_token(app, practitioner))
    assert api.get("/api/v1/me").status_code == 200

    # an administrator's token works once the second factor is there, and stops when an
    # administrator resets it
    token = make_token(app, admin_id)
    api = ApiClient(app.test_client(), token)
    assert api.get("/api/v1/users/").status_code == 200
    with app.app_context():
        from core.auth import twofactor

        twofactor.reset(db.session.get(User, admin_id))
        db.session.commit()
    refused = api.get("/api/v1/users/")
    assert refused.status_code == 403
    assert refused.content_type == "application/problem+json"


def test_auth_helper_signs_administrators_in_with_real_codes(app, auth):
    user_id = auth.as_role(Role.ADMINISTRATOR)
    user = _user(app, user_id)
    assert user.totp_enabled_at is not None and user.totp_last_step is not None
    assert auth.client.get("/admin/users/").status_code == 200


# -- password reset -----------------------------------------------------------------


def _ask_for_link(client, email):
    """Ask for a link. The email leaves once the answer is sent, when the server closes
    the response (as every WSGI server does; the test client leaves that to us)."""
    response = post_form(client, "/password/forgotten", {"email": email})
    response.get_data()
    response.close()
    return response


def _link_in(message):
    body = message.get_content()
    return re.search(r"https://hub\.example\.org(/password/reset/\S+)", body)[1]


@pytest.fixture
def mail_app(app_factory, smtp_server):
    return app_factory(PUBLIC_URL="https://hub.example.org", **smtp_server.settings())


def test_a_reset_link_is_emailed_works_once_and_ends_sessions(mail_app, smtp_server):
    app = mail_app
    factory = Factory(app)
    user_id = factory.user(role=Role.SAFEGUARDING_OFFICER, email="jo@example.org")
    signed_in = app.test_client()
    sign_in(signed_in, "jo@example.org", TEST_PASSWORD)
    assert signed_in.get("/").status_code == 200
    token_secret = make_token(app, user_id)
    bearer = {"Authorization": f"Bearer {token_secret}"}
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 200

    client = app.test_client()
    sent = _ask_for_link(client, "Jo@Example.org")
    assert sent.status_code == 200
    assert "If an account uses that address" in sent.get_data(as_text=True)
    [message] = smtp_server.mailbox.to("jo@example.org")
    assert message["Subject"] == "Reset your Safeguarding Hub password"
    path = _link_in(message)  # under PUBLIC_URL, whatever Host the request carried
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        [reset] = db.session.scalars(sa.select(PasswordReset)).all()
        assert token not in (reset.token_hash, "") and len(reset.token_hash) == 64
        assert reset.expires_at - reset.created_at == timedelta(minutes=30)

    # administrators reading the outbox never see the link
    admin = Auth(app.test_client(), factory)
    admin.as_role(Role.ADMINISTRATOR)
    with app.app_context():
        from core.mail.models import OutboxMessage

        message_id = db.session.scalars(sa.select(OutboxMessage.id)).one()
    outbox_page = admin.client.get(f"/admin/outbox/{message_id}").get_data(as_text=True)
    assert "Not shown: it holds a single-use password reset link" in outbox_page
    assert token not in outbox_page

    assert "revokes every\n      API token" in client.get(path).get_data(as_text=True)
    short = post_form(client, path, {"password": "short", "confirm_password": "short"})
    assert "Password must be 12 characters or more" in short.get_data(as_text=True)
    common = post_form(
        client, path, {"password": "qwerty123456", "confirm_password": "qwerty123456"}
    )
    assert "one of the most common" in common.get_data(as_text=True)
    new = "a-fresh-long-password"
    done = post_form(client, path, {"password": new, "confirm_password": new})
    assert done.status_code == 302 and done.headers["Location"] == "/sign-in"
    assert signed_in.get("/").status_code == 302  # every session ended
    assert app.test_client().get("/api/v1/me", headers=bearer).status_code == 401  # and tokens
    signed_out = client.get("/sign-in").get_data(as_text=True)
    assert "your API tokens revoked" in signed_out
    assert client.get(path).status_code == 404  # used up
    assert sign_in(app.test_client(), "jo@example.org", TEST_PASSWORD).status_code == 200
    assert sign_in(app.test_client(), "jo@example.org", new).status_code == 302
    actions = [entry.action for entry in log_entries(app, object_id=str(user_id))]
    assert "password_reset.request" in actions and "password_reset.complete" in actions


def test_an_unknown_address_gets_the_same_answer_and_no_email(mail_app, smtp_server):
    app = mail_app
    Factory(app).user(email="known@example.org")
    known = _ask_for_link(app.test_client(), "known@example.org").get_data(as_text=True)
    unknown = _ask_for_link(app.test_client(), "nobody@example.org").get_data(as_text=True)

    def visible(html):
        return re.sub(r'nonce="[^"]*"|nonce-[^\']+', "", html)

    assert visible(known) == visible(unknown)
    assert smtp_server.mailbox.to("nobody@example.org") == []
    assert len(smtp_server.mailbox.received) == 1


def test_a_reset_link_expires_after_30_minutes_and_a_newer_one_replaces_it(mail_app, smtp_server):
    app = mail_app
    Factory(app).user(email="jo@example.org")
    client = app.test_client()
    _ask_for_link(client, "jo@example.org")
    _ask_for_link(client, "jo@example.org")
    first, second = (_link_in(m) for m in smtp_server.mailbox.to("jo@example.org"))
    assert client.get(first).status_code == 404  # replaced by the newer link
    assert client.get(second).status_code == 200
    set_now(utcnow() + timedelta(minutes=31))
    assert client.get(second).status_code == 404
    new = "a-fresh-long-password"
    assert (
        post_form(
            client, second, {"password": new, "confirm_password": new}, form_page="/sign-in"
        ).status_code
        == 404
    )


# -- passwords ------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["qwerty123456", "Q1W2E3R4T5Y6", "1qaz2wsx3edc "])
def test_common_passwords_are_refused_whatever_their_case(app, password):
    from core.users.operations import create_user

    agency_id = Factory(app).agency()
    with app.app_context(), pytest.raises(ValidationFailed) as failed:
        create_user(
            email="new@example.org",
            name="New Person",
            agency_id=agency_id,
            role="auditor",
            password=password,
        )
    assert failed.value.errors["password"] == [
        "This password is one of the most common: choose one that is harder to guess"
    ]


def test_the_shipped_list_holds_the_most_common_passwords(app):
    from core.auth.passwords import COMMON_PASSWORDS_FILE, common_passwords

    assert COMMON_PASSWORDS_FILE.name == "common-passwords.txt"
    listed = common_passwords()
    assert len(listed) > 19000
    assert {"123456", "password", "qwerty", "qwerty123456"} <= listed
    assert TEST_PASSWORD not in listed


def test_an_administrator_ends_all_of_a_users_sessions(app, auth, factory):
    auth.as_role(Role.ADMINISTRATOR)
    victim_id = factory.user(email="victim@example.org")
    phones = [app.test_client() for _ in range(2)]
    for phone in phones:
        sign_in(phone, "victim@example.org", TEST_PASSWORD)
        assert phone.get("/").status_code == 200
    ended = post_form(
        auth.client,
        f"/admin/users/{victim_id}/end-sessions",
        {},
        form_page=f"/admin/users/{victim_id}",
    )
    assert ended.status_code == 302
    assert all(phone.get("/").status_code == 302 for phone in phones)
