"""Manager sign-off of screening decisions, where the council configures it
(SCREENING_SIGN_OFF): pending until a manager signs it off or sends it back with a reason;
the screening clock is met only when the decision is final."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.auth.roles import Role
from core.concerns.models import DecisionReview
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import Auth, Factory, csrf_token
from tests.support.clock import set_now

MONDAY = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # a concern of Friday 20th is due today
WEDNESDAY = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)


class Team:
    """An officer and a manager, each with a signed-in page client and an API client."""

    def __init__(self, app):
        self.app = app
        factory = Factory(app)
        council = factory.agency(name="Northshire Council")
        self.pages = {}
        self.api = {}
        for name, role in (
            ("officer", Role.SAFEGUARDING_OFFICER),
            ("manager", Role.SAFEGUARDING_MANAGER),
        ):
            client = app.test_client()
            user_id = Auth(client, factory).as_role(
                role, agency_id=council, email=f"{name}@example.org"
            )
            self.pages[name] = client
            self.api[name] = ApiClient(app.test_client(), make_token(app, user_id))

    def concern(self, **overrides):
        response = self.api["officer"].post("/api/v1/concerns/", json=concern_body(**overrides))
        assert response.status_code == 201, response.json
        return response.json

    def decide_on_page(self, who, concern_id, decision="section_42_enquiry"):
        client = self.pages[who]
        url = f"/concerns/{concern_id}/decision"
        return client.post(
            url,
            data={"csrf_token": csrf_token(client, url), "decision": decision, "reason": "Theft"},
            follow_redirects=True,
        )

    def page(self, who, url):
        """The page's text with whitespace runs as single spaces and user numbers dropped
        (users are "Test User 3" and so on)."""
        text = unescape(self.pages[who].get(url).get_data(as_text=True))
        return re.sub(r"Test User \d+", "Test User", re.sub(r"\s+", " ", text))


def _actions(app):
    with app.app_context():
        return set(db.session.scalars(sa.select(AccessLogEntry.action)))


def _clock(page):
    return re.search(r"Screening decision \(1 working day\).*?govuk-tag[^>]*>([^<]+)<", page, re.S)[
        1
    ]


def test_officers_decision_waits_for_a_manager_who_signs_it_off(app_factory):
    set_now(MONDAY)
    app = app_factory(SCREENING_SIGN_OFF=["*"])
    team = Team(app)
    concern = team.concern()
    url = f"/concerns/{concern['id']}"

    decided = unescape(team.decide_on_page("officer", concern["id"]).get_data(as_text=True))
    assert "Decision recorded: Section 42 enquiry. It now needs a manager's sign-off." in decided
    page = team.page("officer", url)
    assert "Awaiting sign-off" in page and _clock(page) == "Due"  # not met while pending
    assert "Screening decision: Section 42 enquiry, awaiting a manager's sign-off" in page
    assert "Sign off or send back the decision" not in page  # officers cannot
    body = team.api["officer"].get(f"/api/v1/concerns/{concern['id']}").json
    assert body["sign_off"] == "pending" and body["decision"] == "section_42_enquiry"

    # listed for managers, and officers are refused the sign-off itself
    to_list = team.pages["manager"].get("/concerns/sign-off")
    assert to_list.status_code == 302
    listed = team.page("manager", to_list.headers["Location"])
    assert concern["reference"] in listed and "Awaiting sign-off" in listed
    assert team.pages["officer"].get("/concerns/sign-off").status_code == 403
    assert team.pages["officer"].get(url + "/decision/sign-off").status_code == 403
    refused = team.api["officer"].post(
        f"/api/v1/concerns/{concern['id']}/decision/sign-off", json={"outcome": "signed_off"}
    )
    assert refused.status_code == 403

    manager_page = team.page("manager", url)
    assert "Sign off or send back the decision" in manager_page
    form_url = url + "/decision/sign-off"
    signed = team.pages["manager"].post(
        form_url,
        data={"csrf_token": csrf_token(team.pages["manager"], form_url), "outcome": "signed_off"},
    )
    assert signed.status_code == 302
    page = team.page("officer", url)
    assert "Signed off by Test User" in page and _clock(page) == "Met"
    assert "Screening decision (Section 42 enquiry) signed off by Test User" in page
    assert team.api["officer"].get(f"/api/v1/concerns/{concern['id']}").json["sign_off"] == (
        "signed_off"
    )
    assert "concern.sign_off" in _actions(app)
    assert team.page("manager", "/concerns/?sign_off=pending").count(concern["reference"]) == 0


def test_manager_sends_a_decision_back_with_a_reason_through_the_api(app_factory):
    set_now(MONDAY)
    app = app_factory(SCREENING_SIGN_OFF=["*"])
    team = Team(app)
    concern = team.concern()
    url = f"/api/v1/concerns/{concern['id']}"
    team.decide_on_page("officer", concern["id"], "signposted")
    manager = team.api["manager"]

    no_reason = manager.post(url + "/decision/sign-off", json={"outcome": "sent_back"})
    assert no_reason.status_code == 422
    assert no_reason.json["errors"] == {"reason": ["Give the reason for sending the decision back"]}
    bad = manager.post(url + "/decision/sign-off", json={"outcome": "maybe"})
    assert bad.status_code == 422 and "outcome" in bad.json["errors"]

    sent = manager.post(
        url + "/decision/sign-off",
        json={"outcome": "sent_back", "reason": "Meets the s42 criteria: decide again"},
    )
    assert sent.status_code == 200, sent.json
    assert sent.json["decision"] is None and sent.json["sign_off"] is None
    assert sent.headers["ETag"]
    again = manager.post(url + "/decision/sign-off", json={"outcome": "signed_off"})
    assert again.status_code == 422
    assert again.json["errors"] == {
        "decision": ["There is no screening decision awaiting sign-off"]
    }

    page = team.page("officer", f"/concerns/{concern['id']}")
    assert (
        "Screening decision (Signposted) sent back by Test User: Meets the s42 criteria: "
        "decide again" in page
    )
    assert "Record the screening decision" in page  # the decision is open again
    assert "Sign-off history (1)" in page and "Signposted (decided by Test User" in page
    assert "concern.send_back" in _actions(app)
    with app.app_context():
        review = db.session.scalars(sa.select(DecisionReview)).one()
        assert review.decision.value == "signposted" and review.outcome.value == "sent_back"
        assert review.decision_reason == "Theft"

    decided = team.decide_on_page("officer", concern["id"])
    assert decided.status_code == 200
    assert team.api["officer"].get(url).json["sign_off"] == "pending"


def test_the_clock_is_met_on_the_day_of_sign_off(app_factory):
    """Decided on the day it was due, signed off two days later: met late."""
    set_now(MONDAY)
    monday = app_factory(SCREENING_SIGN_OFF=["*"])
    team = Team(monday)
    concern = team.concern()  # received Friday 20th, due Monday 23rd
    team.decide_on_page("officer", concern["id"])
    set_now(WEDNESDAY)
    wednesday = app_factory(SCREENING_SIGN_OFF=["*"])  # same database
    manager_id = Factory(wednesday).user(role=Role.SAFEGUARDING_MANAGER, email="late@example.org")
    late = ApiClient(wednesday.test_client(), make_token(wednesday, manager_id))
    overdue = late.get("/api/v1/concerns/?overdue=true").json
    assert [item["id"] for item in overdue["items"]] == [concern["id"]]  # pending counts
    signed = late.post(
        f"/api/v1/concerns/{concern['id']}/decision/sign-off",
        json={"outcome": "signed_off", "reason": "Agreed"},
    )
    assert signed.status_code == 200, signed.json
    assert signed.json["signed_off_at"].startswith("2026-11-25")
    assert late.get("/api/v1/concerns/?overdue=true").json["total"] == 0
    client = wednesday.test_client()
    Auth(client, Factory(wednesday)).sign_in("late@example.org")
    page = client.get(f"/concerns/{concern['id']}").get_data(as_text=True)
    assert _clock(page) == "Met late"


def test_only_the_configured_decisions_need_sign_off(app_factory):
    set_now(MONDAY)
    app = app_factory(SCREENING_SIGN_OFF=["no_further_action"])
    team = Team(app)
    first, second = team.concern(), team.concern()
    form = team.page("officer", f"/concerns/{first['id']}/decision")
    assert "A manager must sign off these decisions: No further action" in form
    team.decide_on_page("officer", first["id"], "section_42_enquiry")
    team.decide_on_page("officer", second["id"], "no_further_action")
    officer = team.api["officer"]
    assert officer.get(f"/api/v1/concerns/{first['id']}").json["sign_off"] is None
    assert officer.get(f"/api/v1/concerns/{second['id']}").json["sign_off"] == "pending"
    pending = officer.get("/api/v1/concerns/?sign_off=pending").json["items"]
    assert [item["id"] for item in pending] == [second["id"]]
    assert _clock(team.page("officer", f"/concerns/{first['id']}")) == "Met"


def test_a_managers_own_decision_is_signed_off_as_it_is_made(app_factory):
    set_now(MONDAY)
    app = app_factory(SCREENING_SIGN_OFF=["*"])
    team = Team(app)
    concern = team.concern()
    team.decide_on_page("manager", concern["id"])
    body = team.api["officer"].get(f"/api/v1/concerns/{concern['id']}").json
    assert body["sign_off"] == "signed_off" and body["signed_off_by_id"] == body["decided_by_id"]
    page = team.page("officer", f"/concerns/{concern['id']}")
    assert _clock(page) == "Met" and "made and signed off by a manager" in page


def test_without_the_setting_no_decision_needs_sign_off(app_factory):
    set_now(MONDAY)
    app = app_factory()
    team = Team(app)
    concern = team.concern()
    form = team.page("officer", f"/concerns/{concern['id']}/decision")
    assert "A manager must sign off" not in form
    team.decide_on_page("officer", concern["id"])
    body = team.api["officer"].get(f"/api/v1/concerns/{concern['id']}").json
    assert body["decision"] == "section_42_enquiry" and body["sign_off"] is None
    page = team.page("manager", f"/concerns/{concern['id']}")
    assert _clock(page) == "Met" and "Manager sign-off" not in page
    assert "Sign off or send back the decision" not in page
    refused = team.api["manager"].post(
        f"/api/v1/concerns/{concern['id']}/decision/sign-off", json={"outcome": "signed_off"}
    )
    assert refused.status_code == 422
    redirected = team.pages["manager"].get(f"/concerns/{concern['id']}/decision/sign-off")
    assert redirected.status_code == 302


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, []),
        ("off", []),
        ("on", ["*"]),
        ("all", ["*"]),
        ("no_further_action, Signposted", ["no_further_action", "signposted"]),
    ],
)
def test_the_setting_from_the_environment(monkeypatch, raw, expected):
    from core.config import load_settings

    if raw is None:
        monkeypatch.delenv("SCREENING_SIGN_OFF", raising=False)
    else:
        monkeypatch.setenv("SCREENING_SIGN_OFF", raw)
    assert load_settings()["SCREENING_SIGN_OFF"] == expected


def test_an_unknown_decision_in_the_setting_stops_start_up(app_factory):
    from core.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="unknown decisions: section_43"):
        app_factory(SCREENING_SIGN_OFF=["section_43"])
