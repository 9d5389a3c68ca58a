"""Records a journey starts from, made through the real API as the demo officer (the
journey under test then goes through the pages)."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import ApiClient, make_token


def officer_api(live_app: Any) -> ApiClient:
    officer = live_app.user_id("officer@demo.example")
    return ApiClient(live_app.app.test_client(), make_token(live_app.app, officer))


def record_concern(api: ApiClient, child: bool = True, **overrides: Any) -> dict[str, Any]:
    person = (
        {"given_name": "Mia", "family_name": "Hart", "date_of_birth": "2017-01-03"}
        if child
        else {"given_name": "Iris", "family_name": "Moss", "date_of_birth": "1941-03-03"}
    )
    body = {
        "received_at": "2026-11-20T10:15:00+00:00",
        "person": person,
        "is_child": child,
        "referral_source": "2A" if child else None,
        "types_of_risk": ["physical"] if child else ["neglect"],
        "location": "own_home",
        "source_of_risk": "known",
        "description": "Bruising seen at school." if child else "Missed medication, no food.",
    } | overrides
    # the demo county keeps areas: the team gives the case's
    areas = api.get("/api/v1/areas/?active=true").json
    if areas and "locality_id" not in body:
        body["locality_id"] = areas[0]["id"]
    response = api.post("/api/v1/concerns/", json=body)
    assert response.status_code == 201, response.json
    return dict(response.json)


def schedule(api: ApiClient, concern_id: int, type: str, starts_at: str) -> dict[str, Any]:
    response = api.post(
        "/api/v1/meetings/",
        json={
            "type": type,
            "concern_ids": [concern_id],
            "starts_at": starts_at,
            "venue": "Room 2, County Hall",
        },
    )
    assert response.status_code == 201, response.json
    return dict(response.json)
