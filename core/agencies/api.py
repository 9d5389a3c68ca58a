"""/api/v1/agencies: read for every signed-in user, write for administrators."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.agencies import operations
from core.agencies.schemas import (
    AgencyListArgs,
    AgencyMatchSchema,
    AgencyPageSchema,
    AgencySchema,
    AgencySearchArgs,
    AgencyTypeSchema,
    AgencyUpdateSchema,
)
from core.api.conventions import (
    Blueprint,
    documented_update,
    paginate,
    validation_as_422,
)
from core.auth.models import Agency, Council
from core.pipeline import logged, record
from core.platform import current_platform
from core.policy import agencies as _record_types  # noqa: F401  (declares "agency")
from core.policy.routes import signed_in

blp = Blueprint("agencies_api", __name__, url_prefix="/agencies", description="Agencies")
types_blp = Blueprint(
    "agency_types_api", __name__, url_prefix="/agency-types", description="Agency types"
)


@blp.route("/", methods=["GET"])
@signed_in
@blp.arguments(AgencyListArgs, location="query")
@blp.response(200, AgencyPageSchema)
@logged("agency.list", object_type="agency")
def list_agencies(args: dict[str, Any]) -> dict[str, Any]:
    """List agencies, by name."""
    query = sa.select(Agency).order_by(Agency.name, Agency.id)
    if "type" in args:
        query = query.where(Agency.type == args["type"])
    if "active" in args:
        query = query.where(Agency.active.is_(args["active"]))
    if args.get("name"):
        query = query.where(Agency.name.icontains(args["name"], autoescape=True))
    if "council_id" in args:
        query = query.where(Agency.councils.any(Council.id == args["council_id"]))
    page = paginate(query, args["page"], args["page_size"])
    return page


@blp.route("/search", methods=["GET"])
@signed_in
@blp.arguments(AgencySearchArgs, location="query")
@blp.response(200, AgencyMatchSchema(many=True))
def search_agencies(args: dict[str, Any]) -> Any:
    """The active agencies whose name, ODS code or CQC id holds ``q``, those serving
    ``council_id`` first; at most 20. What the pages' agency pickers offer as one types."""
    with validation_as_422():
        return operations.search_agencies(args["q"], args.get("council_id"))


@blp.post("/", "agencies.manage", AgencySchema, AgencySchema, status=201)
def create_agency(data: dict[str, Any]) -> Any:
    """Create an agency (administrators)."""
    return operations.create_agency(**data)


@blp.route("/<id:agency_id>", methods=["GET"])
@signed_in
@blp.response(200, AgencySchema)
@logged("agency.view", object_type="agency", object_id="agency_id")
@record("agency")
def get_agency(agency: Agency) -> Any:
    """Read one agency; the ETag is what a later PATCH sends as If-Match."""
    return agency


@blp.patch("/<id:agency_id>", "agencies.manage", AgencyUpdateSchema, AgencySchema)
@documented_update(blp)
@record("agency")
def update_agency(data: dict[str, Any], agency: Agency) -> Any:
    """Change an agency (administrators); needs If-Match."""
    return operations.update_agency(agency, **data)


@types_blp.route("/", methods=["GET"])
@signed_in
@types_blp.response(200, AgencyTypeSchema(many=True))
def list_agency_types() -> Any:
    """The agency type codes the installed plugins provide."""
    return sorted(current_platform().agency_types.values(), key=lambda t: t.code)
