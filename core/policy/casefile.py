"""Who may see which part of a case file audit.

- Safeguarding managers run audits: they see the sample, who audits each case and the
  findings.
- A reviewer grades the cases assigned to them, one case at a time: an auditor (who opens
  the case record through ``core.policy.cases``, which lets them read exactly those cases
  while the audit is open), or a safeguarding manager or officer the audit's owner (the
  manager who drew it) chose, as the teams' senior practitioners review their peers' work.
- A reviewer never reviews their own case. A case is a user's own when they recorded it
  (``received_by``), made its screening decision (``decided_by``) or closed it
  (``closed_by``), or when it is held by their team (the case's ``team_id`` is the user's
  ``team_id``, core/teams/). The assignment refuses such a reviewer, and the findings are
  refused too should the case have become theirs since.
- Board members and officers see the audit's figures, never which cases were sampled
  (an officer sees the cases assigned to them).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.auth.models import User
from core.auth.roles import Role
from core.casefile.models import AuditStatus, CaseFileAudit, CaseFileReview
from core.concerns.models import Concern
from core.extensions import db
from core.policy.resources import Resource, child_of, declare, from_query

REVIEWERS = frozenset({Role.AUDITOR, Role.SAFEGUARDING_MANAGER, Role.SAFEGUARDING_OFFICER})
# the reviewers only the audit's owner chooses: the teams' senior practitioners
PEER_REVIEWERS = frozenset({Role.SAFEGUARDING_MANAGER, Role.SAFEGUARDING_OFFICER})


def is_auditor(user: Any) -> bool:
    """An auditor, who reads the cases assigned to them."""
    return bool(user.is_authenticated and user.role == Role.AUDITOR)


def is_reviewer(user: Any) -> bool:
    """A user who may be given sampled cases to review."""
    return bool(user.is_authenticated and user.role in REVIEWERS)


def own_case_reasons(user: Any, concern: Concern | None) -> list[str]:
    """Why ``concern`` is ``user``'s own case (empty: it is not): see the module's rule."""
    if concern is None:
        return []
    reasons = []
    if concern.received_by_id == user.id:
        reasons.append("recorded")
    if concern.decided_by_id == user.id:
        reasons.append("decided")
    if concern.closed_by_id == user.id:
        reasons.append("closed")
    if user.team_id is not None and concern.team_id == user.team_id:
        reasons.append("holds (in their team)")
    return reasons


def may_be_assigned(user: Any, concern: Concern | None = None) -> bool:
    """An active auditor, safeguarding manager or officer, for a case not their own."""
    return bool(user.role in REVIEWERS and user.active and not own_case_reasons(user, concern))


def may_choose(assigning: Any, reviewer: Any, audit: CaseFileAudit) -> bool:
    """Managers and officers review only when the audit's owner chose them."""
    return reviewer.role not in PEER_REVIEWERS or assigning.id == audit.drawn_by_id


def assignable_reviewers(council_id: int) -> sa.Select[tuple[int, str, Role]]:
    """The users a manager may give a sampled case to, by name: the audit's council's."""
    return (
        sa.select(User.id, User.name, User.role)
        .where(User.role.in_(REVIEWERS), User.active.is_(True), User.council_id == council_id)
        .order_by(User.name)
    )


def visible_casefile_audits(user: Any) -> sa.Select[tuple[CaseFileAudit]]:
    """The case file audits of the user's council area (another's answer 404)."""
    return sa.select(CaseFileAudit).where(CaseFileAudit.council_id == user.council_id)


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
    if is_reviewer(user):
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
        from_query(visible_casefile_audits, CaseFileAudit),
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
