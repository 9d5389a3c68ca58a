"""Managers record oversight; open cases without it for four weeks are listed."""

from __future__ import annotations

from datetime import timedelta

from core.auth.roles import Role
from core.clocks import to_local
from core.db import utcnow
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import csrf_token


def test_oversight_list_and_recording(app, auth, client, factory):
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )

    def received(days):
        body = concern_body(received_at=(utcnow() - timedelta(days=days)).isoformat())
        return officer.post("/api/v1/concerns/", json=body).json

    old = received(40)
    recent = received(5)
    supervised = received(60)
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    url = f"/concerns/{supervised['id']}/supervision"
    token = csrf_token(client, url)
    empty = client.post(url, data={"csrf_token": token, "held_on": ["1", "1", "2026"]})
    assert "Record what was discussed" in empty.get_data(as_text=True)
    future = client.post(
        url,
        data={
            "csrf_token": token,
            "held_on": ["1", "1", "2099"],
            "discussion": "x",
            "decisions": "y",
        },
    )
    assert "The supervision date must not be in the future" in future.get_data(as_text=True)
    day = to_local(utcnow()).date() - timedelta(days=3)
    done = client.post(
        url,
        data={
            "csrf_token": token,
            "held_on": [str(day.day), str(day.month), str(day.year)],
            "discussion": "Progress of the enquiry",
            "decisions": "Continue; review in 2 weeks",
        },
    )
    assert done.status_code == 302
    page = client.get("/concerns/oversight").get_data(as_text=True)
    assert old["reference"] in page
    assert recent["reference"] not in page and supervised["reference"] not in page
    # issue 22: the page said every case had had oversight while the recent one had none
    assert "1 open case received in the last 4 weeks has not had management oversight yet" in (page)
    case = client.get(f"/concerns/{supervised['id']}").get_data(as_text=True)
    assert "Continue; review in 2 weeks" in case and "Management oversight by" in case


def test_officers_cannot_record_oversight(auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    assert client.get("/concerns/oversight").status_code == 403


def test_absurd_page_numbers_are_not_errors(auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    for page in ("99999999999999999999999", "-5", "abc"):
        assert client.get(f"/concerns/?page={page}").status_code == 200
