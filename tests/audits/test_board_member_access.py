"""Board members read every attendance audit and its exports, and never a case record:
every page and API record of a case, person, meeting or plan answers 404."""

from __future__ import annotations

import re

from core.auth.roles import Role
from tests.audits.helpers import build_audit_world
from tests.meetings.helpers import record_concern

RECORD_AREAS = ("concerns", "people", "meetings", "portal", "plans")
API_AREAS = ("concerns_api", "people_api", "meetings_api", "plans_api")


def _record_urls(app, ids: dict[str, int]) -> list[str]:
    """Every GET route of the case areas that names a record, with real ids filled in."""
    urls = []
    for rule in app.url_map.iter_rules():
        area = rule.endpoint.split(".")[0]
        if "GET" not in rule.methods or not rule.arguments:
            continue
        if area not in RECORD_AREAS and area not in API_AREAS:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(
                r"<(?:[^:<>]+:)?" + name + r"(?:\([^)]*\))?>", str(ids.get(name, 1)), path
            )
            path = re.sub(r"<(?:[^<>]*:)?" + name + r">", str(ids.get(name, 1)), path)
        urls.append(path)
    return sorted(set(urls))


def test_a_board_member_reads_audits_but_gets_404_for_every_case_record(app, factory, auth, client):
    audit_world = build_audit_world(app, factory)
    world = audit_world.world
    meeting = audit_world.icpcs[0]
    adult_concern = record_concern(world, child=False, received_at="2026-02-02T10:00:00+00:00")
    concern = world.clients["officer"].get(f"/api/v1/concerns/{adult_concern}").json
    plan = world.clients["officer"].post(
        "/api/v1/plans/", json={"concern_id": adult_concern, "started_on": "2026-03-01"}
    )
    assert plan.status_code == 201, plan.json
    ids = {
        "concern_id": adult_concern,
        "person_id": concern["person"]["id"],
        "meeting_id": meeting["id"],
        "invitation_id": meeting["invitations"][0]["id"],
        "plan_id": plan.json["id"],
        "action_id": 1,
    }
    audit = audit_world.manager.post(
        "/api/v1/audits/attendance/",
        json={"period_start": "2026-01-01", "period_end": "2026-06-30"},
    ).json

    board = audit_world.board
    for url in (
        "/api/v1/audits/attendance/",
        f"/api/v1/audits/attendance/{audit['id']}",
        f"/api/v1/audits/attendance/{audit['id']}?format=csv",
        f"/api/v1/audits/attendance/{audit['id']}/pdf",
    ):
        assert board.get(url).status_code == 200, url
    auth.as_role(Role.BOARD_MEMBER)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/audits/attendance/"' in home  # the navigation entry
    for url in (
        "/audits/attendance/",
        f"/audits/attendance/{audit['id']}",
        f"/audits/attendance/{audit['id']}.csv",
        f"/audits/attendance/{audit['id']}.pdf",
        "/audits/attendance/new",
    ):
        assert client.get(url).status_code == 200, url

    urls = _record_urls(app, ids)
    pages = [u for u in urls if not u.startswith("/api/")]
    api = [u for u in urls if u.startswith("/api/")]
    assert f"/concerns/{adult_concern}" in pages and f"/people/{ids['person_id']}" in pages
    assert f"/meetings/{meeting['id']}" in pages and f"/plans/{plan.json['id']}" in pages
    assert (
        f"/api/v1/meetings/{meeting['id']}" in api and f"/api/v1/people/{ids['person_id']}" in api
    )
    # the records exist: a safeguarding manager sees them (a manager's routes include
    # "who has seen this case")
    manager = audit_world.manager
    for url in api:
        if "/actions/" not in url:
            assert manager.get(url).status_code in (200, 404), url
    assert manager.get(f"/api/v1/plans/{plan.json['id']}").status_code == 200
    for url in pages:
        assert client.get(url).status_code == 404, url
    for url in api:
        assert board.get(url).status_code == 404, url
