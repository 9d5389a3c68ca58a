from __future__ import annotations

from flask import Blueprint

from core.returns import views

bp = Blueprint("returns", __name__, url_prefix="/returns", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/sac", view_func=views.sac_page)
bp.add_url_rule("/sac.xlsx", view_func=views.sac_workbook)
bp.add_url_rule("/sac/<code>", view_func=views.sac_table)
bp.add_url_rule("/sac/<code>.csv", view_func=views.sac_table_csv)
bp.add_url_rule("/children", view_func=views.children_page)
bp.add_url_rule("/dashboard", view_func=views.dashboard)
bp.add_url_rule("/repeats", view_func=views.repeats)
bp.add_url_rule("/repeats.csv", view_func=views.repeats_file)
bp.add_url_rule("/hate-crime", view_func=views.hate_crime)
bp.add_url_rule("/positions-of-trust", view_func=views.positions_of_trust)
bp.add_url_rule("/cin-census", view_func=views.cin_census_page)
bp.add_url_rule("/cin-census.xml", view_func=views.cin_census_file)
