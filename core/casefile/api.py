"""/api/v1/casefile-audits: the quarterly case file audit."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user

from core.api.conventions import Blueprint, PageArgs, paginate
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
from core.pipeline import logged, record
from core.policy.casefile import visible_casefile_audits, visible_reviews
from core.returns.periods import quarter_label

blp = Blueprint(
    "casefile_api", __name__, url_prefix="/casefile-audits", description="Case file audits"
)
AUDIT = "/<id:audit_id>"
CASE = AUDIT + "/cases/<id:review_id>"


def describe(audit: CaseFileAudit) -> dict[str, Any]:
    figures = findings(audit)
    return {
        "id": audit.id,
        "year": audit.year,
        "quarter": audit.quarter,
        "year_starts": audit.year_starts,
        "quarter_label": quarter_label(audit.year, audit.quarter, audit.year_starts),
        "limits": {
            "team_id": audit.team_id,
            "locality_id": audit.locality_id,
            "out_of_hours": audit.out_of_hours,
            "case_type": audit.case_type.value if audit.case_type else None,
        },
        "drawn_by_id": audit.drawn_by_id,
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


@blp.get("/", "casefile.view", PageArgs, CaseFileAuditPageSchema)
@logged("casefile.list", object_type="casefile_audit")
def list_audits(args: dict[str, Any]) -> dict[str, Any]:
    """Case file audits, the latest quarter first."""
    query = visible_casefile_audits(current_user).order_by(
        CaseFileAudit.year.desc(), CaseFileAudit.quarter.desc(), CaseFileAudit.id.desc()
    )
    page = paginate(query, args["page"], args["page_size"])
    page["items"] = [describe(a) for a in page["items"]]
    return page


@blp.post("/", "casefile.manage", DrawSchema, CaseFileAuditSchema, status=201)
def create_audit(data: dict[str, Any]) -> Any:
    """Draw a quarter's sample (default 20 cases; all when fewer are active), limited if
    asked to a team, an area, out-of-hours cases or a case type. The same quarter, limits
    and `seed` give the same sample."""
    audit = operations.draw(data, current_user)
    return describe(audit), {"Location": url_for(".get_audit", audit_id=audit.id)}


@blp.get(AUDIT, "casefile.view", None, CaseFileAuditSchema)
@logged("casefile.view", object_type="casefile_audit", object_id="audit_id")
@record("casefile_audit", argument="audit")
def get_audit(audit: CaseFileAudit) -> Any:
    """One audit, with the cases you may see of its sample."""
    return describe(audit)


@blp.get(AUDIT + "/report", "casefile.view", None, ReportSchema)
@logged("casefile.report", object_type="casefile_audit", object_id="audit_id")
@record("casefile_audit", argument="audit")
def get_report(audit: CaseFileAudit) -> Any:
    """The findings: rate per checklist item and the grade distribution."""
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


@blp.post(AUDIT + "/close", "casefile.manage", None, CaseFileAuditSchema)
@record("casefile_audit", argument="audit")
def close_audit(audit: CaseFileAudit) -> Any:
    """Close the audit: its auditors no longer see its cases."""
    operations.close(audit, current_user)
    return describe(audit)


@blp.put(CASE + "/assignment", "casefile.manage", AssignSchema, CaseFileAuditSchema)
@record("casefile_audit", argument="audit")
@record("casefile_review", argument="review")
def assign_case(data: dict[str, Any], audit: CaseFileAudit, review: CaseFileReview) -> Any:
    """Assign a sampled case to a reviewer: an auditor (who may then read it, read-only),
    or a safeguarding manager or officer the audit's owner chose; never their own case."""
    operations.assign(review, data["auditor_id"], current_user)
    return describe(audit)


@blp.put(CASE + "/findings", "casefile.audit", FindingsSchema, CaseFileAuditSchema)
@record("casefile_audit", argument="audit")
@record("own_casefile_review", argument="review")
def record_findings(data: dict[str, Any], audit: CaseFileAudit, review: CaseFileReview) -> Any:
    """Your answer to every checklist item for a case assigned to you, and its grade."""
    answers = {a["item_id"]: a["answer"] for a in data["answers"]}
    operations.record_findings(review, answers, data["grade"], data.get("comments"), current_user)
    return describe(audit)
