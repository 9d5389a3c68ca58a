"""Who may run a plugin's report: a role the report names and, for an agency's
practitioner, only reports of their own kind of agency when the report says which."""

from __future__ import annotations

from typing import Any

from core.auth.roles import Role
from plugins.types import Report


def may_run(user: Any, report: Report) -> bool:
    if user.role not in report.roles:
        return False
    if user.role == Role.AGENCY_PRACTITIONER and report.agency_types:
        return bool(user.agency.type in report.agency_types)
    return True
