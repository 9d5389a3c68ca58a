from __future__ import annotations

from core.auth.roles import Role


def test_sign_in_page_renders(client):
    response = client.get("/sign-in")
    assert response.status_code == 200
    assert "Sign in to Safeguarding Hub" in response.get_data(as_text=True)


def test_officer_signs_in_and_sees_home(auth, client):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    page = client.get("/")
    assert page.status_code == 200
    assert "Safeguarding officer" in page.get_data(as_text=True)
