"""Injuries marked on the body map: by clicking the outline or in words alone."""

from __future__ import annotations

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import csrf_token

MARK = {
    "side": "front",
    "x": "31.5",
    "y": "40.2",
    "site": "Left forearm, inner side",
    "size": "3 cm by 2 cm",
    "colour": "Yellow-green",
    "description": "Fingertip bruising",
    "seen_by": "District nurse",
    "seen_on": ["18", "11", "2026"],
}


def test_marks_from_the_outline_and_in_words(app, auth, client, factory):
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    concern = officer.post("/api/v1/concerns/", json=concern_body(types_of_risk=["physical"])).json
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    url = f"/concerns/{concern['id']}/body-map"
    token = csrf_token(client, url)
    refused = client.post(url, data={"csrf_token": token, "side": "front"}).get_data(as_text=True)
    assert "Say where on the body the injury is" in refused and "Describe the injury" in refused
    assert client.post(url, data=MARK | {"csrf_token": token}).status_code == 302
    words_only = MARK | {
        "csrf_token": token,
        "side": "back",
        "x": "",
        "y": "",
        "site": "Small of the back",
        "description": "Scratch",
    }
    assert client.post(url, data=words_only).status_code == 302
    off_outline = MARK | {"csrf_token": token, "x": "250", "site": "Right knee"}
    assert client.post(url, data=off_outline).status_code == 302  # position dropped, words kept
    page = client.get(f"/concerns/{concern['id']}").get_data(as_text=True)
    assert 'cx="31.5" cy="40.2"' in page
    for text in ("Left forearm, inner side", "Small of the back", "Right knee", "District nurse"):
        assert text in page
    assert page.count('fill="#d4351c"') == 1  # only the mark placed on the outline
    assert "Injury marked on the body map" in page


def test_uninvolved_practitioner_cannot_mark(app, auth, client, factory):
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    concern = officer.post("/api/v1/concerns/", json=concern_body()).json
    auth.as_role(Role.AGENCY_PRACTITIONER)
    assert client.get(f"/concerns/{concern['id']}/body-map").status_code == 404
