"""Page lists count their matches only so far: past COUNT_UP_TO (or ten pages beyond the
one shown) the pager says "more than" and still leads on, page by page, to the last one."""

from __future__ import annotations

import re
from html import unescape

import pytest

from core import pagination
from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body

CONCERNS = 15


@pytest.fixture
def officer(app, factory, auth):
    api = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    for number in range(CONCERNS):
        received = f"2026-11-20T{8 + number % 10:02d}:{number:02d}:00+00:00"
        created = api.post("/api/v1/concerns/", json=concern_body(received_at=received))
        assert created.status_code == 201, created.json
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    return auth.client


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def test_a_long_list_says_more_than_and_pages_on_to_the_end(officer, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_UP_TO", 5)
    # one a page: page 1 counts up to 11 (ten pages past it), finds a twelfth and stops
    first = _text(officer, "/concerns/?per_page=1")
    assert "more than 11 concerns" in first
    assert "Page 1 of more than 11 (more than 11 in all: filter the list to narrow it)" in first
    assert "Next" in first
    # page 5 counts up to 15, which is all of them: the exact total and the last page
    fifth = _text(officer, "/concerns/?per_page=1&page=5")
    assert "15 concerns" in fifth and "more than" not in fifth
    assert "Page 5 of 15 (15 in all)" in fifth
    last = _text(officer, "/concerns/?per_page=1&page=15")
    assert "Page 15 of 15" in last and "Next" not in last and "Previous" in last


def test_a_list_within_the_limit_is_counted_exactly(officer):
    page = _text(officer, "/concerns/?per_page=2")
    assert "15 concerns" in page and "Page 1 of 8 (15 in all)" in page
    assert "more than" not in page
