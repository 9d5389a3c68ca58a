"""The small set of value types that plugins build and hand to the platform."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from plugins.reports import ReportQuery


class Role(enum.StrEnum):
    """The roles a user can hold; every user has exactly one."""

    ADMINISTRATOR = "administrator"
    SAFEGUARDING_OFFICER = "safeguarding_officer"
    SAFEGUARDING_MANAGER = "safeguarding_manager"
    AGENCY_PRACTITIONER = "agency_practitioner"
    BOARD_MEMBER = "board_member"
    AUDITOR = "auditor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMINISTRATOR: "Administrator",
    Role.SAFEGUARDING_OFFICER: "Safeguarding officer",
    Role.SAFEGUARDING_MANAGER: "Safeguarding manager",
    Role.AGENCY_PRACTITIONER: "Agency practitioner",
    Role.BOARD_MEMBER: "Board member",
    Role.AUDITOR: "Auditor",
}


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
    """A link in the service navigation, shown only to users holding ``permission``.

    Items of one ``section`` (``"Cases"``, ``"Meetings"``, ``"Plans"``, ``"Forms"``,
    ``"Reports and returns"``, ``"Administration"``) share one top-level entry, and the
    section's pages list them in its sub-navigation; ``"Account"`` items sit beside
    "Sign out". An item with no section is a top-level entry of its own."""

    label: str
    endpoint: str
    permission: str
    order: int = 100
    section: str = ""


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
class EstablishmentInfo:
    """An establishment where a meeting's concerns are located.

    :param id: the establishment's id.
    :param name: its name.
    :param location: its SAC location code (``care_home_nursing``, ``hospital_acute``…).
    :param provider_agency_id: the agency that runs it, when that agency is a partner.
    :param provider_agency_type: that agency's type code.
    :param provider_is_source_of_risk: a concern located there names the service
        provider as the source of risk.
    """

    id: int
    name: str
    location: str
    provider_agency_id: int | None = None
    provider_agency_type: str | None = None
    provider_is_source_of_risk: bool = False


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
    :param source_of_risk_codes: the SAC source of risk codes of those concerns.
    :param crime_suspected: a crime is suspected in one of those concerns.
    :param involved_agency_ids: agencies involved in those cases now.
    :param involved_agency_types: the type codes of those agencies.
    :param establishments: the establishments, with their providers.
    """

    meeting_type: str
    is_child: bool
    concern_ids: tuple[int, ...] = ()
    establishment_ids: tuple[int, ...] = ()
    location_codes: tuple[str, ...] = ()
    referrer_agency_ids: tuple[int, ...] = ()
    provider_agency_ids: tuple[int, ...] = ()
    source_of_risk_codes: tuple[str, ...] = ()
    crime_suspected: bool = False
    involved_agency_ids: tuple[int, ...] = ()
    involved_agency_types: tuple[str, ...] = ()
    establishments: tuple[EstablishmentInfo, ...] = ()


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
class NotProposed:
    """An agency a rule says must *not* be proposed, and why (for example a provider that
    is itself the source of risk). It wins over every proposal of that agency; the
    officer sees the reason and may still invite the agency by hand."""

    reason: str
    agency_id: int


@dataclass(frozen=True)
class HeldMeeting:
    """What ``meeting_held`` is told about a meeting that took place."""

    id: int
    type: str
    concern_ids: tuple[int, ...]
    held_at: datetime
    quorate: bool | None


@dataclass(frozen=True)
class CaseSummary:
    """What hooks are told about a case (a concern).

    :param id: the concern's id.
    :param reference: its reference, ``SG-2026-000123``.
    :param is_child: about a child (else an adult).
    :param status: ``open`` or ``closed``.
    :param location: the SAC location code.
    :param source_of_risk: the SAC source of risk code.
    :param establishment_id: where it is located, if at an establishment.
    :param referrer_agency_id: the agency that referred it, if any.
    :param crime_suspected: a crime is suspected.
    :param risk_outcome: the SAC outcome code, once closed.
    """

    id: int
    reference: str
    is_child: bool
    status: str
    location: str
    source_of_risk: str
    establishment_id: int | None = None
    referrer_agency_id: int | None = None
    crime_suspected: bool = False
    risk_outcome: str | None = None


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


