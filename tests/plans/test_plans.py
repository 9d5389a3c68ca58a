"""Protection plans: started from conferences or directly, review cycles, actions owned by
agencies, category history, ending, oversight and the report."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.clocks import add_months
from core.extensions import db
from plugins import ReviewedPlan, hookimpl
from tests.conftest import Factory, csrf_token
from tests.meetings.helpers import build_world, record_concern, schedule
from tests.support.clock import SUITE_NOW, set_now


class ReviewRecorder:
    def __init__(self) -> None:
        self.reviews: list[ReviewedPlan] = []

    @hookimpl
    def plan_reviewed(self, plan: ReviewedPlan) -> None:
        self.reviews.append(plan)


def _hold(app, world, meeting: dict, when: datetime, decisions: list[dict]) -> dict:
    set_now(when)
    outcomes = [
        {"invitation_id": i["id"], "outcome": "attended_in_person"} for i in meeting["invitations"]
    ]
    held = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/held",
        json={"outcomes": outcomes, "decisions": decisions},
    )
    assert held.status_code == 200, held.json
    return held.json


def test_a_plan_from_an_icpc_on_7_january_is_reviewed_by_7_april_then_six_monthly(app_factory):
    recorder = ReviewRecorder()
    app = app_factory(EXTRA_PLUGINS=[recorder])
    world = build_world(app, Factory(app))
    officer = world.clients["officer"]
    concern_id = record_concern(world)
    icpc = schedule(
        world, concern_id, "initial_child_protection_conference", "2027-01-07T10:00:00+00:00"
    ).json
    _hold(
        app,
        world,
        icpc,
        datetime(2027, 1, 7, 13, 0, tzinfo=UTC),
        [{"kind": "child_protection_plan", "plan_category": "NEG"}],
    )
    [plan] = officer.get(f"/api/v1/plans/?concern_id={concern_id}").json["items"]
    assert (plan["kind"], plan["category"], plan["initial_category"]) == (
        "child_protection",
        "NEG",
        "NEG",
    )
    assert plan["meeting_id"] == icpc["id"] and plan["started_on"] == "2027-01-07"
    assert plan["next_review_due"] == "2027-04-07"
    assert plan["previous_plans"] == 0

    review_conference = schedule(
        world, concern_id, "review_child_protection_conference", "2027-04-01T10:00:00+00:00"
    ).json
    assert review_conference["due_by"] == "2027-04-07"
    _hold(app, world, review_conference, datetime(2027, 4, 1, 13, 0, tzinfo=UTC), [])
    reviewed = officer.post(
        f"/api/v1/plans/{plan['id']}/reviews",
        json={"meeting_id": review_conference["id"], "decision": "continue"},
    )
    assert reviewed.status_code == 201, reviewed.json
    assert reviewed.json["reviewed_on"] == "2027-04-01"
    after = officer.get(f"/api/v1/plans/{plan['id']}").json
    assert after["next_review_due"] == "2027-10-01"
    assert after["last_reviewed_on"] == "2027-04-01"
    [seen] = recorder.reviews
    assert (seen.id, seen.decision, seen.next_review_due) == (
        plan["id"],
        "continue",
        date(2027, 10, 1),
    )
    # a child's review must be a held review conference of the case
    refused = officer.post(
        f"/api/v1/plans/{plan['id']}/reviews",
        json={"reviewed_on": "2027-04-02", "decision": "continue"},
    )
    assert refused.status_code == 422
    assert "review child protection conference" in str(refused.json)


def test_a_child_protection_plan_needs_its_conference_and_a_category(app, factory):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    officer = world.clients["officer"]
    refused = officer.post("/api/v1/plans/", json={"concern_id": concern_id, "category": "NEG"})
    assert refused.status_code == 422
    assert "initial child protection conference" in str(refused.json["errors"]["meeting_id"])
    icpc = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-01T10:00:00+00:00"
    ).json
    _hold(
        app,
        world,
        icpc,
        datetime(2026, 12, 1, 13, 0, tzinfo=UTC),
        [{"kind": "no_child_protection_plan"}],
    )
    assert officer.get(f"/api/v1/plans/?concern_id={concern_id}").json["items"] == []
    wrong = officer.post(
        "/api/v1/plans/",
        json={"concern_id": concern_id, "meeting_id": icpc["id"], "category": "NEG"},
    )
    assert wrong.status_code == 422
    assert "did not decide on a child protection plan" in str(wrong.json)


def _adult_plan(app, world, months_ago: int = 0) -> tuple[int, dict]:
    """An adult's concern received before the plan, and a plan started directly."""
    today = datetime.now(UTC).date()
    started = add_months(today, -months_ago)
    received = datetime.combine(started - timedelta(days=3), datetime.min.time(), UTC)
    concern_id = record_concern(world, child=False, received_at=received.isoformat())
    created = world.clients["officer"].post(
        "/api/v1/plans/", json={"concern_id": concern_id, "started_on": started.isoformat()}
    )
    assert created.status_code == 201, created.json
    assert created.headers["Location"] == f"/api/v1/plans/{created.json['id']}"
    return concern_id, created.json


