"""Who may see which case. The one place the involvement rule lives.

- The safeguarding team (officers and managers) see every case.
- An agency practitioner sees a case only while their agency is involved in it.
- An auditor sees, read-only, exactly the cases assigned to them in an open case file
  audit (their role has no permission to change a case); closing the audit ends it.
- Everyone else (administrators, board members) sees no case.

Out-of-scope cases answer 404, exactly like missing ones, and the attempt is logged as
denied.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.auth.roles import Role
from core.casefile.models import AuditStatus, CaseFileAudit, CaseFileReview
from core.concerns.models import Assessment, Concern, Involvement
from core.extensions import db
from core.policy.records import load_visible
from core.policy.resources import Resource, declare, from_query

CASE_TEAM = frozenset({Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER})
REPEAT_WINDOW = timedelta(days=365)  # a concern within this of another about the person repeats


def is_case_team(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in CASE_TEAM)


def active_involvement(agency_id: int) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        Involvement.concern_id == Concern.id,
        Involvement.agency_id == agency_id,
        Involvement.removed_at.is_(None),
    )


def assigned_for_audit(user_id: int) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        CaseFileReview.concern_id == Concern.id,
        CaseFileReview.auditor_id == user_id,
        CaseFileAudit.id == CaseFileReview.audit_id,
        CaseFileAudit.status == AuditStatus.OPEN,
    )


def visible_concerns(user: Any) -> sa.Select[tuple[Concern]]:
    """Every concern ``user`` may see, as a query to filter, sort and page further."""
    query = sa.select(Concern).where(Concern.deleted_at.is_(None))
    if is_case_team(user):
        return query
    if user.is_authenticated and user.role == Role.AGENCY_PRACTITIONER:
        return query.where(active_involvement(user.agency_id))
    if user.is_authenticated and user.role == Role.AUDITOR:
        return query.where(assigned_for_audit(user.id))
    return query.where(sa.false())


def visible_among(user: Any, concerns: list[Concern]) -> list[Concern]:
    """Those of ``concerns`` the user may see (a meeting's, for one of its invitees)."""
    ids = set(
        db.session.scalars(
            visible_concerns(user)
            .where(Concern.id.in_([c.id for c in concerns]))
            .with_only_columns(Concern.id)
        )
    )
    return [c for c in concerns if c.id in ids]


def can_view(user: Any, concern: Concern) -> bool:
    return (
        db.session.execute(
            visible_concerns(user).where(Concern.id == concern.id).with_only_columns(Concern.id)
        ).first()
        is not None
    )


def load_visible_concern(user: Any, concern_id: int) -> Concern | None:
    """The concern if ``user`` may see it; otherwise None, with the refusal logged."""
    return load_visible(visible_concerns(user), Concern, concern_id, "concern")


def annotate(concerns: list[Concern], user: Any) -> list[Concern]:
    """Attach ``repeat_of`` (earlier concerns about the same person in the past 12 months
    that ``user`` may see) and ``involvements`` (active ones), in two queries for the
    whole batch, so pages and API lists cost the same however many rows they show."""
    if not concerns:
        return concerns
    window = REPEAT_WINDOW
    candidates = (
        db.session.execute(
            visible_concerns(user).where(
                Concern.person_id.in_({c.person_id for c in concerns}),
                Concern.received_at > min(c.received_at for c in concerns) - window,
                Concern.received_at <= max(c.received_at for c in concerns),
            )
        )
        .scalars()
        .all()
    )
    involvements = (
        db.session.execute(
            sa.select(Involvement)
            .where(
                Involvement.concern_id.in_([c.id for c in concerns]),
                Involvement.removed_at.is_(None),
            )
            .options(selectinload(Involvement.agency))
            .order_by(Involvement.id)
        )
        .scalars()
        .all()
    )
    for concern in concerns:
        earlier = sorted(
            (
                other
                for other in candidates
                if other.person_id == concern.person_id
                and other.id != concern.id
                and concern.received_at - window < other.received_at <= concern.received_at
            ),
            key=lambda other: (other.received_at, other.id),
            reverse=True,
        )
        concern.repeat_of = [other.reference for other in earlier]  # type: ignore[attr-defined]
        concern.earlier = earlier  # type: ignore[attr-defined]
        concern.involvements = [i for i in involvements if i.concern_id == concern.id]  # type: ignore[attr-defined]
    return concerns


# --- Record types (core/policy/resources.py) ------------------------------------------------

CONCERN = declare(
    Resource(
        "concern",
        "concern_id",
        from_query(visible_concerns, Concern),
        model=Concern,
        api_endpoint="concerns_api.get_concern",
        url_ids=lambda concern: {"concern_id": concern.id},
    )
)


def _child_case(user: Any, concern_id: int, _: Any) -> Concern | None:
    concern = CONCERN.load(user, concern_id, {})
    return concern if concern is not None and concern.is_child else None


# A child's case, for its assessments: an adult's case has none, and asking for them is
# refused as for a record that does not exist.
CHILD_CASE = declare(
    Resource(
        "child_case",
        "concern_id",
        _child_case,
        denied="assessment.view",
        object_type="concern",
    )
)
ASSESSMENT = declare(
    Resource(
        "assessment",
        "assessment_id",
        lambda _, assessment_id, loaded: db.session.execute(
            sa.select(Assessment).where(
                Assessment.id == assessment_id,
                Assessment.concern_id == loaded["child_case"].id,
            )
        ).scalar_one_or_none(),
        model=Assessment,
    )
)
# The case's section 42 (or other) enquiry, for the safeguarding team: a case whose
# screening decision started none has none.
ENQUIRY = declare(
    Resource(
        "enquiry",
        None,
        lambda _, __, loaded: loaded["concern"].enquiry,
        object_type="concern",
    )
)


def _involvement(_: Any, involvement_id: int, loaded: Any) -> Involvement | None:
    involvement = db.session.get(Involvement, involvement_id)
    if involvement is None or involvement.concern_id != loaded["concern"].id:
        return None
    return involvement


INVOLVEMENT = declare(Resource("involvement", "involvement_id", _involvement, model=Involvement))
