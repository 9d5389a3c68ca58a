"""Meetings held in the first half of 2026, made through the real API, for the audit tests.

Ten initial child protection conferences, one every two or three weeks from January to May:

- the police attend eight (in person or virtually), send apologies with a report to one
  and do not attend one: invited 10, attendance 0.8, contribution 0.9;
- health attend seven and do not attend three: attendance 0.7, under the threshold;
- children's social care attend all ten.

So seven conferences are quorate (social care and both others) and three are not. Around
them: a strategy discussion that left the police off the standard list (an omitted
invitation), a conference cancelled in the period, and one held at 00:30 on 1 July local
time (23:30 UTC on 30 June), which is outside a period that ends on 30 June.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.meetings.helpers import World, build_world, record_concern, schedule
from tests.support.clock import set_now

POLICE_OUTCOMES = (
    ["attended_in_person"] * 6
    + ["attended_virtually"] * 2
    + [
        "apologies_with_report",
        "did_not_attend",
    ]
)
NHS_OUTCOMES = ["attended_in_person"] * 7 + ["did_not_attend"] * 3
ICPC_DATES = [
    "2026-01-12",
    "2026-01-26",
    "2026-02-09",
    "2026-02-23",
    "2026-03-09",
    "2026-03-23",
    "2026-04-13",
    "2026-04-27",
    "2026-05-11",
    "2026-05-26",
]


@dataclass
class AuditWorld:
    world: World
    manager: ApiClient
    board: ApiClient
    icpcs: list[dict[str, Any]]


def by_agency(meeting: dict[str, Any], world: World) -> dict[str, dict[str, Any]]:
    names = {agency_id: name for name, agency_id in world.agencies.items()}
    return {names[i["agency_id"]]: i for i in meeting["invitations"]}


def hold(app: Any, world: World, meeting: dict[str, Any], outcomes: dict[str, str]) -> dict:
    """Record the meeting held; invitees not named in ``outcomes`` attended."""
    held = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting['id']}/held",
        json={
            "outcomes": [
                {"invitation_id": i["id"], "outcome": outcomes.get(name, "attended_in_person")}
                for name, i in by_agency(meeting, world).items()
            ]
        },
    )
    assert held.status_code == 200, held.json
    return dict(held.json)


def send_report(world: World, meeting: dict[str, Any], agency: str) -> None:
    invitation = by_agency(meeting, world)[agency]
    url = f"/api/v1/meetings/{meeting['id']}/invitations/{invitation['id']}"
    client = world.clients[agency]
    etag = client.get(url).headers["ETag"]
    sent = client.patch(
        url,
        json={"response": "apologies", "report_submitted_at": "2026-05-08T09:00:00+00:00"},
        headers={"If-Match": etag},
    )
    assert sent.status_code == 200, sent.json


def build_audit_world(app: Any, factory: Any) -> AuditWorld:
    set_now(datetime(2026, 7, 10, 12, 0, tzinfo=UTC))
    world = build_world(app, factory)
    council = world.agencies["council"]
    manager = ApiClient(
        app.test_client(),
        make_token(app, factory.user(role=Role.SAFEGUARDING_MANAGER, agency_id=council)),
    )
    board = ApiClient(
        app.test_client(),
        make_token(app, factory.user(role=Role.BOARD_MEMBER, agency_id=council)),
    )
    concern_id = record_concern(world, received_at="2026-01-05T10:00:00+00:00")
    icpcs = []
    for day, police, nhs in zip(ICPC_DATES, POLICE_OUTCOMES, NHS_OUTCOMES, strict=True):
        meeting = schedule(
            world, concern_id, "initial_child_protection_conference", f"{day}T10:00:00+00:00"
        ).json
        if police == "apologies_with_report":
            send_report(world, meeting, "police")
        icpcs.append(
            hold(app, world, meeting, {"police": police, "nhs": nhs, "csc": "attended_in_person"})
        )
    discussion = schedule(
        world,
        concern_id,
        "strategy_discussion",
        "2026-02-02T10:00:00+00:00",
        removed=[{"agency_id": world.agencies["police"], "reason": "Police not involved"}],
    ).json
    hold(app, world, discussion, {"nhs": "attended_virtually", "csc": "attended_in_person"})
    cancelled = schedule(
        world, concern_id, "review_child_protection_conference", "2026-06-01T10:00:00+00:00"
    ).json
    response = world.clients["officer"].post(
        f"/api/v1/meetings/{cancelled['id']}/cancel", json={"reason": "Family moved away"}
    )
    assert response.status_code == 200, response.json
    late = schedule(
        world, concern_id, "review_child_protection_conference", "2026-06-30T23:30:00+00:00"
    ).json
    hold(
        app,
        world,
        late,
        {"police": "did_not_attend", "nhs": "did_not_attend", "csc": "did_not_attend"},
    )
    return AuditWorld(world, manager, board, icpcs)


def row(audit: dict[str, Any], agency_name: str, meeting_type: str = "all") -> dict[str, Any]:
    [found] = [
        r
        for r in audit["rows"]
        if r["agency_name"] == agency_name and r["meeting_type"] == meeting_type
    ]
    return found
