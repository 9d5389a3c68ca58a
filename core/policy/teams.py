"""Teams, areas and council areas: every signed-in user may read them (the route's
permission decides who may change one), so the record types only find them. Only the
safeguarding team's officers and managers belong to a team."""

from __future__ import annotations

from typing import Any

from core.auth.models import Council, Locality, Team
from core.policy.cases import CASE_TEAM
from core.policy.resources import Resource, by_id, declare

TEAM = declare(
    Resource(
        "team",
        "team_id",
        by_id(Team),
        model=Team,
        api_endpoint="teams_api.get_team",
        url_ids=lambda team: {"team_id": team.id},
    )
)
LOCALITY = declare(
    Resource(
        "locality",
        "locality_id",
        by_id(Locality),
        model=Locality,
        api_endpoint="areas_api.get_area",
        url_ids=lambda area: {"locality_id": area.id},
    )
)

COUNCIL = declare(
    Resource(
        "council",
        "council_id",
        by_id(Council),
        model=Council,
        api_endpoint="councils_api.get_council",
        url_ids=lambda council: {"council_id": council.id},
    )
)


def may_join_a_team(role: Any) -> bool:
    """Whether a user with ``role`` may belong to a team (core/teams/)."""
    return role in CASE_TEAM
