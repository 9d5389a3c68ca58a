from __future__ import annotations

import threading

import sqlalchemy as sa
from flask import Blueprint as FlaskBlueprint

from core.accesslog.models import AccessLogEntry
from core.auth.models import Agency
from core.auth.roles import Role
from core.extensions import db
from plugins import hookimpl, requires
from tests.api.conftest import ApiClient, make_token


def _agency(api, name="Northshire Police", type="police"):
    response = api.post("/api/v1/agencies/", json={"name": name, "type": type})
    assert response.status_code == 201, response.json
    return response


def test_create_returns_201_with_id_and_location(api_as):
    api = api_as(Role.ADMINISTRATOR)
    response = _agency(api)
    body = response.json
    assert body["id"] > 0 and body["name"] == "Northshire Police"
    assert response.headers["Location"] == f"/api/v1/agencies/{body['id']}"
    assert api.get(response.headers["Location"]).json == body


def test_concurrent_patches_with_one_etag_one_wins(api_as):
    api = api_as(Role.ADMINISTRATOR)
    location = _agency(api).headers["Location"]
    etag = api.get(location).headers["ETag"]
    first = api.patch(
        location, json={"name": "Northshire Constabulary"}, headers={"If-Match": etag}
    )
    second = api.patch(location, json={"name": "Other name"}, headers={"If-Match": etag})
    assert first.status_code == 200 and second.status_code == 412
    assert second.mimetype == "application/problem+json"
    assert api.get(location).json["name"] == "Northshire Constabulary"
    assert first.headers["ETag"] != etag
    assert api.patch(location, json={"name": "x"}).status_code == 428


def test_racing_updates_are_settled_by_the_database(app, api_as):
    """Both writers checked If-Match against version 1; the database lets only one through."""
    from sqlalchemy.orm import Session
    from sqlalchemy.orm.exc import StaleDataError

    api = api_as(Role.ADMINISTRATOR)
    agency_id = _agency(api).json["id"]
    with app.app_context(), Session(db.engine) as first, Session(db.engine) as second:
        mine = first.get(Agency, agency_id)
        theirs = second.get(Agency, agency_id)
        assert mine.version == theirs.version
        theirs.name = "Won the race"
        second.commit()
        mine.name = "Lost the race"
        try:
            first.commit()
        except StaleDataError:
            first.rollback()
        else:
            raise AssertionError("the second writer overwrote the first")
    assert api.get(f"/api/v1/agencies/{agency_id}").json["name"] == "Won the race"


def test_idempotency_key_replays_and_creates_nothing_new(app, api_as):
    api = api_as(Role.ADMINISTRATOR)
    body = {"name": "Riverside Nursing Homes", "type": "care_provider"}
    first = api.post("/api/v1/agencies/", json=body, headers={"Idempotency-Key": "abc-1"})
    again = api.post("/api/v1/agencies/", json=body, headers={"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert first.json == again.json
    assert again.headers["Location"] == first.headers["Location"]
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Agency))
    assert count == 2  # the admin's own agency and this one

    different = api.post(
        "/api/v1/agencies/", json=body | {"name": "Other"}, headers={"Idempotency-Key": "abc-1"}
    )
    assert different.status_code == 422
    assert "Idempotency-Key" in different.json["errors"]


def test_idempotency_keys_are_per_user(api_as):
    one = api_as(Role.ADMINISTRATOR)
    two = api_as(Role.ADMINISTRATOR)
    a = one.post(
        "/api/v1/agencies/", json={"name": "A", "type": "other"}, headers={"Idempotency-Key": "k"}
    )
    b = two.post(
        "/api/v1/agencies/", json={"name": "B", "type": "other"}, headers={"Idempotency-Key": "k"}
    )
    assert a.status_code == b.status_code == 201 and a.json["id"] != b.json["id"]


def test_failed_create_keeps_no_key_so_a_corrected_retry_works(api_as):
    api = api_as(Role.ADMINISTRATOR)
    bad = api.post(
        "/api/v1/agencies/", json={"name": "X", "type": "nope"}, headers={"Idempotency-Key": "k2"}
    )
    assert bad.status_code == 422
    good = api.post(
        "/api/v1/agencies/", json={"name": "X", "type": "other"}, headers={"Idempotency-Key": "k2"}
    )
    assert good.status_code == 201


class SlowCreatePlugin:
    """A create endpoint that waits for the test, to hold a request in flight."""

    started = threading.Event()
    release = threading.Event()

    @hookimpl
    def register_api_blueprints(self, api) -> list[FlaskBlueprint]:  # type: ignore[no-untyped-def]
        blp = api.Blueprint("slow_api", __name__, url_prefix="/slow")

        @blp.route("/", methods=["POST"])
        @requires("agencies.manage")
        @api.idempotent
        def create_slowly():  # type: ignore[no-untyped-def]
            SlowCreatePlugin.started.set()
            SlowCreatePlugin.release.wait(10)
            return {"done": True}, 201

        return [blp]


