"""A journey through the site in the browser: every page it lands on is photographed and
checked with axe-core, and a page left unchecked fails the test."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
FAILING_IMPACTS = {"serious", "critical"}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"{AXE_SCRIPT} is missing: run `npm ci` (or `make test`)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def pick_agency(page: Any, picker: Any, name: str) -> None:
    """Choose the agency ``name`` in an agency picker (``picker``: its input, the
    accessible autocomplete the page's script puts over the select, docs/pages.md)."""
    from playwright.sync_api import expect

    picker.fill(name)
    page.get_by_role("option", name=re.compile(f"^{re.escape(name)}")).first.click()
    expect(picker).to_have_value(name)


class Journey:
    """Wraps a Playwright page. Use ``open``, ``follow`` and ``submit`` to move: each checks
    the page it arrives on."""

    def __init__(self, page: Any, artifacts: Path):
        self.page = page
        self.artifacts = artifacts
        self.steps = 0
        self.unchecked: list[str] = []
        self.pending: str | None = None
        self.console_errors: list[str] = []
        self.checked: list[str] = []
        page.on("framenavigated", self._navigated)
        page.on("console", self._console)

    # --- moving ---------------------------------------------------------------------------

    def open(self, path: str, step: str) -> None:
        self.page.goto(path)
        self.check(step)

    def tab(self, label: str, step: str) -> None:
        """Open a section of a page in tabs (the case page), checked as a page of its own;
        on a narrow screen every section shows in turn, with no tabs to click."""
        tab = self.page.get_by_role("tab", name=label, exact=True)
        if tab.is_visible():
            tab.click()
            assert tab.get_attribute("aria-selected") == "true"
            self.check(step)

    def follow(
        self, link: str | re.Pattern[str], step: str, within: Any = None, again: bool = True
    ) -> None:
        """Follow a link and check the page it lands on; with ``again`` False, a page this
        journey has already checked at the same address (the home page, returned to
        between tasks) is not checked a second time."""
        scope = within if within is not None else self.page
        with self.page.expect_navigation():
            scope.get_by_role("link", name=link).first.click()
        if not again and self.page.url in self.checked:
            self.page.wait_for_load_state("load")
            self.pending = None
            return
        self.check(step)

    def submit(self, button: str | re.Pattern[str], step: str, within: Any = None) -> None:
        scope = within if within is not None else self.page
        with self.page.expect_navigation():
            scope.get_by_role("button", name=button).click()
        self.check(step)

    def sign_in(self, email: str, password: str) -> None:
        self.open("/sign-in", f"sign-in-{email.split('@')[0]}")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.submit("Sign in", "home")

    def sign_out(self) -> None:
        self.submit("Sign out", "signed-out")

    # --- checking -------------------------------------------------------------------------

    def check(self, step: str) -> None:
        """Photograph the page and run axe-core on it; serious or critical WCAG 2.2 AA
        violations fail the journey."""
        self.page.wait_for_load_state("load")
        self.steps += 1
        self.artifacts.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=self.artifacts / f"{self.steps:02d}-{step}.png", full_page=True)
        # The app's CSP allows only its own scripts, so a <script> tag (add_script_tag) is
        # refused; evaluate() runs in the page without counting as page script.
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            self.page.evaluate(axe_source())
        violations = self.page.evaluate(RUN_AXE, WCAG_22_AA)
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        assert not failing, f"axe-core on {self.page.url} ({step}):\n" + "\n".join(
            f"  {v['impact']}: {v['id']}: {v['help']} at {', '.join(v['targets'])}" for v in failing
        )
        self.checked.append(self.page.url)
        self.pending = None

    def finish(self) -> None:
        if self.pending:
            self.unchecked.append(self.pending)
        assert not self.unchecked, f"pages visited without an accessibility check: {self.unchecked}"
        assert not self.console_errors, f"errors in the browser console: {self.console_errors}"

    def _navigated(self, frame: Any) -> None:
        if frame != self.page.main_frame:
            return
        if self.pending:
            self.unchecked.append(self.pending)
        self.pending = frame.url

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)
