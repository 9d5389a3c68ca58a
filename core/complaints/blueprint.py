"""URL rules of the complaints and compliments log."""

from __future__ import annotations

from flask import Blueprint

from core.complaints import views

bp = Blueprint("complaints", __name__, url_prefix="/complaints", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/report", view_func=views.report)
bp.add_url_rule("/<id:entry_id>", view_func=views.show)
bp.add_url_rule("/<id:entry_id>/acknowledge", view_func=views.acknowledge, methods=["POST"])
bp.add_url_rule("/<id:entry_id>/answer", view_func=views.answer, methods=["POST"])
bp.add_url_rule("/<id:entry_id>/extend", view_func=views.extend, methods=["POST"])
bp.add_url_rule("/<id:entry_id>/escalate", view_func=views.escalate, methods=["POST"])
bp.add_url_rule("/<id:entry_id>/ombudsman", view_func=views.ombudsman, methods=["POST"])
