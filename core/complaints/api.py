"""/api/v1/complaints: the complaints and compliments log, with the same rules as the
pages (the safeguarding team and the council's complaints officer only)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core.api.conventions import Blueprint, paginate
from core.complaints import operations
from core.complaints.models import ComplaintEntry
from core.complaints.schemas import (
    ComplaintAcknowledgeSchema,
    ComplaintAnswerSchema,
    ComplaintCreateSchema,
    ComplaintEntryPageSchema,
    ComplaintEntrySchema,
    ComplaintEscalateSchema,
    ComplaintExtendSchema,
    ComplaintListArgs,
    ComplaintOmbudsmanSchema,
    ComplaintReportArgs,
    ComplaintReportSchema,
    default_period,
)
from core.pipeline import logged, record
from core.policy.complaints import visible_complaints
from core.policy.councils import figures_council

blp = Blueprint(
    "complaints_api",
    __name__,
    url_prefix="/complaints",
    description="Complaints, compliments and comments",
)
ENTRY = "/<id:entry_id>"


@blp.get("/", "complaints.view", ComplaintListArgs, ComplaintEntryPageSchema)
@logged("complaint.list", object_type="complaint")
def list_entries(args: dict[str, Any]) -> Any:
    """The log, the latest received first: ``kind``, ``state`` (complaints: ``open``,
    ``answered``, ``ombudsman``), ``concern_id`` or ``person_id``."""
    query = operations.filtered(
        visible_complaints(current_user),
        args.get("kind", ""),
        args.get("state", ""),
        args.get("concern_id"),
        args.get("person_id"),
    )
    return paginate(query, args["page"], args["page_size"])


@blp.post("/", "complaints.manage", ComplaintCreateSchema, ComplaintEntrySchema, status=201)
def create_entry(data: dict[str, Any]) -> Any:
    """Record a complaint, compliment or comment about a case (``concern_id`` or
    ``case_reference``) or a person (``person_id``); a complaint names its ``procedure``
    and opens its first stage."""
    return operations.record_entry(data, current_user)


@blp.get("/report", "complaints.view", ComplaintReportArgs, ComplaintReportSchema)
@logged("complaint.report", object_type="return")
def get_report(args: dict[str, Any]) -> Any:
    """Counts for a period (``from``, ``to``; default 1 April to today): received by type
    and procedure, stage responses by outcome and timeliness, adults' acknowledgements,
    Ombudsman referrals."""
    start, end = default_period(operations.today())
    return operations.report(
        args.get("start") or start, args.get("end") or end, figures_council(current_user)
    )


@blp.get(ENTRY, "complaints.view", None, ComplaintEntrySchema)
@logged("complaint.view", object_type="complaint", object_id="entry_id")
@record("complaint")
def get_entry(complaint: ComplaintEntry) -> Any:
    """One complaint with its stages and their clocks."""
    return complaint


@blp.post(
    ENTRY + "/acknowledge", "complaints.manage", ComplaintAcknowledgeSchema, ComplaintEntrySchema
)
@record("complaint")
def acknowledge(data: dict[str, Any], complaint: ComplaintEntry) -> Any:
    """The day it was acknowledged (``acknowledged_on``); adults: ``response_due_on``, the
    response date agreed with the complainant (default six months)."""
    operations.acknowledge(complaint, data, current_user)
    return complaint


@blp.post(ENTRY + "/answer", "complaints.manage", ComplaintAnswerSchema, ComplaintEntrySchema)
@record("complaint")
def answer(data: dict[str, Any], complaint: ComplaintEntry) -> Any:
    """The current stage's response: ``answered_on``, ``outcome`` and ``response``."""
    operations.answer(complaint, data, current_user)
    return complaint


@blp.post(ENTRY + "/extend", "complaints.manage", ComplaintExtendSchema, ComplaintEntrySchema)
@record("complaint")
def extend(data: dict[str, Any], complaint: ComplaintEntry) -> Any:
    """Extend a children's stage 1 or 2 to 20 or 65 working days, once (``reason``)."""
    operations.extend(complaint, data, current_user)
    return complaint


@blp.post(ENTRY + "/escalate", "complaints.manage", ComplaintEscalateSchema, ComplaintEntrySchema)
@record("complaint")
def escalate(data: dict[str, Any], complaint: ComplaintEntry) -> Any:
    """Start the next stage (children's social care) on ``requested_on``."""
    operations.escalate(complaint, data, current_user)
    return complaint


@blp.post(ENTRY + "/ombudsman", "complaints.manage", ComplaintOmbudsmanSchema, ComplaintEntrySchema)
@record("complaint")
def refer_to_ombudsman(data: dict[str, Any], complaint: ComplaintEntry) -> Any:
    """Record the referral to the Local Government and Social Care Ombudsman:
    ``referred_on`` and its ``reference``."""
    operations.refer_to_ombudsman(complaint, data, current_user)
    return complaint