SIGNIFICANCES = ("low", "medium", "high", "key")


@dataclass(frozen=True)
class ChronologyEntry:
    """One significant event a plugin adds to a case's chronology (``chronology_entries``).

    :param occurred_on: the day it happened (the event's own date, not when it was typed).
    :param agency_id: the agency it comes from (the source of the information).
    :param kind: what sort of event, ``<plugin>.<what>``, e.g. ``police.investigation``;
        the chronology's kind filter offers it.
    :param kind_label: the kind as people read it, e.g. ``Police investigation``.
    :param summary: what happened, in one or two sentences, naming no one but the case.
    :param significance: ``low``, ``medium``, ``high`` or ``key`` (a key event).
    :param href: the record it is drawn from, when the reader may open it.
    """

    occurred_on: date
    agency_id: int | None
    kind: str
    kind_label: str
    summary: str
    significance: str = "medium"
    href: str | None = None

    def __post_init__(self) -> None:
        if self.significance not in SIGNIFICANCES:
            raise ValueError(f"significance must be one of {', '.join(SIGNIFICANCES)}")


@dataclass(frozen=True)
class PurgedCase:
    """What ``case_purging`` is told about a case record being purged under retention:
    ids only, of every record that goes with it.

    :param concern_id: the concern.
    :param meeting_ids: the meetings about this case alone (a meeting about other cases
        too stays, and only loses its link to this one).
    :param plan_ids: the case's protection plans.
    :param person_ids: the person's record and the records merged into it, when no other
        case or plan of theirs is left; otherwise empty (the person stays).
    """

    concern_id: int
    meeting_ids: tuple[int, ...] = ()
    plan_ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class PanelRow:
    """One line of a case page panel: a key, a value and an optional link."""

    key: str
    value: str
    href: str | None = None


@dataclass(frozen=True)
class CasePanel:
    """A panel on the case page: a heading, summary rows and links (actions)."""

    title: str
    rows: tuple[PanelRow, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    empty: str = "Nothing recorded yet."
    order: int = 100


@dataclass(frozen=True)
class ReportTable:
    """What a report returns: column headings and rows, and notes shown above them."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """A report on the reports page, with a CSV download.

    :param name: ``<plugin>.<report>``, unique.
    :param title: what people read.
    :param description: one sentence on what it shows.
    :param roles: the roles that may run it.
    :param run: a function taking a :class:`plugins.reports.ReportQuery` and returning a
        :class:`ReportTable`. It sees only the records the user may see.
    :param agency_types: for agency practitioners, the agency types whose users may run
        it (empty: every agency). The safeguarding team and board are not limited by it.
    """

    name: str
    title: str
    description: str
    roles: frozenset[Role]
    run: Callable[[ReportQuery], ReportTable]
    agency_types: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RecordType:
    """A kind of record a plugin's routes work on, declared once (``register_resources``)
    so that the platform loads, authorises and logs it for every route that names it with
    ``plugins.markers.record`` (``@record("home_visit", "update")``), pages and API alike.

    :param name: ``<plugin>_<record>``, unique among the platform's and plugins' types.
    :param url_variable: the URL variable holding its id (``visit_id``).
    :param load: ``load(user, record_id, loaded)`` answers the record if ``user`` may see
        it, else None (a logged 404); ``loaded`` holds the records the route declared
        before it, by type name (a visit's case).
    :param rules: the object rules, by verb: ``rules["update"](user, record)``; a verb
        refused is a logged 403.
    :param denied: the action a refused read is logged as (``<name>.view`` unless given).
    :param object_type: the access log's name for it (``name`` unless given).
    """

    name: str
    url_variable: str
    load: Callable[[Any, Any, Mapping[str, Any]], Any]
    rules: Mapping[str, Callable[[Any, Any], bool]] = field(default_factory=dict)
    denied: str | None = None
    object_type: str | None = None
