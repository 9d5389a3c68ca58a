"""The public plugin API. Plugins import from here (and ``plugins.forms``,
``plugins.reports``, ``plugins.api``) and nowhere else in the platform.

from plugins import hookimpl, AgencyType

@hookimpl
def register_agency_types():
    return [AgencyType("schools", "Schools")]
"""

from core.auth.roles import Role
from core.policy.routes import public, requires, signed_in
from plugins.markers import hookimpl
from plugins.types import (
    AgencyType,
    CasePanel,
    CaseSummary,
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
    Report,
    ReportTable,
    ReviewedPlan,
)

__all__ = [
    "AgencyType",
    "CasePanel",
    "CaseSummary",
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
    "Report",
    "ReportTable",
    "ReviewedPlan",
    "Role",
    "hookimpl",
    "public",
    "requires",
    "signed_in",
]
