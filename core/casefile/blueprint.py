from __future__ import annotations

from flask import Blueprint

from core.casefile import views

bp = Blueprint("casefile", __name__, url_prefix="/casefile-audits", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:audit_id>", view_func=views.show)
bp.add_url_rule("/<id:audit_id>/assign", view_func=views.assign, methods=["POST"])
bp.add_url_rule("/<id:audit_id>/close", view_func=views.close, methods=["POST"])
bp.add_url_rule(
    "/<id:audit_id>/reviews/<id:review_id>", view_func=views.review, methods=["GET", "POST"]
)
bp.add_url_rule("/<id:audit_id>/report", view_func=views.report_page)
bp.add_url_rule("/<id:audit_id>/report.csv", view_func=views.report_csv)
bp.add_url_rule("/<id:audit_id>/report.pdf", view_func=views.report_pdf)
