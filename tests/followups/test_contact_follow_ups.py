"""Contact-only follow-ups (issue 25, item 1; Dudley's action plan, 6.3): a sample of the
concerns screened out as signposted or no further action, at the council's share, drawn
from the concern's id, is called two weeks after the contact; the call's outcome is
recorded once; a letter asks whoever made contact whether the signposting helped; the
month's figures are counted by outcome and decision. Only the safeguarding team reads
a follow-up; the board reads the figures."""

from __future__ import annotations

import html
import io
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from core.auth.models import User
from core.auth.roles import Role
from core.config import ConfigurationError, load_settings
from core.extensions import db
from core.followups.operations import sampled
from tests.api.conftest import ApiClient, make_token
from tests.auth.helpers import sign_in
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.meetings.helpers import World, build_world, record_concern
from tests.support.pages import page_errors

RECEIVED = "2026-11-20T10:15:00+00:00"  # a Friday; the follow-up is due on 4 December


def _world(app_factory, factory, percent: int = 100, **settings) -> tuple[object, World]:
    app = app_factory(CONTACT_FOLLOW_UP_PERCENT=percent, **settings)
    return app, build_world(app, factory)


def _decide(world: World, concern_id: int, decision: str, reason: str = "Signposted") -> None:
    made = world.clients["officer"].post(
        f"/api/v1/concerns/{concern_id}/decision", json={"decision": decision, "reason": reason}
    )
    assert made.status_code in (200, 201), made.json


def _follow_ups(world: World, state: str = "") -> list[dict]:
    query = f"?state={state}&page_size=100" if state else "?page_size=100"
    answer = world.clients["officer"].get(f"/api/v1/contact-follow-ups/{query}")
    assert answer.status_code == 200, answer.json
    return list(answer.json["items"])


