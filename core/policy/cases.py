"""Who may see which case. The one place the involvement rule lives.

- The safeguarding team (officers and managers) see every case of their own council area
  (``User.council_id``; a single-council instance has one), never another council's.
- An agency practitioner sees a case only while their agency is involved in it, whichever
  council received it: the cross-boundary case (a police force or NHS trust serving
  several councils, a placement from another council).
- An auditor sees, read-only, exactly the cases assigned to them in an open case file
  audit (their role has no permission to change a case); closing the audit ends it.
- Everyone else (administrators, board members) sees no case.

Inside a case, need to know: an involved agency sees it at its involvement's level
(``InvolvementLevel``). The sections of a case each level shows are ``LEVEL_SECTIONS``;
the case page, the API and the exports ask :func:`case_sections`. An agency that is, or
employs, the alleged source of risk is implicated at once (:func:`implicated_agency`).

Out-of-scope cases answer 404, exactly like missing ones, and the attempt is logged as
denied.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.auth.roles import Role
from core.casefile.models import AuditStatus, CaseFileAudit, CaseFileReview
from core.concerns.models import Assessment, CaseNote, Concern, Involvement, InvolvementLevel
from core.extensions import db
from core.people.models import Establishment
from core.policy.records import load_visible
from core.policy.resources import Resource, declare, from_query
from core.reference import SourceOfRisk

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


def own_council(user: Any) -> sa.ColumnElement[bool]:
    """The council rule: a case of ``user``'s council area."""
    return Concern.council_id == user.council_id


def visible_concerns(user: Any) -> sa.Select[tuple[Concern]]:
    """Every concern ``user`` may see, as a query to filter, sort and page further."""
    query = sa.select(Concern).where(Concern.deleted_at.is_(None))
    if is_case_team(user):
        return query.where(own_council(user))
    if user.is_authenticated and user.role == Role.AGENCY_PRACTITIONER:
        return query.where(active_involvement(user.agency_id))
    if user.is_authenticated and user.role == Role.AUDITOR:
        return query.where(assigned_for_audit(user.id))
    return query.where(sa.false())


# --- Need to know inside a case ---------------------------------------------------------------

# What a case shows, by section: the case page's headings, the API's operations and the
# concern's fields (core/concerns/schemas.py) answer to these names.
SECTIONS = frozenset(
    {
        "summary",  # what was reported: the person's views, what happened, the referrer
        "decision",  # the screening decision, its reason, sign-off, outcome and closure
        "history",  # the person's earlier concerns (repeats)
        "clocks",  # the statutory clocks of the case
        "meetings",  # the case's meetings the agency is invited to
        "plans",  # the case's plans, with the actions the agency owns
        "assessments",  # a child's assessments
        "involvements",  # which other agencies are involved, and why
        "notes",  # case notes
        "supervisions",  # management oversight
        "body_map",  # injuries marked on the body map
        "timeline",  # everything that happened, in order
        "forms",  # the agencies' forms: the agency's own and those shared with it
        "people_around",  # the person's relationships: household, family, carers
        "alleged_harm",  # the person alleged to have caused harm (Dudley's plan 2.8, 4.11)
    }
)
LEVEL_SECTIONS = {
    InvolvementLevel.FULL: SECTIONS,
    # what its part needs: its invitations, actions and forms, and the case summary
    InvolvementLevel.CONTRIBUTOR: frozenset(
        {"summary", "clocks", "meetings", "plans", "involvements", "forms"}
    ),
    # only what it submitted itself (the summary, where it referred the concern), the
    # actions it owns and the meetings it is invited to (without their records); never
    # who else is involved
    InvolvementLevel.IMPLICATED: frozenset({"meetings", "plans", "forms"}),
}
# The order of the levels, the narrowest first: an agency involved for several reasons
# sees the case at the narrowest of them.
NARROWEST_FIRST = (InvolvementLevel.IMPLICATED, InvolvementLevel.CONTRIBUTOR, InvolvementLevel.FULL)


def narrowest(levels: Iterable[InvolvementLevel]) -> InvolvementLevel | None:
    present = set(levels)
    return next((level for level in NARROWEST_FIRST if level in present), None)


