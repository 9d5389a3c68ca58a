"""Running an attendance audit (a frozen snapshot) and keeping the board's actions.

The previous audit, that a new one is compared with, is chosen when the audit is run and
stored with it:

1. the latest audit (by when it was run) of the immediately preceding period of the same
   length: for a period of whole calendar months the same number of months just before it
   (1 January to 30 June follows 1 July to 31 December), otherwise the same number of days
   ending the day before it starts;
2. failing that, the latest audit of any period that ended before this one starts.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from core import jobs
from core.accesslog import operations as access_log
from core.auth.councils import default_council_id, several
from core.auth.models import Agency
from core.clocks import add_months, to_local
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db

from . import attendance
from .models import (
    ALL_TYPES,
    AttendanceAudit,
    AttendanceAuditQuoracy,
    AttendanceAuditRow,
    BoardAction,
    BoardActionStatus,
)

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
MAX_TEXT = 2000


def today() -> date:
    return to_local(utcnow()).date()


def threshold() -> float:
    return float(current_app.config.get("ATTENDANCE_THRESHOLD", 0.75))


def default_period(on: date) -> tuple[date, date]:
    """The last full half year (January to June, or July to December) before ``on``."""
    if on.month >= 7:
        return date(on.year, 1, 1), date(on.year, 6, 30)
    return date(on.year - 1, 7, 1), date(on.year - 1, 12, 31)


def check_period(start: date | None, end: date | None) -> tuple[date, date]:
    errors: dict[str, list[str]] = {}
    if start is None:
        errors["period_start"] = ["Enter the first day of the period"]
    elif not EARLIEST <= start <= LATEST:
        errors["period_start"] = ["Enter a first day between 2000 and 2100"]
    if end is None:
        errors["period_end"] = ["Enter the last day of the period"]
    elif not EARLIEST <= end <= LATEST:
        errors["period_end"] = ["Enter a last day between 2000 and 2100"]
    if not errors and start is not None and end is not None and end < start:
        errors["period_end"] = ["The last day must be the same as or after the first day"]
    if errors:
        raise ValidationFailed(errors)
    assert start is not None and end is not None
    return start, end


def preceding_period(start: date, end: date) -> tuple[date, date]:
    whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1
    if whole_months:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return add_months(start, -months), start - timedelta(days=1)
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def previous_audit_for(start: date, end: date, council_id: int) -> AttendanceAudit | None:
    """The council's audit this one is compared with."""
    before_start, before_end = preceding_period(start, end)
    latest_first = (AttendanceAudit.run_at.desc(), AttendanceAudit.id.desc())
    same_length = db.session.scalars(
        sa.select(AttendanceAudit)
        .where(
            AttendanceAudit.period_start == before_start,
            AttendanceAudit.period_end == before_end,
            AttendanceAudit.council_id == council_id,
        )
        .order_by(*latest_first)
        .limit(1)
    ).first()
    if same_length is not None:
        return same_length
    return db.session.scalars(
        sa.select(AttendanceAudit)
        .where(AttendanceAudit.period_end < start, AttendanceAudit.council_id == council_id)
        .order_by(AttendanceAudit.period_end.desc(), *latest_first)
        .limit(1)
    ).first()


def run_attendance_audit(
    start: date | None, end: date | None, user: Any, council_id: int | None = None
) -> AttendanceAudit:
    """Work out the figures and store them as a new audit of the user's council (from the
    command line, of ``council_id``, else the instance's first); the caller commits."""
    start, end = check_period(start, end)
    if user is not None:
        council_id = user.council_id
    elif council_id is None:
        council_id = default_council_id()
    previous = previous_audit_for(start, end, council_id)
    audit = AttendanceAudit(
        period_start=start,
        period_end=end,
        council_id=council_id,
        threshold=threshold(),
        previous_audit_id=previous.id if previous else None,
        meetings_held=0,
        run_at=utcnow(),
        run_by_id=user.id if user is not None else None,
    )
    db.session.add(audit)
    db.session.flush()
    # a single council's instance counts every meeting, as it always did
    figures = attendance.store_figures(audit.id, start, end, council_id if several() else None)
    audit.meetings_held = figures.meetings_held
    labels = {code: kind.label for code, kind in attendance.meeting_types().items()}
    labels[ALL_TYPES] = attendance.ALL_TYPES_LABEL
    for share in figures.quorate_shares:
        db.session.add(
            AttendanceAuditQuoracy(
                audit_id=audit.id,
                meeting_type=share.meeting_type,
                meeting_type_label=labels.get(share.meeting_type, share.meeting_type),
                conferences=share.conferences,
                quorate=share.quorate,
            )
        )
    db.session.flush()
    db.session.expire(audit, ["rows", "quoracy"])
    access_log.record("attendance_audit.run", object_type="attendance_audit", object_id=audit.id)
    return audit


