"""Browser journeys: Debian's Chromium driven by Playwright against the real app served on
127.0.0.1.

One browser for the whole run; per test, a clean database (``app_factory``) holding the demo
data (a copy of the database `demo load` made once, at the suite's moment),
the app served by werkzeug in a thread of this process (so a test can set the clock with
``set_now`` and set up records through the API) and a new browser context.

Only this process runs on the test's clock; the browser keeps the machine's. The sign-in
cookie's expiry is worked out on the test's clock, so the served app's cookie lasts for
years: the server's own idle timeout (SESSION_IDLE_MINUTES) still ends sessions.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from core import create_app
from core.auth import passwords
from core.extensions import db
from tests.conftest import CHEAP_PASSWORD_COSTS
from tests.e2e.journey import Journey
from tests.support import clock as suite_clock
from tests.support.database import base_config, using_postgres

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs it "
            "(apt-get install -y chromium chromium-driver)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


class LiveApp:
    """The app served over HTTP, and what the journey needs to know about it."""

    def __init__(self, app: Flask, url: str):
        self.app = app
        self.url = url

    def user_id(self, email: str) -> int:
        import sqlalchemy as sa

        from core.auth.models import User
        from core.extensions import db

        with self.app.app_context():
            return int(db.session.scalar(sa.select(User.id).where(User.email == email)))

    def agency_id(self, name: str) -> int:
        import sqlalchemy as sa

        from core.auth.models import Agency
        from core.extensions import db

        with self.app.app_context():
            return int(db.session.scalar(sa.select(Agency.id).where(Agency.name == name)))


@pytest.fixture(scope="session")
def demo_template(database_template: str, tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """The database after `demo load` at the suite's moment, made once: each journey starts
    from a copy (on SQLite; on PostgreSQL each loads the demo itself)."""
    if using_postgres():
        return None
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copyfile(database_template, path)
    with pytest.MonkeyPatch.context() as patch, suite_clock.holding(suite_clock.SUITE_NOW):
        patch.setattr(passwords, "COSTS", CHEAP_PASSWORD_COSTS)
        app = create_app(base_config() | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
        assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return path


def closing_each_response(app: Any) -> Any:
    """The app as served to the browser, each response read whole and closed before werkzeug
    writes it.

    werkzeug's server (3.1, ``serving.WSGIRequestHandler.run_wsgi``) calls the response's
    ``close()`` only after draining the socket, and a browser that hangs up mid-response (a
    journey moving on before the favicon arrived) makes that drain raise: the file
    ``send_file`` opened was then left to the garbage collector, whose ResourceWarning failed
    whichever test it landed in. gunicorn, which serves the app in production, closes it in
    a ``finally``."""

    def serve(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return serve


@pytest.fixture
def live_app(app_factory: Any, demo_template: Path | None, tmp_path: Path) -> Iterator[LiveApp]:
    if demo_template is not None:
        shutil.copyfile(demo_template, tmp_path / "db.sqlite3")  # the file app_factory serves
    app: Flask = app_factory(PERMANENT_SESSION_LIFETIME=timedelta(days=20 * 365))
    if demo_template is None:
        assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    server = make_server("127.0.0.1", 0, closing_each_response(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield LiveApp(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def journey(browser: Any, live_app: LiveApp, request: pytest.FixtureRequest) -> Iterator[Journey]:
    context = browser.new_context(base_url=live_app.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    walk = Journey(page, ARTIFACTS / request.node.name)
    try:
        yield walk
        walk.finish()
    finally:
        context.close()
