"""Every query parameter the document lists for a list can be used: a valid value for
each is accepted (a query string is text, so a number arrives as ``"12"``), and a value
of the wrong kind is refused with 422 naming the parameter."""

from __future__ import annotations

import pytest

from core.auth.roles import Role

# a valid value of each documented kind, as it is written in a query string
SAMPLES = {
    "integer": "1",
    "number": "1",
    "boolean": "true",
    "date": "2026-01-01",
    "date-time": "2026-01-01T00:00:00Z",
    "string": "a",
}


# the lists under a named resource that is not a record id
PATH_VALUES = {"form_name": "care_home.provider_alert"}


def _sample(schema: dict) -> str:
    if "example" in schema:  # the document's own example of a valid value
        return str(schema["example"])
    if "enum" in schema:
        return str(schema["enum"][0])
    if schema.get("type") == "array":
        return _sample(schema.get("items", {}))
    if schema.get("format") in SAMPLES:
        return SAMPLES[schema["format"]]
    if schema.get("type") == "integer" and "minimum" in schema:
        return str(max(1, int(schema["minimum"])))
    return SAMPLES.get(schema.get("type", "string"), "a")


def _documented_filters(document: dict) -> list[tuple[str, str, dict]]:
    found = []
    for path, item in document["paths"].items():
        operation = item.get("get")
        for name, value in PATH_VALUES.items():
            path = path.replace("{" + name + "}", value)
        if operation is None or "{" in path:
            continue  # a record's own reads are filtered by their id, not listed here
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "query":
                found.append((path, parameter["name"], parameter.get("schema", {})))
    return found


@pytest.fixture
def officer_api(api_as):
    return api_as(Role.SAFEGUARDING_OFFICER)


def test_the_known_broken_filters_are_documented(officer_api):
    filters = {
        (p, n) for p, n, _ in _documented_filters(officer_api.get("/api/v1/openapi.json").json)
    }
    assert {
        ("/api/v1/meetings/", "concern_id"),
        ("/api/v1/forms/care_home.provider_alert/submissions", "subject_id"),
        ("/api/v1/users/", "agency_id"),
        ("/api/v1/plans/", "concern_id"),
    } <= filters


@pytest.mark.parametrize("role", [Role.SAFEGUARDING_OFFICER, Role.ADMINISTRATOR])
def test_every_documented_filter_accepts_a_valid_value(api_as, role):
    api = api_as(role)
    document = api.get("/api/v1/openapi.json").json
    refused = []
    for path, name, schema in _documented_filters(document):
        if api.get(path).status_code != 200:
            continue  # a list this role may not read at all
        response = api.get(f"{path}?{name}={_sample(schema)}")
        if response.status_code != 200:
            refused.append((path, name, response.status_code, response.json))
    assert refused == []


def test_an_id_filter_of_the_wrong_kind_is_refused_naming_it(officer_api):
    for value in ("x", "1.5", "0", "99999999999"):
        response = officer_api.get(f"/api/v1/meetings/?concern_id={value}")
        assert response.status_code == 422, value
        assert "concern_id" in str(response.json), value


def test_the_concern_filter_narrows_meetings(app, factory):
    from tests.meetings.helpers import build_world, record_concern, schedule

    world = build_world(app, factory)
    first = record_concern(world)
    second = record_concern(world)
    meeting = schedule(world, first, "strategy_discussion", "2026-02-02T10:00:00+00:00").json
    schedule(world, second, "strategy_discussion", "2026-02-03T10:00:00+00:00")
    officer = world.clients["officer"]
    listed = officer.get(f"/api/v1/meetings/?concern_id={first}").json
    assert [m["id"] for m in listed["items"]] == [meeting["id"]]
