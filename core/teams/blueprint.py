from __future__ import annotations

from flask import Blueprint

from core.teams import views

bp = Blueprint("teams", __name__, url_prefix="/admin/teams", template_folder="templates")
bp.add_url_rule("/", view_func=views.teams, endpoint="index")
bp.add_url_rule("/new", view_func=views.new_team, endpoint="new", methods=["GET", "POST"])
bp.add_url_rule(
    "/<id:team_id>", view_func=views.edit_team, endpoint="edit", methods=["GET", "POST"]
)

areas_bp = Blueprint("areas", __name__, url_prefix="/admin/areas", template_folder="templates")
areas_bp.add_url_rule("/", view_func=views.areas, endpoint="index")
areas_bp.add_url_rule("/new", view_func=views.new_area, endpoint="new", methods=["GET", "POST"])
areas_bp.add_url_rule(
    "/<id:locality_id>", view_func=views.edit_area, endpoint="edit", methods=["GET", "POST"]
)

councils_bp = Blueprint(
    "councils", __name__, url_prefix="/admin/councils", template_folder="templates"
)
councils_bp.add_url_rule("/", view_func=views.councils, endpoint="index")
councils_bp.add_url_rule(
    "/new", view_func=views.new_council, endpoint="new", methods=["GET", "POST"]
)
councils_bp.add_url_rule(
    "/<id:council_id>", view_func=views.edit_council, endpoint="edit", methods=["GET", "POST"]
)
