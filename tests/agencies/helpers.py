"""The demo council and its partners, for the agency plugin tests: real sign-ins, real API."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token

ADULT = {"given_name": "Edith", "family_name": "Crane", "date_of_birth": "1938-04-02"}
CHILD = {"given_name": "Alfie", "family_name": "Turner", "date_of_birth": "2016-05-09"}


@dataclass
class Demo:
    app: Any
    users: dict[str, int]
    agencies: dict[str, int]
    officer: ApiClient

    def api(self, email: str) -> ApiClient:
        return ApiClient(self.app.test_client(), make_token(self.app, self.users[email]))

    def page(self, email: str) -> Any:
        """Signed in as a demo user; the administrator and the board member set up their
        second factor on the page at their first sign-in, as a person would."""
        from core.demo.operations import DEMO_PASSWORD
        from tests.auth.helpers import sign_in
        from tests.support.totp import enrol_on_page

        client = self.app.test_client()
        signed = sign_in(client, email, DEMO_PASSWORD)
        assert signed.status_code == 302, signed.get_data(as_text=True)
        home = client.get("/")
        if home.status_code == 302 and home.headers["Location"].startswith("/account/two-factor"):
            enrol_on_page(client, csrf_token)
        return client

    def concern(self, child: bool = False, **overrides: Any) -> dict[str, Any]:
        body = {
            "received_at": "2026-11-20T10:15:00+00:00",
            "person": CHILD if child else ADULT,
            "is_child": child,
            "referral_source": "2A" if child else None,
            "types_of_risk": ["physical"],
            "location": "own_home",
            "source_of_risk": "known",
            "description": "Bruising seen on the forearms; the person says a visitor hit them.",
        } | overrides
        response = self.officer.post("/api/v1/concerns/", json=body)
        assert response.status_code == 201, response.json
        return dict(response.json)

    def involve(self, concern_id: int, agency: str) -> None:
        response = self.officer.post(
            f"/api/v1/concerns/{concern_id}/involvements",
            json={"agency_id": self.agencies[agency], "note": "Working with the person"},
        )
        assert response.status_code == 201, response.json


def load_demo(app: Any, runner: Any) -> Demo:
    from core.auth.models import Agency, User

    assert runner.invoke(args=["demo", "load", "--accounts-only"]).exit_code == 0
    with app.app_context():
        users = {row[0]: row[1] for row in db.session.execute(sa.select(User.email, User.id))}
        agencies = {row[0]: row[1] for row in db.session.execute(sa.select(Agency.name, Agency.id))}
    officer = ApiClient(app.test_client(), make_token(app, users["officer@demo.example"]))
    return Demo(app, users, agencies, officer)


def post_form(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def error_messages(page: str) -> set[str]:
    """The messages in the page's GOV.UK error summary."""
    summary = page.split('class="govuk-error-summary', 1)[1].split("</ul>", 1)[0]
    return {html.unescape(m).strip() for m in re.findall(r'<a href="#[^"]*">([^<]+)</a>', summary)}
