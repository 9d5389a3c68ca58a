"""Server-side sessions: a cookie counts only while its session is open on the server."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa

from core.auth.models import User, UserSession
from core.auth.roles import Role
from core.db import utcnow
from core.extensions import db
from core.users.operations import update_user
from tests.auth.helpers import log_entries, post_form, sign_in
from tests.conftest import TEST_PASSWORD, Auth

COOKIE = "sgh_session"


def _cookie(client) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None, "no session cookie"
    return cookie.value


def _replay(app, value):
    """Present a captured cookie from a brand-new client: what an attacker would do."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, value)
    return thief.get("/")


def _sent_to_sign_in(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def _sessions(app, user_id):
    with app.app_context():
        return list(
            db.session.execute(
                sa.select(UserSession)
                .where(UserSession.user_id == user_id)
                .order_by(UserSession.id)
            ).scalars()
        )


def _signed_in(auth, client, role=Role.SAFEGUARDING_OFFICER, **kwargs):
    user_id = auth.as_role(role, **kwargs)
    assert client.get("/").status_code == 200
    return user_id, _cookie(client)


def test_replaying_a_live_cookie_works_so_the_replay_tests_mean_something(app, auth, client):
    _, cookie = _signed_in(auth, client)
    assert _replay(app, cookie).status_code == 200


def test_cookie_replayed_after_sign_out_is_not_signed_in(app, auth, client):
    user_id, cookie = _signed_in(auth, client)
    signed_out = auth.sign_out()
    assert _sent_to_sign_in(signed_out)
    assert client.get("/").status_code == 302

    client.set_cookie(COOKIE, cookie)
    assert _sent_to_sign_in(client.get("/"))
    assert _sent_to_sign_in(_replay(app, cookie))
    [row] = _sessions(app, user_id)
    assert row.ended_at is not None and row.ended_reason == "signed_out"
    assert log_entries(app, action="sign_out", user_id=user_id)


def _disable_on_the_admin_page(app, factory, user_id):
    admin = app.test_client()
    Auth(admin, factory).as_role(Role.ADMINISTRATOR, email="admin.disabler@example.org")
    with app.app_context():
        user = db.session.get(User, user_id)
        form = {"name": user.name, "agency_id": str(user.agency_id), "role": user.role.value}
    # "active" left out: the box is unticked
    response = post_form(admin, f"/admin/users/{user_id}", form)
    assert response.status_code == 302, response.get_data(as_text=True)
    return admin


def test_cookie_replayed_after_administrator_disables_the_account(app, auth, client, factory):
    user_id, cookie = _signed_in(auth, client)
    _disable_on_the_admin_page(app, factory, user_id)

    assert _sent_to_sign_in(client.get("/"))
    assert _sent_to_sign_in(_replay(app, cookie))
    with app.app_context():
        assert db.session.get(User, user_id).active is False
    assert [row.ended_reason for row in _sessions(app, user_id)] == ["disabled"]
    assert log_entries(app, action="user.disable", object_id=str(user_id))


def test_cookie_replayed_after_update_user_disables_the_account(app, auth, client):
    user_id, cookie = _signed_in(auth, client)
    with app.app_context():
        update_user(db.session.get(User, user_id), active=False)
        db.session.commit()
    assert _sent_to_sign_in(_replay(app, cookie))
    assert [row.ended_reason for row in _sessions(app, user_id)] == ["disabled"]

    # Enabling the account again does not revive the old session: it was ended.
    with app.app_context():
        update_user(db.session.get(User, user_id), active=True)
        db.session.commit()
    assert _sent_to_sign_in(_replay(app, cookie))
    assert _sent_to_sign_in(client.get("/"))


def test_sign_in_starts_a_new_session_id(app, client, factory):
    user_id = factory.user(email="fixation@example.org")
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by someone before sign-in"
    before = _cookie(client)

    assert sign_in(client, "fixation@example.org", TEST_PASSWORD).status_code == 302
    after = _cookie(client)
    assert after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        token = session["sid"]
    # The server keeps only a hash of the session id.
    [row] = _sessions(app, user_id)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    # The cookie from before sign-in signs nobody in.
    assert _sent_to_sign_in(_replay(app, before))
    assert _replay(app, after).status_code == 200


def test_every_sign_in_gets_its_own_session(app, factory):
    user_id = factory.user(email="twice@example.org")
    first, second = app.test_client(), app.test_client()
    sign_in(first, "twice@example.org", TEST_PASSWORD)
    sign_in(second, "twice@example.org", TEST_PASSWORD)
    rows = _sessions(app, user_id)
    assert len(rows) == 2 and rows[0].token_hash != rows[1].token_hash
    assert _cookie(first) != _cookie(second)


def _idle_for(app, user_id, minutes):
    with app.app_context():
        db.session.execute(
            sa.update(UserSession)
            .where(UserSession.user_id == user_id)
            .values(last_seen_at=utcnow() - timedelta(minutes=minutes))
        )
        db.session.commit()


def test_thirty_minutes_idle_ends_the_session(app, auth, client):
    user_id, cookie = _signed_in(auth, client)
    _idle_for(app, user_id, 31)

    assert _sent_to_sign_in(client.get("/"))
    [row] = _sessions(app, user_id)
    assert row.ended_reason == "idle" and row.ended_at is not None
    assert "without activity" in client.get("/sign-in").get_data(as_text=True)
    assert _sent_to_sign_in(_replay(app, cookie))


def test_activity_within_thirty_minutes_keeps_the_session(app, auth, client):
    user_id, _ = _signed_in(auth, client)
    _idle_for(app, user_id, 29)
    assert client.get("/").status_code == 200
    [row] = _sessions(app, user_id)
    assert row.ended_at is None
    assert utcnow() - row.last_seen_at < timedelta(minutes=1)  # the request counted
    _idle_for(app, user_id, 29)
    assert client.get("/").status_code == 200


def test_administrator_signs_a_user_out_everywhere(app, auth, client, factory):
    victim_id = factory.user(role=Role.AGENCY_PRACTITIONER, email="everywhere@example.org")
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        assert sign_in(device, "everywhere@example.org", TEST_PASSWORD).status_code == 302
        assert device.get("/").status_code == 200
    admin_id = auth.as_role(Role.ADMINISTRATOR)

    page = client.get(f"/admin/users/{victim_id}").get_data(as_text=True)
    assert "Sign this user out everywhere" in page
    response = post_form(
        client, f"/admin/users/{victim_id}/end-sessions", {}, form_page=f"/admin/users/{victim_id}"
    )
    assert response.status_code == 302
    assert "Ended 2 open session(s)" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )

    assert _sent_to_sign_in(laptop.get("/"))
    assert _sent_to_sign_in(phone.get("/"))
    assert {row.ended_reason for row in _sessions(app, victim_id)} == {"ended_by_administrator"}
    [entry] = log_entries(app, action="user.end_sessions")
    assert entry.user_id == admin_id and entry.object_id == str(victim_id)
    assert client.get("/").status_code == 200  # the administrator stays signed in
    # The user can sign in again afterwards.
    assert sign_in(laptop, "everywhere@example.org", TEST_PASSWORD).status_code == 302


