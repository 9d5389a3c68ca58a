"""Case notes, soft deletion by managers, legal holds and the cross-boundary council."""

from __future__ import annotations

import sqlalchemy as sa

from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import csrf_token


def _client(app, factory, role):
    return ApiClient(app.test_client(), make_token(app, factory.user(role=role)))


def test_notes_with_key_decisions_on_api_and_page(app, auth, client, factory):
    officer = _client(app, factory, Role.SAFEGUARDING_OFFICER)
    concern = officer.post("/api/v1/concerns/", json=concern_body()).json
    url = f"/api/v1/concerns/{concern['id']}/notes"
    assert officer.post(url, json={"text": ""}).status_code == 422
    made = officer.post(url, json={"text": "Agreed police lead the enquiry", "key_decision": True})
    assert made.status_code == 201 and made.json["key_decision"] is True
    assert [n["text"] for n in officer.get(url).json] == ["Agreed police lead the enquiry"]
    police = _client(app, factory, Role.AGENCY_PRACTITIONER)
    assert police.post(url, json={"text": "x"}).status_code == 404  # not involved

    auth.as_role(Role.SAFEGUARDING_OFFICER)
    token = csrf_token(client, f"/concerns/{concern['id']}")
    client.post(
        f"/concerns/{concern['id']}/notes", data={"csrf_token": token, "text": "Visited today"}
    )
    page = client.get(f"/concerns/{concern['id']}").get_data(as_text=True)
    assert "Visited today" in page and "Key decision" in page and "Note added" in page


def test_managers_delete_softly_with_a_reason_unless_held(app, factory):
    officer = _client(app, factory, Role.SAFEGUARDING_OFFICER)
    manager = _client(app, factory, Role.SAFEGUARDING_MANAGER)
    concern = officer.post("/api/v1/concerns/", json=concern_body()).json
    url = f"/api/v1/concerns/{concern['id']}"
    assert officer.client.delete(url + "?reason=dup", headers=officer.headers()).status_code == 403
    held = manager.client.put(
        url + "/legal-hold", json={"reason": "Coroner's inquest"}, headers=manager.headers()
    )
    assert held.status_code == 200 and held.json["legal_hold"] is True
    refused = manager.client.delete(url + "?reason=Duplicate", headers=manager.headers())
    assert refused.status_code == 422
    assert refused.json["errors"]["legal_hold"] == [
        "This concern is under a legal hold: Coroner's inquest"
    ]
    manager.client.put(url + "/legal-hold", json={"reason": None}, headers=manager.headers())
    assert manager.client.delete(url, headers=manager.headers()).status_code == 422  # no reason
    deleted = manager.client.delete(url + "?reason=Recorded%20twice", headers=manager.headers())
    assert deleted.status_code == 204
    assert officer.get(url).status_code == 404
    assert officer.get("/api/v1/concerns/").json["total"] == 0
    with app.app_context():
        row = db.session.execute(sa.text("SELECT deleted_reason FROM concerns")).scalar_one()
    assert row == "Recorded twice"  # kept, not removed


def test_deleting_on_the_page(app, auth, client, factory):
    officer = _client(app, factory, Role.SAFEGUARDING_OFFICER)
    concern = officer.post("/api/v1/concerns/", json=concern_body()).json
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    url = f"/concerns/{concern['id']}/delete"
    token = csrf_token(client, url)
    assert "Give the reason" in client.post(url, data={"csrf_token": token}).get_data(as_text=True)
    assert client.post(url, data={"csrf_token": token, "reason": "Test entry"}).status_code == 302
    assert client.get(f"/concerns/{concern['id']}").status_code == 404


def test_cross_boundary_council_is_recorded(app, factory):
    officer = _client(app, factory, Role.SAFEGUARDING_OFFICER)
    concern = officer.post(
        "/api/v1/concerns/", json=concern_body(responsible_authority="Southshire County Council")
    ).json
    assert concern["responsible_authority"] == "Southshire County Council"
