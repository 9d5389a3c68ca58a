from __future__ import annotations

from flask import Blueprint

from core.plans import views

bp = Blueprint("plans", __name__, url_prefix="/plans", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/attention", view_func=views.attention)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/report", view_func=views.report_page)
bp.add_url_rule("/report.csv", view_func=views.report_csv)
bp.add_url_rule("/actions", view_func=views.portal_actions)
bp.add_url_rule("/<id:plan_id>", view_func=views.show)
bp.add_url_rule("/<id:plan_id>/category", view_func=views.category, methods=["GET", "POST"])
bp.add_url_rule("/<id:plan_id>/actions/new", view_func=views.add_action, methods=["GET", "POST"])
bp.add_url_rule(
    "/<id:plan_id>/actions/<id:action_id>", view_func=views.action, methods=["GET", "POST"]
)
bp.add_url_rule("/<id:plan_id>/review", view_func=views.review, methods=["GET", "POST"])
bp.add_url_rule("/<id:plan_id>/end", view_func=views.end, methods=["GET", "POST"])
