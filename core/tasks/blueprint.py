from __future__ import annotations

from flask import Blueprint

from core.tasks import views

bp = Blueprint("tasks", __name__, url_prefix="/tasks", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:task_id>", view_func=views.show)
bp.add_url_rule("/<id:task_id>/complete", view_func=views.complete, methods=["POST"])
bp.add_url_rule("/<id:task_id>/cancel", view_func=views.cancel, methods=["POST"])
bp.add_url_rule("/<id:task_id>/reassign", view_func=views.reassign, methods=["GET", "POST"])
