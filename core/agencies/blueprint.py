from __future__ import annotations

from flask import Blueprint

from core.agencies import views

bp = Blueprint("agencies", __name__, url_prefix="/admin/agencies", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:agency_id>", view_func=views.edit, methods=["GET", "POST"])
