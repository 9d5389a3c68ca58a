from __future__ import annotations

from flask import Blueprint

from core.reports import views

bp = Blueprint("reports", __name__, url_prefix="/reports", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/<name>", view_func=views.show)
bp.add_url_rule("/<name>/export.csv", view_func=views.export_csv)
