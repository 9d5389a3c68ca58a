from __future__ import annotations

from flask import Blueprint

from core.people import views

bp = Blueprint("people", __name__, url_prefix="/people", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:person_id>", view_func=views.show)
bp.add_url_rule("/<id:person_id>/edit", view_func=views.edit, methods=["GET", "POST"])
bp.add_url_rule("/<id:person_id>/merge", view_func=views.merge, methods=["GET", "POST"])
bp.add_url_rule(
    "/<id:person_id>/relationships/new",
    view_func=views.add_relationship,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/<id:person_id>/relationships/<id:relationship_id>/end",
    view_func=views.end_relationship,
    methods=["GET", "POST"],
)

establishments_bp = Blueprint(
    "establishments", __name__, url_prefix="/establishments", template_folder="templates"
)
establishments_bp.add_url_rule("/", view_func=views.establishments, endpoint="index")
establishments_bp.add_url_rule(
    "/new", view_func=views.new_establishment, endpoint="new", methods=["GET", "POST"]
)
establishments_bp.add_url_rule(
    "/<id:establishment_id>", view_func=views.establishment, endpoint="show"
)
establishments_bp.add_url_rule(
    "/<id:establishment_id>/edit",
    view_func=views.edit_establishment,
    endpoint="edit",
    methods=["GET", "POST"],
)
establishments_bp.add_url_rule(
    "/propose",
    view_func=views.propose_establishment,
    endpoint="propose",
    methods=["GET", "POST"],
)
establishments_bp.add_url_rule(
    "/<id:establishment_id>/confirm",
    view_func=views.confirm_establishment,
    endpoint="confirm",
    methods=["POST"],
)
establishments_bp.add_url_rule(
    "/<id:establishment_id>/decline",
    view_func=views.decline_establishment,
    endpoint="decline",
    methods=["POST"],
)