def test_retry_while_first_is_running_gets_409(app_factory, factory):
    plugin = SlowCreatePlugin()
    app = app_factory(EXTRA_PLUGINS=[plugin])
    user_id = factory.__class__(app).user(role=Role.ADMINISTRATOR)
    token = make_token(app, user_id)
    headers = {"Idempotency-Key": "slow-1"}
    results = {}

    def first_request():
        results["first"] = ApiClient(app.test_client(), token).post(
            "/api/v1/slow/", json={}, headers=headers
        )

    thread = threading.Thread(target=first_request)
    thread.start()
    try:
        assert SlowCreatePlugin.started.wait(10)
        retry = ApiClient(app.test_client(), token).post("/api/v1/slow/", json={}, headers=headers)
        assert retry.status_code == 409
        assert retry.mimetype == "application/problem+json"
    finally:
        SlowCreatePlugin.release.set()
        thread.join(10)
    assert results["first"].status_code == 201
    replay = ApiClient(app.test_client(), token).post("/api/v1/slow/", json={}, headers=headers)
    assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"


def test_unknown_field_is_422_naming_it(api_as):
    api = api_as(Role.ADMINISTRATOR)
    response = api.post("/api/v1/agencies/", json={"name": "A", "type": "other", "colour": "red"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"] == {"colour": ["Unknown field."]}
    assert {"type", "title", "status", "detail"} <= set(response.json)


def test_wrong_content_type_is_415(api_as):
    api = api_as(Role.ADMINISTRATOR)
    response = api.client.post(
        "/api/v1/agencies/", data="name=A", headers=api.headers({"Content-Type": "text/plain"})
    )
    assert response.status_code == 415
    assert response.json["status"] == 415


def test_operation_validation_messages_come_back_as_422(api_as):
    api = api_as(Role.ADMINISTRATOR)
    response = api.post(
        "/api/v1/agencies/", json={"name": "NHS", "type": "nhs_trust", "ods_code": "??"}
    )
    assert response.status_code == 422
    assert response.json["errors"]["ods_code"] == [
        "ODS code must be 3 to 5 letters or digits, like RX1 or RX1AB"
    ]


def test_nobody_changes_their_own_role(api_as):
    admin = api_as(Role.ADMINISTRATOR)
    me = admin.get("/api/v1/me")
    refused = admin.patch(
        "/api/v1/me", json={"role": "auditor"}, headers={"If-Match": me.headers["ETag"]}
    )
    assert refused.status_code == 422 and "role" in refused.json["errors"]
    own = admin.get(f"/api/v1/users/{admin.user_id}")
    refused = admin.patch(
        f"/api/v1/users/{admin.user_id}",
        json={"role": "auditor"},
        headers={"If-Match": own.headers["ETag"]},
    )
    assert refused.status_code == 422
    assert refused.json["errors"]["role"] == ["You cannot change your own role"]
    assert admin.get("/api/v1/me").json["role"] == "administrator"


def test_practitioner_cannot_write_agencies_and_it_is_logged(app, api_as):
    api = api_as(Role.AGENCY_PRACTITIONER)
    assert api.get("/api/v1/agencies/").status_code == 200
    response = api.post("/api/v1/agencies/", json={"name": "Mine", "type": "other"})
    assert response.status_code == 403
    assert api.get("/api/v1/users/").status_code == 403
    with app.app_context():
        denied = (
            db.session.execute(sa.select(AccessLogEntry).where(AccessLogEntry.outcome == "denied"))
            .scalars()
            .all()
        )
    assert {row.object_id for row in denied} >= {
        "agencies_api.create_agency",
        "users_api.list_users",
    }
    assert all(row.user_id == api.user_id for row in denied)


def test_missing_record_is_404_problem(api_as):
    api = api_as(Role.ADMINISTRATOR)
    response = api.get("/api/v1/agencies/999999")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_lists_page_and_filter(api_as):
    api = api_as(Role.ADMINISTRATOR)
    for index in range(5):
        _agency(api, name=f"Care provider {index}", type="care_provider")
    page = api.get("/api/v1/agencies/?type=care_provider&page_size=2&page=2").json
    assert page["total"] == 5 and page["page"] == 2 and page["page_size"] == 2
    assert [item["name"] for item in page["items"]] == ["Care provider 2", "Care provider 3"]
    too_big = api.get("/api/v1/agencies/?page_size=1000")
    assert too_big.status_code == 422 and "page_size" in too_big.json["errors"]


def test_users_api_creates_and_never_returns_password(api_as, client):
    admin = api_as(Role.ADMINISTRATOR)
    agency_id = _agency(admin).json["id"]
    body = {
        "email": "New.Person@Example.org",
        "name": "New Person",
        "agency_id": agency_id,
        "role": "agency_practitioner",
        "password": "a-long-enough-password",
    }
    created = admin.post("/api/v1/users/", json=body)
    assert created.status_code == 201, created.json
    assert "password" not in created.json and "password_hash" not in created.json
    assert created.json["email"] == "new.person@example.org"
    short = admin.post(
        "/api/v1/users/", json=body | {"email": "b@example.org", "password": "short"}
    )
    assert short.status_code == 422
    assert short.json["errors"]["password"] == ["Password must be 12 characters or more"]
