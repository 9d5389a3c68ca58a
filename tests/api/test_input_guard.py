from __future__ import annotations

from core.auth.roles import Role
from tests.conftest import csrf_token


def test_nul_in_api_query_or_body_is_422_not_500(api_as):
    api = api_as(Role.ADMINISTRATOR)
    response = api.get("/api/v1/agencies/?name=%00")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    response = api.post("/api/v1/agencies/", json={"name": "a\x00b", "type": "other"})
    assert response.status_code == 422
    assert "NUL" in response.json["detail"]


def test_nul_in_a_page_form_is_400_and_nothing_saved(auth, client):
    auth.as_role(Role.ADMINISTRATOR)
    token = csrf_token(client, "/admin/agencies/new")
    response = client.post(
        "/admin/agencies/new",
        data={"csrf_token": token, "name": "Bad\x00Name", "type": "other", "active": "y"},
    )
    assert response.status_code == 400
    assert "Bad" not in client.get("/admin/agencies/").get_data(as_text=True)
