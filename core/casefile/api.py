"""/api/v1/casefile-audits: the quarterly case file audit."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint

from core.api.conventions import (
    PageArgs,
    documented_create,
    idempotent,
    paginate,
    validation_as_422,
)
from core.api.problems import abort
from core.casefile import operations
from core.casefile.models import CaseFileAudit, CaseFileReview, Grade
from core.casefile.report import findings
from core.casefile.schemas import (
    AssignSchema,
    CaseFileAuditPageSchema,
    CaseFileAuditSchema,
    DrawSchema,
    FindingsSchema,
    ReportSchema,
)
from core.extensions import db
from core.pipeline import logged
from core.policy.casefile import load_own_review, visible_reviews
from core.policy.routes import requires

blp = Blueprint(
    "casefile_api", __name__, url_prefix="/casefile-audits", description="Case file audits"
)
AUDIT = "/<int(min=1, max=2147483647):audit_id>"
CASE = AUDIT + "/cases/<int(min=1, max=2147483647):review_id>"


def describe(audit: CaseFileAudit) -> dict[str, Any]:
    figures = findings(audit)
    return {
        "id": audit.id,
        "year": audit.year,
        "quarter": audit.quarter,
        "seed": audit.seed,
        "sample_size": audit.sample_size,
        "sampled": figures.sampled,
        "completed": figures.completed,
        "status": audit.status.value,
        "drawn_at": audit.drawn_at,
        "checklist": audit.items,
        "cases": [
            {
                "id": r.id,
                "concern_id": r.concern_id,
                "auditor_id": r.auditor_id,
                "grade": r.grade.value if r.grade else None,
                "completed_at": r.completed_at,
            }
            for r in db.session.scalars(visible_reviews(current_user, audit.id))
        ],
    }


def _audit_or_404(audit_id: int) -> CaseFileAudit:
    audit = db.session.get(CaseFileAudit, audit_id)
    if audit is None:
        abort(404)
    return audit


@blp.route("/", methods=["GET"])
@requires("casefile.view")
@blp.arguments(PageArgs, location="query")
@blp.response(200, CaseFileAuditPageSchema)
@logged("casefile.list", object_type="casefile_audit")
def list_audits(args: dict[str, Any]) -> dict[str, Any]:
    """Case file audits, the latest quarter first."""
    query = sa.select(CaseFileAudit).order_by(
        CaseFileAudit.year.desc(), CaseFileAudit.quarter.desc(), CaseFileAudit.id.desc()
    )
    page = paginate(query, args["page"], args["page_size"])
    page["items"] = [describe(a) for a in page["items"]]
    return page


@blp.route("/", methods=["POST"])
@requires("casefile.manage")
@idempotent
@documented_create(blp)
@blp.arguments(DrawSchema)
@blp.response(201, CaseFileAuditSchema)
def create_audit(data: dict[str, Any]) -> Any:
    """Draw a quarter's sample (default 20 cases; all when fewer are active). The same
    quarter and `seed` give the same sample."""
    with validation_as_422():
        audit = operations.draw(data, current_user)
    return describe(audit), {"Location": url_for(".get_audit", audit_id=audit.id)}


@blp.route(AUDIT, methods=["GET"])
@requires("casefile.view")
@blp.response(200, CaseFileAuditSchema)
@logged("casefile.view", object_type="casefile_audit", object_id="audit_id")
def get_audit(audit_id: int) -> Any:
    """One audit, with the cases you may see of its sample."""
    audit = _audit_or_404(audit_id)
    return describe(audit)


@blp.route(AUDIT + "/report", methods=["GET"])
@requires("casefile.view")
@blp.response(200, ReportSchema)
@logged("casefile.report", object_type="casefile_audit", object_id="audit_id")
def get_report(audit_id: int) -> Any:
    """The findings: rate per checklist item and the grade distribution."""
    audit = _audit_or_404(audit_id)
    figures = findings(audit)
    return {
        "audit_id": audit.id,
        "sampled": figures.sampled,
        "completed": figures.completed,
        "items": figures.items,
        "grades": [
            {"grade": grade.value, "cases": count}
            for grade, (_, count) in zip(Grade, figures.grades, strict=True)
        ],
    }


@blp.route(AUDIT + "/close", methods=["POST"])
@requires("casefile.manage")
@blp.response(200, CaseFileAuditSchema)
def close_audit(audit_id: int) -> Any:
    """Close the audit: its auditors no longer see its cases."""
    audit = _audit_or_404(audit_id)
    with validation_as_422():
        operations.close(audit, current_user)
    return describe(audit)


def _case_or_404(audit_id: int, review_id: int) -> CaseFileReview:
    review = db.session.get(CaseFileReview, review_id)
    if review is None or review.audit_id != audit_id:
        abort(404)
    return review


@blp.route(CASE + "/assignment", methods=["PUT"])
@requires("casefile.manage")
@blp.arguments(AssignSchema)
@blp.response(200, CaseFileAuditSchema)
def assign_case(data: dict[str, Any], audit_id: int, review_id: int) -> Any:
    """Assign a sampled case to an auditor (who may then read it, read-only)."""
    review = _case_or_404(audit_id, review_id)
    with validation_as_422():
        operations.assign(review, data["auditor_id"], current_user)
    return describe(review.audit)


@blp.route(CASE + "/findings", methods=["PUT"])
@requires("casefile.audit")
@blp.arguments(FindingsSchema)
@blp.response(200, CaseFileAuditSchema)
def record_findings(data: dict[str, Any], audit_id: int, review_id: int) -> Any:
    """Your answer to every checklist item for a case assigned to you, and its grade."""
    review = load_own_review(current_user, audit_id, review_id)
    if review is None:
        abort(404)
    answers = {a["item_id"]: a["answer"] for a in data["answers"]}
    with validation_as_422():
        operations.record_findings(
            review, answers, data["grade"], data.get("comments"), current_user
        )
    return describe(review.audit)
