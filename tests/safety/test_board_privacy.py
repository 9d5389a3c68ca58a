"""Board members read figures only: every page and API operation about one record
(concerns, people, establishments, meetings, plans, the agency portal, accounts) answers
404 for them, whether the record exists or not, and every refusal is logged."""

from __future__ import annotations

import re

import pytest

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.auth.helpers import log_entries
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import Auth, Factory, csrf_token

PERSONAL_PREFIXES = (
    "/concerns/",
    "/people/",
    "/establishments/",
    "/meetings/",
    "/plans/",
    "/portal/",
    "/admin/",
    "/api/v1/concerns/",
    "/api/v1/people/",
    "/api/v1/establishments/",
    "/api/v1/meetings/",
    "/api/v1/plans/",
    "/api/v1/users/",
)
MISSING_ID = 987654


def _record_routes(app):
    """(method, rule) of every route that addresses one record."""
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or not rule.rule.startswith(PERSONAL_PREFIXES):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append((method, rule))
    return routes


def _path(rule, record_id):
    return re.sub(r"<[^>]+>", str(record_id), rule.rule)


@pytest.fixture
def board(app, client):
    factory = Factory(app)
    council = factory.agency(name="Northshire Council")
    officer = factory.user(role=Role.SAFEGUARDING_OFFICER, agency_id=council)
    officer_api = ApiClient(app.test_client(), make_token(app, officer))
    concern = officer_api.post("/api/v1/concerns/", json=concern_body()).json
    board_id = Auth(client, factory).as_role(Role.BOARD_MEMBER, agency_id=council)
    return concern, ApiClient(app.test_client(), make_token(app, board_id))


def test_board_members_get_404_for_every_personal_record(app, client, board):
    concern, board_api = board
    routes = _record_routes(app)
    assert {rule.endpoint.split(".")[0] for _, rule in routes} >= {
        "concerns",
        "people",
        "meetings",
        "plans",
        "concerns_api",
    }
    token = csrf_token(client, "/")
    for method, rule in routes:
        answers = []
        for record_id in (concern["id"], concern["person"]["id"], MISSING_ID):
            path = _path(rule, record_id)
            if path.startswith("/api/"):
                response = board_api.client.open(
                    path, method=method, json={}, headers=board_api.headers()
                )
            else:
                response = client.open(path, method=method, data={"csrf_token": token})
            answers.append(response.status_code)
        assert answers == [404, 404, 404], (method, rule.rule, answers)
    denied = log_entries(app, action="route.forbidden")
    assert len(denied) >= len(routes) and all(entry.outcome == "denied" for entry in denied)


def test_board_members_still_reach_their_own_pages(client, board):
    assert client.get("/").status_code == 200
    assert client.get("/account/").status_code == 200
