"""Administrators manage agencies and users on the pages and from the command line."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.auth.models import Agency, User
from core.auth.roles import Role
from core.extensions import db
from tests.conftest import TEST_PASSWORD, Auth, Factory, csrf_token


def _count(app, model):
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_agency_form_shows_each_problem_and_saves_nothing(app, auth, client, factory):
    auth.as_role(Role.ADMINISTRATOR)
    factory.agency(name="Northshire Police", type="police")
    before = _count(app, Agency)
    token = csrf_token(client, "/admin/agencies/new")
    page = client.post(
        "/admin/agencies/new",
        data={
            "csrf_token": token,
            "name": "northshire police",
            "type": "police",
            "ods_code": "??",
            "cqc_code": "123",
        },
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "There is a problem" in html and "govuk-error-summary" in html
    assert "An agency with this name already exists" in html
    assert "ODS code must be 3 to 5 letters or digits" in html
    assert "CQC id must be 1- followed by digits" in html
    assert _count(app, Agency) == before


def test_administrator_creates_and_edits_an_agency(app, auth, client):
    auth.as_role(Role.ADMINISTRATOR)
    token = csrf_token(client, "/admin/agencies/new")
    created = client.post(
        "/admin/agencies/new",
        data={
            "csrf_token": token,
            "name": "Riverside Nursing Homes",
            "type": "care_provider",
            "cqc_code": "1-123456789",
            "active": "y",
        },
    )
    assert created.status_code == 302
    with app.app_context():
        agency = db.session.execute(
            sa.select(Agency).where(Agency.name == "Riverside Nursing Homes")
        ).scalar_one()
        agency_id = agency.id
        assert agency.type == "care_provider" and agency.cqc_code == "1-123456789"
    token = csrf_token(client, f"/admin/agencies/{agency_id}")
    client.post(
        f"/admin/agencies/{agency_id}",
        data={
            "csrf_token": token,
            "name": "Riverside Nursing Homes",
            "type": "care_provider",
            "cqc_code": "1-123456789",
        },
    )
    with app.app_context():
        assert db.session.get(Agency, agency_id).active is False
        actions = (
            db.session.execute(
                sa.select(AccessLogEntry.action).where(AccessLogEntry.object_type == "agency")
            )
            .scalars()
            .all()
        )
    assert "agency.create" in actions and "agency.update" in actions
    listing = client.get("/admin/agencies/").get_data(as_text=True)
    assert "Riverside Nursing Homes" in listing and "Inactive" in listing


def test_administrator_creates_a_user_who_can_sign_in(app, auth, client, factory):
    auth.as_role(Role.ADMINISTRATOR)
    agency_id = factory.agency(name="Northshire Police", type="police")
    token = csrf_token(client, "/admin/users/new")
    form = {
        "csrf_token": token,
        "name": "Sam Patel",
        "email": "sam@example.org",
        "agency_id": str(agency_id),
        "role": "agency_practitioner",
        "password": "short",
        "confirm_password": "short",
    }
    refused = client.post("/admin/users/new", data=form).get_data(as_text=True)
    assert "Password must be 12 characters or more" in refused
    assert _count(app, User) == 1
    form |= {"password": "a-long-password-1", "confirm_password": "a-long-password-1"}
    assert client.post("/admin/users/new", data=form).status_code == 302
    other = app.test_client()
    assert (
        Auth(other, Factory(app)).sign_in("sam@example.org", "a-long-password-1").status_code == 302
    )
    duplicate = client.post("/admin/users/new", data=form | {"csrf_token": token})
    assert "A user with this email address already exists" in duplicate.get_data(as_text=True)


def test_end_all_sessions_signs_the_user_out(app, auth, client, factory):
    victim_client = app.test_client()
    victim_auth = Auth(victim_client, factory)
    victim_id = victim_auth.as_role(Role.SAFEGUARDING_OFFICER, email="v@example.org")
    assert victim_client.get("/").status_code == 200
    auth.as_role(Role.ADMINISTRATOR)
    token = csrf_token(client, f"/admin/users/{victim_id}")
    assert (
        client.post(
            f"/admin/users/{victim_id}/end-sessions", data={"csrf_token": token}
        ).status_code
        == 302
    )
    assert victim_client.get("/").status_code == 302


def test_nobody_disables_themselves_on_the_page(app, auth, client):
    admin_id = auth.as_role(Role.ADMINISTRATOR)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        form = {"name": admin.name, "agency_id": str(admin.agency_id), "role": "administrator"}
    form["csrf_token"] = csrf_token(client, f"/admin/users/{admin_id}")
    page = client.post(f"/admin/users/{admin_id}", data=form)
    assert "You cannot disable your own account" in page.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_cli_creates_users_and_agencies(app, runner):
    made = runner.invoke(
        args=["agencies", "create", "--name", "Northshire Police", "--type", "police"]
    )
    assert made.exit_code == 0, made.output
    bad_type = runner.invoke(args=["agencies", "create", "--name", "X", "--type", "spaceship"])
    assert bad_type.exit_code != 0 and "Select the type of agency" in bad_type.output
    args = [
        "users",
        "create",
        "--email",
        "pc@example.org",
        "--name",
        "PC Jones",
        "--agency",
        "Northshire Police",
        "--role",
        "agency_practitioner",
        "--password-stdin",
    ]
    created = runner.invoke(args=args, input=TEST_PASSWORD + "\n")
    assert created.exit_code == 0, created.output
    assert TEST_PASSWORD not in created.output
    client = app.test_client()
    assert Auth(client, Factory(app)).sign_in("pc@example.org").status_code == 302
    short = runner.invoke(args=[*args[:3], "other@example.org", *args[4:]], input="short\n")
    assert short.exit_code != 0 and "12 characters" in short.output
    unknown = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "z@example.org",
            "--name",
            "Z",
            "--agency",
            "Nowhere",
            "--role",
            "auditor",
            "--password-stdin",
        ],
        input=TEST_PASSWORD + "\n",
    )
    assert unknown.exit_code != 0 and "no agency" in unknown.output


def _wrong_passwords_through_both(first, second) -> list[int]:
    """Eleven wrong passwords for one account, sent through two apps in turn (as two
    workers would take them): the status of each answer."""
    email = f"redis-{uuid.uuid4().hex}@example.org"
    Factory(first).user(email=email)
    clients = [first.test_client(), second.test_client()]
    statuses = []
    for attempt in range(11):
        client = clients[attempt % 2]
        token = csrf_token(client, "/sign-in")
        statuses.append(
            client.post(
                "/sign-in",
                data={"email": email, "password": "wrong-password-xx", "csrf_token": token},
            ).status_code
        )
    return statuses


def test_sign_in_limits_work_on_shared_redis_storage(app_factory):
    """Several workers share their counts through Redis (RATELIMIT_STORAGE_URI)."""
    first = app_factory(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15")
    second = app_factory(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15")
    statuses = _wrong_passwords_through_both(first, second)
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_a_configured_redis_is_where_limits_count_by_default(app_factory):
    """With REDIS_URL set and no RATELIMIT_STORAGE_URI, two processes' apps share one
    count: 10 wrong passwords in all, not 10 each."""
    first = app_factory(REDIS_URL="redis://127.0.0.1:6379/14", RATELIMIT_STORAGE_URI=None)
    second = app_factory(REDIS_URL="redis://127.0.0.1:6379/14", RATELIMIT_STORAGE_URI=None)
    assert first.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/14"
    statuses = _wrong_passwords_through_both(first, second)
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_without_redis_limits_count_in_memory(app_factory):
    app = app_factory(REDIS_URL=None, RATELIMIT_STORAGE_URI=None)
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
