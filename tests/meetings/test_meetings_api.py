"""Meetings through the API: proposals with reasons, removals, quoracy, clocks, access."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.extensions import db
from plugins import InvitationContext, ProposedInvitee, hookimpl
from tests.meetings.helpers import build_world, record_concern, schedule
from tests.support.clock import set_now


def _by_agency(meeting: dict, world) -> dict[str, dict]:
    names = {v: k for k, v in world.agencies.items()}
    return {names[i["agency_id"]]: i for i in meeting["invitations"]}


class SchoolRule:
    """A throwaway plugin adding the child's school to every ICPC."""

    def __init__(self, school_id: int):
        self.school_id = school_id

    @hookimpl
    def invitation_rules(self, context: InvitationContext) -> list[ProposedInvitee]:
        if context.meeting_type == "initial_child_protection_conference":
            return [ProposedInvitee("The child's school", agency_id=self.school_id)]
        return []


def test_an_icpc_proposes_police_health_and_social_care_with_reasons(app, factory):
    world = build_world(app, factory)
    with app.app_context():
        from core.platform import current_platform

        current_platform().pm.register(SchoolRule(world.agencies["school"]), name="school-rule")
    concern_id = record_concern(world)
    response = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-10T10:00:00+00:00"
    )
    assert response.status_code == 201, response.json
    invited = _by_agency(response.json, world)
    assert set(invited) == {"police", "nhs", "csc", "school"}
    assert invited["police"]["standard"] is True
    assert "Police" in invited["police"]["reason"]
    assert "Health" in invited["nhs"]["reason"]
    assert "section 47" in invited["csc"]["reason"]
    assert invited["school"]["reason"] == "The child's school"
    assert all(i["outcome"] is None and i["id"] for i in invited.values())
    assert response.headers["Location"] == f"/api/v1/meetings/{response.json['id']}"


def test_removing_a_standard_invitee_needs_a_reason(app, factory):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    refused = schedule(
        world,
        concern_id,
        "initial_child_protection_conference",
        "2026-12-10T10:00:00+00:00",
        removed=[{"agency_id": world.agencies["police"], "reason": ""}],
    )
    assert refused.status_code == 422
    assert "Give a reason for not inviting Northshire Police" in str(refused.json)
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM meetings")) == 0
    meeting = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-10T10:00:00+00:00"
    ).json
    police = _by_agency(meeting, world)["police"]
    url = f"/api/v1/meetings/{meeting['id']}/invitations/{police['id']}"
    officer = world.clients["officer"]
    response = officer.client.delete(url, headers=officer.headers())
    assert response.status_code == 422
    assert "Give a reason for removing Northshire Police" in str(response.json)
    response = officer.client.delete(
        url + "?reason=Police+investigation+closed", headers=officer.headers()
    )
    assert response.status_code == 204
    after = officer.get(f"/api/v1/meetings/{meeting['id']}").json
    assert "police" not in _by_agency(after, world)
    assert after["withdrawn_invitations"][0]["removal_reason"] == "Police investigation closed"


def test_extra_invitation_added_and_practitioner_answers_through_the_api(app, factory):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00").json
    added = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/invitations",
        json={"agency_id": world.agencies["housing"], "reason": "Family's landlord"},
    )
    assert added.status_code == 201 and added.json["standard"] is False
    housing = world.clients["housing"]
    seen = housing.get(f"/api/v1/meetings/{meeting['id']}")
    assert seen.status_code == 200
    url = f"/api/v1/meetings/{meeting['id']}/invitations/{added.json['id']}"
    assert housing.patch(url, json={"response": "apologies"}).status_code == 428
    stale = housing.patch(
        url, json={"response": "apologies"}, headers={"If-Match": seen.headers["ETag"]}
    )
    assert stale.status_code == 412  # the meeting's ETag is not the invitation's
    etag = added.headers["ETag"]
    answered = housing.patch(url, json={"response": "apologies"}, headers={"If-Match": etag})
    assert answered.status_code == 200 and answered.json["response"] == "apologies"
    refused = housing.patch(
        url, json={"outcome": "did_not_attend"}, headers={"If-Match": answered.headers["ETag"]}
    )
    assert refused.status_code == 403
    other = _by_agency(seen.json, world)["police"]
    not_theirs = housing.patch(
        f"/api/v1/meetings/{meeting['id']}/invitations/{other['id']}",
        json={"response": "accepted"},
        headers={"If-Match": etag},
    )
    assert not_theirs.status_code == 403


