"""/api/v1/discharges: hospital discharges, their follow-up and the monthly monitoring,
with the pages' rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_login import current_user

from core.api.conventions import Blueprint, documented_update, paginate
from core.clocks import to_local
from core.db import utcnow
from core.discharges import operations, schemas
from core.discharges.models import HospitalDischarge
from core.pipeline import logged, record

blp = Blueprint(
    "discharges_api", __name__, url_prefix="/discharges", description="Hospital discharges"
)
DISCHARGE = "/<id:discharge_id>"


@blp.get("/", "discharges.view", schemas.DischargeListArgs, schemas.DischargePageSchema)
@logged("discharge.list", object_type="discharge")
def list_discharges(args: dict[str, Any]) -> dict[str, Any]:
    """The discharges you may read (a trust: its own; the team: every one), those
    waiting for follow-up first; ``waiting=true``: only those."""
    query = operations.listed(current_user, args["waiting"])
    return paginate(query, args["page"], args["page_size"])


@blp.post(
    "/", "discharges.notify", schemas.DischargeCreateSchema, schemas.DischargeSchema, status=201
)
@record("discharge_notifier", "notify", argument="agency")
def notify_discharge(data: dict[str, Any], agency: Any) -> Any:
    """Notify a discharge (NHS trusts), with or without an open concern: the person's
    details make a new person record; ``out_of_hours`` is worked out from the time."""
    person = data.pop("person")
    return operations.notify(data, person, current_user)


@blp.get(DISCHARGE, "discharges.view", None, schemas.DischargeSchema)
@record("discharge")
@logged("discharge.view", object_type="discharge", object_id="discharge")
def get_discharge(discharge: HospitalDischarge) -> Any:
    """One discharge, if you may read it (404 otherwise)."""
    return discharge


@blp.put(
    DISCHARGE + "/follow-up",
    "discharges.follow_up",
    schemas.DischargeFollowUpSchema,
    schemas.DischargeSchema,
)
@documented_update(blp)
@record("discharge")
def follow_up(data: dict[str, Any], discharge: HospitalDischarge) -> Any:
    """Record or correct the follow-up (the safeguarding team), with the discharge's
    ETag in If-Match."""
    return operations.follow_up(discharge, data, current_user)


@blp.get("/monitoring", "discharges.monitor", schemas.MonthArgs, schemas.MonitoringSchema)
@logged("discharge.monitoring", object_type="return")
def get_monitoring(args: dict[str, Any]) -> Any:
    """A month's discharges: the counts; for the safeguarding team the discharges too,
    with their follow-up and the hours it took (the board: null)."""
    if args.get("month"):
        year, month = args["month"].split("-")
        first = date(int(year), int(month), 1)
    else:
        first = to_local(utcnow()).date().replace(day=1)
    return operations.monitoring(first, current_user)
