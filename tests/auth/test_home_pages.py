"""Each role lands on a home page of its own."""

from __future__ import annotations

import pytest

from core.auth.roles import Role
from tests.auth.helpers import heading

HEADINGS = {
    Role.ADMINISTRATOR: "Administration",
    Role.SAFEGUARDING_OFFICER: "Safeguarding officer",
    Role.SAFEGUARDING_MANAGER: "Safeguarding manager",
    Role.AGENCY_PRACTITIONER: "Your agency's safeguarding work",
    Role.BOARD_MEMBER: "Safeguarding board",
    Role.AUDITOR: "Case file audit",
}


def test_every_role_has_a_heading_of_its_own():
    assert set(HEADINGS) == set(Role)
    assert len(set(HEADINGS.values())) == len(Role)


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_home_page_heading_is_specific_to_the_role(auth, client, role):
    auth.as_role(role)
    response = client.get("/")
    assert response.status_code == 200
    assert heading(response) == HEADINGS[role]
    html = response.get_data(as_text=True)
    assert f", {role.label.lower()}." in html  # "Signed in as ..., <role>."


def test_home_page_needs_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
