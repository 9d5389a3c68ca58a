"""Teams and areas: every signed-in user may read them (the route's permission decides
who may change one), so the record types only find them."""

from __future__ import annotations

from core.auth.models import Locality, Team
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
