"""PiPoT and LADO referrals: made from a case about a person alleged to have caused harm
who works or volunteers in a position of trust; the employer's actions; the outcome, which
closes the referral. The rules and every write are here."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from core.clocks import to_local
from core.concerns.models import Concern, add_event
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.people.models import AllegedPerson
from core.reference import TrustOutcome, TrustProcess
from core.trust.models import EmployerAction, TrustReferral, TrustReferralAction

if TYPE_CHECKING:
    from core.auth.models import User

LONG = 2000


def today() -> date:
    return to_local(utcnow()).date()


def process_for(concern: Concern) -> TrustProcess:
    """PiPoT for an adult's case (Care and support statutory guidance, 14.120 to 14.132);
    the LADO for a child's (Working Together to Safeguard Children 2023, chapter 4)."""
    return TrustProcess.LADO if concern.is_child else TrustProcess.PIPOT


def _day(
    values: dict[str, Any], field: str, errors: dict[str, list[str]], what: str, since: date
) -> date | None:
    day = values.get(field)
    if day is None:
        errors[field] = [f"Enter the day {what}"]
    elif day > today():
        errors[field] = [f"The day {what} must be today or in the past"]
    elif day < since:
        errors[field] = [f"The day {what} cannot be before {since.strftime('%-d %B %Y')}"]
    return day


def _text(
    values: dict[str, Any], field: str, errors: dict[str, list[str]], limit: int
) -> str | None:
    text = (values.get(field) or "").strip() or None
    if text and len(text) > limit:
        errors[field] = [f"Use {limit:,} characters or fewer"]
    return text


def referrals_of(concern: Concern) -> list[TrustReferral]:
    """The case's PiPoT or LADO referrals, the oldest first."""
    return list(
        db.session.scalars(
            sa.select(TrustReferral)
            .where(TrustReferral.concern_id == concern.id)
            .order_by(TrustReferral.referred_on, TrustReferral.id)
        )
    )


def make_referral(
    concern: Concern, alleged: AllegedPerson, values: dict[str, Any], user: User
) -> TrustReferral:
    """Refer the allegation about a person in a position of trust on (``referred_on``,
    ``referred_to``): PiPoT for an adult's case, the LADO for a child's; one open referral
    a person a case."""
    errors: dict[str, list[str]] = {}
    if not alleged.in_position_of_trust:
        errors["alleged_id"] = [
            "Record first where they work or volunteer in a position of trust, and their role"
        ]
    elif any(r.is_open and r.alleged_id == alleged.id for r in referrals_of(concern)):
        errors["alleged_id"] = ["A referral about them is already open on this case"]
    received = to_local(concern.received_at).date()
    referred_on = _day(values, "referred_on", errors, "it was referred", received)
    referred_to = _text(values, "referred_to", errors, 200)
    if not referred_to and "referred_to" not in errors:
        errors["referred_to"] = [
            "Say who it was referred to, for example: the PiPoT lead or the LADO"
        ]
    if errors:
        raise ValidationFailed(errors)
    assert referred_on is not None and referred_to is not None
    referral = TrustReferral(
        concern_id=concern.id,
        alleged=alleged,
        process=process_for(concern),
        referred_on=referred_on,
        referred_to=referred_to,
        employer=alleged.employer_label or "Not recorded",
        role=alleged.trust_role,
        created_by_id=user.id,
    )
    db.session.add(referral)
    db.session.flush()
    # the timeline is read more widely: it says a referral was made, not about whom
    add_event(concern, user, "concern.trust_referral", f"{referral.process.label} made")
    return referral


def record_action(
    referral: TrustReferral, values: dict[str, Any], user: User
) -> TrustReferralAction:
    """What the employer did (``action``, ``taken_on``, ``notes``; notes needed for
    "other"), while the referral is open."""
    errors: dict[str, list[str]] = {}
    if not referral.is_open:
        raise ValidationFailed.single("action", "The referral is closed: its outcome is recorded")
    action = None
    try:
        action = EmployerAction(values.get("action") or "")
    except ValueError:
        errors["action"] = ["Select what the employer did"]
    taken_on = _day(values, "taken_on", errors, "it was done", referral.referred_on)
    notes = _text(values, "notes", errors, LONG)
    if action == EmployerAction.OTHER and not notes and "notes" not in errors:
        errors["notes"] = ["Say what the employer did"]
    if errors:
        raise ValidationFailed(errors)
    assert action is not None and taken_on is not None
    row = TrustReferralAction(
        referral_id=referral.id,
        action=action,
        taken_on=taken_on,
        notes=notes,
        created_by_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    db.session.refresh(referral)
    return row


def record_outcome(referral: TrustReferral, values: dict[str, Any], user: User) -> TrustReferral:
    """The outcome (Keeping Children Safe in Education's definitions: substantiated,
    malicious, false, unsubstantiated, unfounded) and its day: the referral is closed."""
    errors: dict[str, list[str]] = {}
    if not referral.is_open:
        raise ValidationFailed.single("outcome", "The outcome is already recorded")
    outcome = None
    try:
        outcome = TrustOutcome(values.get("outcome") or "")
    except ValueError:
        errors["outcome"] = [
            "Select the outcome: substantiated, malicious, false, unsubstantiated or unfounded"
        ]
    outcome_on = _day(values, "outcome_on", errors, "of the outcome", referral.referred_on)
    notes = _text(values, "outcome_notes", errors, LONG)
    if errors:
        raise ValidationFailed(errors)
    referral.outcome, referral.outcome_on, referral.outcome_notes = outcome, outcome_on, notes
    db.session.flush()
    concern = db.session.get(Concern, referral.concern_id)
    assert concern is not None and outcome is not None
    add_event(concern, user, "concern.trust_outcome", f"{referral.process.label}: closed")
    return referral
