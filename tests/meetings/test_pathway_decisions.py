"""A meeting offers and takes only its pathway's decisions: section 47 enquiries and
child protection plans for a child's case, section 42 enquiries and adult protection
plans for an adult's."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, record_concern, schedule
from tests.support.clock import set_now


def _held(world, meeting, decisions):
    outcomes = [
        {"invitation_id": i["id"], "outcome": "attended_in_person"} for i in meeting["invitations"]
    ]
    return world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/held",
        json={"outcomes": outcomes, "decisions": decisions},
    )


def test_an_adults_meeting_refuses_childrens_decisions(app, factory):
    world = build_world(app, factory)
    concern_id = record_concern(world, child=False)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-01T10:00:00+00:00").json
    set_now(datetime(2026, 12, 1, 13, 0, tzinfo=UTC))
    refused = _held(world, meeting, [{"kind": "section_47_enquiry"}])
    assert refused.status_code == 422
    [message] = refused.json["errors"]["decisions"]
    assert message.startswith("This meeting is about an adult: choose each decision from")
    assert "section_42_enquiry" in message and "section_47_enquiry" not in message
    assert _held(world, meeting, [{"kind": "section_42_enquiry"}]).status_code == 200


def test_a_childs_meeting_refuses_adults_decisions(app, factory):
    world = build_world(app, factory)
    concern_id = record_concern(world, child=True)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-01T10:00:00+00:00").json
    set_now(datetime(2026, 12, 1, 13, 0, tzinfo=UTC))
    refused = _held(world, meeting, [{"kind": "protection_plan"}])
    assert refused.status_code == 422
    assert "about a child" in refused.json["errors"]["decisions"][0]
    assert _held(world, meeting, [{"kind": "section_47_enquiry"}]).status_code == 200


def test_the_record_page_lists_only_the_pathways_decisions(app, factory, auth):
    world = build_world(app, factory)
    adult = record_concern(world, child=False)
    meeting = schedule(world, adult, "strategy_discussion", "2026-12-01T10:00:00+00:00").json
    set_now(datetime(2026, 12, 1, 13, 0, tzinfo=UTC))
    auth.sign_in("officer@example.org")
    url = f"/meetings/{meeting['id']}/record"
    page = auth.client.get(url).get_data(as_text=True)
    assert "Proceed to a section 42 enquiry" in page
    assert "Proceed to a section 47 enquiry" not in page
    assert "Child protection plan" not in page
    # a child's decision posted by hand to an adult's meeting is not taken
    data = {"csrf_token": csrf_token(auth.client, url), "decision-section_47_enquiry": "yes"}
    for invitation in meeting["invitations"]:
        data[f"outcome-{invitation['id']}"] = "attended_in_person"
    auth.client.post(url, data=data)
    held = world.clients["officer"].get(f"/api/v1/meetings/{meeting['id']}").json
    assert [d["kind"] for d in held.get("decisions", [])] == []