def test_agencies_update_their_own_actions_and_nothing_of_anyone_else(app, factory):
    world = build_world(app, factory)
    _, plan = _adult_plan(app, world)
    officer = world.clients["officer"]
    actions = {}
    for name, text in (("nhs", "Review medication at the next visit"), ("police", "Visit")):
        added = officer.post(
            f"/api/v1/plans/{plan['id']}/actions",
            json={
                "description": text,
                "owner_agency_id": world.agencies[name],
                "owner_name": "Sam Taylor",
                "due_on": (datetime.now(UTC).date() + timedelta(days=14)).isoformat(),
            },
        )
        assert added.status_code == 201, added.json
        actions[name] = added.json
    nhs = world.clients["nhs"]
    seen = nhs.get(f"/api/v1/plans/{plan['id']}")
    assert seen.status_code == 200  # owning an action involves the trust in the case
    assert [a["id"] for a in seen.json["actions"]] == [actions["nhs"]["id"]]

    base = f"/api/v1/plans/{plan['id']}/actions"
    mine = nhs.get(f"{base}/{actions['nhs']['id']}")
    updated = nhs.patch(
        f"{base}/{actions['nhs']['id']}",
        json={"status": "in_progress"},
        headers={"If-Match": mine.headers["ETag"]},
    )
    assert updated.status_code == 200 and updated.json["status"] == "in_progress"
    not_done = nhs.patch(
        f"{base}/{actions['nhs']['id']}",
        json={"status": "not_done"},
        headers={"If-Match": updated.headers["ETag"]},
    )
    assert not_done.status_code == 422 and "Say why the action was not done" in str(not_done.json)
    theirs = nhs.patch(
        f"{base}/{actions['police']['id']}", json={"status": "done"}, headers={"If-Match": "*"}
    )
    assert theirs.status_code == 404
    assert nhs.get(f"{base}/{actions['police']['id']}").status_code == 404
    with app.app_context():
        denied = db.session.scalars(
            sa.select(AccessLogEntry.object_id).where(
                AccessLogEntry.action == "plan.action",
                AccessLogEntry.outcome == "denied",
                AccessLogEntry.user_id == world.users["nhs"],
            )
        ).all()
    assert denied == [str(actions["police"]["id"])] * 2
    # an agency with no action and no other involvement sees nothing of the plan
    assert world.clients["school"].get(f"/api/v1/plans/{plan['id']}").status_code == 404


