"""The API operations added for page–API parity give what the pages give, to the roles
the pages give it to (the access matrix walks every role; these check the content)."""

from __future__ import annotations

import csv
import io

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import csrf_token


def api_for(app, factory, role, **kwargs):
    user_id = factory.user(role=role, **kwargs)
    api = ApiClient(app.test_client(), make_token(app, user_id))
    api.user_id = user_id
    return api


def test_the_access_log_as_the_page_lists_it(app, factory):
    admin = api_for(app, factory, Role.ADMINISTRATOR)
    officer = api_for(app, factory, Role.SAFEGUARDING_OFFICER)
    assert officer.get("/api/v1/access-log/").status_code == 403
    first = admin.get("/api/v1/access-log/?page_size=5")
    assert first.status_code == 200, first.json
    ids = [entry["id"] for entry in first.json["items"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 5
    # the officer's refusal and the administrator's own read are there, newest first
    latest = admin.get("/api/v1/access-log/?page_size=3").json["items"]
    assert latest[0]["action"] == "access_log.view" and latest[0]["user_id"] == admin.user_id
    denied = [e for e in latest if e["outcome"] == "denied"]
    assert denied and denied[0]["user_id"] == officer.user_id
    assert admin.get("/api/v1/access-log/?page_size=101").status_code == 422


def test_standard_lists_read_and_changed_as_on_the_page(app, factory, auth, client):
    admin = api_for(app, factory, Role.ADMINISTRATOR)
    housing = factory.agency(name="Riverside Homes", type="housing")
    added = admin.post(
        "/api/v1/standard-lists/",
        json={
            "meeting_type": "adult_protection_conference",
            "audience": "adult",
            "agency_id": housing,
            "reason": "The person's landlord",
        },
    )
    assert added.status_code == 201, added.json
    assert added.json["agency_name"] == "Riverside Homes"
    listed = admin.get("/api/v1/standard-lists/").json
    assert [(e["id"], e["reason"]) for e in listed] == [(added.json["id"], "The person's landlord")]
    auth.as_role(Role.ADMINISTRATOR)
    assert "The person&#39;s landlord" in client.get("/meetings/standard-lists").get_data(
        as_text=True
    )
    both = admin.post(
        "/api/v1/standard-lists/",
        json={
            "meeting_type": "no_such_meeting",
            "agency_type": "housing",
            "agency_id": housing,
            "reason": "Both",
        },
    )
    assert both.status_code == 422
    assert set(both.json["errors"]) == {"meeting_type", "agency_type"}
    officer = api_for(app, factory, Role.SAFEGUARDING_OFFICER)
    assert officer.get("/api/v1/standard-lists/").status_code == 403
    assert (
        officer.client.delete(
            f"/api/v1/standard-lists/{added.json['id']}", headers=officer.headers()
        ).status_code
        == 403
    )
    gone = admin.client.delete(
        f"/api/v1/standard-lists/{added.json['id']}", headers=admin.headers()
    )
    assert gone.status_code == 204
    assert admin.get("/api/v1/standard-lists/").json == []


def test_the_outbox_through_the_api(app, factory, client):
    admin = api_for(app, factory, Role.ADMINISTRATOR)
    factory.user(role=Role.AGENCY_PRACTITIONER, email="forgot@example.org")
    client.post(
        "/password/forgotten",
        data={
            "email": "forgot@example.org",
            "csrf_token": csrf_token(client, "/password/forgotten"),
        },
    )
    listed = admin.get("/api/v1/outbox/?status=pending")
    assert listed.status_code == 200, listed.json
    [message] = listed.json["items"]
    assert message["recipients"] == ["forgot@example.org"] and message["status"] == "pending"
    one = admin.get(f"/api/v1/outbox/{message['id']}").json
    assert "/password/reset/" in one["body"]
    assert admin.get("/api/v1/outbox/?status=sent").json["items"] == []
    assert admin.get("/api/v1/outbox/?status=lost").status_code == 422
    retried = admin.post(f"/api/v1/outbox/{message['id']}/retry")
    assert retried.status_code == 422 and "failed" in str(retried.json["errors"])
    unsent = admin.post("/api/v1/outbox/send")
    assert unsent.status_code == 503, unsent.json
    assert (
        api_for(app, factory, Role.SAFEGUARDING_MANAGER).get("/api/v1/outbox/").status_code == 403
    )


def test_an_administrator_manages_a_users_tokens_sessions_and_second_factor(app, factory):
    admin = api_for(app, factory, Role.ADMINISTRATOR)
    board = api_for(app, factory, Role.BOARD_MEMBER)  # a second factor, and a token
    tokens = admin.get(f"/api/v1/users/{board.user_id}/tokens")
    assert tokens.status_code == 200, tokens.json
    [token] = tokens.json
    assert token["revoked_at"] is None and "token_hash" not in token
    ended = admin.client.delete(f"/api/v1/users/{board.user_id}/sessions", headers=admin.headers())
    assert ended.status_code == 200 and ended.json["ended"] == 0
    assert board.get("/api/v1/me").status_code == 200  # a token is not a session
    reset = admin.client.delete(
        f"/api/v1/users/{board.user_id}/two-factor", headers=admin.headers()
    )
    assert reset.status_code == 204
    assert admin.get(f"/api/v1/users/{board.user_id}").status_code == 200
    other = admin.client.delete(
        f"/api/v1/users/{admin.user_id}/tokens/{token['id']}", headers=admin.headers()
    )
    assert other.status_code == 404  # not that user's token
    revoked = admin.client.delete(
        f"/api/v1/users/{board.user_id}/tokens/{token['id']}", headers=admin.headers()
    )
    assert revoked.status_code == 204
    assert board.get("/api/v1/me").status_code == 401
    assert admin.get(f"/api/v1/users/{board.user_id}/tokens").json[0]["revoked_at"]


def test_oversight_and_the_body_map_through_the_api(app, factory):
    officer = api_for(app, factory, Role.SAFEGUARDING_OFFICER)
    manager = api_for(app, factory, Role.SAFEGUARDING_MANAGER)
    concern = officer.post("/api/v1/concerns/", json=concern_body()).json
    case = f"/api/v1/concerns/{concern['id']}"
    without = manager.get("/api/v1/oversight")
    assert without.status_code == 200, without.json
    assert concern["id"] not in [row["concern_id"] for row in without.json["items"]]
    assert officer.get("/api/v1/oversight").status_code == 403

    supervision = {"held_on": "2026-11-20", "discussion": "Risk", "decisions": "Visit"}
    assert officer.post(case + "/supervisions", json=supervision).status_code == 403
    future = manager.post(case + "/supervisions", json=supervision | {"held_on": "2027-06-01"})
    assert future.status_code == 422 and "held_on" in future.json["errors"]
    added = manager.post(case + "/supervisions", json=supervision)
    assert added.status_code == 201, added.json
    [read] = officer.get(case + "/supervisions").json
    assert (read["decisions"], read["manager_name"]) == ("Visit", added.json["manager_name"])

    mark = {
        "side": "back",
        "x": 40.5,
        "y": 22,
        "site": "Left shoulder",
        "description": "Bruise, yellowing",
        "seen_by": "District nurse",
        "seen_on": "2026-11-19",
    }
    assert officer.post(case + "/body-map", json=mark | {"x": 140}).status_code == 422
    marked = officer.post(case + "/body-map", json=mark)
    assert marked.status_code == 201, marked.json
    [shown] = manager.get(case + "/body-map").json
    assert (shown["site"], shown["x"], shown["side"]) == ("Left shoulder", 40.5, "back")
    timeline = [e["kind"] for e in officer.get(case + "/timeline").json]
    assert {"supervision.recorded", "body_map.marked"} <= set(timeline)


def test_an_establishment_read_and_changed_with_if_match(app, factory):
    officer = api_for(app, factory, Role.SAFEGUARDING_OFFICER)
    created = officer.post(
        "/api/v1/establishments/", json={"name": "Elm House", "kind": "care_home_residential"}
    )
    assert created.status_code == 201, created.json
    url = f"/api/v1/establishments/{created.json['id']}"
    read = officer.get(url)
    assert read.json["name"] == "Elm House"
    assert officer.patch(url, json={"postcode": "NE1 4ST"}).status_code == 428
    bad = officer.patch(
        url, json={"postcode": "nowhere"}, headers={"If-Match": read.headers["ETag"]}
    )
    assert bad.status_code == 422 and "postcode" in bad.json["errors"]
    changed = officer.patch(
        url, json={"postcode": "ne1 4st"}, headers={"If-Match": read.headers["ETag"]}
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["postcode"], changed.json["name"]) == ("NE1 4ST", "Elm House")
    stale = officer.patch(url, json={"name": "Elm"}, headers={"If-Match": read.headers["ETag"]})
    assert stale.status_code == 412
    partner = api_for(app, factory, Role.AGENCY_PRACTITIONER)
    assert partner.get(url).status_code == 200
    assert partner.patch(url, json={"name": "X"}).status_code == 403


def test_the_plans_report_gives_the_csvs_rows(app, factory, auth, client):
    officer = api_for(app, factory, Role.SAFEGUARDING_OFFICER)
    report = officer.get("/api/v1/plans/report?from=2026-01-01&to=2026-11-20")
    assert report.status_code == 200, report.json
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    page = client.get("/plans/report.csv?from=2026-01-01&to=2026-11-20").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(page)))[1:]
    assert rows == [
        [b["title"], r["group"], str(r["open_at_end"]), str(r["started"]), str(r["ended"])]
        for b in report.json["breakdowns"]
        for r in b["rows"]
    ]
    backwards = officer.get("/api/v1/plans/report?from=2026-11-20&to=2026-01-01")
    assert backwards.status_code == 422
    assert officer.get("/api/v1/plans/actions").status_code == 403
    practitioner = api_for(app, factory, Role.AGENCY_PRACTITIONER)
    assert practitioner.get("/api/v1/plans/actions").json == []
    assert practitioner.get("/api/v1/plans/report").status_code == 403


def test_the_meetings_work_list(app, factory):
    officer = api_for(app, factory, Role.SAFEGUARDING_OFFICER)
    listed = officer.get("/api/v1/meetings/work")
    assert listed.status_code == 200 and listed.json == []
    assert (
        api_for(app, factory, Role.AGENCY_PRACTITIONER).get("/api/v1/meetings/work").status_code
        == 403
    )
