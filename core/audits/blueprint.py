from __future__ import annotations

from flask import Blueprint

from core.audits import views

bp = Blueprint(
    "attendance_audits", __name__, url_prefix="/audits/attendance", template_folder="templates"
)
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:audit_id>", view_func=views.show)
bp.add_url_rule("/<id:audit_id>.csv", view_func=views.download_csv)
bp.add_url_rule("/<id:audit_id>.pdf", view_func=views.download_pdf)
bp.add_url_rule("/<id:audit_id>/actions/new", view_func=views.new_action, methods=["GET", "POST"])
bp.add_url_rule(
    "/<id:audit_id>/actions/<id:action_id>", view_func=views.action, methods=["GET", "POST"]
)
