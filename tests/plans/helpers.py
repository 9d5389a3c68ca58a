"""A child's case with its initial child protection conference held, for tests about
what the conference decided."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.meetings.helpers import World, build_world, record_concern, schedule
from tests.plans.test_plans import _hold


def child_with_conference(app: Any, factory: Any, decision: dict) -> tuple[World, int, dict]:
    """A child's concern whose ICPC, on 1 December 2026, decided ``decision``: the world,
    the concern's id and the conference."""
    world = build_world(app, factory)
    concern_id = record_concern(world)
    icpc = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-01T10:00:00+00:00"
    ).json
    _hold(app, world, icpc, datetime(2026, 12, 1, 13, 0, tzinfo=UTC), [decision])
    return world, concern_id, icpc
