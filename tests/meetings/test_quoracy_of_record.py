"""A held meeting keeps its verdict on quoracy (``Meeting.quorate``, issue 23): stored when
it is recorded and when an outcome is corrected, always what ``quoracy`` and the rule say;
the meeting's page, the API and the attendance audit show that verdict, and a later change
of an agency's type does not rewrite it unless ``flask audits requorate --all`` is run."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from core.auth.models import Agency
from core.auth.roles import Role
from core.extensions import db
from core.meetings.models import Meeting
from core.meetings.operations import apply_quorum_rule, quoracy
from core.meetings.quorum import store_quoracy
from tests.api.conftest import ApiClient, make_token
from tests.conftest import Auth, Factory
from tests.meetings.helpers import World, build_world, record_concern, schedule
from tests.support.clock import set_now

H2_2026 = {"period_start": "2026-07-01", "period_end": "2026-12-31"}


def _stored(app: Any, meeting_id: int) -> tuple[bool | None, bool | None]:
    """The verdict stored, and the rule's verdict on the meeting as it is now."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert quoracy(meeting).quorate == meeting.quorate or meeting.quorate is None
        return meeting.quorate, apply_quorum_rule(meeting).quorate


def _hold(world: World, meeting: dict[str, Any], attended: set[str]) -> dict[str, Any]:
    names = {v: k for k, v in world.agencies.items()}
    outcomes = [
        {
            "invitation_id": i["id"],
            "outcome": "attended_in_person"
            if names[i["agency_id"]] in attended
            else "apologies_without_report",
        }
        for i in meeting["invitations"]
    ]
    held = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/held",
        json={
            "outcomes": outcomes,
            "decisions": [{"kind": "child_protection_plan", "plan_category": "NEG"}],
        },
    )
    assert held.status_code == 200, held.json
    return held.json


def _set_outcome(world: World, meeting: dict[str, Any], name: str, outcome: str) -> Any:
    officer = world.clients["officer"]
    invitation = next(i for i in meeting["invitations"] if i["agency_id"] == world.agencies[name])
    url = f"/api/v1/meetings/{meeting['id']}/invitations/{invitation['id']}"
    etag = officer.get(url).headers["ETag"]
    return officer.patch(url, json={"outcome": outcome}, headers={"If-Match": etag})


def _audit_quorate(app: Any, factory: Any) -> tuple[int, int]:
    manager = factory.user(role=Role.SAFEGUARDING_MANAGER)
    client = ApiClient(app.test_client(), make_token(app, manager))
    audit = client.post("/api/v1/audits/attendance/", json=H2_2026)
    assert audit.status_code == 201, audit.json
    [share] = [q for q in audit.json["quoracy"] if q["meeting_type"] == "all"]
    return share["conferences"], share["quorate"]


def _page_says(app: Any, meeting_id: int) -> str:
    client = app.test_client()
    Auth(client, Factory(app)).sign_in("officer@example.org")
    text = html.unescape(client.get(f"/meetings/{meeting_id}").get_data(as_text=True))
    return "Not quorate" if "Not quorate" in text else "Quorate" if "Quorate" in text else ""


def test_the_verdict_is_stored_when_held_and_when_an_outcome_is_corrected(app, factory):
    world = build_world(app, factory)
    meeting = schedule(
        world,
        record_concern(world),
        "initial_child_protection_conference",
        "2026-12-10T10:00:00+00:00",
    ).json
    assert _stored(app, meeting["id"]) == (None, False)  # scheduled: no verdict
    set_now(datetime(2026, 12, 10, 12, 0, tzinfo=UTC))
    held = _hold(world, meeting, {"csc", "police"})
    assert held["quorate"] is False
    assert _stored(app, meeting["id"]) == (False, False)

    # Health did attend after all: the correction makes it quorate
    corrected = _set_outcome(world, meeting, "nhs", "attended_virtually")
    assert corrected.status_code == 200, corrected.json
    assert _stored(app, meeting["id"]) == (True, True)
    assert world.clients["officer"].get(f"/api/v1/meetings/{meeting['id']}").json["quorate"]
    assert _page_says(app, meeting["id"]) == "Quorate"
    set_now(datetime(2027, 1, 5, 9, 0, tzinfo=UTC))
    assert _audit_quorate(app, factory) == (1, 1)

    # and back: social care did not attend
    set_now(datetime(2026, 12, 11, 9, 0, tzinfo=UTC))
    assert _set_outcome(world, meeting, "csc", "did_not_attend").status_code == 200
    assert _stored(app, meeting["id"]) == (False, False)
    api = world.clients["officer"].get(f"/api/v1/meetings/{meeting['id']}").json
    assert api["quorate"] is False
    assert api["quorum_failure"].startswith("Children's social care did not attend")
    assert _page_says(app, meeting["id"]) == "Not quorate"
    set_now(datetime(2027, 1, 5, 9, 0, tzinfo=UTC))
    assert _audit_quorate(app, factory) == (1, 0)


