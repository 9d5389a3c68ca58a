from __future__ import annotations

from flask import Blueprint

from core.agencies import views

bp = Blueprint("agencies", __name__, url_prefix="/admin/agencies", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:agency_id>", view_func=views.edit, methods=["GET", "POST"])

# The agency pickers' search, for the pages' script (signed in with the page's session,
# which the API ignores); the same operation as GET /api/v1/agencies/search.
search_bp = Blueprint("agency_search", __name__, url_prefix="/agencies")
search_bp.add_url_rule("/search", view_func=views.search)
