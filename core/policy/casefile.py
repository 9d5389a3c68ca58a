"""Who may see which part of a case file audit.

- Safeguarding managers run audits: they see the sample, who audits each case and the
  findings.
- An auditor sees the cases assigned to them (the case record itself is opened through
  ``core.policy.cases``, which lets them read exactly those cases while the audit is
  open) and records findings only for those.
- Board members and officers see the audit's figures, never which cases were sampled.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.auth.models import User
from core.auth.roles import Role
from core.casefile.models import AuditStatus, CaseFileAudit, CaseFileReview
from core.extensions import db
from core.policy.resources import Resource, by_id, child_of, declare


def is_auditor(user: Any) -> bool:
    """An auditor, who reads the cases assigned to them."""
    return bool(user.is_authenticated and user.role == Role.AUDITOR)


def may_be_assigned(user: Any) -> bool:
    """Only an active auditor may be given a sampled case to audit."""
    return bool(user.role == Role.AUDITOR and user.active)


def assignable_auditors() -> sa.Select[tuple[int, str]]:
    """The users a manager may give a sampled case to, by name."""
    return (
        sa.select(User.id, User.name)
        .where(User.role == Role.AUDITOR, User.active.is_(True))
        .order_by(User.name)
    )


def sees_sample(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.SAFEGUARDING_MANAGER)


def assigned_reviews(user: Any) -> sa.Select[tuple[CaseFileReview]]:
    """The reviews of open audits assigned to ``user`` (an auditor's list of work)."""
    return (
        sa.select(CaseFileReview)
        .join(CaseFileAudit, CaseFileAudit.id == CaseFileReview.audit_id)
        .where(CaseFileReview.auditor_id == user.id, CaseFileAudit.status == AuditStatus.OPEN)
        .order_by(CaseFileReview.audit_id, CaseFileReview.concern_id)
    )


def visible_reviews(user: Any, audit_id: int) -> sa.Select[tuple[CaseFileReview]]:
    """The sampled cases of an audit ``user`` may see listed, in case order."""
    query = (
        sa.select(CaseFileReview)
        .where(CaseFileReview.audit_id == audit_id)
        .options(selectinload(CaseFileReview.concern), selectinload(CaseFileReview.auditor))
        .order_by(CaseFileReview.concern_id)
    )
    if sees_sample(user):
        return query
    if is_auditor(user):
        return query.where(CaseFileReview.auditor_id == user.id)
    return query.where(sa.false())


def _own_review(user: Any, review_id: int, loaded: Any) -> CaseFileReview | None:
    """A sampled case of the audit in the URL assigned to ``user``."""
    return db.session.scalars(
        visible_reviews(user, loaded["casefile_audit"].id).where(
            CaseFileReview.id == review_id, CaseFileReview.auditor_id == user.id
        )
    ).one_or_none()


# --- Record types (core/policy/resources.py) ------------------------------------------------

# An audit: everyone the route lets in sees it (its figures; the sample as above).
CASEFILE_AUDIT = declare(
    Resource(
        "casefile_audit",
        "audit_id",
        by_id(CaseFileAudit),
        model=CaseFileAudit,
        denied="casefile.view",
    )
)
# A sampled case of the audit, which its manager assigns.
CASEFILE_REVIEW = declare(
    Resource(
        "casefile_review",
        "review_id",
        child_of(CaseFileReview, "casefile_audit", "audit_id"),
        model=CaseFileReview,
        denied="casefile.review.view",
    )
)
# A sampled case assigned to the auditor, whose findings they record.
OWN_CASEFILE_REVIEW = declare(
    Resource(
        "own_casefile_review",
        "review_id",
        _own_review,
        denied="casefile.review.view",
        object_type="casefile_review",
    )
)
