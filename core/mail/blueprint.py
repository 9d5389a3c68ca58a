from __future__ import annotations

from flask import Blueprint

from core.mail import views

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/<id:message_id>", view_func=views.show)
bp.add_url_rule("/send", view_func=views.send, methods=["POST"])
bp.add_url_rule("/<id:message_id>/retry", view_func=views.retry, methods=["POST"])
