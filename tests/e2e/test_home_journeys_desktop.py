"""Each role's working day from its home page at the desktop width (tests/e2e/home.py)."""

from __future__ import annotations

import pytest

from tests.e2e.home import ROLES, walk_the_home_page

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("role", ROLES)
def test_every_task_on_the_home_page_is_a_click_away(live_app, journey, role):
    walk_the_home_page(journey, role, "desktop")
