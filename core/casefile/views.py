"""Case file audit pages: the list, drawing a sample, assigning auditors, the auditor's
findings form and the quarterly findings report (page, CSV and PDF)."""

from __future__ import annotations

import calendar

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.auth.roles import ROLE_LABELS
from core.casefile import operations, pdf
from core.casefile.forms import AssignForm, CloseForm, DrawForm, review_form
from core.casefile.models import AuditStatus, CaseFileAudit, CaseFileReview
from core.casefile.report import Findings, findings
from core.db import record_id
from core.downloads import PDF, csv_download, download
from core.extensions import db
from core.forms import choices, flashed, submitted
from core.pipeline import logged, record
from core.policy import casefile as casefile_policy
from core.policy.casefile import sees_sample, visible_reviews
from core.policy.routes import requires
from core.returns import periods
from core.returns.export import shown, suppression_threshold


def quarter_label(audit: CaseFileAudit) -> str:
    """E.g. "Q1 2026/27 (April to June 2026)", in the year the audit was drawn in."""
    return periods.quarter_label(audit.year, audit.quarter, audit.year_starts)


@requires("casefile.view")
@logged("casefile.list", object_type="casefile_audit")
def index() -> ResponseReturnValue:
    audits = db.session.scalars(
        casefile_policy.visible_casefile_audits(current_user).order_by(
            CaseFileAudit.year.desc(), CaseFileAudit.quarter.desc(), CaseFileAudit.id.desc()
        )
    ).all()
    assigned = []
    if casefile_policy.is_reviewer(current_user):
        assigned = db.session.scalars(casefile_policy.assigned_reviews(current_user)).all()
    return render_template(
        "casefile/index.html", audits=audits, assigned=assigned, quarter_label=quarter_label
    )


@requires("casefile.manage")
def new() -> ResponseReturnValue:
    form = DrawForm(year_starts=operations.year_starts(), council_id=current_user.council_id)
    if not form.is_submitted():
        form.sample_size.data = operations.DEFAULT_SAMPLE_SIZE
    created: list[CaseFileAudit] = []
    if submitted(
        form,
        lambda: created.append(
            operations.draw(
                {
                    "year": form.year.data,
                    "quarter": int(form.quarter.data),
                    "sample_size": form.sample_size.data,
                    "seed": form.seed.data,
                }
                | form.limits(),
                current_user,
            )
        ),
    ):
        flash(f"Sample drawn with seed {created[0].seed}.", "success")
        return redirect(url_for("casefile.show", audit_id=created[0].id))
    month = calendar.month_name[operations.year_starts()]
    return render_template("casefile/new.html", form=form, year_starts=month)


def _auditor_choices(council_id: int) -> list[object]:
    rows = db.session.execute(casefile_policy.assignable_reviewers(council_id)).all()
    named = [(row.id, f"{row.name} ({ROLE_LABELS[row.role]})") for row in rows]
    return choices([("", "Choose a reviewer"), *named])


@requires("casefile.view")
@logged("casefile.view", object_type="casefile_audit", object_id="audit_id")
@record("casefile_audit", argument="audit")
def show(audit: CaseFileAudit) -> ResponseReturnValue:
    reviews = db.session.scalars(visible_reviews(current_user, audit.id)).all()
    assign_form = AssignForm(formdata=None)
    assign_form.auditor_id.choices = _auditor_choices(audit.council_id)
    return render_template(
        "casefile/show.html",
        audit=audit,
        figures=findings(audit),
        reviews=reviews,
        sees_sample=sees_sample(current_user),
        assign_form=assign_form,
        close_form=CloseForm(formdata=None),
        quarter_label=quarter_label(audit),
    )


