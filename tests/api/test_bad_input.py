"""Input an outside review found answered with 500: each is now a clear 4xx with the
reason (problem details in the API, the GOV.UK error summary on pages) and nothing
saved."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.auth.roles import Role
from core.concerns.models import Concern
from core.extensions import db
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, record_concern
from tests.plans.helpers import child_with_conference


def _concerns(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Concern))


@pytest.mark.parametrize("depth", [33, 900, 100_000])
def test_a_deeply_nested_body_is_400(app, api_as, depth):
    api = api_as(Role.SAFEGUARDING_OFFICER)
    body = "[" * depth + "]" * depth
    response = api.client.post(
        "/api/v1/concerns/", data=body, headers=api.headers({"Content-Type": "application/json"})
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert _concerns(app) == 0


def test_nesting_within_the_limit_reaches_the_schema(api_as):
    api = api_as(Role.SAFEGUARDING_OFFICER)
    body = concern_body(person={"given_name": [[[[["x"]]]]]})
    response = api.post("/api/v1/concerns/", json=body)
    assert response.status_code == 422
    assert response.json["errors"]["person.given_name"] == ["Not a valid string."]


def test_a_lone_surrogate_is_422(app, api_as):
    api = api_as(Role.SAFEGUARDING_OFFICER)
    response = api.post("/api/v1/concerns/", json=concern_body(description="before \ud800 after"))
    assert response.status_code == 422
    assert "surrogate" in response.json["detail"]
    assert _concerns(app) == 0


@pytest.mark.parametrize(
    "received_at", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1899-12-31T12:00:00Z"]
)
def test_a_moment_outside_the_years_the_hub_takes_is_422_naming_the_field(app, api_as, received_at):
    api = api_as(Role.SAFEGUARDING_OFFICER)
    response = api.post("/api/v1/concerns/", json=concern_body(received_at=received_at))
    assert response.status_code == 422
    assert response.json["errors"]["received_at"] == ["Enter a date from 1900 to 2100"]
    assert _concerns(app) == 0


def test_a_date_outside_the_years_is_422_in_a_query_too(api_as):
    api = api_as(Role.SAFEGUARDING_OFFICER)
    response = api.get("/api/v1/meetings/?starts_from=0001-01-01")
    assert response.status_code == 422
    assert response.json["errors"]["starts_from"] == ["Enter a date from 1900 to 2100"]


def test_a_page_date_outside_the_years_is_refused_alike(app, factory, auth):
    world = build_world(app, factory)
    concern_id = record_concern(world, child=False)
    auth.sign_in("officer@example.org")
    url = f"/plans/new?concern_id={concern_id}"
    page = auth.client.post(
        url,
        data={
            "csrf_token": csrf_token(auth.client, url),
            "meeting_id": "",
            "started_on": ["1", "1", "0001"],
        },
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Enter a date from 1900 to 2100" in text
    assert "There is a problem" in text
    assert (
        world.clients["officer"].get(f"/api/v1/plans/?concern_id={concern_id}").json["items"] == []
    )


def _child_with_conference(app, factory):
    return child_with_conference(app, factory, {"kind": "no_child_protection_plan"})


def test_a_child_protection_plan_without_a_category_is_422(app, factory):
    world, concern_id, icpc = _child_with_conference(app, factory)
    response = world.clients["officer"].post(
        "/api/v1/plans/", json={"concern_id": concern_id, "meeting_id": icpc["id"]}
    )
    assert response.status_code == 422
    assert "Choose the category" in str(response.json["errors"]["category"])


def test_a_child_protection_plan_without_a_category_on_the_page(app, factory, auth):
    _world, concern_id, icpc = _child_with_conference(app, factory)
    auth.sign_in("officer@example.org")
    url = f"/plans/new?concern_id={concern_id}"
    page = auth.client.post(
        url, data={"csrf_token": csrf_token(auth.client, url), "meeting_id": str(icpc["id"])}
    )
    assert page.status_code == 200
    assert "Choose the category" in page.get_data(as_text=True)
