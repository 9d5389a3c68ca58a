"""`flask users create` and `flask agencies create` for the first administrator and scripts."""

from __future__ import annotations

import sqlalchemy as sa

from core.auth.models import Agency, User
from core.auth.roles import Role
from core.extensions import db
from tests.auth.helpers import count, log_entries, sign_in

PASSWORD = "a-strong-cli-password"


def _create_user(
    runner,
    *,
    email="pc.jones@example.org",
    agency="Northshire Police",
    role="agency_practitioner",
    password=PASSWORD,
):
    return runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            email,
            "--name",
            "PC Jones",
            "--agency",
            agency,
            "--role",
            role,
            "--password-stdin",
        ],
        input=password + "\n",
    )


def _police(runner):
    made = runner.invoke(
        args=["agencies", "create", "--name", "Northshire Police", "--type", "police"]
    )
    assert made.exit_code == 0, made.output
    return made


def test_agencies_create_makes_an_agency(app, runner):
    made = _police(runner)
    with app.app_context():
        agency = db.session.execute(
            sa.select(Agency).where(Agency.name == "Northshire Police")
        ).scalar_one()
        assert agency.type == "police" and agency.active
    assert f"Created agency {agency.id}: Northshire Police" in made.output
    [entry] = log_entries(app, action="agency.create")
    assert entry.object_id == str(agency.id) and entry.user_id is None


def test_agencies_create_refuses_an_unknown_type(app, runner):
    result = runner.invoke(
        args=["agencies", "create", "--name", "Starfleet", "--type", "spaceship"]
    )
    assert result.exit_code != 0
    assert "type: Select the type of agency" in result.stderr
    assert count(app, Agency) == 0
    assert not log_entries(app, action="agency.create")


def test_agencies_create_refuses_a_bad_code_and_a_duplicate(app, runner):
    _police(runner)
    duplicate = runner.invoke(
        args=["agencies", "create", "--name", "NORTHSHIRE POLICE", "--type", "police"]
    )
    assert duplicate.exit_code != 0
    assert "An agency with this name already exists" in duplicate.stderr
    bad_ods = runner.invoke(
        args=["agencies", "create", "--name", "Trust", "--type", "other", "--ods-code", "??"]
    )
    assert bad_ods.exit_code != 0 and "ODS code must be" in bad_ods.stderr
    assert count(app, Agency) == 1


def test_users_create_makes_a_user_who_can_sign_in(app, runner):
    _police(runner)
    result = _create_user(runner)
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    with app.app_context():
        user = db.session.execute(
            sa.select(User).where(User.email == "pc.jones@example.org")
        ).scalar_one()
        assert user.role is Role.AGENCY_PRACTITIONER and user.agency.name == "Northshire Police"
        assert user.password_hash.startswith("$argon2id$")
    assert f"Created user {user.id} (agency_practitioner)" in result.output
    assert log_entries(app, action="user.create", object_id=str(user.id))

    client = app.test_client()
    assert sign_in(client, "pc.jones@example.org", PASSWORD).status_code == 302
    assert client.get("/").status_code == 200


def test_users_create_takes_the_agency_by_id(app, runner):
    _police(runner)
    with app.app_context():
        agency_id = db.session.scalar(sa.select(Agency.id))
    result = _create_user(runner, agency=str(agency_id), role="administrator")
    assert result.exit_code == 0, result.output
    assert sign_in(app.test_client(), "pc.jones@example.org", PASSWORD).status_code == 302


def test_users_create_refuses_a_bad_role(app, runner):
    _police(runner)
    result = _create_user(runner, role="superuser")
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.stderr and "superuser" in result.stderr
    assert count(app, User) == 0


def test_users_create_refuses_an_unknown_agency(app, runner):
    result = _create_user(runner, agency="Nowhere Constabulary")
    assert result.exit_code != 0
    assert "agency: no agency called 'Nowhere Constabulary'" in result.stderr
    assert count(app, User) == 0


def test_users_create_refuses_a_short_password(app, runner):
    _police(runner)
    result = _create_user(runner, password="elevenchars")
    assert result.exit_code != 0
    assert "password: Password must be 12 characters or more" in result.stderr
    assert "elevenchars" not in result.output
    assert count(app, User) == 0
    assert sign_in(app.test_client(), "pc.jones@example.org", "elevenchars").status_code == 200


def test_users_create_refuses_a_duplicate_email(app, runner):
    _police(runner)
    assert _create_user(runner).exit_code == 0
    again = _create_user(runner, email="PC.Jones@example.org")
    assert again.exit_code != 0
    assert "A user with this email address already exists" in again.stderr
    assert count(app, User) == 1
