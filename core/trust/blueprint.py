"""URL rules of PiPoT and LADO referrals, inside their case."""

from __future__ import annotations

from flask import Blueprint

from core.trust import views

bp = Blueprint("trust", __name__, url_prefix="/concerns", template_folder="templates")
bp.add_url_rule(
    "/<id:concern_id>/alleged/<id:alleged_id>/trust-referral",
    view_func=views.new_referral,
    methods=["GET", "POST"],
)
bp.add_url_rule("/<id:concern_id>/trust-referrals/<id:referral_id>", view_func=views.show)
bp.add_url_rule(
    "/<id:concern_id>/trust-referrals/<id:referral_id>/actions",
    view_func=views.add_action,
    methods=["GET", "POST"],
)
bp.add_url_rule(
    "/<id:concern_id>/trust-referrals/<id:referral_id>/outcome",
    view_func=views.outcome,
    methods=["GET", "POST"],
)
