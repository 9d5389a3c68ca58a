"""Contact follow-ups in the API: the same rules as the pages."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core.api.conventions import Blueprint, paginate
from core.downloads import PDF, download
from core.followups import operations
from core.followups.models import ContactFollowUp
from core.followups.pdf import letter_pdf
from core.followups.schemas import (
    ContactFollowUpSchema,
    FollowUpListArgs,
    FollowUpOutcomeSchema,
    FollowUpPageSchema,
    FollowUpReportArgs,
    FollowUpReportSchema,
)
from core.pipeline import logged, record
from core.policy.councils import figures_council
from core.policy.followups import visible_follow_ups
from core.policy.routes import requires

blp = Blueprint(
    "follow_ups_api", __name__, url_prefix="/contact-follow-ups", description="Contact follow-ups"
)
FOLLOW_UP = "/<id:follow_up_id>"
PDF_RESPONSE = {
    "200": {
        "description": "The letter to whoever made contact",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@blp.get("/", "follow_ups.manage", FollowUpListArgs, FollowUpPageSchema)
@logged("follow_up.list", object_type="follow_up")
def list_follow_ups(args: dict[str, Any]) -> Any:
    """The follow-ups not recorded yet, soonest due first; ``state``: ``due`` (due today
    or earlier), ``upcoming`` or ``recorded`` (latest recorded first)."""
    state = args.get("state", "")
    query = operations.filtered(visible_follow_ups(current_user), state, operations.today())
    return paginate(query, args["page"], args["page_size"])


@blp.get("/report", "returns.view", FollowUpReportArgs, FollowUpReportSchema)
@logged("follow_up.report", object_type="return")
def get_report(args: dict[str, Any]) -> Any:
    """The follow-ups due in a month (``month``: any day of it, default this month),
    counted by outcome and by the screening decision: figures only."""
    return operations.monthly_report(
        args.get("month") or operations.today(), figures_council(current_user)
    )


@blp.get(FOLLOW_UP, "follow_ups.manage", None, ContactFollowUpSchema)
@logged("follow_up.view", object_type="follow_up", object_id="follow_up_id")
@record("follow_up")
def get_follow_up(follow_up: ContactFollowUp) -> Any:
    """One follow-up: who made contact and how to reach them, the person, and the outcome."""
    return follow_up


@blp.post(FOLLOW_UP + "/outcome", "follow_ups.manage", FollowUpOutcomeSchema, ContactFollowUpSchema)
@record("follow_up")
def record_outcome(data: dict[str, Any], follow_up: ContactFollowUp) -> Any:
    """Record what the call found, once (422 the second time): ``outcome``
    (``signposting_worked``, ``new_referral_needed`` or ``not_reached``) and a ``note``
    (needed with ``new_referral_needed``)."""
    operations.record_outcome(follow_up, data, current_user)
    return follow_up


@blp.route(FOLLOW_UP + "/letter", methods=["GET"])
@requires("follow_ups.manage")
@blp.doc(responses=PDF_RESPONSE)
@logged("follow_up.letter", object_type="follow_up", object_id="follow_up_id")
@record("follow_up")
def get_letter(follow_up: ContactFollowUp) -> Any:
    """The letter (PDF) asking whoever made contact whether the signposting helped."""
    return download(letter_pdf(follow_up), PDF, f"follow-up-{follow_up.concern.reference}.pdf")
