"""Attendance audits and the board's actions on them: everyone the route lets in sees
any audit (board members its published version, decided in ``core.audits.report``)."""

from __future__ import annotations

from core.audits.models import AttendanceAudit, BoardAction
from core.policy.resources import Resource, by_id, child_of, declare

ATTENDANCE_AUDIT = declare(
    Resource("attendance_audit", "audit_id", by_id(AttendanceAudit), model=AttendanceAudit)
)
BOARD_ACTION = declare(
    Resource(
        "board_action",
        "action_id",
        child_of(BoardAction, "attendance_audit", "audit_id"),
        model=BoardAction,
        api_endpoint="attendance_audits_api.get_action",
        url_ids=lambda action: {"audit_id": action.audit_id, "action_id": action.id},
    )
)