def test_a_held_meetings_invitations_can_no_longer_change(app, factory):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    meeting = schedule(
        world,
        record_concern(world),
        "initial_child_protection_conference",
        "2026-12-10T10:00:00+00:00",
    ).json
    set_now(datetime(2026, 12, 10, 12, 0, tzinfo=UTC))
    _hold(world, meeting, {"csc", "police", "nhs"})
    police = next(i for i in meeting["invitations"] if i["agency_id"] == world.agencies["police"])
    url = f"/api/v1/meetings/{meeting['id']}/invitations/{police['id']}?reason=Not+needed"
    assert officer.client.delete(url, headers=officer.headers()).status_code == 422
    added = officer.post(
        f"/api/v1/meetings/{meeting['id']}/invitations",
        json={"agency_id": world.agencies["housing"], "reason": "Landlord"},
    )
    assert added.status_code == 422
    assert _stored(app, meeting["id"]) == (True, True)


def test_a_meeting_without_a_quorum_rule_has_no_verdict(app, factory):
    world = build_world(app, factory)
    meeting = schedule(
        world, record_concern(world), "strategy_discussion", "2026-12-10T10:00:00+00:00"
    ).json
    set_now(datetime(2026, 12, 10, 12, 0, tzinfo=UTC))
    held = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/held",
        json={
            "outcomes": [
                {"invitation_id": i["id"], "outcome": "attended_in_person"}
                for i in meeting["invitations"]
            ]
        },
    )
    assert held.status_code == 200, held.json
    assert held.json["quorate"] is None
    assert _stored(app, meeting["id"]) == (None, None)


def test_a_later_change_of_an_agencys_type_keeps_the_verdict_until_requorate(app, factory, runner):
    world = build_world(app, factory)
    meeting = schedule(
        world,
        record_concern(world),
        "initial_child_protection_conference",
        "2026-12-10T10:00:00+00:00",
    ).json
    set_now(datetime(2026, 12, 10, 12, 0, tzinfo=UTC))
    _hold(world, meeting, {"csc", "police", "nhs"})
    assert _stored(app, meeting["id"]) == (True, True)
    with app.app_context():  # social care's agency becomes the council's own
        db.session.execute(
            sa.update(Agency)
            .where(Agency.id == world.agencies["csc"])
            .values(type="local_authority")
        )
        db.session.commit()
    # decided at the meeting under the rule then: page, API and audit keep it
    assert _stored(app, meeting["id"]) == (True, False)
    assert world.clients["officer"].get(f"/api/v1/meetings/{meeting['id']}").json["quorate"]
    assert _page_says(app, meeting["id"]) == "Quorate"
    set_now(datetime(2027, 1, 5, 9, 0, tzinfo=UTC))
    assert _audit_quorate(app, factory) == (1, 1)

    with app.app_context():
        assert store_quoracy() == 0  # only the meetings with no verdict
    result = runner.invoke(args=["audits", "requorate", "--all"])
    assert result.exit_code == 0, result.output
    assert "Quoracy stored for 1 held conference." in result.output
    assert _stored(app, meeting["id"]) == (False, False)
    api = world.clients["officer"].get(f"/api/v1/meetings/{meeting['id']}").json
    assert api["quorate"] is False
    assert api["quorum_failure"].startswith("Children's social care did not attend")
    assert _page_says(app, meeting["id"]) == "Not quorate"
    assert _audit_quorate(app, factory) == (1, 0)


def test_meetings_recorded_before_the_migration_are_counted_then_given_their_verdict(
    app, factory, runner
):
    """The migration leaves held meetings without a verdict (it cannot read the quorum
    rules); the audit works those out under today's rule, and ``flask audits requorate``
    stores them."""
    from flask_migrate import downgrade, upgrade

    world = build_world(app, factory)
    quorate, not_quorate = (
        schedule(
            world,
            record_concern(world),
            "initial_child_protection_conference",
            "2026-12-10T10:00:00+00:00",
        ).json
        for _ in range(2)
    )
    set_now(datetime(2026, 12, 10, 12, 0, tzinfo=UTC))
    _hold(world, quorate, {"csc", "police", "nhs"})
    _hold(world, not_quorate, {"police", "nhs"})
    with app.app_context():
        downgrade(revision="9c4e2b7a1d03")  # the migrations after the column's
        downgrade(revision="-1")  # and the one that brought it
        upgrade()
        db.session.remove()
    assert _stored(app, quorate["id"]) == (None, True)
    assert _stored(app, not_quorate["id"]) == (None, False)
    assert world.clients["officer"].get(f"/api/v1/meetings/{quorate['id']}").json["quorate"]
    set_now(datetime(2027, 1, 5, 9, 0, tzinfo=UTC))
    assert _audit_quorate(app, factory) == (2, 1)

    result = runner.invoke(args=["audits", "requorate"])
    assert result.exit_code == 0, result.output
    assert "Quoracy stored for 2 held conferences." in result.output
    assert _stored(app, quorate["id"]) == (True, True)
    assert _stored(app, not_quorate["id"]) == (False, False)
    assert _audit_quorate(app, factory) == (2, 1)