def _pdf_text(body: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_the_sample_is_the_share_set_and_the_same_at_every_asking():
    ids = range(1, 4001)
    chosen = [i for i in ids if sampled(i, 25)]
    assert 900 <= len(chosen) <= 1100, len(chosen)  # a quarter, give or take
    assert chosen == [i for i in ids if sampled(i, 25)], "drawn from the id: reproducible"
    assert set(chosen) <= {i for i in ids if sampled(i, 50)}, "a larger share keeps these"
    assert not any(sampled(i, 0) for i in ids) and all(sampled(i, 100) for i in ids)


@pytest.mark.parametrize(
    ("name", "value"),
    [("CONTACT_FOLLOW_UP_PERCENT", "101"), ("CONTACT_FOLLOW_UP_PERCENT", "a quarter"),
     ("CONTACT_FOLLOW_UP_DAYS", "0")],
)  # fmt: skip
def test_a_share_or_delay_out_of_range_stops_the_start(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=name):
        load_settings()


def test_screened_out_concerns_are_sampled_at_the_councils_share(app_factory, factory, clock):
    clock.set(datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    _, world = _world(app_factory, factory, percent=40)
    concerns = [
        record_concern(world, child=False, received_at=RECEIVED, referrer_name=f"Caller {n}")
        for n in range(12)
    ]
    for concern_id in concerns[:10]:
        _decide(world, concern_id, "no_further_action" if concern_id % 2 else "signposted")
    for concern_id in concerns[10:]:
        _decide(world, concern_id, "section_42_enquiry", "Care and support needs")
    followed = {f["concern_id"] for f in _follow_ups(world)}
    assert followed == {c for c in concerns[:10] if sampled(c, 40)}
    assert followed, "this world's ids give some to follow up"


def test_the_follow_up_is_due_two_weeks_after_the_contact_and_made_once(
    app_factory, factory, clock
):
    clock.set(datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    app, world = _world(app_factory, factory, SCREENING_SIGN_OFF=["signposted"])
    officer = world.clients["officer"]
    concern = record_concern(world, child=False, received_at=RECEIVED, referrer_name="Jo Bell")
    _decide(world, concern, "signposted")
    assert _follow_ups(world) == [], "not while the decision waits for a manager's sign-off"
    manager = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_MANAGER))
    )
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    signed = manager.post(
        f"/api/v1/concerns/{concern}/decision/sign-off", json={"outcome": "signed_off"}
    )
    assert signed.status_code in (200, 201), signed.json
    [follow_up] = _follow_ups(world)
    assert (follow_up["contacted_on"], follow_up["due_on"]) == ("2026-11-20", "2026-12-04")
    assert follow_up["decision"] == "signposted" and follow_up["outcome"] is None
    timeline = officer.get(f"/api/v1/concerns/{concern}/timeline").json
    assert any(
        "contact follow-up" in e["summary"] and "4 December 2026" in e["summary"] for e in timeline
    )

    # closing it asks again: the same concern is never followed up twice
    closed = officer.post(
        f"/api/v1/concerns/{concern}/closure",
        json={
            "risk_outcome": "none_no_action",
            "feedback_person_on": "2026-11-23",
            "feedback_person_method": "Phone",
            "feedback_referrer_on": "2026-11-23",
            "feedback_referrer_method": "Phone",
        },
    )
    assert closed.status_code == 200, closed.json
    assert len(_follow_ups(world)) == 1

    # due on the day: on the team's home page, as a task and in its task list
    assert _follow_ups(world, "due") == []
    clock.set(datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    assert [f["id"] for f in _follow_ups(world, "due")] == [follow_up["id"]]
    work = {task["key"]: task for task in officer.get("/api/v1/me/work").json}
    assert work["contact_follow_ups"]["count"] == 1
    assert work["contact_follow_ups"]["due"] == "2026-12-04"
    page_client = app.test_client()
    sign_in(page_client, "officer@example.org", TEST_PASSWORD)
    home = html.unescape(page_client.get("/").get_data(as_text=True))
    assert "Contact follow-ups to call" in home and "Call Jo Bell about SG-2026-" in home


def test_the_outcome_is_recorded_once_and_a_new_referral_is_offered(
    app_factory, factory, clock, auth
):
    clock.set(datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    app, world = _world(app_factory, factory)
    auth.client = app.test_client()
    officer = world.clients["officer"]
    concern = record_concern(world, child=False, received_at=RECEIVED, referrer_name="Jo Bell")
    _decide(world, concern, "no_further_action", "No care and support needs")
    [follow_up] = _follow_ups(world)
    url = f"/api/v1/contact-follow-ups/{follow_up['id']}/outcome"
    clock.set(datetime(2026, 12, 4, 10, 0, tzinfo=UTC))

    assert officer.post(url, json={}).json["errors"].keys() == {"outcome"}
    assert officer.post(url, json={"outcome": "maybe"}).status_code == 422
    unsaid = officer.post(url, json={"outcome": "new_referral_needed"})
    assert unsaid.status_code == 422
    assert unsaid.json["errors"] == {"note": ["Say why a new referral is needed"]}
    assert officer.post(url, json={"outcome": "not_reached", "note": "x" * 5001}).status_code == 422

    # the page says what is wrong, and saves nothing
    auth.sign_in("officer@example.org")
    page_url = f"/follow-ups/{follow_up['id']}"
    refused = auth.client.post(page_url, data={"csrf_token": csrf_token(auth.client, page_url)})
    title, summary, _ = page_errors(refused.get_data(as_text=True))
    assert title.startswith("Error:") and summary == ["Select the outcome of the call"]
    assert officer.get(f"/api/v1/contact-follow-ups/{follow_up['id']}").json["outcome"] is None

    recorded = officer.post(
        url, json={"outcome": "new_referral_needed", "note": "Her son now takes her pension."}
    )
    assert recorded.status_code == 200, recorded.json
    assert recorded.json["outcome"] == "new_referral_needed"
    assert recorded.json["new_concern_person_id"] == recorded.json["person"]["id"]
    again = officer.post(url, json={"outcome": "signposting_worked"})
    assert again.status_code == 422
    assert "recorded once" in again.json["errors"]["outcome"][0]
    assert _follow_ups(world) == [] and len(_follow_ups(world, "recorded")) == 1
    timeline = officer.get(f"/api/v1/concerns/{concern}/timeline").json
    assert any(e["summary"] == "Contact follow-up: Needs a new referral" for e in timeline)

    # the page offers the new concern, about the same person, and records nothing twice
    twice = auth.client.post(
        page_url,
        data={"csrf_token": csrf_token(auth.client, page_url), "outcome": "not_reached"},
        follow_redirects=True,
    )
    assert "it is recorded once" in twice.get_data(as_text=True)
    page = html.unescape(auth.client.get(page_url).get_data(as_text=True))
    assert "Her son now takes her pension." in page
    person_id = recorded.json["person"]["id"]
    assert f"/concerns/new?person_id={person_id}" in page
    new = html.unescape(
        auth.client.get(f"/concerns/new?person_id={person_id}").get_data(as_text=True)
    )
    assert 'value="Alfie"' in new and "Is this the same person?" in new


def test_the_letter_names_only_what_its_recipient_should_read(app_factory, factory, clock, auth):
    clock.set(datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    app, world = _world(app_factory, factory)
    officer = world.clients["officer"]
    concern = record_concern(
        world,
        child=False,
        received_at=RECEIVED,
        referrer_name="Jo Bell",
        referrer_role="Neighbour",
        referrer_contact="4 Mill Lane\nNorthtown NT1 2AB\n01632 960000",
        description="Shouting heard through the wall most nights.",
    )
    _decide(world, concern, "signposted", "Signposted to the tenancy team")
    [follow_up] = _follow_ups(world)
    assert follow_up["contact"]["referrer_contact"].startswith("4 Mill Lane")
    clock.set(datetime(2026, 12, 4, 10, 0, tzinfo=UTC))
    letter = officer.get(f"/api/v1/contact-follow-ups/{follow_up['id']}/letter")
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"
    text = " ".join(_pdf_text(letter.data).split())
    assert "Dear Jo Bell" in text and "Neighbour" in text and "Northtown NT1 2AB" in text
    assert follow_up["reference"] in text and "20 November 2026" in text
    assert "we gave you information about other services that could help" in text
    for private in ("Alfie", "Turner", "1940", "Shouting", "tenancy team"):
        assert private not in text, private

    # the page gives the same letter; a self-referral's goes to the person at home
    auth.client = app.test_client()
    auth.sign_in("officer@example.org")
    page = auth.client.get(f"/follow-ups/{follow_up['id']}/letter.pdf")
    assert page.status_code == 200 and "Dear Jo Bell" in " ".join(_pdf_text(page.data).split())
    own = record_concern(world, child=False, received_at=RECEIVED)
    _decide(world, own, "no_further_action", "Nothing to do")
    [mine] = [f for f in _follow_ups(world) if f["concern_id"] == own]
    text = _pdf_text(officer.get(f"/api/v1/contact-follow-ups/{mine['id']}/letter").data)
    assert "Dear Alfie Turner" in " ".join(text.split())


def test_the_months_figures_by_outcome_and_decision(app_factory, factory, clock, auth):
    clock.set(datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    app, world = _world(app_factory, factory)
    officer = world.clients["officer"]
    december = [record_concern(world, child=False, received_at=RECEIVED) for _ in range(4)]
    for concern_id, decision in zip(
        december,
        ("signposted", "signposted", "no_further_action", "no_further_action"),
        strict=True,
    ):
        _decide(world, concern_id, decision)
    november = record_concern(world, child=False, received_at="2026-11-02T10:00:00+00:00")
    _decide(world, november, "signposted")  # due 20 November: not December's
    ids = {f["concern_id"]: f["id"] for f in _follow_ups(world)}
    clock.set(datetime(2026, 12, 4, 10, 0, tzinfo=UTC))
    for concern_id, outcome in zip(
        december[:3], ("signposting_worked", "not_reached", "not_reached"), strict=True
    ):
        done = officer.post(
            f"/api/v1/contact-follow-ups/{ids[concern_id]}/outcome", json={"outcome": outcome}
        )
        assert done.status_code == 200, done.json

    board = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.BOARD_MEMBER)))
    report = board.get("/api/v1/contact-follow-ups/report?month=2026-12-01").json
    assert report["month"] == "2026-12"
    total = report["total"]
    assert (total["signposting_worked"], total["not_reached"], total["not_recorded"]) == (1, 2, 1)
    assert total["total"] == 4 and total["new_referral_needed"] == 0
    lines = {line["label"]: line for line in report["by_decision"]}
    assert (lines["Signposted"]["signposting_worked"], lines["Signposted"]["not_reached"]) == (1, 1)
    assert (
        lines["No further action"]["not_reached"],
        lines["No further action"]["not_recorded"],
    ) == (1, 1)
    assert (
        board.get("/api/v1/contact-follow-ups/report?month=2026-11-15").json["total"]["total"] == 1
    )
    assert board.get("/api/v1/contact-follow-ups/report?month=2026-13-01").status_code == 422

    auth.client = app.test_client()
    auth.as_role(Role.BOARD_MEMBER)
    page = html.unescape(
        auth.client.get("/follow-ups/report?month-month=12&month-year=2026").get_data(as_text=True)
    )
    assert (
        "Follow-ups due from 1 December 2026 to 31 December 2026: 4 (1 signposting worked" in page
    )
    assert "SG-2026" not in page and "Alfie" not in page, "figures only"
    wrong = auth.client.get("/follow-ups/report?month-month=13&month-year=2026")
    assert wrong.status_code == 400
    title, summary, _ = page_errors(wrong.get_data(as_text=True))
    assert title.startswith("Error:") and summary == ["Enter a real month and year, like 11 2026"]


def test_partners_the_board_and_auditors_read_no_follow_up(app_factory, factory, clock, auth):
    clock.set(datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    app, world = _world(app_factory, factory)
    concern = record_concern(
        world, child=False, received_at=RECEIVED, referrer_agency_id=world.agencies["police"]
    )
    _decide(world, concern, "signposted")
    [follow_up] = _follow_ups(world)
    police = world.clients["police"]  # the referrer's agency: it reads the case
    assert police.get(f"/api/v1/concerns/{concern}").status_code == 200
    board = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.BOARD_MEMBER)))
    auditor = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.AUDITOR)))
    base = f"/api/v1/contact-follow-ups/{follow_up['id']}"
    for client in (police, board, auditor):
        for path in ("/api/v1/contact-follow-ups/", base, base + "/letter"):
            assert client.get(path).status_code in (403, 404), path
        assert client.post(base + "/outcome", json={"outcome": "not_reached"}).status_code in (
            403,
            404,
        )
    assert police.get("/api/v1/contact-follow-ups/report").status_code == 403
    # the case page shows the team the follow-up, and the police nothing of it
    auth.client = app.test_client()
    auth.sign_in("police@example.org")
    case = auth.client.get(f"/concerns/{concern}").get_data(as_text=True)
    assert "contact-follow-up" not in case
    assert auth.client.get(f"/follow-ups/{follow_up['id']}").status_code in (403, 404)
    auth.client = app.test_client()
    auth.sign_in("officer@example.org")
    case = auth.client.get(f"/concerns/{concern}").get_data(as_text=True)
    assert f"/follow-ups/{follow_up['id']}" in case


def test_the_demo_county_has_a_follow_up_due_today_and_one_recorded(app, runner, clock):
    clock.set(datetime(2026, 3, 11, 10, 0, tzinfo=UTC))
    loaded = runner.invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    with app.app_context():
        officer_id = db.session.scalar(
            db.select(User.id).where(User.email == "officer@demo.example")
        )
    officer = ApiClient(app.test_client(), make_token(app, officer_id))
    [due] = officer.get("/api/v1/contact-follow-ups/?state=due").json["items"]
    assert (due["due_on"], due["decision"], due["outcome"]) == ("2026-03-11", "signposted", None)
    assert due["contact"]["referrer_role"] == "Daughter"
    [done] = officer.get("/api/v1/contact-follow-ups/?state=recorded").json["items"]
    assert (done["due_on"], done["outcome"]) == ("2026-03-04", "signposting_worked")
    assert done["contact"]["referrer_name"] is None, "he rang about himself"
    work = {task["key"]: task["count"] for task in officer.get("/api/v1/me/work").json}
    assert work["contact_follow_ups"] == 1
