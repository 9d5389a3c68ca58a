"""Drawing the quarter's sample, assigning reviewers, recording their findings, closing.

A sample may be limited to a team, an area, out-of-hours (or day-time) cases and a case
type (adult or child), in any combination; the audit keeps the limits it was drawn with.
Quarters follow the year that begins in month AUDIT_YEAR_STARTS (4: the council's
financial year, April to June is Q1); each audit keeps the month its year began."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app

from core.accesslog import operations as access_log
from core.auth.models import Locality, Team, User
from core.casefile.models import (
    Answer,
    AuditStatus,
    CaseFileAnswer,
    CaseFileAudit,
    CaseFileReview,
    CaseType,
    ChecklistItem,
    Grade,
)
from core.clocks import to_local
from core.concerns.models import Concern
from core.db import MAX_ID, utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.policy import casefile as casefile_policy
from core.policy.teams import council_named
from core.returns.periods import Period, quarter_in_year

DEFAULT_SAMPLE_SIZE = 20
MAX_SAMPLE_SIZE = 500
MAX_SEED = 2**53
# The recording standards every sampled case is checked against
DEFAULT_CHECKLIST = (
    "Decisions and the reasons for them are recorded",
    "A risk assessment was done",
    "A body map was completed where there was a physical injury",
    "The person's wishes are recorded",
    "Feedback was given to the person and to the referrer",
    "Timescales were met",
    "The police investigation is tracked where a crime is suspected",
)


def checklist() -> list[str]:
    configured = current_app.config.get("CASE_FILE_CHECKLIST") or DEFAULT_CHECKLIST
    return [str(text) for text in configured]


def year_starts() -> int:
    """The month the audit year begins in (AUDIT_YEAR_STARTS, checked at start-up)."""
    return int(current_app.config.get("AUDIT_YEAR_STARTS", 4))


def period_of(audit: CaseFileAudit) -> Period:
    return quarter_in_year(audit.year, audit.quarter, audit.year_starts)


def active_in(period: Period, limits: Mapping[str, Any] | None = None) -> sa.Select[tuple[int]]:
    """Cases active in the period: received before it ended and not closed before it began,
    within the limits (``team_id``, ``locality_id``, ``out_of_hours``, ``case_type``; None:
    any); deleted cases are left out. Ordered by id, so a seed always picks the same cases."""
    limits = limits or {}
    query = (
        sa.select(Concern.id)
        .where(
            Concern.deleted_at.is_(None),
            period.of_council(Concern.council_id),
            Concern.received_at < period.ends,
            sa.or_(Concern.closed_at.is_(None), Concern.closed_at >= period.starts),
        )
        .order_by(Concern.id)
    )
    if limits.get("team_id") is not None:
        query = query.where(Concern.team_id == limits["team_id"])
    if limits.get("locality_id") is not None:
        query = query.where(Concern.locality_id == limits["locality_id"])
    if limits.get("out_of_hours") is not None:
        query = query.where(Concern.out_of_hours.is_(bool(limits["out_of_hours"])))
    if limits.get("case_type") is not None:
        query = query.where(Concern.is_child.is_(CaseType(limits["case_type"]) == CaseType.CHILD))
    return query


def sample(
    period: Period, seed: int, size: int, limits: Mapping[str, Any] | None = None
) -> list[int]:
    """The case ids the seed picks from the period's active cases within the limits (all
    of them when there are no more than ``size``), in id order. Only ids are read."""
    ids = list(db.session.scalars(active_in(period, limits)))
    if len(ids) <= size:
        return ids
    # reproducible by design: the seed is shown so anyone can redraw the same sample
    return sorted(random.Random(seed).sample(ids, size))  # noqa: S311


def _check_limits(
    values: Mapping[str, Any], errors: dict[str, list[str]], council_id: int
) -> dict[str, Any]:
    """The sample's limits; a team or an area is one of the audit's council's."""
    team_id, locality_id = values.get("team_id"), values.get("locality_id")
    out_of_hours, case_type = values.get("out_of_hours"), values.get("case_type")
    if team_id is not None and (
        not isinstance(team_id, int) or _named(Team, team_id, council_id) is None
    ):
        errors["team_id"] = ["Choose a team from the list"]
    if locality_id is not None and (
        not isinstance(locality_id, int) or _named(Locality, locality_id, council_id) is None
    ):
        errors["locality_id"] = ["Choose an area from the list"]
    if out_of_hours is not None and not isinstance(out_of_hours, bool):
        errors["out_of_hours"] = ["Choose out-of-hours cases, day-time cases or both"]
    if case_type is not None and case_type not in {t.value for t in CaseType}:
        errors["case_type"] = ["Choose adults, children or both"]
    return {
        "team_id": team_id,
        "locality_id": locality_id,
        "out_of_hours": out_of_hours,
        "case_type": CaseType(case_type) if "case_type" not in errors and case_type else None,
    }


def _named(model: type[Team] | type[Locality], item_id: int, council_id: int) -> Any:
    if not 0 < item_id <= MAX_ID:
        return None
    return db.session.scalar(council_named(model, council_id).where(model.id == item_id))


