from __future__ import annotations

from flask import Blueprint

from core.users import access_log, account, views

bp = Blueprint("users", __name__, url_prefix="/admin/users", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:user_id>", view_func=views.edit, methods=["GET", "POST"])
bp.add_url_rule("/<id:user_id>/end-sessions", view_func=views.end_sessions, methods=["POST"])
bp.add_url_rule(
    "/<id:user_id>/reset-two-factor", view_func=account.reset_two_factor, methods=["POST"]
)
bp.add_url_rule(
    "/<id:user_id>/tokens/<id:token_id>/revoke",
    view_func=account.revoke_user_token,
    methods=["POST"],
)

# The signed-in user's own page, outside /admin.
account_bp = Blueprint("account", __name__, url_prefix="/account", template_folder="templates")
account_bp.add_url_rule("/", view_func=account.account, methods=["GET", "POST"])
account_bp.add_url_rule("/password", view_func=account.change_password, methods=["GET", "POST"])
account_bp.add_url_rule("/two-factor", view_func=account.two_factor, methods=["GET", "POST"])
account_bp.add_url_rule(
    "/tokens/<id:token_id>/revoke", view_func=account.revoke_own_token, methods=["POST"]
)

# The access log, for administrators (the log itself, written by every area, is core/accesslog/).
access_log_bp = Blueprint(
    "access_log", __name__, url_prefix="/admin/access-log", template_folder="templates"
)
access_log_bp.add_url_rule("/", view_func=access_log.index)
