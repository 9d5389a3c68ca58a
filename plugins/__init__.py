"""The public plugin API. Plugins import from here and nowhere else in the platform.

from plugins import hookimpl, AgencyType

@hookimpl
def register_agency_types():
    return [AgencyType("schools", "Schools")]
"""

from core.auth.policy import public, requires, signed_in
from core.auth.roles import Role
from plugins.markers import hookimpl
from plugins.types import (
    AgencyType,
    CurrentUser,
    HeldMeeting,
    InvitationContext,
    MeetingType,
    NavigationItem,
    Permission,
    ProposedInvitee,
    QuorumRule,
    ReviewedPlan,
)

__all__ = [
    "AgencyType",
    "CurrentUser",
    "HeldMeeting",
    "InvitationContext",
    "MeetingType",
    "NavigationItem",
    "Permission",
    "ProposedInvitee",
    "QuorumRule",
    "ReviewedPlan",
    "Role",
    "hookimpl",
    "public",
    "requires",
    "signed_in",
]
