"""Shared by the home-page journeys (one module per window width, so the two run side by
side): each role's working day from its home page (issue 22, acceptance): after `demo load`,
every task on the home page is reached by clicking, at 1,280 px and on a 375 px phone,
each page checked with axe-core, photographed, and never wider than the window."""

from __future__ import annotations

import pyotp

from core.demo.operations import DEMO_PASSWORD

WIDTHS = {"desktop": (1280, 800), "phone": (375, 812)}
ROLES = ["officer", "manager", "police", "nhs", "carehome", "auditor", "board", "admin"]

OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def _fits(journey, step: str) -> None:
    wider = journey.page.evaluate(OVERFLOW)
    assert wider <= 0, f"{step}: the page is {wider} px wider than the window"


def walk_the_home_page(journey, role: str, width: str) -> None:
    page = journey.page
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    journey.sign_in(f"{role}@demo.example", DEMO_PASSWORD)
    if page.url.endswith("/account/two-factor"):
        # an administrator and a board member set up two-factor sign-in first
        _fits(journey, "two-factor")
        secret = page.locator("#totp-secret").inner_text().strip()
        page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
        journey.submit("Turn on two-factor sign-in", "home")
    _fits(journey, "home")
    tasks = page.locator("tr[data-task]")
    keys = [tasks.nth(i).get_attribute("data-task") for i in range(tasks.count())]
    assert keys, f"{role} has nothing to do in the demo county"
    for key in keys:
        row = page.locator(f'tr[data-task="{key}"]')
        journey.follow(row.get_by_role("link").first.inner_text(), key, within=row)
        _fits(journey, key)
        assert page.locator("h1").count() == 1
        journey.follow("Safeguarding Hub", f"home-after-{key}", again=False)
