"""URL rules of the hospital discharge pages."""

from flask import Blueprint

from core.discharges import views

bp = Blueprint("discharges", __name__, url_prefix="/discharges", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/monitoring", view_func=views.monitoring)
bp.add_url_rule("/<id:discharge_id>", view_func=views.show)
bp.add_url_rule("/<id:discharge_id>/follow-up", view_func=views.follow_up, methods=["GET", "POST"])
