"""Agencies: every signed-in user may read any agency (the route's permission decides who
may change one), so the record type only finds it."""

from __future__ import annotations

from core.agencies.models import Agency
from core.extensions import db
from core.policy.resources import Resource, declare

AGENCY = declare(
    Resource(
        "agency",
        "agency_id",
        lambda _, agency_id, __: db.session.get(Agency, agency_id),
        model=Agency,
        api_endpoint="agencies_api.get_agency",
        url_ids=lambda agency: {"agency_id": agency.id},
    )
)
