from __future__ import annotations

from flask import Blueprint

from core.home import views

bp = Blueprint("home", __name__, template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/plugins", view_func=views.plugins)
bp.add_url_rule("/admin/clocks", view_func=views.clocks)
bp.add_url_rule("/healthz", view_func=views.health)
bp.add_url_rule("/api-docs", view_func=views.api_docs)
