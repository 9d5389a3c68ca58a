"""Teams, areas and council areas: every signed-in user may read them (the route's
permission decides who may change one). Teams and areas are each council area's own: a
user reads, lists and picks only their own council's (another's answers 404, as a missing
one). Only the safeguarding team's officers and managers belong to a team."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.auth.models import Council, Locality, Team
from core.policy.cases import CASE_TEAM
from core.policy.resources import Resource, by_id, declare, from_query


def council_named(model: type[Team] | type[Locality], council_id: int) -> sa.Select[Any]:
    """A council's teams (or areas): the one rule of whose they are."""
    return sa.select(model).where(model.council_id == council_id)


def visible_teams(user: Any) -> sa.Select[Any]:
    return council_named(Team, user.council_id)


def visible_areas(user: Any) -> sa.Select[Any]:
    return council_named(Locality, user.council_id)


TEAM = declare(
    Resource(
        "team",
        "team_id",
        from_query(visible_teams, Team),
        model=Team,
        api_endpoint="teams_api.get_team",
        url_ids=lambda team: {"team_id": team.id},
    )
)
LOCALITY = declare(
    Resource(
        "locality",
        "locality_id",
        from_query(visible_areas, Locality),
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
