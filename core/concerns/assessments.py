"""Children's social care assessments of a child's case.

Working Together to Safeguard Children 2023, chapter 2 ("Assessment of a child under the
Children Act 1989", timeliness): an assessment concludes within 45 working days of the
referral (the ``assessment`` clock in core.clocks, which CLOCK_DAYS may change). It starts,
and it concludes when a manager authorises it with the factors identified at its end (CIN
census 2025 to 2026 guide: "factors identified at the end of assessment"; code 21, "no
factors identified", stands alone, rule 8869).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import current_app

from core.accesslog import operations as access_log
from core.clocks import OUT_OF_RANGE, clock_days, in_range, to_local
from core.concerns.models import Assessment, AssessmentFactorRow, Concern, ConcernStatus
from core.concerns.operations import add_event, calendar, referral_went_no_further
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.reference import AssessmentFactor, PrimaryNeed

if TYPE_CHECKING:
    from core.auth.models import User


def assessments_of(concern: Concern) -> list[Assessment]:
    return list(
        db.session.scalars(
            sa.select(Assessment)
            .where(Assessment.concern_id == concern.id)
            .order_by(Assessment.started_on, Assessment.id)
        )
    )


def assessment_due(concern: Concern) -> date:
    """The last day to conclude an assessment: 45 working days (the ``assessment`` clock)
    after the referral was received."""
    days = clock_days(current_app.config.get("CLOCK_DAYS"), "assessment")
    return calendar().add_working_days(to_local(concern.received_at).date(), days)


def _today() -> date:
    return to_local(utcnow()).date()


def _day(
    values: dict[str, Any], field: str, errors: dict[str, list[str]], missing: str
) -> date | None:
    day = values.get(field)
    if day is None:
        errors[field] = [missing]
        return None
    if not isinstance(day, date) or not in_range(day):
        errors[field] = [OUT_OF_RANGE]
        return None
    if day > _today():
        errors[field] = ["The date must not be in the future"]
        return None
    return day


def start_assessment(concern: Concern, values: dict[str, Any], user: User) -> Assessment:
    """Start an assessment of a child's open case; one at a time (rule 8896)."""
    errors: dict[str, list[str]] = {}
    if not concern.is_child:
        raise ValidationFailed.single(
            "concern_id", "Assessments under the Children Act 1989 are for children's cases"
        )
    if concern.status == ConcernStatus.CLOSED:
        errors["concern_id"] = ["The case is closed: reopen it first"]
    elif referral_went_no_further(concern):
        errors["concern_id"] = [
            "The screening decision was no further action: change the decision before "
            "starting an assessment"
        ]
    if any(a.authorised_on is None for a in assessments_of(concern)):
        errors["started_on"] = ["An assessment of this case is already open: conclude it first"]
    started_on = _day(values, "started_on", errors, "Enter the date the assessment started")
    if started_on is not None and started_on < to_local(concern.received_at).date():
        errors["started_on"] = ["An assessment cannot start before the referral was received"]
    if errors:
        raise ValidationFailed(errors)
    assert started_on is not None
    assessment = Assessment(
        concern_id=concern.id,
        started_on=started_on,
        due_on=assessment_due(concern),
        started_by_id=user.id,
    )
    db.session.add(assessment)
    db.session.flush()
    add_event(
        concern,
        user,
        "assessment.started",
        f"Assessment started on {started_on:%-d %B %Y}, due by {assessment.due_on:%-d %B %Y}",
    )
    access_log.record("assessment.start", object_type="concern", object_id=concern.id)
    return assessment


def conclude_assessment(assessment: Assessment, values: dict[str, Any], user: User) -> Assessment:
    """A manager authorises the assessment, with the factors identified at its end and
    the child's primary need (CIN census: the need recorded at assessment)."""
    errors: dict[str, list[str]] = {}
    concern = db.session.get(Concern, assessment.concern_id)
    assert concern is not None
    if assessment.authorised_on is not None:
        raise ValidationFailed.single("authorised_on", "This assessment is already concluded")
    if concern.status == ConcernStatus.CLOSED:
        errors["concern_id"] = ["The case is closed: reopen it first"]
    authorised_on = _day(values, "authorised_on", errors, "Enter the date it was authorised")
    if authorised_on is not None and authorised_on < assessment.started_on:
        errors["authorised_on"] = ["An assessment cannot conclude before it started"]
    factors: set[AssessmentFactor] = set()
    for raw in values.get("factors") or []:
        try:
            factors.add(AssessmentFactor(raw))
        except ValueError:
            errors["factors"] = [f"'{raw}' is not a factor identified at assessment"]
    need = None
    try:
        need = PrimaryNeed(values.get("primary_need") or "")
    except ValueError:
        errors["primary_need"] = ["Select the child's primary need found by the assessment"]
    if not factors and "factors" not in errors:
        errors["factors"] = [
            "Select the factors identified at the end of the assessment, or “No factors identified”"
        ]
    elif AssessmentFactor.F21 in factors and len(factors) > 1:
        errors["factors"] = [
            "“No factors identified” cannot be chosen with other factors (rule 8869)"
        ]
    if errors:
        raise ValidationFailed(errors)
    assessment.authorised_on = authorised_on
    assessment.authorised_by_id = user.id
    assessment.summary = (values.get("summary") or "").strip()[:20000] or None
    assessment.factor_rows = [AssessmentFactorRow(factor=factor) for factor in sorted(factors)]
    concern.primary_need = need
    db.session.flush()
    add_event(
        concern,
        user,
        "assessment.concluded",
        f"Assessment concluded on {authorised_on:%-d %B %Y}: "
        + "; ".join(f.label for f in sorted(factors)),
    )
    access_log.record("assessment.conclude", object_type="concern", object_id=concern.id)
    return assessment
