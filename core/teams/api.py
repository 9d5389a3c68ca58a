"""/api/v1/teams and /api/v1/areas: read for every signed-in user, kept by administrators."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core.api.conventions import Blueprint, documented_update
from core.auth.models import Council, Locality, Team
from core.pipeline import logged, record
from core.policy import teams as _record_types  # noqa: F401  (declares "team", "locality", "council")
from core.policy.routes import signed_in
from core.teams import operations
from core.teams.schemas import NamedListArgs, NamedSchema, NamedUpdateSchema

blp = Blueprint("teams_api", __name__, url_prefix="/teams", description="Teams")
areas_blp = Blueprint(
    "areas_api", __name__, url_prefix="/areas", description="Areas (localities in the council)"
)
councils_blp = Blueprint(
    "councils_api",
    __name__,
    url_prefix="/councils",
    description="Council areas of the instance (one for a single council)",
)


@blp.route("/", methods=["GET"])
@signed_in
@blp.arguments(NamedListArgs, location="query")
@blp.response(200, NamedSchema(many=True))
@logged("team.list", object_type="team")
def list_teams(args: dict[str, Any]) -> Any:
    """The teams of the user's council, by name."""
    return operations.listed(Team, args.get("active"), current_user.council_id)


@blp.post("/", "teams.manage", NamedSchema, NamedSchema, status=201)
def create_team(data: dict[str, Any]) -> Any:
    """Add a team (administrators)."""
    return operations.create(Team, current_user.council_id, **data)


@blp.route("/<id:team_id>", methods=["GET"])
@signed_in
@blp.response(200, NamedSchema)
@logged("team.view", object_type="team", object_id="team_id")
@record("team")
def get_team(team: Team) -> Any:
    """One team; the ETag is what a later PATCH sends as If-Match."""
    return team


@blp.patch("/<id:team_id>", "teams.manage", NamedUpdateSchema, NamedSchema)
@documented_update(blp)
@record("team")
def update_team(data: dict[str, Any], team: Team) -> Any:
    """Rename a team or take it out of use (``active`` false); needs If-Match."""
    return operations.update(team, **data)


@areas_blp.route("/", methods=["GET"])
@signed_in
@areas_blp.arguments(NamedListArgs, location="query")
@areas_blp.response(200, NamedSchema(many=True))
@logged("locality.list", object_type="locality")
def list_areas(args: dict[str, Any]) -> Any:
    """The local areas inside the council, by name."""
    return operations.listed(Locality, args.get("active"), current_user.council_id)


@areas_blp.post("/", "teams.manage", NamedSchema, NamedSchema, status=201)
def create_area(data: dict[str, Any]) -> Any:
    """Add an area (administrators)."""
    return operations.create(Locality, current_user.council_id, **data)


@areas_blp.route("/<id:locality_id>", methods=["GET"])
@signed_in
@areas_blp.response(200, NamedSchema)
@logged("locality.view", object_type="locality", object_id="locality_id")
@record("locality")
def get_area(locality: Locality) -> Any:
    """One area; the ETag is what a later PATCH sends as If-Match."""
    return locality


@areas_blp.patch("/<id:locality_id>", "teams.manage", NamedUpdateSchema, NamedSchema)
@documented_update(areas_blp)
@record("locality")
def update_area(data: dict[str, Any], locality: Locality) -> Any:
    """Rename an area or take it out of use (``active`` false); needs If-Match."""
    return operations.update(locality, **data)


@councils_blp.route("/", methods=["GET"])
@signed_in
@councils_blp.arguments(NamedListArgs, location="query")
@councils_blp.response(200, NamedSchema(many=True))
@logged("council.list", object_type="council")
def list_councils(args: dict[str, Any]) -> Any:
    """The council areas the instance serves, by name."""
    return operations.listed(Council, args.get("active"))


@councils_blp.post("/", "councils.manage", NamedSchema, NamedSchema, status=201)
def create_council(data: dict[str, Any]) -> Any:
    """Add a council area (administrators)."""
    return operations.create(Council, **data)


@councils_blp.route("/<id:council_id>", methods=["GET"])
@signed_in
@councils_blp.response(200, NamedSchema)
@logged("council.view", object_type="council", object_id="council_id")
@record("council")
def get_council(council: Council) -> Any:
    """One council area; the ETag is what a later PATCH sends as If-Match."""
    return council


@councils_blp.patch("/<id:council_id>", "councils.manage", NamedUpdateSchema, NamedSchema)
@documented_update(councils_blp)
@record("council")
def update_council(data: dict[str, Any], council: Council) -> Any:
    """Rename a council area or take it out of use (``active`` false); needs If-Match."""
    return operations.update(council, **data)
