from __future__ import annotations

from flask import Blueprint

from core.agency_forms import views

bp = Blueprint("agency_forms", __name__, url_prefix="/forms", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/<form_name>/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<form_name>/new/<id:subject_id>", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/submissions/<id:submission_id>", view_func=views.show)
bp.add_url_rule(
    "/submissions/<id:submission_id>/edit", view_func=views.edit, methods=["GET", "POST"]
)
bp.add_url_rule("/submissions/<id:submission_id>/share", view_func=views.share, methods=["POST"])
bp.add_url_rule(
    "/submissions/<id:submission_id>/shares/<id:share_id>/withdraw",
    view_func=views.withdraw,
    methods=["POST"],
)
