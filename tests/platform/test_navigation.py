"""Navigation of at most seven top-level entries per role, grouped by the work, and a
sub-navigation on the pages of a section (issue 22, item 2)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import Auth, Factory

ROLES = ["admin", "officer", "manager", "police", "nhs", "carehome", "board", "auditor"]


def _menu(page: str) -> list[str]:
    menu = page[page.index('aria-label="Menu"') :]
    menu = menu[: menu.index("</ul>")]
    links = re.findall(r'class="govuk-service-navigation__link"[^>]*>(.*?)</a>', menu, re.S)
    return [re.sub(r"<[^>]+>", "", text).strip() for text in links]


@pytest.fixture
def demo(app, runner):
    assert runner.invoke(args=["demo", "load", "--accounts-only"]).exit_code == 0
    return app


@pytest.mark.parametrize("name", ROLES)
def test_each_role_has_at_most_seven_top_level_entries(demo, name):
    client = demo.test_client()
    assert Auth(client, Factory(demo)).sign_in(f"{name}@demo.example", "demo-safeguarding")
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    menu = _menu(home)
    assert menu[0] == "Home"
    assert 2 <= len(menu) - menu.count("Your account") - menu.count("API") <= 7, menu
    for wanted in ("Your account", "API"):
        assert wanted in menu, "beside Sign out"


def test_a_sections_pages_share_one_entry_and_a_sub_navigation(demo):
    client = demo.test_client()
    Auth(client, Factory(demo)).sign_in("officer@demo.example", "demo-safeguarding")
    page = client.get("/concerns/handover").get_data(as_text=True)
    menu = _menu(page)
    assert menu[:5] == ["Home", "Cases", "Meetings", "Plans", "Forms"]
    current = re.search(r'govuk-service-navigation__item--active.*?href="([^"]+)"', page, re.S)
    assert current and current.group(1) == "/concerns/"
    subnav = page[page.index('class="app-subnav"') :]
    subnav = subnav[: subnav.index("</nav>")]
    links = re.findall(r'href="([^"]+)"(?: aria-current="page")?>([^<]+)<', subnav)
    assert ("/concerns/handover", "Handover") in links
    assert ("/concerns/new", "Record a concern") in links
    assert ("/people/", "People") in links
    assert 'href="/concerns/handover" aria-current="page"' in subnav
