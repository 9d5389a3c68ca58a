"""Administrators list, create and change user accounts on the pages."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.auth.models import User
from core.auth.roles import Role
from core.extensions import db
from tests.auth.helpers import count, log_entries, post_form, row_text, sign_in
from tests.conftest import csrf_token
from tests.support.totp import enrol_on_page

NEW_PASSWORD = "a-long-new-password"


def _user(app, email):
    with app.app_context():
        return db.session.execute(sa.select(User).where(User.email == email)).scalar_one_or_none()


def _new_user_form(agency, **changes):
    return {
        "name": "Sam Patel",
        "email": "sam.patel@example.org",
        "agency_id": str(agency),
        "role": "agency_practitioner",
        "password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    } | changes


def test_user_list_shows_every_user(app, auth, client, factory):
    auth.as_role(Role.ADMINISTRATOR)
    police = factory.agency(name="Northshire Police", type="police")
    user_id = factory.user(
        role=Role.AGENCY_PRACTITIONER, email="pc.jones@example.org", agency_id=police
    )
    response = client.get("/admin/users/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "pc.jones@example.org" in html and "Northshire Police" in html
    assert "Agency practitioner" in html
    assert f'href="/admin/users/{user_id}"' in html
    assert log_entries(app, action="user.list")


def test_administrator_creates_a_user_who_can_sign_in(app, auth, client, factory):
    admin_id = auth.as_role(Role.ADMINISTRATOR)
    police = factory.agency(name="Northshire Police", type="police")
    response = post_form(
        client, "/admin/users/new", _new_user_form(police, email="Sam.Patel@Example.org")
    )
    assert response.status_code == 302
    user = _user(app, "sam.patel@example.org")
    assert user is not None
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    assert user.role is Role.AGENCY_PRACTITIONER and user.agency_id == police and user.active
    assert user.password_hash.startswith("$argon2id$")
    [entry] = log_entries(app, action="user.create", user_id=admin_id)
    assert entry.object_id == str(user.id) and entry.outcome == "allowed"
    assert "sam" not in row_text(entry).lower()

    new_client = app.test_client()
    assert sign_in(new_client, "sam.patel@example.org", NEW_PASSWORD).status_code == 302
    assert new_client.get("/").status_code == 200


INVALID = [
    pytest.param(
        {"email": "EXISTING@example.org"},
        "email",
        "A user with this email address already exists",
        id="duplicate-email",
    ),
    pytest.param(
        {"email": "not-an-email"},
        "email",
        "Enter an email address in the correct format",
        id="bad-email",
    ),
    pytest.param({"name": ""}, "name", "Enter the person", id="no-name"),
    pytest.param({"agency_id": "0"}, "agency_id", "Select the user", id="no-agency"),
    pytest.param(
        {"confirm_password": "a-different-password"},
        "confirm_password",
        "Passwords must match",
        id="passwords-differ",
    ),
    pytest.param(
        {"password": "short-pw", "confirm_password": "short-pw"},
        "password",
        "Password must be 12 characters or more",
        id="short-password",
    ),
    pytest.param(
        {"complaints_officer": "y"},
        "complaints_officer",
        "Only the council&#39;s own staff can be the complaints officer",
        id="partner-complaints-officer",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), INVALID)
def test_new_user_form_refuses_bad_input_and_saves_nothing(
    app, auth, client, factory, changes, field, message
):
    auth.as_role(Role.ADMINISTRATOR)
    police = factory.agency(name="Northshire Police", type="police")
    factory.user(email="existing@example.org", agency_id=police)
    users_before = count(app, User)
    creates_before = len(log_entries(app, action="user.create"))

    response = post_form(client, "/admin/users/new", _new_user_form(police, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert f'href="#{field}"' in html
    assert message in html
    assert count(app, User) == users_before
    assert len(log_entries(app, action="user.create")) == creates_before


def test_administrator_edits_a_user_and_the_change_applies_at_once(app, auth, client, factory):
    admin_id = auth.as_role(Role.ADMINISTRATOR)
    housing = factory.agency(name="Riverside Housing", type="housing")
    user_id = factory.user(role=Role.AUDITOR, email="promoted@example.org")
    colleague = app.test_client()
    assert sign_in(colleague, "promoted@example.org", "correct-horse-battery").status_code == 302
    assert colleague.get("/admin/users/").status_code == 403

    assert client.get(f"/admin/users/{user_id}").status_code == 200
    assert log_entries(app, action="user.view", object_id=str(user_id))
    response = post_form(
        client,
        f"/admin/users/{user_id}",
        {
            "name": "Promoted Person",
            "agency_id": str(housing),
            "role": "administrator",
            "active": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert (user.name, user.agency_id, user.role, user.active) == (
            "Promoted Person",
            housing,
            Role.ADMINISTRATOR,
            True,
        )
    [entry] = log_entries(app, action="user.update")
    assert entry.user_id == admin_id and entry.object_id == str(user_id)
    assert not log_entries(app, action="user.disable")
    # The role is read on every request: no need to sign in again, but a new administrator
    # must set up a second factor before any administration page opens.
    assert colleague.get("/admin/users/").headers["Location"] == "/account/two-factor"
    enrol_on_page(colleague, csrf_token)
    assert colleague.get("/admin/users/").status_code == 200


def test_edit_user_form_refuses_bad_input_and_saves_nothing(app, auth, client, factory):
    auth.as_role(Role.ADMINISTRATOR)
    user_id = factory.user(role=Role.AUDITOR, email="kept@example.org")
    with app.app_context():
        before = db.session.get(User, user_id)
        agency_id, name = before.agency_id, before.name
    response = post_form(
        client,
        f"/admin/users/{user_id}",
        {"name": "", "agency_id": str(agency_id), "role": "board_member"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and "Enter the person" in html
    with app.app_context():
        after = db.session.get(User, user_id)
        assert (after.name, after.role, after.active) == (name, Role.AUDITOR, True)
    assert not log_entries(app, action="user.update")


def test_disabling_a_user_on_the_page_is_logged(app, auth, client, factory):
    admin_id = auth.as_role(Role.ADMINISTRATOR)
    user_id = factory.user(role=Role.BOARD_MEMBER, email="leaver@example.org")
    with app.app_context():
        user = db.session.get(User, user_id)
        form = {"name": user.name, "agency_id": str(user.agency_id), "role": "board_member"}
    assert post_form(client, f"/admin/users/{user_id}", form).status_code == 302
    assert "Disabled" in client.get("/admin/users/").get_data(as_text=True)
    actions = [e.action for e in log_entries(app, object_id=str(user_id), user_id=admin_id)]
    assert "user.update" in actions and "user.disable" in actions
    assert (
        sign_in(app.test_client(), "leaver@example.org", "correct-horse-battery").status_code == 200
    )


def test_unknown_user_is_404(auth, client):
    auth.as_role(Role.ADMINISTRATOR)
    assert client.get("/admin/users/999999").status_code == 404