# --- Board actions ----------------------------------------------------------------------


def agencies_below_threshold(audit: AttendanceAudit) -> list[tuple[int, str]]:
    """(agency id, name) of the agencies whose attendance over every type was under the
    audit's threshold."""
    rate_below = sa.and_(
        AttendanceAuditRow.invited > 0,
        sa.cast(AttendanceAuditRow.attended, sa.Float)
        < audit.threshold * sa.cast(AttendanceAuditRow.invited, sa.Float),
    )
    rows = db.session.execute(
        sa.select(AttendanceAuditRow.agency_id, AttendanceAuditRow.agency_name)
        .where(
            AttendanceAuditRow.audit_id == audit.id,
            AttendanceAuditRow.meeting_type == ALL_TYPES,
            rate_below,
        )
        .order_by(AttendanceAuditRow.agency_name)
    ).all()
    return [(row.agency_id, row.agency_name) for row in rows]


def _clean_text(
    values: dict[str, Any], name: str, message: str, errors: dict[str, list[str]], limit: int
) -> str | None:
    text = (values.get(name) or "").strip()
    if not text:
        errors[name] = [message]
    elif len(text) > limit:
        errors[name] = [f"Use {limit} characters or fewer"]
    return text or None


def _clean_due(values: dict[str, Any], errors: dict[str, list[str]]) -> date | None:
    due = values.get("due_on")
    if not isinstance(due, date):
        errors["due_on"] = ["Enter the date the action is due"]
        return None
    if not EARLIEST <= due <= LATEST:
        errors["due_on"] = ["Enter a due date between 2000 and 2100"]
    return due


def add_board_action(audit: AttendanceAudit, values: dict[str, Any], user: Any) -> BoardAction:
    """An action against an agency under the threshold in ``audit``."""
    errors: dict[str, list[str]] = {}
    below = dict(agencies_below_threshold(audit))
    agency_id = values.get("agency_id")
    if agency_id not in below:
        errors["agency_id"] = [
            "Select an agency whose attendance was under the threshold in this audit"
            if below
            else "No agency was under the threshold in this audit"
        ]
    action = _clean_text(values, "action", "Enter the action the board agreed", errors, MAX_TEXT)
    owner = _clean_text(values, "owner", "Enter who owns the action", errors, 200)
    due = _clean_due(values, errors)
    if errors:
        raise ValidationFailed(errors)
    record = BoardAction(
        audit_id=audit.id,
        agency_id=agency_id,
        action=action,
        owner=owner,
        due_on=due,
        status=BoardActionStatus.OPEN,
        created_by_id=user.id if user is not None else None,
    )
    db.session.add(record)
    db.session.flush()
    access_log.record("board_action.create", object_type="board_action", object_id=record.id)
    return record


def update_board_action(action: BoardAction, values: dict[str, Any], user: Any) -> BoardAction:
    """Change the status (with a note on what came of it), owner, due date or wording."""
    errors: dict[str, list[str]] = {}
    if "status" in values:
        try:
            action.status = BoardActionStatus(values["status"])
        except ValueError:
            errors["status"] = [
                "Choose a status: " + ", ".join(status.value for status in BoardActionStatus)
            ]
    if "action" in values:
        action.action = _clean_text(values, "action", "Enter the action", errors, MAX_TEXT) or ""
    if "owner" in values:
        action.owner = _clean_text(values, "owner", "Enter who owns it", errors, 200) or ""
    if "due_on" in values:
        due = _clean_due(values, errors)
        if due is not None:
            action.due_on = due
    if "note" in values:
        note = (values.get("note") or "").strip()
        if len(note) > MAX_TEXT:
            errors["note"] = [f"Use {MAX_TEXT} characters or fewer"]
        action.note = note or None
    if errors:
        raise ValidationFailed(errors)
    action.updated_at = utcnow()
    db.session.flush()
    access_log.record("board_action.update", object_type="board_action", object_id=action.id)
    return action


def agency_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(sa.select(Agency.id, Agency.name).where(Agency.id.in_(ids)))
    return {row.id: row.name for row in rows}


@jobs.task
def run_attendance_audit_job(
    period_start: str | None = None, period_end: str | None = None, council_id: int | None = None
) -> str:
    """The job (``audits attendance --queue``): run and store an attendance audit of the
    council (None: the instance's first); without dates, the last full half year."""
    first, last = default_period(today())
    audit = run_attendance_audit(
        date.fromisoformat(period_start) if period_start else first,
        date.fromisoformat(period_end) if period_end else last,
        None,
        council_id,
    )
    db.session.commit()
    return f"attendance audit {audit.id}"
