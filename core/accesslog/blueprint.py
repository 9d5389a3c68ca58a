from __future__ import annotations

from flask import Blueprint

from core.accesslog import views

bp = Blueprint("access_log", __name__, url_prefix="/admin/access-log", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
