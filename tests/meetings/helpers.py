"""Agencies, people and concerns for the meeting tests, made through the real API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token

PERSON = {"given_name": "Alfie", "family_name": "Turner", "date_of_birth": "2018-05-09"}


@dataclass
class World:
    agencies: dict[str, int]
    users: dict[str, int]
    clients: dict[str, ApiClient]


def build_world(app: Any, factory: Any) -> World:
    agencies = {
        "council": factory.agency(name="Northshire Council", type="local_authority"),
        "csc": factory.agency(
            name="Northshire Children's Social Care", type="childrens_social_care"
        ),
        "police": factory.agency(name="Northshire Police", type="police"),
        "nhs": factory.agency(name="Northshire Hospitals NHS Trust", type="nhs_trust"),
        "school": factory.agency(name="Northshire Academy", type="education"),
        "housing": factory.agency(name="Northshire Homes", type="housing"),
    }
    users = {}
    clients = {}
    for name, role, agency in (
        ("officer", Role.SAFEGUARDING_OFFICER, "council"),
        ("police", Role.AGENCY_PRACTITIONER, "police"),
        ("nhs", Role.AGENCY_PRACTITIONER, "nhs"),
        ("school", Role.AGENCY_PRACTITIONER, "school"),
        ("housing", Role.AGENCY_PRACTITIONER, "housing"),
    ):
        users[name] = factory.user(
            role=role, email=f"{name}@example.org", agency_id=agencies[agency]
        )
        clients[name] = ApiClient(app.test_client(), make_token(app, users[name], days=365))
    return World(agencies, users, clients)


def record_concern(world: World, child: bool = True, **overrides: Any) -> int:
    body = {
        "received_at": "2026-11-20T10:15:00+00:00",
        "person": PERSON if child else PERSON | {"date_of_birth": "1940-02-02"},
        "is_child": child,
        "referral_source": "2A" if child else None,
        "types_of_risk": ["neglect"],
        "location": "own_home",
        "source_of_risk": "known",
        "description": "School reports the child arrives hungry and unwashed.",
        "route": "phone",
    } | overrides
    response = world.clients["officer"].post("/api/v1/concerns/", json=body)
    assert response.status_code == 201, response.json
    return int(response.json["id"])


def schedule(world: World, concern_id: int, type: str, starts_at: str, **extra: Any) -> Any:
    body = {
        "type": type,
        "concern_ids": [concern_id],
        "starts_at": starts_at,
        "venue": "Room 2, County Hall",
    } | extra
    return world.clients["officer"].post("/api/v1/meetings/", json=body)