def _held_conference(app, world, attended: list[str]) -> dict:
    concern_id = record_concern(world)
    meeting = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-10T10:00:00+00:00"
    ).json
    set_now(datetime(2026, 12, 10, 12, 0, tzinfo=UTC))
    outcomes = [
        {
            "invitation_id": i["id"],
            "outcome": "attended_in_person" if name in attended else "apologies_without_report",
        }
        for name, i in _by_agency(meeting, world).items()
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


def test_conference_with_social_care_and_one_other_agency_is_not_quorate(app, factory):
    world = build_world(app, factory)
    held = _held_conference(app, world, ["csc", "police"])
    assert held["quorate"] is False
    assert held["quorum_failure"] == (
        "1 other agency attended besides children's social care; at least 2 must"
    )
    page_meeting = world.clients["officer"].get(f"/api/v1/meetings/{held['id']}").json
    assert page_meeting["quorate"] is False


def test_conference_with_social_care_and_two_others_is_quorate(app, factory):
    world = build_world(app, factory)
    held = _held_conference(app, world, ["csc", "police", "nhs"])
    assert held["quorate"] is True and held["quorum_failure"] is None


def test_conference_without_social_care_says_so(app, factory):
    world = build_world(app, factory)
    held = _held_conference(app, world, ["police", "nhs"])
    assert held["quorate"] is False
    assert held["quorum_failure"].startswith("Children's social care did not attend")


def test_a_strategy_discussion_on_14_december_puts_the_icpc_due_on_7_january(app, factory):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    discussion = schedule(world, concern_id, "strategy_discussion", "2026-12-14T10:00:00+00:00")
    assert discussion.status_code == 201
    set_now(datetime(2026, 12, 14, 15, 0, tzinfo=UTC))
    outcomes = [
        {"invitation_id": i["id"], "outcome": "attended_virtually"}
        for i in discussion.json["invitations"]
    ]
    held = world.clients["officer"].post(
        f"/api/v1/meetings/{discussion.json['id']}/held",
        json={"outcomes": outcomes, "decisions": [{"kind": "convene_icpc"}]},
    )
    assert held.status_code == 200, held.json
    icpc = schedule(
        world, concern_id, "initial_child_protection_conference", "2027-01-06T10:00:00+00:00"
    )
    assert icpc.status_code == 201, icpc.json
    assert icpc.json["due_by"] == "2027-01-07"
    assert icpc.json["report_deadline"] == "2026-12-31"  # 3 working days before
    page = world.clients["officer"].client
    from tests.conftest import TEST_PASSWORD, csrf_token

    token = csrf_token(page, "/sign-in")
    page.post(
        "/sign-in",
        data={"email": "officer@example.org", "password": TEST_PASSWORD, "csrf_token": token},
    )
    case = page.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Initial child protection conference" in case
    assert "Thursday 07 January 2027" in case


def test_a_section_42_decision_starts_the_strategy_discussion_clock(app, factory):
    world = build_world(app, factory)
    concern_id = record_concern(world, child=False)
    set_now(datetime(2026, 11, 23, 11, 0, tzinfo=UTC))
    decided = world.clients["officer"].post(
        f"/api/v1/concerns/{concern_id}/decision",
        json={"decision": "section_42_enquiry", "reason": "Care and support needs, at risk"},
    )
    assert decided.status_code == 200
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-11-27T10:00:00+00:00")
    assert meeting.json["due_by"] == "2026-11-30"  # 5 working days after Monday 23rd
    assert {i["agency_id"] for i in meeting.json["invitations"]} == {world.agencies["council"]}


def test_a_practitioner_never_sees_a_meeting_of_a_case_their_agency_is_not_in(app, factory):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00").json
    school = world.clients["school"]
    assert school.get(f"/api/v1/meetings/{meeting['id']}").status_code == 404
    assert school.get("/api/v1/meetings/").json["items"] == []
    police = world.clients["police"]
    assert police.get(f"/api/v1/meetings/{meeting['id']}").status_code == 200
    with app.app_context():
        denied = db.session.scalars(
            sa.select(AccessLogEntry).where(
                AccessLogEntry.action == "meeting.view",
                AccessLogEntry.outcome == "denied",
                AccessLogEntry.user_id == world.users["school"],
            )
        ).all()
        assert [d.object_id for d in denied] == [str(meeting["id"])]


def test_cancelling_ends_the_invited_agencies_involvement(app, factory):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00").json
    police = world.clients["police"]
    assert police.get(f"/api/v1/concerns/{concern_id}").status_code == 200
    cancelled = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/cancel", json={"reason": "Family moved away"}
    )
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert police.get(f"/api/v1/concerns/{concern_id}").status_code == 404
    again = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/cancel", json={"reason": "Twice"}
    )
    assert again.status_code == 422


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"type": "tea_party"}, "Select a meeting type"),
        ({"type": "adult_protection_conference"}, "only for adults"),
        ({"venue": None}, "Enter a venue or a video link"),
        ({"video_link": "http://example.org/meet"}, "must start with https://"),
    ],
)
def test_bad_meetings_are_refused_with_clear_messages(app, factory, body, message):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    body = {"type": "strategy_discussion"} | body
    response = schedule(world, concern_id, body.pop("type"), "2026-12-10T10:00:00+00:00", **body)
    assert response.status_code == 422
    assert message in str(response.json)
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM meetings")) == 0
        assert db.session.scalar(sa.text("SELECT count(*) FROM invitations")) == 0


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