def test_two_sign_ins_of_one_account_at_the_same_moment_both_succeed(app, factory):
    """Signing in stamps the account without bumping its version, so a second sign-in
    that loaded the account before the first committed does not fail."""
    from core.auth.models import User
    from core.auth.sessions import start_session
    from core.extensions import db

    user_id = factory.user(role=Role.SAFEGUARDING_OFFICER, email="twice@example.org")
    with app.app_context(), app.test_request_context("/sign-in", method="POST"):
        first = db.session.get(User, user_id)
        version = first.version
        with app.app_context(), app.test_request_context("/sign-in", method="POST"):
            other = db.session.get(User, user_id)
            assert other is not first  # two requests, two database sessions
            start_session(other)
            db.session.commit()
        start_session(first)
        db.session.commit()
        db.session.expire_all()
        again = db.session.get(User, user_id)
        assert again.version == version and again.last_signed_in_at is not None


def test_a_cookie_signed_by_a_node_whose_clock_runs_ahead_still_signs_in(auth, client, clock):
    """Behind a load balancer the next request may reach a node whose clock is a moment
    behind the one that signed the cookie at the last response (docs/production.md,
    "Several nodes"); Flask alone refused such a cookie and signed the person out."""
    now = clock.now()
    clock.set(now + timedelta(seconds=5), tick=True)  # the node that signs the cookie
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    clock.set(now, tick=True)  # the node that reads it

    assert client.get("/").status_code == 200