def _check_draw(
    values: Mapping[str, Any], today: date, starts: int, council_id: int
) -> tuple[int, int, int, int, dict[str, Any]]:
    errors: dict[str, list[str]] = {}
    limits = _check_limits(values, errors, council_id)
    year, number = values.get("year"), values.get("quarter")
    size = values.get("sample_size") or current_app.config.get(
        "CASE_FILE_SAMPLE_SIZE", DEFAULT_SAMPLE_SIZE
    )
    seed = values.get("seed")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = ["Enter the year, like 2026"]
    if not isinstance(number, int) or not 1 <= number <= 4:
        errors["quarter"] = ["Choose the quarter"]
    if not isinstance(size, int) or not 1 <= size <= MAX_SAMPLE_SIZE:
        errors["sample_size"] = [f"Sample size must be a whole number from 1 to {MAX_SAMPLE_SIZE}"]
    if seed is not None and (not isinstance(seed, int) or not 0 <= seed < MAX_SEED):
        errors["seed"] = ["The seed must be a whole number from 0 to 9007199254740991"]
    unreadable = "year" in errors or "quarter" in errors
    if not unreadable and quarter_in_year(year, number, starts).first > today:  # type: ignore[arg-type]
        errors["quarter"] = ["The quarter has not started yet"]
    if errors:
        raise ValidationFailed(errors)
    chosen = seed if seed is not None else secrets.randbelow(2**31)
    return year, number, size, chosen, limits  # type: ignore[return-value]


def draw(values: Mapping[str, Any], user: User) -> CaseFileAudit:
    """A new audit of the quarter: the sample within its limits, its seed and the
    checklist as it is now. ``year`` is the year the audit year begins in."""
    starts = year_starts()
    year, number, size, seed, limits = _check_draw(
        values, to_local(utcnow()).date(), starts, user.council_id
    )
    audit = CaseFileAudit(
        year=year,
        quarter=number,
        year_starts=starts,
        seed=seed,
        sample_size=size,
        drawn_by_id=user.id,
        council_id=user.council_id,
        **limits,
    )
    audit.items = [ChecklistItem(position=i, text=t) for i, t in enumerate(checklist(), 1)]
    # the drawing manager's council's cases
    period = replace(quarter_in_year(year, number, starts), council_id=user.council_id)
    picked = sample(period, seed, size, limits)
    audit.reviews = [CaseFileReview(concern_id=cid) for cid in picked]
    db.session.add(audit)
    db.session.flush()
    access_log.record("casefile.draw", object_type="casefile_audit", object_id=audit.id)
    return audit


def _require_open(audit: CaseFileAudit) -> None:
    if audit.status != AuditStatus.OPEN:
        raise ValidationFailed.single("status", "This audit is closed")


def _refuse_own_case(reviewer: User, review: CaseFileReview, field: str) -> None:
    reasons = casefile_policy.own_case_reasons(reviewer, review.concern)
    if reasons:
        raise ValidationFailed.single(
            field,
            f"{reviewer.name} {' and '.join(reasons)} {review.case_reference}: "
            "nobody reviews their own case, choose another reviewer",
        )


def assign(review: CaseFileReview, auditor_id: int | None, user: User) -> CaseFileReview:
    """Give the sampled case to a reviewer: an auditor, or a safeguarding manager or
    officer the audit's owner chooses; never someone whose own case it is."""
    _require_open(review.audit)
    reviewer = db.session.get(User, auditor_id) if auditor_id else None
    if (
        reviewer is None
        or not casefile_policy.may_be_assigned(reviewer)
        or reviewer.council_id != review.audit.council_id
    ):
        raise ValidationFailed.single(
            "auditor_id", "Choose an active auditor, safeguarding manager or safeguarding officer"
        )
    _refuse_own_case(reviewer, review, "auditor_id")
    if not casefile_policy.may_choose(user, reviewer, review.audit):
        raise ValidationFailed.single(
            "auditor_id",
            "Only the manager who drew this audit chooses managers and officers to review",
        )
    review.auditor_id = reviewer.id
    db.session.flush()
    access_log.record("casefile.assign", object_type="casefile_review", object_id=review.id)
    return review


def record_findings(
    review: CaseFileReview,
    answers: Mapping[int, str],
    grade: str | None,
    comments: str | None,
    user: User,
) -> CaseFileReview:
    """The assigned auditor's answer to every checklist item, and the grade."""
    _require_open(review.audit)
    if review.auditor_id != user.id:
        raise ValidationFailed.single("auditor_id", "This case is not assigned to you")
    _refuse_own_case(user, review, "auditor_id")
    errors: dict[str, list[str]] = {}
    found: dict[int, Answer] = {}
    for item in review.audit.items:
        value = answers.get(item.id)
        if value not in {a.value for a in Answer}:
            errors[f"item_{item.id}"] = [f"Answer: {item.text}"]
        else:
            found[item.id] = Answer(value)
    unknown = set(answers) - {item.id for item in review.audit.items}
    if unknown:
        errors["answers"] = ["Answer only the items on this audit's checklist"]
    if grade not in {g.value for g in Grade}:
        errors["grade"] = ["Choose a grade"]
    if errors:
        raise ValidationFailed(errors)
    by_item = {a.item_id: a for a in review.answers}
    for item_id, answer in found.items():
        if item_id in by_item:
            by_item[item_id].answer = answer
        else:
            review.answers.append(CaseFileAnswer(item_id=item_id, answer=answer))
    review.grade = Grade(grade)
    review.comments = (comments or "").strip() or None
    review.completed_at = utcnow()
    db.session.flush()
    access_log.record("casefile.review", object_type="casefile_review", object_id=review.id)
    return review


def close(audit: CaseFileAudit, user: User) -> CaseFileAudit:
    """Close the audit: its auditors lose access to its cases."""
    _require_open(audit)
    audit.status = AuditStatus.CLOSED
    audit.closed_at = utcnow()
    db.session.flush()
    access_log.record("casefile.close", object_type="casefile_audit", object_id=audit.id)
    return audit