@pytest.mark.parametrize(
    ("configured", "core_group_due"), [({}, "2027-01-22"), ({"core_group": 5}, "2027-01-15")]
)
def test_an_icpc_starts_the_core_group_and_decision_letter_clocks(
    app_factory, configured, core_group_due
):
    from tests.conftest import Factory

    app = app_factory(CLOCK_DAYS=configured)
    world = build_world(app, Factory(app))
    concern_id = record_concern(world)
    icpc = schedule(
        world, concern_id, "initial_child_protection_conference", "2027-01-08T10:00:00+00:00"
    ).json
    held = _hold(
        app,
        world,
        icpc,
        datetime(2027, 1, 8, 13, 0, tzinfo=UTC),
        [{"kind": "child_protection_plan", "plan_category": "NEG"}],
    )
    assert held["decision_letter_due"] == "2027-01-11"  # Friday's conference: Monday
    core_group = schedule(world, concern_id, "core_group", "2027-01-14T10:00:00+00:00").json
    assert core_group["due_by"] == core_group_due
    assert core_group["decision_letter_due"] is None


def test_an_agency_removed_from_the_invitation_list_loses_the_meeting_at_once(app, factory):
    """Need to know: a meeting's records are for the safeguarding team and the agencies
    invited to it. Removed from the list, the police get 404 on the meeting's page and API
    (each refusal logged) and its lists no longer hold it; housing, involved in the
    case but never invited, never sees it."""
    from core.accesslog.models import AccessLogEntry

    world = build_world(app, factory)
    concern_id = record_concern(world)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00").json
    officer, police = world.clients["officer"], world.clients["police"]
    involved = officer.post(
        f"/api/v1/concerns/{concern_id}/involvements",
        json={"agency_id": world.agencies["housing"], "note": "The family's landlord"},
    )
    assert involved.status_code == 201, involved.json
    housing = world.clients["housing"]
    assert housing.get(f"/api/v1/concerns/{concern_id}").status_code == 200
    assert housing.get(f"/api/v1/meetings/{meeting['id']}").status_code == 404

    assert police.get(f"/api/v1/meetings/{meeting['id']}").status_code == 200
    invitation = _by_agency(meeting, world)["police"]
    removed = officer.client.delete(
        f"/api/v1/meetings/{meeting['id']}/invitations/{invitation['id']}?reason=Not+needed",
        headers=officer.headers(),
    )
    assert removed.status_code == 204
    assert police.get(f"/api/v1/meetings/{meeting['id']}").status_code == 404
    listed = police.get("/api/v1/meetings/").json
    assert meeting["id"] not in {m["id"] for m in listed["items"]}
    with app.app_context():
        refusals = db.session.scalars(
            sa.select(AccessLogEntry.user_id).where(
                AccessLogEntry.action == "meeting.view",
                AccessLogEntry.outcome == "denied",
                AccessLogEntry.object_id == str(meeting["id"]),
            )
        ).all()
    assert sorted(refusals) == sorted([world.users["housing"], world.users["police"]])
    with app.app_context():  # nor does the case page list it to them
        from core.auth.models import User
        from core.meetings.models import Meeting
        from core.policy.meetings import meetings_shown

        held = [db.session.get(Meeting, meeting["id"])]
        for name, shown in (("police", []), ("housing", []), ("officer", held)):
            assert meetings_shown(db.session.get(User, world.users[name]), held) == shown
