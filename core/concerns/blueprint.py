from __future__ import annotations

from flask import Blueprint

from core.concerns import views
from core.people import views as people_views

bp = Blueprint("concerns", __name__, url_prefix="/concerns", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:concern_id>", view_func=views.show)
bp.add_url_rule("/<id:concern_id>/decision", view_func=views.decide, methods=["GET", "POST"])
bp.add_url_rule(
    "/<id:concern_id>/decision/sign-off", view_func=views.sign_off, methods=["GET", "POST"]
)
bp.add_url_rule("/sign-off", view_func=views.sign_offs)
bp.add_url_rule("/<id:concern_id>/involve", view_func=views.involve, methods=["GET", "POST"])
bp.add_url_rule(
    "/<id:concern_id>/involvements/<id:involvement_id>/remove",
    view_func=views.remove_involvement,
    methods=["POST"],
)
bp.add_url_rule(
    "/<id:concern_id>/involvements/<id:involvement_id>/level",
    view_func=views.involvement_level,
    methods=["POST"],
)
bp.add_url_rule("/<id:concern_id>/enquiry", view_func=views.enquiry, methods=["GET", "POST"])
bp.add_url_rule("/<id:concern_id>/close", view_func=views.close, methods=["GET", "POST"])
bp.add_url_rule("/<id:concern_id>/reopen", view_func=views.reopen, methods=["GET", "POST"])
bp.add_url_rule("/clusters", view_func=views.clusters)
bp.add_url_rule("/<id:concern_id>/notes", view_func=views.add_note, methods=["POST"])
bp.add_url_rule("/<id:concern_id>/delete", view_func=views.delete, methods=["GET", "POST"])
bp.add_url_rule("/<id:concern_id>/legal-hold", view_func=views.legal_hold, methods=["GET", "POST"])
bp.add_url_rule(
    "/<id:concern_id>/level-of-need", view_func=views.level_of_need, methods=["GET", "POST"]
)
bp.add_url_rule("/<id:concern_id>/hate-crime", view_func=views.hate_crime, methods=["GET", "POST"])
bp.add_url_rule("/<id:concern_id>/team", view_func=views.team, methods=["GET", "POST"])
# the person alleged to have caused harm (pages in core/people/views.py)
bp.add_url_rule(
    "/<id:concern_id>/alleged/new", view_func=people_views.add_alleged, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/<id:concern_id>/alleged/<id:alleged_id>/edit",
    view_func=people_views.change_alleged,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/<id:concern_id>/alleged/<id:alleged_id>/remove",
    view_func=people_views.remove_alleged,
    methods=["GET", "POST"],
)
bp.add_url_rule("/export.csv", view_func=views.export_csv)
bp.add_url_rule("/handover", view_func=views.handover, methods=["GET", "POST"])
bp.add_url_rule("/<id:concern_id>/supervision", view_func=views.supervise, methods=["GET", "POST"])
bp.add_url_rule("/oversight", view_func=views.oversight)
bp.add_url_rule(
    "/<id:concern_id>/assessments/new", view_func=views.start_assessment, methods=["GET", "POST"]
)
bp.add_url_rule(
    "/<id:concern_id>/assessments/<id:assessment_id>/conclude",
    view_func=views.conclude_assessment,
    methods=["GET", "POST"],
)
bp.add_url_rule("/<id:concern_id>/body-map", view_func=views.body_map, methods=["GET", "POST"])
bp.add_url_rule("/<id:concern_id>/seen-by", view_func=views.seen_by)
bp.add_url_rule("/<id:concern_id>/seen-by.csv", view_func=views.seen_by_csv)
