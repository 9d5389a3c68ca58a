"""Agencies: every signed-in user may read any agency (the route's permission decides who
may change one), so the record type only finds it."""

from __future__ import annotations

from core.auth.models import Agency
from core.policy.resources import Resource, by_id, declare

AGENCY = declare(
    Resource(
        "agency",
        "agency_id",
        by_id(Agency),
        model=Agency,
        api_endpoint="agencies_api.get_agency",
        url_ids=lambda agency: {"agency_id": agency.id},
    )
)
