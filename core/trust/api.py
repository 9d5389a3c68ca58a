"""/api/v1/concerns/{id}/trust-referrals: PiPoT and LADO referrals of a case, with the same
rules as the pages (core/trust/views.py)."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from core.api.conventions import Blueprint
from core.concerns.models import Concern
from core.errors import ValidationFailed
from core.extensions import db
from core.people.models import AllegedPerson
from core.pipeline import logged, record
from core.policy import people as _record_types  # noqa: F401  (declares "trust_referral")
from core.trust import operations
from core.trust.models import TrustReferral
from core.trust.schemas import (
    TrustActionCreateSchema,
    TrustOutcomeSchema,
    TrustReferralCreateSchema,
    TrustReferralSchema,
)

blp = Blueprint(
    "trust_api",
    __name__,
    url_prefix="/concerns",
    description="PiPoT and LADO referrals about a person in a position of trust",
)

REFERRALS = "/<id:concern_id>/trust-referrals"
REFERRAL = REFERRALS + "/<id:referral_id>"


@blp.get(REFERRALS, "concerns.view", None, TrustReferralSchema(many=True))
@logged("concern.trust_referral_view", object_type="concern", object_id="concern_id")
@record("concern", "alleged_harm")
def list_referrals(concern: Concern) -> Any:
    """The case's PiPoT or LADO referrals (the safeguarding team and agencies involved in
    full, who read the person alleged to have caused harm)."""
    return operations.referrals_of(concern)


@blp.get(REFERRAL, "concerns.view", None, TrustReferralSchema)
@logged("concern.trust_referral_view", object_type="concern", object_id="concern_id")
@record("concern", "alleged_harm")
@record("trust_referral")
def get_referral(concern: Concern, trust_referral: TrustReferral) -> Any:
    """One referral, with the employer's actions and its outcome."""
    return trust_referral


@blp.post(
    REFERRALS, "concerns.trust_referral", TrustReferralCreateSchema, TrustReferralSchema, status=201
)
@record("concern")
def make_referral(data: dict[str, Any], concern: Concern) -> Any:
    """Refer the allegation about ``alleged_id`` (in a position of trust) on: PiPoT for
    an adult's case, the LADO for a child's (``referred_on``, ``referred_to``)."""
    alleged = db.session.get(AllegedPerson, data["alleged_id"])
    if alleged is None or alleged.concern_id != concern.id or alleged.removed_at is not None:
        raise ValidationFailed.single(
            "alleged_id", "Name a person alleged to have caused harm in this case"
        )
    return operations.make_referral(concern, alleged, data, current_user)


@blp.post(
    REFERRAL + "/actions", "concerns.trust_referral", TrustActionCreateSchema, TrustReferralSchema
)
@record("concern")
@record("trust_referral")
def add_action(data: dict[str, Any], concern: Concern, trust_referral: TrustReferral) -> Any:
    """Record what the employer did (``action``, ``taken_on``, ``notes``) while it is open;
    answers the referral."""
    operations.record_action(trust_referral, data, current_user)
    return trust_referral


@blp.post(REFERRAL + "/outcome", "concerns.trust_referral", TrustOutcomeSchema, TrustReferralSchema)
@record("concern")
@record("trust_referral")
def record_outcome(data: dict[str, Any], concern: Concern, trust_referral: TrustReferral) -> Any:
    """Record the outcome (``outcome``, ``outcome_on``, ``outcome_notes``): closes it."""
    return operations.record_outcome(trust_referral, data, current_user)
