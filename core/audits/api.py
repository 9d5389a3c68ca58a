"""/api/v1/audits/attendance: attendance audits (frozen snapshots), their CSV and board
pack, and the board's actions."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask_login import current_user

from core.api.conventions import (
    Blueprint,
    documented_update,
    paginate,
)
from core.downloads import CSV, PDF, download
from core.pipeline import logged, record
from core.policy import audits as _record_types  # noqa: F401  (declares the audits' types)
from core.policy.audits import visible_attendance_audits
from core.policy.routes import requires

from . import operations
from .export import audit_csv, board_pack, csv_filename, pdf_filename
from .models import AttendanceAudit, BoardAction
from .report import AuditReport, audit_report, published_version
from .schemas import (
    AuditListArgs,
    AuditPageSchema,
    AuditReadArgs,
    AuditRunSchema,
    AuditSchema,
    BoardActionSchema,
    BoardActionUpdateSchema,
    PackArgs,
)

blp = Blueprint(
    "attendance_audits_api",
    __name__,
    url_prefix="/audits/attendance",
    description="Attendance audits: frozen snapshots of agencies' attendance at meetings",
)
AUDIT = "/<id:audit_id>"
CSV_RESPONSE = {
    "200": {
        "description": "The audit as stored; CSV with format=csv",
        "content": {
            "application/json": {"schema": AuditSchema},
            "text/csv": {"schema": {"type": "string"}},
        },
    },
}
PDF_RESPONSE = {
    "200": {
        "description": "The board pack",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def audit_etag(audit: AttendanceAudit) -> str:
    """An audit never changes, so its id is its version."""
    return f'"attendance_audits-{audit.id}"'


def describe(report: AuditReport) -> dict[str, Any]:
    audit = report.audit
    return {
        "id": audit.id,
        "period_start": audit.period_start,
        "period_end": audit.period_end,
        "threshold": audit.threshold,
        "meetings_held": audit.meetings_held,
        "previous_audit_id": audit.previous_audit_id,
        "run_at": audit.run_at,
        "published": report.published,
        "rows": [vars(row) | {"withheld": sorted(row.withheld)} for row in report.rows],
        "quoracy": [vars(s) | {"withheld": sorted(s.withheld)} for s in report.quoracy],
        "board_actions": report.actions,
        "carried_actions": report.carried_actions,
    }


@blp.get("/", "attendance_audits.view", AuditListArgs, AuditPageSchema)
@logged("attendance_audit.list", object_type="attendance_audit")
def list_audits(args: dict[str, Any]) -> dict[str, Any]:
    """Stored audits, latest period first."""
    query = visible_attendance_audits(current_user).order_by(
        AttendanceAudit.period_end.desc(), AttendanceAudit.run_at.desc(), AttendanceAudit.id
    )
    page = paginate(query, args["page"], args["page_size"])
    return page


@blp.post("/", "attendance_audits.run", AuditRunSchema, AuditSchema, status=201)
def run_audit(data: dict[str, Any]) -> Any:
    """Run an audit of the meetings held from `period_start` to `period_end` (both
    included, council local time) and store it as a frozen snapshot."""
    audit = operations.run_attendance_audit(data["period_start"], data["period_end"], current_user)
    report = audit_report(audit)
    return describe(report), {
        "Location": url_for(".get_audit", audit_id=audit.id),
        "ETag": audit_etag(audit),
    }


def _read_or_export() -> str:
    """The CSV of an audit is an export; the JSON a read."""
    as_csv = request.args.get("format") == "csv"
    return "attendance_audit.export" if as_csv else "attendance_audit.view"


@blp.get(AUDIT, "attendance_audits.view", AuditReadArgs, AuditSchema)
@blp.doc(responses=CSV_RESPONSE)
@logged(_read_or_export, object_type="attendance_audit", object_id="audit_id")
@record("attendance_audit", argument="audit")
def get_audit(args: dict[str, Any], audit: AttendanceAudit) -> Any:
    """One audit as stored; `?format=csv` for CSV. Board members' CSV is the published
    version."""
    as_csv = args["format"] == "csv"
    published = published_version(current_user, "true" if args["published"] else "", as_csv)
    report = audit_report(audit, published)
    if as_csv:
        return download(audit_csv(report), CSV, csv_filename(report), {"ETag": audit_etag(audit)})
    return describe(report), {"ETag": audit_etag(audit)}


@blp.route(AUDIT + "/pdf", methods=["GET"])
@requires("attendance_audits.view")
@blp.arguments(PackArgs, location="query")
@blp.doc(responses=PDF_RESPONSE)
@logged("attendance_audit.board_pack", object_type="attendance_audit", object_id="audit_id")
@record("attendance_audit", argument="audit")
def get_board_pack(args: dict[str, Any], audit: AttendanceAudit) -> Any:
    """The board pack as PDF: chart, tables, quoracy and board actions."""
    published = published_version(current_user, "true" if args["published"] else "", True)
    report = audit_report(audit, published)
    return download(board_pack(report), PDF, pdf_filename(report))


@blp.post(
    AUDIT + "/actions", "board_actions.manage", BoardActionSchema, BoardActionSchema, status=201
)
@record("attendance_audit", argument="audit")
def add_action(data: dict[str, Any], audit: AttendanceAudit) -> Any:
    """Record a board action against an agency under the threshold in this audit."""
    return operations.add_board_action(audit, data, current_user)


@blp.get(AUDIT + "/actions/<id:action_id>", "attendance_audits.view", None, BoardActionSchema)
@logged("board_action.view", object_type="board_action", object_id="action_id")
@record("attendance_audit", argument="audit")
@record("board_action")
def get_action(audit: AttendanceAudit, board_action: BoardAction) -> Any:
    """One board action, with the ETag a PATCH needs."""
    return board_action


@blp.patch(
    AUDIT + "/actions/<id:action_id>",
    "board_actions.manage",
    BoardActionUpdateSchema,
    BoardActionSchema,
)
@documented_update(blp)
@record("attendance_audit", argument="audit")
@record("board_action")
def update_action(data: dict[str, Any], audit: AttendanceAudit, board_action: BoardAction) -> Any:
    """Change a board action's status (`open`, `in_progress`, `done`, `cancelled`), note,
    owner, due date or wording; needs If-Match."""
    return operations.update_board_action(board_action, data, current_user)
