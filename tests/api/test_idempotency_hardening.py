"""Idempotency keys that a killed worker left claimed expire after a short lease, and a
replay answers only a user who may still read what the first request created."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.api.conventions import _fingerprint
from core.api.models import IdempotencyKey
from core.auth.roles import Role
from core.concerns.models import Concern
from core.db import utcnow
from core.extensions import db
from tests.concerns.test_concerns_api import _setup, concern_body


def _claim_left_by_a_killed_worker(app, user_id: int, key: str, body_hash: str) -> None:
    """What a worker killed mid-request leaves: its claim, committed, and nothing else."""
    with app.app_context():
        now = utcnow()
        db.session.add(
            IdempotencyKey(
                user_id=user_id,
                key=key,
                request_path="/api/v1/agencies/",
                request_hash=body_hash,
                status="in_progress",
                created_at=now,
                expires_at=now + timedelta(hours=24),
            )
        )
        db.session.commit()


def _hash_of(app, body) -> str:
    """The fingerprint the app gives a create of ``body`` at /api/v1/agencies/."""
    with app.test_request_context("/api/v1/agencies/", method="POST", json=body):
        return _fingerprint()


def test_a_claim_left_by_a_killed_worker_expires_after_the_lease(app, api_as, clock):
    api = api_as(Role.ADMINISTRATOR)
    body = {"name": "Riverside Nursing Homes", "type": "care_provider"}
    _claim_left_by_a_killed_worker(app, api.user_id, "k-1", _hash_of(app, body))
    held = api.post("/api/v1/agencies/", json=body, headers={"Idempotency-Key": "k-1"})
    assert held.status_code == 409
    assert 1 <= int(held.headers["Retry-After"]) <= 120
    assert api.get("/api/v1/agencies/?name=Riverside").json["items"] == []

    clock.advance(timedelta(seconds=121))
    retried = api.post("/api/v1/agencies/", json=body, headers={"Idempotency-Key": "k-1"})
    assert retried.status_code == 201, retried.json
    again = api.post("/api/v1/agencies/", json=body, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json == retried.json
    assert len(api.get("/api/v1/agencies/?name=Riverside").json["items"]) == 1


def test_the_lease_is_a_setting(app_factory, factory, clock):
    from tests.api.conftest import ApiClient, make_token
    from tests.conftest import Factory

    app = app_factory(IDEMPOTENCY_LEASE_SECONDS=5)
    api = ApiClient(app.test_client(), make_token(app, Factory(app).user(role=Role.ADMINISTRATOR)))
    body = {"name": "Hilltop Care", "type": "care_provider"}
    user_id = _user_of(app, api)
    _claim_left_by_a_killed_worker(app, user_id, "k-2", _hash_of(app, body))
    assert (
        api.post("/api/v1/agencies/", json=body, headers={"Idempotency-Key": "k-2"}).status_code
        == 409
    )
    clock.advance(timedelta(seconds=6))
    assert (
        api.post("/api/v1/agencies/", json=body, headers={"Idempotency-Key": "k-2"}).status_code
        == 201
    )


def _user_of(app, api) -> int:
    return api.get("/api/v1/me").json["id"]


def test_a_replay_after_losing_access_is_404_like_a_read(app, factory):
    clients, _agencies = _setup(app, factory)
    officer, police = clients["officer"], clients["police"]
    key = {"Idempotency-Key": "police-referral-1"}
    created = police.post("/api/v1/concerns/", json=concern_body(), headers=key)
    assert created.status_code == 201
    replay = police.post("/api/v1/concerns/", json=concern_body(), headers=key)
    assert replay.status_code == 201 and replay.json == created.json  # still theirs to read

    [involvement] = created.json["involvements"]
    removed = officer.client.delete(
        f"/api/v1/concerns/{created.json['id']}/involvements/{involvement['id']}"
        "?reason=Referred%20in%20error",
        headers=officer.headers(),
    )
    assert removed.status_code == 204
    read = police.get(f"/api/v1/concerns/{created.json['id']}")
    assert read.status_code == 404

    after = police.post("/api/v1/concerns/", json=concern_body(), headers=key)
    assert after.status_code == 404
    assert after.json == read.json
    assert created.json["reference"] not in after.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Concern)) == 1
        refused = db.session.scalars(
            sa.select(AccessLogEntry.object_id).where(
                AccessLogEntry.action == "concern.view", AccessLogEntry.outcome == "denied"
            )
        ).all()
    assert refused.count(str(created.json["id"])) == 2  # the read and the replay
