"""The public plugin API. Plugins import from here (and ``plugins.forms``,
``plugins.reports``, ``plugins.api``) and nowhere else in the platform.

from plugins import hookimpl, AgencyType

@hookimpl
def register_agency_types():
    return [AgencyType("schools", "Schools")]
"""

from plugins.markers import hookimpl, public, record, requires, signed_in
from plugins.types import (
    AgencyType,
    CasePanel,
    CaseSummary,
    ChronologyEntry,
    CurrentUser,
    EstablishmentInfo,
    HeldMeeting,
    InvitationContext,
    MeetingType,
    NavigationItem,
    NotProposed,
    PanelRow,
    Permission,
    ProposedInvitee,
    PurgedCase,
    QuorumRule,
    RecordType,
    Report,
    ReportTable,
    ReviewedPlan,
    Role,
)

__all__ = [
    "AgencyType",
    "CasePanel",
    "CaseSummary",
    "ChronologyEntry",
    "CurrentUser",
    "EstablishmentInfo",
    "HeldMeeting",
    "InvitationContext",
    "MeetingType",
    "NavigationItem",
    "NotProposed",
    "PanelRow",
    "Permission",
    "ProposedInvitee",
    "PurgedCase",
    "QuorumRule",
    "RecordType",
    "Report",
    "ReportTable",
    "ReviewedPlan",
    "Role",
    "hookimpl",
    "public",
    "record",
    "requires",
    "signed_in",
]
