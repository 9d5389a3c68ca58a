"""Attendance audits and the board's actions on them: everyone the route lets in sees
their own council's audits (board members their published version, decided in
``core.audits.report``); another council's answer 404."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.audits.models import AttendanceAudit, BoardAction
from core.policy.resources import Resource, child_of, declare, from_query


def visible_attendance_audits(user: Any) -> sa.Select[tuple[AttendanceAudit]]:
    """The audits of the user's council area."""
    return sa.select(AttendanceAudit).where(AttendanceAudit.council_id == user.council_id)


ATTENDANCE_AUDIT = declare(
    Resource(
        "attendance_audit",
        "audit_id",
        from_query(visible_attendance_audits, AttendanceAudit),
        model=AttendanceAudit,
    )
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