@requires("casefile.manage")
@record("casefile_audit", argument="audit")
def assign(audit: CaseFileAudit) -> ResponseReturnValue:
    form = AssignForm()
    form.auditor_id.choices = _auditor_choices(audit.council_id)
    wanted = record_id(form.review_id.data)
    review = db.session.get(CaseFileReview, wanted) if wanted else None
    if review is None or review.audit_id != audit.id:
        abort(400, description="Choose a case of this audit.")
    try:
        auditor_id = int(form.auditor_id.data or 0)
    except ValueError:
        auditor_id = 0
    if form.validate_on_submit():
        flashed(
            lambda: operations.assign(review, auditor_id, current_user),
            f"{review.case_reference} assigned.",
        )
    else:
        flash("Choose a reviewer.", "error")
    return redirect(url_for("casefile.show", audit_id=audit.id))


@requires("casefile.manage")
@record("casefile_audit", argument="audit")
def close(audit: CaseFileAudit) -> ResponseReturnValue:
    if CloseForm().validate_on_submit():
        flashed(
            lambda: operations.close(audit, current_user),
            "Audit closed. Its auditors no longer see its cases.",
        )
    return redirect(url_for("casefile.show", audit_id=audit.id))


@requires("casefile.audit")
@logged("casefile.review.view", object_type="casefile_review", object_id="review_id")
@record("casefile_audit", argument="audit")
@record("own_casefile_review", argument="found")
def review(audit: CaseFileAudit, found: CaseFileReview) -> ResponseReturnValue:
    existing = {f"item_{a.item_id}": a.answer.value for a in found.answers}
    if found.grade:
        existing |= {"grade": found.grade.value, "comments": found.comments or ""}
    form = review_form(audit, data=existing if request.method == "GET" else None)
    if submitted(
        form,
        lambda: operations.record_findings(
            found,
            {item.id: form[f"item_{item.id}"].data for item in audit.items},
            form["grade"].data,
            form["comments"].data,
            current_user,
        ),
        {"status": "grade", "auditor_id": "grade"},
    ):
        flash(f"Findings for {found.case_reference} saved.", "success")
        return redirect(url_for("casefile.show", audit_id=audit.id))
    return render_template(
        "casefile/review.html",
        audit=audit,
        review=found,
        form=form,
        item_fields=[form[f"item_{item.id}"] for item in audit.items],
        read_only=audit.status != AuditStatus.OPEN,
    )


# --- The findings report --------------------------------------------------------------------


@requires("casefile.view")
@logged("casefile.report", object_type="casefile_audit", object_id="audit_id")
@record("casefile_audit", argument="audit")
def report_page(audit: CaseFileAudit) -> ResponseReturnValue:
    figures = findings(audit)
    return render_template(
        "casefile/report.html", figures=figures, quarter_label=quarter_label(figures.audit)
    )


def report_rows(figures: Findings, threshold: int) -> list[list[object]]:
    rows: list[list[object]] = [["checklist item", "yes", "no", "not applicable", "rate met"]]
    for item in figures.items:
        rate = "" if item.rate is None else f"{item.rate:.2f}"
        counts = [shown(v, threshold) for v in (item.yes, item.no, item.not_applicable)]
        if threshold and any(c == "*" for c in counts):
            rate = "*"
        rows.append([item.text, *counts, rate])
    rows.append([])
    rows.append(["grade", "cases"])
    rows += [[label, shown(count, threshold)] for label, count in figures.grades]
    return rows


@requires("casefile.view")
@logged("casefile.report.export", object_type="casefile_audit", object_id="audit_id")
@record("casefile_audit", argument="audit")
def report_csv(audit: CaseFileAudit) -> ResponseReturnValue:
    figures = findings(audit)
    name = f"case-file-audit-{audit.year}-q{audit.quarter}-{audit.id}.csv"
    return csv_download(report_rows(figures, suppression_threshold(current_user)), name)


@requires("casefile.view")
@logged("casefile.report.export", object_type="casefile_audit", object_id="audit_id")
@record("casefile_audit", argument="audit")
def report_pdf(audit: CaseFileAudit) -> ResponseReturnValue:
    figures = findings(audit)
    threshold = suppression_threshold(current_user)
    body = pdf.findings_pdf(figures, quarter_label(audit), report_rows(figures, threshold))
    name = f"case-file-audit-{audit.year}-q{audit.quarter}-{audit.id}.pdf"
    return download(body, PDF, name)