def test_nhs_demo_user_updates_their_trust_action_from_the_portal(app, runner):
    from core.demo.operations import DEMO_PASSWORD

    assert runner.invoke(args=["demo", "load", "--accounts-only"]).exit_code == 0
    with app.app_context():
        from core.auth.models import Agency, User
        from tests.api.conftest import make_token

        officer_id = db.session.scalar(
            sa.select(User.id).where(User.email == "officer@demo.example")
        )
        trust = db.session.scalar(
            sa.select(Agency.id).where(Agency.type == "nhs_trust").order_by(Agency.id)
        )
        police = db.session.scalar(sa.select(Agency.id).where(Agency.type == "police"))
    from tests.api.conftest import ApiClient

    officer = ApiClient(app.test_client(), make_token(app, officer_id))
    concern = officer.post(
        "/api/v1/concerns/",
        json={
            "received_at": "2026-11-02T10:15:00+00:00",
            "person": {"given_name": "Iris", "family_name": "Moss", "date_of_birth": "1941-03-03"},
            "is_child": False,
            "types_of_risk": ["neglect"],
            "location": "own_home",
            "source_of_risk": "known",
            "description": "Missed medication and no food in the house.",
        },
    ).json
    plan = officer.post("/api/v1/plans/", json={"concern_id": concern["id"]}).json
    due = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()
    ours = officer.post(
        f"/api/v1/plans/{plan['id']}/actions",
        json={
            "description": "District nurse to check medication",
            "owner_agency_id": trust,
            "due_on": due,
        },
    ).json
    theirs = officer.post(
        f"/api/v1/plans/{plan['id']}/actions",
        json={"description": "Police welfare visit", "owner_agency_id": police, "due_on": due},
    ).json

    client = app.test_client()
    token = csrf_token(client, "/sign-in")
    client.post(
        "/sign-in",
        data={"email": "nhs@demo.example", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    portal = client.get("/plans/actions").get_data(as_text=True)
    assert "District nurse to check medication" in portal
    assert "Police welfare visit" not in portal
    url = f"/plans/{plan['id']}/actions/{ours['id']}"
    saved = client.post(
        url, data={"csrf_token": csrf_token(client, url), "status": "done", "not_done_reason": ""}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert officer.get(f"/api/v1/plans/{plan['id']}").json["actions"][0]["status"] == "done"
    other = f"/plans/{plan['id']}/actions/{theirs['id']}"
    assert client.get(other).status_code == 404
    assert (
        client.post(
            other, data={"csrf_token": csrf_token(client, url), "status": "done"}
        ).status_code
        == 404
    )
    assert officer.get(f"/api/v1/plans/{plan['id']}").json["actions"][1]["status"] == "not_started"
    page = client.get(f"/plans/{plan['id']}").get_data(as_text=True)
    assert "District nurse" in page and "Police welfare visit" not in page


def test_a_plan_without_a_review_for_six_months_is_listed_and_filtered(app, factory, auth):
    world = build_world(app, factory)
    _, old = _adult_plan(app, world, months_ago=7)
    _, recent = _adult_plan(app, world, months_ago=1)
    officer = world.clients["officer"]
    listed = officer.get("/api/v1/plans/?needs_attention=true").json["items"]
    assert [p["id"] for p in listed] == [old["id"]]
    assert listed[0]["needs_attention"] == [
        "Review overdue",
        "Open over 6 months without a review",
    ]
    overdue = officer.get("/api/v1/plans/?review_overdue=true").json["items"]
    assert [p["id"] for p in overdue] == [old["id"]]
    calm = officer.get("/api/v1/plans/?needs_attention=false").json["items"]
    assert [p["id"] for p in calm] == [recent["id"]]
    assert officer.get("/api/v1/plans/?needs_attention=perhaps").status_code == 422
    auth.sign_in("officer@example.org")
    page = auth.client.get("/plans/?attention=yes&status=open").get_data(as_text=True)
    assert "Open over 6 months without a review" in page
    assert re.findall(r'href="/plans/(\d+)"', page) == [str(old["id"])]


def test_ending_needs_a_reason_and_a_category_change_keeps_the_history(app, factory, auth):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    icpc = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-11-20T10:00:00+00:00"
    ).json
    _hold(
        app,
        world,
        icpc,
        datetime(2026, 11, 20, 13, 0, tzinfo=UTC),
        [{"kind": "child_protection_plan", "plan_category": "NEG"}],
    )
    set_now(SUITE_NOW, tick=True)
    officer = world.clients["officer"]
    [plan] = officer.get(f"/api/v1/plans/?concern_id={concern_id}").json["items"]
    url = f"/api/v1/plans/{plan['id']}"
    etag = officer.get(url).headers["ETag"]
    changed = officer.patch(
        url,
        json={"category": "EMO", "reason": "Domestic abuse witnessed at home"},
        headers={"If-Match": etag},
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["initial_category"], changed.json["category"]) == ("NEG", "EMO")
    [history] = changed.json["category_history"]
    assert (history["from_category"], history["to_category"]) == ("NEG", "EMO")
    assert history["reason"] == "Domestic abuse witnessed at home"
    same = officer.patch(
        url,
        json={"category": "EMO", "reason": "again"},
        headers={"If-Match": changed.headers["ETag"]},
    )
    assert same.status_code == 422

    today = datetime.now(UTC).date().isoformat()
    no_reason = officer.post(f"{url}/end", json={"ended_on": today})
    assert no_reason.status_code == 422
    blank = officer.post(f"{url}/end", json={"ended_on": today, "reason": "   "})
    assert blank.status_code == 422 and "Say why the plan ends" in str(blank.json)
    assert officer.get(url).json["status"] == "open"

    auth.sign_in("officer@example.org")
    page_url = f"/plans/{plan['id']}/end"
    refused = auth.client.post(
        page_url,
        data={
            "csrf_token": csrf_token(auth.client, page_url),
            "reason": "",
            "ended_on": ["1", "12", "2026"],
        },
    )
    assert refused.status_code == 200 and "Say why the plan ends" in refused.get_data(as_text=True)
    day = datetime.now(UTC).date()
    ended = auth.client.post(
        page_url,
        data={
            "csrf_token": csrf_token(auth.client, page_url),
            "reason": "Risks reduced; child in need plan instead",
            "ended_on": [str(day.day), str(day.month), str(day.year)],
        },
    )
    assert ended.status_code == 302, ended.get_data(as_text=True)
    shown = auth.client.get(f"/plans/{plan['id']}").get_data(as_text=True)
    assert "Neglect to Emotional abuse" in shown and "Risks reduced" in shown
    case = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Child protection plan category changed from neglect to emotional abuse" in case
    assert "Child protection plan (emotional abuse) ended on" in case


def test_the_plans_report_counts_by_category_support_reason_and_age(app, factory, auth):
    world = build_world(app, factory)
    _adult_plan(app, world, months_ago=2)
    _adult_plan(app, world, months_ago=14)  # started before the default period, still open
    auth.sign_in("officer@example.org")
    page = auth.client.get("/plans/report").get_data(as_text=True)
    assert "Adult safeguarding plans by age at the start" in page
    csv = auth.client.get("/plans/report.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    rows = [line.split(",") for line in csv.get_data(as_text=True).strip().splitlines()]
    totals = {
        r[0]: r[2:] for r in rows if r[1] == "Total" and r[0].startswith("Adult safeguarding")
    }
    assert totals["Adult safeguarding plans by age at the start"] == ["2", "1", "0"]
    age = [r for r in rows if r[0] == "Adult safeguarding plans by age at the start"]
    assert ["Adult safeguarding plans by age at the start", "85–94", "2", "1", "0"] in age
    bad_date = auth.client.get("/plans/report?from=2026-13-01")
    assert bad_date.status_code == 400
    assert "From must be a real date, like 1 4 2026" in bad_date.get_data(as_text=True)
    backwards = auth.client.get("/plans/report?from=2026-06-01&to=2026-01-01")
    assert backwards.status_code == 400
    assert "To must be the same as or after From" in backwards.get_data(as_text=True)


def test_the_safeguarding_team_runs_an_adult_plan_from_the_pages(app, factory, auth):
    world = build_world(app, factory)
    concern_id = record_concern(world, child=False)
    auth.sign_in("officer@example.org")
    client = auth.client
    case = client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "No protection plan." in case
    start_url = f"/plans/new?concern_id={concern_id}"
    assert "Start a protection plan" in case and start_url.replace("&", "&amp;") in case
    future = datetime.now(UTC).date() + timedelta(days=3)
    refused = client.post(
        start_url,
        data={
            "csrf_token": csrf_token(client, start_url),
            "meeting_id": "",
            "started_on": [str(future.day), str(future.month), str(future.year)],
        },
    )
    assert "The start date must not be in the future" in refused.get_data(as_text=True)
    started = client.post(
        start_url, data={"csrf_token": csrf_token(client, start_url), "meeting_id": ""}
    )
    assert started.status_code == 302, started.get_data(as_text=True)
    plan_url = started.headers["Location"]
    assert "Start a protection plan" not in client.get(f"/concerns/{concern_id}").get_data(
        as_text=True
    )

    action_url = f"{plan_url}/actions/new"
    bad = client.post(
        action_url,
        data={
            "csrf_token": csrf_token(client, action_url),
            "description": "",
            "owner_agency_id": "",
        },
    )
    assert "Describe the action" in bad.get_data(as_text=True)
    due = datetime.now(UTC).date() + timedelta(days=10)
    added = client.post(
        action_url,
        data={
            "csrf_token": csrf_token(client, action_url),
            "description": "Arrange a carers assessment",
            "owner_agency_id": str(world.agencies["council"]),
            "owner_name": "",
            "due_on": [str(due.day), str(due.month), str(due.year)],
        },
    )
    assert added.status_code == 302, added.get_data(as_text=True)
    plan_id = int(plan_url.rsplit("/", 1)[1])
    with app.app_context():
        from core.plans.models import PlanAction

        action_id = db.session.scalar(sa.select(PlanAction.id).where(PlanAction.plan_id == plan_id))

    review_url = f"{plan_url}/review"
    form = client.get(review_url).get_data(as_text=True)
    assert "Arrange a carers assessment" in form
    today = datetime.now(UTC).date()
    data = {
        "csrf_token": csrf_token(client, review_url),
        "reviewed_on": [str(today.day), str(today.month), str(today.year)],
        "attendees": "",
        "decision": "continue",
        f"progress-{action_id}": "in_progress",
        f"progress-note-{action_id}": "Assessor booked",
    }
    missing = client.post(review_url, data=data)
    assert "List who took part in the review" in missing.get_data(as_text=True)
    data["attendees"] = "Jo Officer, social worker\nThe person and their daughter"
    reviewed = client.post(review_url, data=data)
    assert reviewed.status_code == 302, reviewed.get_data(as_text=True)
    shown = client.get(plan_url).get_data(as_text=True)
    assert "Continue the plan" in shown and "Assessor booked" in shown
    assert add_months(today, 6).strftime("%d %B %Y") in shown