def agency_level(agency_id: int | None, concern_id: int) -> InvolvementLevel | None:
    """The level at which the agency is involved in the case (None if it is not)."""
    return narrowest(
        db.session.scalars(
            sa.select(Involvement.level).where(
                Involvement.concern_id == concern_id,
                Involvement.agency_id == agency_id,
                Involvement.removed_at.is_(None),
            )
        )
    )


def reader_level(user: Any, concern: Concern) -> InvolvementLevel:
    """The level at which ``user`` reads a case they may see: the safeguarding team and
    the auditors assigned to it read all of it; a practitioner, at their agency's level."""
    if not (user.is_authenticated and user.role == Role.AGENCY_PRACTITIONER):
        return InvolvementLevel.FULL
    annotated = getattr(concern, "involvements", None)  # a page of concerns: no query each
    if annotated is not None:
        own = narrowest(i.level for i in annotated if i.agency_id == user.agency_id)
        return own or InvolvementLevel.FULL
    return agency_level(user.agency_id, concern.id) or InvolvementLevel.FULL


def implicated_cases(user: Any, concern_ids: Iterable[int]) -> set[int]:
    """Those of the cases that implicate ``user``'s agency (read at the implicated level),
    in one query for a page of them."""
    if not (user.is_authenticated and user.role == Role.AGENCY_PRACTITIONER):
        return set()
    return set(
        db.session.scalars(
            sa.select(Involvement.concern_id).where(
                Involvement.concern_id.in_(list(concern_ids)),
                Involvement.agency_id == user.agency_id,
                Involvement.removed_at.is_(None),
                Involvement.level == InvolvementLevel.IMPLICATED,
            )
        )
    )


def case_sections(user: Any, concern: Concern) -> frozenset[str]:
    """The sections of a case ``user`` may read (one they may see at all)."""
    level = reader_level(user, concern)
    shown = LEVEL_SECTIONS[level]
    if level == InvolvementLevel.IMPLICATED and concern.referrer_agency_id == user.agency_id:
        shown = shown | {"summary"}  # its own referral
    return shown


def may_read_note(user: Any, note: CaseNote) -> bool:
    """A restricted note: the safeguarding team, its author's agency and the agencies
    named on it read it; anyone else sees it exists, its date and its author's agency."""
    if note.restriction is None or is_case_team(user):
        return True
    agency_id = getattr(user, "agency_id", None)
    return agency_id == note.author_agency_id or any(a.id == agency_id for a in note.readers)


def shows(section: str) -> Any:
    """An object rule: may the user read this section of the case?"""
    return lambda user, concern: section in case_sections(user, concern)


def implicated_agency(concern: Concern) -> int | None:
    """The agency the case implicates: where the source of risk is a service provider,
    the partner provider running the establishment where it happened; where the concern
    names no establishment, the referrer if it is a provider (runs establishments) itself.
    A referrer that runs other establishments than the one named is not implicated."""
    if concern.source_of_risk != SourceOfRisk.SERVICE_PROVIDER:
        return None
    if concern.establishment_id is not None:
        provider = db.session.scalar(
            sa.select(Establishment.provider_agency_id).where(
                Establishment.id == concern.establishment_id
            )
        )
        return int(provider) if provider is not None else None
    if concern.referrer_agency_id is not None and db.session.scalar(
        sa.select(sa.exists().where(Establishment.provider_agency_id == concern.referrer_agency_id))
    ):
        return concern.referrer_agency_id
    return None


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


def annotate_first(concern: Concern, involvements: list[Involvement]) -> Concern:
    """What :func:`annotate` attaches, without a query, to a concern recorded with the
    person it is about: that person has no earlier concern to show, and the concern's
    involvements are those it was recorded with."""
    concern.repeat_of = []  # type: ignore[attr-defined]
    concern.earlier = []  # type: ignore[attr-defined]
    concern.involvements = [i for i in involvements if i.removed_at is None]  # type: ignore[attr-defined]
    return concern


# --- Record types (core/policy/resources.py) ------------------------------------------------

CONCERN = declare(
    Resource(
        "concern",
        "concern_id",
        from_query(visible_concerns, Concern),
        model=Concern,
        rules={section: shows(section) for section in SECTIONS},
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
        rules={"assessments": shows("assessments")},
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
