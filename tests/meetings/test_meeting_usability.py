"""Meetings as a new user finds them (issue 22's findings): the invite list offers only
agencies not yet invited; the portal keeps the answer given and shows the report sent;
quoracy is a status, not an error; a meeting whose time or reports deadline has passed
says so, on the page and in the API; a page with errors says "Error:" in its title; and
an agency's actions page lists the actions it owns from meetings beside its plan
actions."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any

from tests.conftest import Auth, Factory, csrf_token
from tests.meetings.helpers import World, build_world, record_concern, schedule
from tests.support.clock import set_now


def _signed_in(app: Any, email: str) -> Any:
    client = app.test_client()
    Auth(client, Factory(app)).sign_in(email)
    return client


def _invitation(meeting: dict[str, Any], world: World, name: str) -> int:
    return next(i["id"] for i in meeting["invitations"] if i["agency_id"] == world.agencies[name])


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found
    return found.group(1).strip()


def test_the_portal_keeps_the_answer_and_shows_the_report_sent(app, factory):
    world = build_world(app, factory)
    meeting = schedule(
        world, record_concern(world), "strategy_discussion", "2026-12-10T10:00:00+00:00"
    ).json
    police = _signed_in(app, "police@example.org")
    url = f"/portal/invitations/{_invitation(meeting, world, 'police')}"

    empty = police.post(
        url, data={"answer-csrf_token": csrf_token(police, url), "answer-submit": "Send answer"}
    )
    assert empty.status_code == 200
    assert _title(empty.get_data(as_text=True)).startswith("Error: ")

    answered = police.post(
        url,
        data={
            "answer-csrf_token": csrf_token(police, url),
            "answer-response": "accepted",
            "answer-submit": "Send answer",
        },
    )
    assert answered.status_code == 302
    page = police.get(url).get_data(as_text=True)
    assert re.search(r'value="accepted"[^>]*checked', page), "the answer given is chosen"
    assert not _title(page).startswith("Error")

    sent = police.post(
        url,
        data={
            "report-csrf_token": csrf_token(police, url),
            "report-report_text": "Two call-outs to the address this year.",
            "report-submit": "Send report",
        },
    )
    assert sent.status_code == 302
    assert "Two call-outs to the address this year." in police.get(url).get_data(as_text=True)


def test_the_invite_list_leaves_out_the_agencies_invited(app, factory):
    world = build_world(app, factory)
    meeting = schedule(
        world, record_concern(world), "strategy_discussion", "2026-12-10T10:00:00+00:00"
    ).json
    invited = {i["agency_id"] for i in meeting["invitations"]}
    assert world.agencies["police"] in invited and world.agencies["housing"] not in invited
    page = _signed_in(app, "officer@example.org").get(f"/meetings/{meeting['id']}")
    select = re.search(
        r'<select[^>]*name="agency_id"[^>]*>(.*?)</select>', page.get_data(as_text=True), re.S
    )
    assert select
    offered = {int(v) for v in re.findall(r'value="(\d+)"', select.group(1))}
    assert world.agencies["housing"] in offered
    assert not offered & invited


def test_quoracy_is_a_status_and_passed_times_are_warned_of(app, factory):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    concern_id = record_concern(world)
    # an initial conference whose reports were due three working days before it
    conference = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-16T10:00:00+00:00"
    ).json
    assert conference["warnings"] == []
    set_now(datetime(2026, 12, 14, 9, 0, tzinfo=UTC))
    late = officer.get(f"/api/v1/meetings/{conference['id']}").json
    assert late["report_deadline"] == "2026-12-11"
    [warning] = late["warnings"]
    assert "Reports were due by Friday 11 December 2026" in warning
    page = _signed_in(app, "officer@example.org")
    assert "Reports were due by Friday 11 December 2026" in page.get(
        f"/meetings/{conference['id']}"
    ).get_data(as_text=True)

    set_now(datetime(2026, 12, 16, 12, 0, tzinfo=UTC))
    [passed] = officer.get(f"/api/v1/meetings/{conference['id']}").json["warnings"]
    assert passed.startswith("The meeting's time has passed")
    outcomes = [
        {"invitation_id": i["id"], "outcome": "did_not_attend"} for i in conference["invitations"]
    ]
    held = officer.post(f"/api/v1/meetings/{conference['id']}/held", json={"outcomes": outcomes})
    assert held.status_code == 200, held.json
    assert held.json["quorate"] is False and held.json["warnings"] == []
    page = _signed_in(app, "officer@example.org")  # the session idled out meanwhile
    text = html.unescape(page.get(f"/meetings/{conference['id']}").get_data(as_text=True))
    assert "Not quorate" in text and held.json["quorum_failure"] in text
    assert "govuk-error-summary" not in text and not _title(text).startswith("Error")


def test_an_agency_sees_the_actions_it_owns_from_meetings(app, factory):
    world = build_world(app, factory)
    meeting = schedule(
        world, record_concern(world), "strategy_discussion", "2026-11-23T09:00:00+00:00"
    ).json
    held = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/held",
        json={
            "outcomes": [
                {"invitation_id": i["id"], "outcome": "attended_in_person"}
                for i in meeting["invitations"]
            ],
            "actions": [
                {
                    "description": "Check the address for previous call-outs",
                    "owner_agency_id": world.agencies["police"],
                    "due_on": "2026-11-30",
                },
                {
                    "description": "Arrange a health assessment",
                    "owner_agency_id": world.agencies["nhs"],
                    "due_on": "2026-11-30",
                },
            ],
        },
    )
    assert held.status_code == 200, held.json
    page = _signed_in(app, "police@example.org").get("/plans/actions").get_data(as_text=True)
    assert "Check the address for previous call-outs" in page
    assert "Arrange a health assessment" not in page
    listed = world.clients["police"].get("/api/v1/meetings/actions")
    assert listed.status_code == 200, listed.json
    assert [a["description"] for a in listed.json] == ["Check the address for previous call-outs"]
    assert listed.json[0]["meeting_id"] == meeting["id"]


def test_an_adult_protection_conference_with_its_standard_list_can_be_quorate(app, factory):
    """Its quorum asks for the council and two other agencies: the standard list proposes
    the council, the police and health, so everyone attending makes it quorate."""
    world = build_world(app, factory)
    concern_id = record_concern(world, child=False)
    proposal = world.clients["officer"].get(
        f"/api/v1/meetings/proposal?type=adult_protection_conference&concern_id={concern_id}"
    )
    assert proposal.status_code == 200, proposal.json
    proposed = {i["agency_id"] for i in proposal.json["invitees"]}
    assert {world.agencies[a] for a in ("council", "police", "nhs")} <= proposed
    conference = schedule(
        world, concern_id, "adult_protection_conference", "2026-11-23T09:00:00+00:00"
    ).json
    held = world.clients["officer"].post(
        f"/api/v1/meetings/{conference['id']}/held",
        json={
            "outcomes": [
                {"invitation_id": i["id"], "outcome": "attended_in_person"}
                for i in conference["invitations"]
            ]
        },
    )
    assert held.status_code == 200, held.json
    assert held.json["quorate"] is True, held.json["quorum_failure"]


def test_an_agency_involved_for_two_reasons_is_listed_once(app, factory, auth):
    """Issue 22: agencies appeared twice under "Agencies involved" (one row per reason)."""
    world = build_world(app, factory)
    concern_id = record_concern(world, child=False, referrer_agency_id=world.agencies["police"])
    added = world.clients["officer"].post(
        f"/api/v1/concerns/{concern_id}/involvements",
        json={"agency_id": world.agencies["police"], "note": "Neighbourhood team knows him"},
    )
    assert added.status_code == 201, added.json
    auth.sign_in("officer@example.org")
    page = html.unescape(auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True))
    table = page[page.index('id="people"') :]
    table = table[: table.index("</table>")]
    assert table.count(f'data-agency="{world.agencies["police"]}"') == 1
    assert "Referred the concern" in table
    assert "Added by the safeguarding team: Neighbourhood team knows him" in table
    assert table.count("Remove<span") == 2, "each reason can still be ended on its own"
