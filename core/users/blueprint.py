from __future__ import annotations

from flask import Blueprint

from core.users import views

bp = Blueprint("users", __name__, url_prefix="/admin/users", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<int:user_id>", view_func=views.edit, methods=["GET", "POST"])
bp.add_url_rule("/<int:user_id>/end-sessions", view_func=views.end_sessions, methods=["POST"])
