"""URL rules of the contact follow-up pages."""

from __future__ import annotations

from flask import Blueprint

from core.followups import views

bp = Blueprint("follow_ups", __name__, url_prefix="/follow-ups", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/report", view_func=views.report)
bp.add_url_rule("/<id:follow_up_id>", view_func=views.show, methods=["GET", "POST"])
bp.add_url_rule("/<id:follow_up_id>/letter.pdf", view_func=views.letter)
