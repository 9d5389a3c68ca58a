"""Drawing the quarter's sample, assigning auditors, recording their findings, closing."""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app

from core.accesslog import operations as access_log
from core.auth.models import User
from core.casefile.models import (
    Answer,
    AuditStatus,
    CaseFileAnswer,
    CaseFileAudit,
    CaseFileReview,
    ChecklistItem,
    Grade,
)
from core.clocks import to_local
from core.concerns.models import Concern
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.policy import casefile as casefile_policy
from core.returns.periods import Period, quarter

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


def active_in(period: Period) -> sa.Select[tuple[int]]:
    """Cases active in the period: received before it ended and not closed before it began;
    deleted cases are left out. Ordered by id, so a seed always picks the same cases."""
    return (
        sa.select(Concern.id)
        .where(
            Concern.deleted_at.is_(None),
            Concern.received_at < period.ends,
            sa.or_(Concern.closed_at.is_(None), Concern.closed_at >= period.starts),
        )
        .order_by(Concern.id)
    )


def sample(year: int, number: int, seed: int, size: int) -> list[int]:
    """The case ids the seed picks from the quarter's active cases (all of them when there
    are no more than ``size``), in id order. Only ids are read, never case rows."""
    ids = list(db.session.scalars(active_in(quarter(year, number))))
    if len(ids) <= size:
        return ids
    # reproducible by design: the seed is shown so anyone can redraw the same sample
    return sorted(random.Random(seed).sample(ids, size))  # noqa: S311


def _check_draw(values: Mapping[str, Any], today: date) -> tuple[int, int, int, int]:
    errors: dict[str, list[str]] = {}
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
    if not errors and quarter(year, number).first > today:  # type: ignore[arg-type]
        errors["quarter"] = ["The quarter has not started yet"]
    if errors:
        raise ValidationFailed(errors)
    chosen = seed if seed is not None else secrets.randbelow(2**31)
    return year, number, size, chosen  # type: ignore[return-value]


def draw(values: Mapping[str, Any], user: User) -> CaseFileAudit:
    """A new audit of the quarter: the sample, its seed and the checklist as it is now."""
    year, number, size, seed = _check_draw(values, to_local(utcnow()).date())
    audit = CaseFileAudit(
        year=year, quarter=number, seed=seed, sample_size=size, drawn_by_id=user.id
    )
    audit.items = [ChecklistItem(position=i, text=t) for i, t in enumerate(checklist(), 1)]
    audit.reviews = [CaseFileReview(concern_id=cid) for cid in sample(year, number, seed, size)]
    db.session.add(audit)
    db.session.flush()
    access_log.record("casefile.draw", object_type="casefile_audit", object_id=audit.id)
    return audit


def _require_open(audit: CaseFileAudit) -> None:
    if audit.status != AuditStatus.OPEN:
        raise ValidationFailed.single("status", "This audit is closed")


def assign(review: CaseFileReview, auditor_id: int | None, user: User) -> CaseFileReview:
    _require_open(review.audit)
    auditor = db.session.get(User, auditor_id) if auditor_id else None
    if auditor is None or not casefile_policy.may_be_assigned(auditor):
        raise ValidationFailed.single("auditor_id", "Choose an active auditor")
    review.auditor_id = auditor.id
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
