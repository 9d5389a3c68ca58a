from __future__ import annotations

from flask import Blueprint

from core.meetings import views

bp = Blueprint("meetings", __name__, url_prefix="/meetings", template_folder="templates")
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/work", view_func=views.work_list)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:meeting_id>", view_func=views.show)
bp.add_url_rule("/<id:meeting_id>/invite", view_func=views.invite, methods=["POST"])
bp.add_url_rule(
    "/<id:meeting_id>/invitations/<id:invitation_id>/remove",
    view_func=views.uninvite,
    methods=["POST"],
)
bp.add_url_rule(
    "/<id:meeting_id>/invitations/<id:invitation_id>/invitee",
    view_func=views.name_invitee,
    methods=["POST"],
)
bp.add_url_rule(
    "/<id:meeting_id>/invitations/<id:invitation_id>/report.pdf", view_func=views.report_file
)
bp.add_url_rule("/<id:meeting_id>/change", view_func=views.reschedule, methods=["GET", "POST"])
bp.add_url_rule("/<id:meeting_id>/cancel", view_func=views.cancel, methods=["GET", "POST"])
bp.add_url_rule(
    "/<id:meeting_id>/record",
    endpoint="record",
    view_func=views.record_meeting,
    methods=["GET", "POST"],
)
bp.add_url_rule("/<id:meeting_id>/letter", view_func=views.letter, methods=["POST"])
bp.add_url_rule(
    "/<id:meeting_id>/actions/<id:action_id>", view_func=views.action_status, methods=["POST"]
)
bp.add_url_rule("/standard-lists", view_func=views.standard_lists, methods=["GET", "POST"])
bp.add_url_rule(
    "/standard-lists/<id:entry_id>/remove", view_func=views.remove_standard, methods=["POST"]
)

portal_bp = Blueprint("portal", __name__, url_prefix="/portal", template_folder="templates")
portal_bp.add_url_rule("/", view_func=views.portal_index, endpoint="index")
portal_bp.add_url_rule(
    "/invitations/<id:invitation_id>",
    view_func=views.portal_invitation,
    endpoint="invitation",
    methods=["GET", "POST"],
)
