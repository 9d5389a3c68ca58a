from __future__ import annotations

from flask import Blueprint

from core.chronology import views

bp = Blueprint("chronology", __name__, template_folder="templates")
bp.add_url_rule("/concerns/<id:concern_id>/chronology", view_func=views.case)
bp.add_url_rule("/concerns/<id:concern_id>/chronology.csv", view_func=views.case_csv)
bp.add_url_rule("/concerns/<id:concern_id>/chronology.pdf", view_func=views.case_pdf)
bp.add_url_rule(
    "/concerns/<id:concern_id>/chronology/new", view_func=views.new_entry, methods=["GET", "POST"]
)
bp.add_url_rule("/people/<id:person_id>/chronology", view_func=views.person)
bp.add_url_rule("/people/<id:person_id>/chronology.csv", view_func=views.person_csv)
bp.add_url_rule("/people/<id:person_id>/chronology.pdf", view_func=views.person_pdf)
