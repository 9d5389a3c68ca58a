"""URL rules of the subject access pages."""

from __future__ import annotations

from flask import Blueprint

from core.subject_access import views

bp = Blueprint(
    "subject_access", __name__, url_prefix="/subject-access", template_folder="templates"
)
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new/<id:person_id>", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:request_id>", view_func=views.show)
bp.add_url_rule("/<id:request_id>/produce", view_func=views.produce, methods=["POST"])
bp.add_url_rule("/<id:request_id>/sent", view_func=views.sent, methods=["POST"])
bp.add_url_rule("/<id:request_id>/export.pdf", view_func=views.export_pdf_file)
bp.add_url_rule("/<id:request_id>/export.json", view_func=views.export_json_file)
