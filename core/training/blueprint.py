"""URL rules of the staff training pages."""

from __future__ import annotations

from flask import Blueprint

from core.training import views

bp = Blueprint("training", __name__, url_prefix="/training", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:record_id>/edit", view_func=views.edit, methods=["GET", "POST"])
bp.add_url_rule("/<id:record_id>/delete", view_func=views.delete, methods=["POST"])
bp.add_url_rule("/upload", view_func=views.upload, methods=["GET", "POST"])
bp.add_url_rule("/template.csv", view_func=views.template_csv)
bp.add_url_rule("/return", view_func=views.quarterly)
