"""The small set of value types that plugins build and hand to the platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from core.auth.roles import Role


@dataclass(frozen=True)
class AgencyType:
    """A kind of agency, such as a police force or an NHS trust.

    :param code: stable identifier stored on each agency (``snake_case``).
    :param label: what people read, in sentence case.
    :param description: one sentence on which organisations this covers.
    """

    code: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Permission:
    """Something a route or operation can require.

    :param name: dotted identifier, ``<area>.<verb>`` (``agencies.manage``).
    :param description: what holding it allows, for the administrators' pages.
    :param roles: the roles granted it.
    """

    name: str
    description: str
    roles: frozenset[Role] = field(default_factory=frozenset)


@dataclass(frozen=True)
class NavigationItem:
    """A link in the service navigation, shown only to users holding ``permission``."""

    label: str
    endpoint: str
    permission: str
    order: int = 100


class CurrentUser(Protocol):
    """What hooks are told about the signed-in user."""

    id: int
    agency_id: int
    role: Role


@dataclass(frozen=True)
class QuorumRule:
    """When a meeting of a type is quorate: every required agency type attended, and at
    least ``min_other_agencies`` other agencies attended.

    :param required_agency_types: agency type codes that must attend.
    :param min_other_agencies: how many other agencies must attend as well.
    """

    required_agency_types: frozenset[str] = frozenset()
    min_other_agencies: int = 0


@dataclass(frozen=True)
class MeetingType:
    """A kind of meeting, such as an initial child protection conference.

    :param code: stable identifier, used in the API (``snake_case``).
    :param label: what people read, in sentence case.
    :param audience: ``adult``, ``child`` or ``any``: which concerns it may be held for.
    :param conference: a conference (a decision letter is due after it).
    :param quorum: the default quorum rule; ``None`` when quoracy does not apply.
    :param report_days_before: working days before the meeting that agencies' written
        reports are due; ``None`` when reports are due by the start.
    """

    code: str
    label: str
    audience: str = "any"
    conference: bool = False
    quorum: QuorumRule | None = None
    report_days_before: int | None = None


@dataclass(frozen=True)
class InvitationContext:
    """What an invitation rule is told about the meeting being scheduled.

    :param meeting_type: the meeting type code.
    :param is_child: the meeting is about a child (else an adult).
    :param concern_ids: the concerns the meeting is about.
    :param establishment_ids: establishments where those concerns are located.
    :param location_codes: the SAC location codes of those concerns.
    :param referrer_agency_ids: agencies that referred those concerns.
    :param provider_agency_ids: agencies that run those establishments.
    """

    meeting_type: str
    is_child: bool
    concern_ids: tuple[int, ...] = ()
    establishment_ids: tuple[int, ...] = ()
    location_codes: tuple[str, ...] = ()
    referrer_agency_ids: tuple[int, ...] = ()
    provider_agency_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ProposedInvitee:
    """An agency a rule proposes to invite, by id or by agency type, and why.

    Give ``agency_id`` for one agency, or ``agency_type`` for the agencies of that type
    (those involved in the case, or every active one when none is). ``standard`` marks
    the statutory minimum: removing it needs a reason.
    """

    reason: str
    agency_id: int | None = None
    agency_type: str | None = None
    standard: bool = True


@dataclass(frozen=True)
class HeldMeeting:
    """What ``meeting_held`` is told about a meeting that took place."""

    id: int
    type: str
    concern_ids: tuple[int, ...]
    held_at: datetime
    quorate: bool | None


@dataclass(frozen=True)
class ReviewedPlan:
    """What ``plan_reviewed`` is told about a protection plan's review.

    :param kind: ``adult_safeguarding`` or ``child_protection``.
    :param decision: ``continue``, ``amend`` or ``end``.
    :param next_review_due: ``None`` when the review ended the plan.
    """

    id: int
    kind: str
    concern_id: int
    reviewed_on: date
    decision: str
    next_review_due: date | None
