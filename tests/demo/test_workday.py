"""`flask demo load` gives a county full of work in hand, dated from the day it is loaded
(core/demo/workday.py): each role finds something to do, read through the public API."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.support.database import base_config, fresh_database

# a Wednesday in term, and a Monday after a bank holiday weekend (25 August 2025 was the
# summer bank holiday, so "yesterday" in working days is the Friday before)
DAYS = [datetime(2026, 3, 11, 10, 0, tzinfo=UTC), datetime(2025, 8, 26, 9, 30, tzinfo=UTC)]


def _api(app, email: str) -> ApiClient:
    from core.auth.models import User

    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.email == email))
    return ApiClient(app.test_client(), make_token(app, user_id, days=365))


def _load(app, runner, clock, now: datetime):
    clock.set(now)
    loaded = runner.invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    return loaded.output


@pytest.mark.parametrize("now", DAYS, ids=["wednesday", "after-bank-holiday"])
def test_every_screening_state_and_the_handover_wait_for_the_team(app, runner, clock, now):
    output = _load(app, runner, clock, now)
    assert "31 children's cases and 18 adults' concerns added" in output
    today = now.date()
    officer = _api(app, "officer@demo.example")

    undecided = officer.get("/api/v1/concerns/?undecided=true&page_size=100").json["items"]
    due = sorted(date.fromisoformat(c["screening_due"]) for c in undecided)
    assert any(d > today for d in due), "a concern received just now"
    assert today in due, "a screening decision due today"
    assert any(d < today for d in due), "an overdue screening decision"
    overdue = officer.get("/api/v1/concerns/?overdue=true&page_size=100").json["items"]
    assert {c["id"] for c in overdue} <= {c["id"] for c in undecided}
    assert overdue, overdue

    handover = officer.get("/api/v1/handover")
    assert handover.status_code == 200, handover.json
    assert len(handover.json["concerns"]) == 2, "two concerns out of hours last night"
    assert all(c["out_of_hours"] for c in handover.json["concerns"])
    # the son alleged to have bruised his mother was named in an earlier concern too
    named = [
        a
        for c in handover.json["concerns"]
        for a in officer.get(f"/api/v1/concerns/{c['id']}/alleged-people").json
    ]
    assert [(len(a["other_concern_ids"]), a["support"]) for a in named] == [(1, "offered")]

    clusters = officer.get("/api/v1/clusters/").json
    assert [(c["establishment_name"], c["concerns"]) for c in clusters] == [("Meadowbank House", 3)]
    # the night care assistant at the home, in a position of trust: a PiPoT referral open
    trust = officer.get("/api/v1/returns/positions-of-trust").json
    assert [(e["name"], [r["process"] for r in e["referrals"]]) for e in trust["employers"]] == [
        ("Meadowbank House", ["pipot"])
    ]
    upcoming = officer.get(f"/api/v1/meetings/?status=scheduled&starts_from={today}")
    upcoming = upcoming.json["items"]
    assert {m["type"] for m in upcoming} == {
        "organisational_strategy_meeting",
        "strategy_discussion",
    }
    assert all(datetime.fromisoformat(m["starts_at"]) > now for m in upcoming)

    log = officer.get("/api/v1/complaints/?page_size=10").json["items"]
    assert sorted(e["kind"] for e in log) == ["complaint", "complaint", "compliment"]
    child = next(e for e in log if e["procedure"] == "children")
    assert (
        child["stages"][0]["clock"] == "Due"
        and date.fromisoformat(child["stages"][0]["due_on"]) > today
    ), "a stage 1 children's complaint due soon"
    adult = next(e for e in log if e["procedure"] == "adults")
    assert adult["stages"][0]["clock"] == "Met late"


def test_partners_find_invitations_actions_and_forms(app, runner, clock):
    _load(app, runner, clock, DAYS[0])
    police, nhs, carehome = (
        _api(app, f"{name}@demo.example") for name in ("police", "nhs", "carehome")
    )

    police_id = police.get("/api/v1/me").json["agency"]["id"]
    scheduled = police.get("/api/v1/meetings/?status=scheduled").json["items"]
    waiting = [
        i
        for m in scheduled
        for i in m["invitations"]
        if i["agency_id"] == police_id and i["response"] is None
    ]
    assert waiting, "an invitation to answer"
    plan_actions = police.get("/api/v1/plans/actions").json
    assert [a["description"] for a in plan_actions] == [
        "Interview the son under caution and tell the team the outcome"
    ]
    trust_actions = nhs.get("/api/v1/plans/actions").json
    assert any(date.fromisoformat(a["due_on"]) < DAYS[0].date() for a in trust_actions), (
        "an action the trust is late with"
    )
    meeting_actions = nhs.get("/api/v1/meetings/actions").json
    assert [a["description"] for a in meeting_actions] == [
        "Send the emergency department notes to the enquiry officer"
    ]

    investigations = police.get("/api/v1/forms/police.investigation/submissions").json
    assert len(investigations["items"]) == 2, investigations
    discharges = nhs.get("/api/v1/forms/nhs_trust.discharge_notification/submissions").json
    assert len(discharges["items"]) == 1, discharges
    # and two standalone discharges (no concern), both out of hours, one followed up
    standalone = nhs.get("/api/v1/discharges/").json["items"]
    assert [(d["out_of_hours"], d["followed_up"]) for d in standalone] == [
        (True, False),
        (True, True),
    ]
    assert police.get("/api/v1/discharges/").json["items"] == []
    alerts = carehome.get("/api/v1/reports/care_home.late_or_incomplete_alerts").json
    assert len(alerts["rows"]) == 1, alerts


def test_the_demo_conference_decided_a_plan_and_a_new_one_can_be_quorate(app, runner, clock):
    """The adult protection conference the demo held started the adult's plan; one made
    from the demo data with its standard list and everyone attending is quorate."""
    _load(app, runner, clock, DAYS[0])
    officer = _api(app, "officer@demo.example")
    meetings = officer.get("/api/v1/meetings/?type=adult_protection_conference").json["items"]
    assert len(meetings) == 1 and meetings[0]["status"] == "held"
    assert meetings[0]["quorate"] is True
    # every held meeting keeps the verdict the rule gives on its outcomes
    with app.app_context():
        from core.meetings.models import Meeting, MeetingStatus
        from core.meetings.operations import apply_quorum_rule

        held_meetings = db.session.scalars(
            sa.select(Meeting).where(Meeting.status == MeetingStatus.HELD)
        ).all()
        assert held_meetings and all(
            m.quorate == apply_quorum_rule(m).quorate for m in held_meetings
        )
        assert any(m.quorate is not None for m in held_meetings)
    plans = officer.get("/api/v1/plans/?kind=adult_safeguarding").json["items"]
    assert [p["meeting_id"] for p in plans] == [meetings[0]["id"]]

    enquiries = officer.get("/api/v1/concerns/?decision=section_42_enquiry&page_size=100")
    at_home = [
        c
        for c in enquiries.json["items"]
        if c["location"] == "own_home" and c["id"] != plans[0]["concern_id"]
    ]
    conference = officer.post(
        "/api/v1/meetings/",
        json={
            "type": "adult_protection_conference",
            "concern_ids": [at_home[0]["id"]],
            "starts_at": "2026-03-18T10:00:00+00:00",
            "venue": "County Hall",
        },
    )
    assert conference.status_code == 201, conference.json
    clock.set(datetime(2026, 3, 18, 12, 0, tzinfo=UTC))
    held = officer.post(
        f"/api/v1/meetings/{conference.json['id']}/held",
        json={
            "outcomes": [
                {"invitation_id": i["id"], "outcome": "attended_in_person"}
                for i in conference.json["invitations"]
            ]
        },
    )
    assert held.status_code == 200, held.json
    assert held.json["quorate"] is True, held.json["quorum_failure"]


def test_reviews_audits_and_the_board_have_work(app, runner, clock):
    _load(app, runner, clock, DAYS[0])
    today = DAYS[0].date()
    manager = _api(app, "manager@demo.example")
    overdue = manager.get("/api/v1/plans/?review_overdue=true&page_size=100").json["items"]
    assert any(
        p["kind"] == "child_protection" and date.fromisoformat(p["next_review_due"]) < today
        for p in overdue
    ), "a child protection plan whose review is overdue"

    board = _api(app, "board@demo.example")
    audits = board.get("/api/v1/audits/attendance/").json["items"]
    assert [(a["period_start"], a["period_end"]) for a in audits] == [
        ("2025-07-01", "2025-12-31"),
        ("2025-01-01", "2025-06-30"),
    ]
    actions = board.get(f"/api/v1/audits/attendance/{audits[0]['id']}").json["board_actions"]
    trust = _api(app, "nhs@demo.example").get("/api/v1/me").json["agency"]["id"]
    assert [a["agency_id"] for a in actions] == [trust], "the trust missed half its meetings"

    auditor = _api(app, "auditor@demo.example")
    casefile = auditor.get("/api/v1/casefile-audits/").json["items"]
    # January to March 2026 is Q4 of 2025/26, sampled as Newport does: out-of-hours cases
    assert [(a["year"], a["quarter"], a["status"]) for a in casefile] == [(2025, 4, "open")]
    assert casefile[0]["quarter_label"] == "Q4 2025/26 (January to March 2026)"
    assert casefile[0]["limits"]["out_of_hours"] is True
    drawn = manager.get(f"/api/v1/casefile-audits/{casefile[0]['id']}").json["cases"]
    assert len(drawn) == 2, "last night's two out-of-hours calls"
    manager_id = manager.get("/api/v1/me").json["id"]
    assert drawn[1]["auditor_id"] == manager_id, "the manager reviews a case not their own"
    assigned = auditor.get(f"/api/v1/casefile-audits/{casefile[0]['id']}").json["cases"]
    auditor_id = auditor.get("/api/v1/me").json["id"]
    assert [r["auditor_id"] for r in assigned] == [auditor_id], "a review to do"


def test_the_same_day_gives_the_same_county_and_another_day_moves_with_it(
    database_template, tmp_path, clock
):
    from core import create_app
    from core.concerns.models import Concern
    from core.people.models import Person

    def county(now: datetime, run: str) -> list[tuple[str, str, str]]:
        (tmp_path / run).mkdir()
        with fresh_database(database_template, tmp_path / run) as url:
            app = create_app(base_config() | {"SQLALCHEMY_DATABASE_URI": url})
            clock.set(now)
            assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
            with app.app_context():
                rows = db.session.execute(
                    sa.select(Concern.reference, Person.family_name, Concern.received_at)
                    .join(Person, Concern.person_id == Person.id)
                    .where(~Concern.is_child)
                    .order_by(Concern.id)
                ).all()
                db.session.remove()
                db.engine.dispose()
        return [(r, n, str(at.date())) for r, n, at in rows]

    first = county(DAYS[0], "first")
    assert len(first) == 18
    assert county(DAYS[0], "again") == first
    later = county(datetime(2026, 3, 25, 10, 0, tzinfo=UTC), "later")
    assert [name for _, name, _ in later] == [name for _, name, _ in first]
    assert max(date.fromisoformat(at) for _, _, at in first) == date(2026, 3, 11)
    assert max(date.fromisoformat(at) for _, _, at in later) == date(2026, 3, 25)
