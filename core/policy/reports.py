"""Who may run a plugin's report: a role the report names and, for an agency's
practitioner, only reports of their own kind of agency when the report says which."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.auth.roles import Role
from core.platform import current_platform
from core.policy.resources import Resource, declare
from plugins.types import Report


def may_run(user: Any, report: Report) -> bool:
    if user.role not in report.roles:
        return False
    if user.role == Role.AGENCY_PRACTITIONER and report.agency_types:
        return bool(user.agency.type in report.agency_types)
    return True


def allowed_reports(user: Any) -> list[Report]:
    """The plugins' reports ``user`` may run, by title."""
    return sorted(
        (report for report in current_platform().reports.values() if may_run(user, report)),
        key=lambda report: report.title,
    )


def _report(user: Any, name: str, _: Mapping[str, Any]) -> Report | None:
    """A report by its name in the URL, if the user may run it (else out of sight: 404)."""
    report = current_platform().reports.get(name)
    return report if report is not None and may_run(user, report) else None


REPORT = declare(Resource("report", "name", _report, denied="report.run"))
