"""Passwords: argon2id hashes, the 12-character minimum, and disabled accounts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.auth import passwords
from core.auth.models import User, UserSession
from core.auth.passwords import hash_password, verify_password
from core.auth.roles import Role
from core.errors import ValidationFailed
from core.extensions import db
from core.users.operations import create_user, update_user
from tests.auth.helpers import (
    GENERIC_FAILURE,
    count,
    log_entries,
    post_form,
    sign_in,
    without_volatile,
)
from tests.conftest import FULL_PASSWORD_COSTS, TEST_PASSWORD


def _hash_of(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).password_hash


def test_passwords_are_stored_as_argon2id_hashes(app, factory):
    user_id = factory.user(email="hash@example.org")
    stored = _hash_of(app, user_id)
    assert stored.startswith("$argon2id$")
    assert TEST_PASSWORD not in stored


def test_full_strength_hashing_is_argon2id_and_upgrades_old_hashes(app, factory, monkeypatch):
    # A user whose hash was made with other (here: the suite's small) costs...
    user_id = factory.user(email="upgrade@example.org")
    weak = _hash_of(app, user_id)
    monkeypatch.setattr(passwords, "COSTS", FULL_PASSWORD_COSTS)
    with app.app_context():
        digest = hash_password("a-long-enough-password")
        assert digest.startswith("$argon2id$v=19$")
        params = dict(p.split("=") for p in digest.split("$")[3].split(","))
        assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2
        assert verify_password(digest, "a-long-enough-password")
        assert not verify_password(digest, "a-long-enough-passworD")

    # ... has it redone with the full costs at the next sign-in.
    assert sign_in(app.test_client(), "upgrade@example.org", TEST_PASSWORD).status_code == 302
    upgraded = _hash_of(app, user_id)
    assert upgraded != weak and upgraded.startswith("$argon2id$")
    assert upgraded.split("$")[3] == digest.split("$")[3]


def test_hashes_made_with_the_64_mib_profile_are_redone_at_the_next_sign_in(app, monkeypatch):
    """The earlier profile (RFC 9106's, 64 MiB a hash) held 64 MiB per sign-in at once."""
    from argon2 import PasswordHasher

    from core.auth.passwords import needs_rehash

    monkeypatch.setattr(passwords, "COSTS", FULL_PASSWORD_COSTS)
    with app.app_context():
        before = PasswordHasher(time_cost=3, memory_cost=64 * 1024, parallelism=4).hash("x" * 12)
        assert verify_password(before, "x" * 12)
        assert needs_rehash(before)
        assert not needs_rehash(hash_password("x" * 12))


@pytest.mark.parametrize("password", ["", "short", "elevenchars"])
def test_create_user_refuses_a_password_under_twelve_characters(app, factory, password):
    agency_id = factory.agency()
    with app.app_context():
        with pytest.raises(ValidationFailed) as failed:
            create_user(
                email="weak@example.org",
                name="Weak Password",
                agency_id=agency_id,
                role="auditor",
                password=password,
            )
        db.session.rollback()
    assert failed.value.errors == {"password": ["Password must be 12 characters or more"]}
    assert count(app, User) == 0


def test_create_user_accepts_twelve_characters(app, factory):
    agency_id = factory.agency()
    with app.app_context():
        user = create_user(
            email="Twelve@Example.org",
            name="Twelve",
            agency_id=agency_id,
            role="auditor",
            password="twelve-chars",
        )
        db.session.commit()
        assert user.email == "twelve@example.org"
    assert sign_in(app.test_client(), "twelve@example.org", "twelve-chars").status_code == 302


def test_admin_new_user_page_refuses_a_short_password(app, auth, client, factory):
    auth.as_role(Role.ADMINISTRATOR)
    agency_id = factory.agency(name="Northshire Police", type="police")
    before = count(app, User)
    response = post_form(
        client,
        "/admin/users/new",
        {
            "name": "Short Password",
            "email": "short.pw@example.org",
            "agency_id": str(agency_id),
            "role": "agency_practitioner",
            "password": "elevenchars",
            "confirm_password": "elevenchars",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert 'href="#password"' in html
    assert "Password must be 12 characters or more" in html
    assert "<title>Error:" in html
    assert "elevenchars" not in html  # the password is not sent back
    assert count(app, User) == before


def test_disabled_account_cannot_sign_in(app, client, factory):
    user_id = factory.user(email="disabled@example.org")
    with app.app_context():
        update_user(db.session.get(User, user_id), active=False)
        db.session.commit()

    response = sign_in(client, "disabled@example.org", TEST_PASSWORD)
    assert response.status_code == 200
    assert GENERIC_FAILURE in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert count(app, UserSession) == 0
    [entry] = log_entries(app, action="sign_in")
    assert entry.outcome == "denied" and entry.user_id == user_id


def test_disabled_account_with_a_wrong_password_gets_the_same_answer(app, factory):
    user_id = factory.user(email="disabled@example.org")
    with app.app_context():
        update_user(db.session.get(User, user_id), active=False)
        db.session.commit()
    right = sign_in(app.test_client(), "disabled@example.org", TEST_PASSWORD)
    wrong = sign_in(app.test_client(), "disabled@example.org", "not-the-password")
    assert right.status_code == wrong.status_code == 200
    assert GENERIC_FAILURE in right.get_data(as_text=True)
    # Nothing tells the typist that the password was right but the account is disabled.
    assert without_volatile(right.get_data(as_text=True)) == without_volatile(
        wrong.get_data(as_text=True)
    )


def test_re_enabled_account_signs_in_again(app, factory):
    user_id = factory.user(email="back@example.org")
    with app.app_context():
        user = db.session.get(User, user_id)
        update_user(user, active=False)
        db.session.commit()
        update_user(db.session.get(User, user_id), active=True)
        db.session.commit()
    assert sign_in(app.test_client(), "back@example.org", TEST_PASSWORD).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 1
