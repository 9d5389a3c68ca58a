"""Page–API parity: every capability a page gives a role has an API operation.

Every page route (not /api/, not static) is in exactly one of the tables below:

- ``PAGE_TO_API``: the page reads or changes records, and these API operations give the
  same capability, under the same permission and object rules (the access matrix walks
  both, tests/safety/test_access_matrix.py);
- ``EXEMPT``: the page reads or changes no record a partner system would work with
  (signing in, setting up a second factor, navigation), each with the reason.

A new page route with no entry fails, and so does a mapping naming an API operation that
does not exist.
"""

from __future__ import annotations

import pytest
from flask import Flask

# fmt: off
PAGE_TO_API: dict[tuple[str, str], tuple[str, ...]] = {
    # --- Administration ---------------------------------------------------------------------
    ("access_log.index", "GET"): ("access_log_api.list_entries",),
    ("home.clocks", "GET"): ("clocks_api.get_clocks",),
    # what waits, and the trays of tasks (for you, for your team, set by you)
    ("home.index", "GET"): ("work_api.get_work", "tasks_api.list_tasks"),
    ("agencies.index", "GET"): ("agencies_api.list_agencies",),
    ("agencies.new", "GET"): ("agencies_api.create_agency", "agency_types_api.list_agency_types"),
    ("agencies.new", "POST"): ("agencies_api.create_agency",),
    ("agencies.edit", "GET"): ("agencies_api.get_agency",),
    ("agencies.edit", "POST"): ("agencies_api.update_agency",),
    ("agency_search.search", "GET"): ("agencies_api.search_agencies",),
    ("teams.index", "GET"): ("teams_api.list_teams",),
    ("teams.new", "GET"): ("teams_api.create_team",),
    ("teams.new", "POST"): ("teams_api.create_team",),
    ("teams.edit", "GET"): ("teams_api.get_team",),
    ("teams.edit", "POST"): ("teams_api.update_team",),
    ("areas.index", "GET"): ("areas_api.list_areas",),
    ("areas.new", "GET"): ("areas_api.create_area",),
    ("areas.new", "POST"): ("areas_api.create_area",),
    ("areas.edit", "GET"): ("areas_api.get_area",),
    ("areas.edit", "POST"): ("areas_api.update_area",),
    ("councils.index", "GET"): ("councils_api.list_councils",),
    ("councils.new", "GET"): ("councils_api.create_council",),
    ("councils.new", "POST"): ("councils_api.create_council",),
    ("councils.edit", "GET"): ("councils_api.get_council",),
    ("councils.edit", "POST"): ("councils_api.update_council",),
    ("users.index", "GET"): ("users_api.list_users",),
    ("users.new", "GET"): ("users_api.create_user",),
    ("users.new", "POST"): ("users_api.create_user",),
    ("users.edit", "GET"): ("users_api.get_user", "users_api.list_tokens"),
    ("users.edit", "POST"): ("users_api.update_user",),
    ("users.end_sessions", "POST"): ("users_api.end_sessions",),
    ("users.reset_two_factor", "POST"): ("users_api.reset_two_factor",),
    ("users.revoke_user_token", "POST"): ("users_api.revoke_token",),
    ("outbox.index", "GET"): ("outbox_api.list_messages",),
    ("outbox.show", "GET"): ("outbox_api.get_message",),
    ("outbox.retry", "POST"): ("outbox_api.retry_message",),
    ("outbox.send", "POST"): ("outbox_api.send_pending",),
    ("meetings.standard_lists", "GET"): ("standard_lists_api.list_entries",),
    ("meetings.standard_lists", "POST"): ("standard_lists_api.add_entry",),
    ("meetings.remove_standard", "POST"): ("standard_lists_api.remove_entry",),

    # --- The signed-in user -----------------------------------------------------------------
    ("account.account", "GET"): ("me_api.get_me",),
    ("account.change_password", "GET"): ("me_api.change_password",),
    ("account.change_password", "POST"): ("me_api.change_password",),

    # --- Concerns ---------------------------------------------------------------------------
    ("concerns.index", "GET"): ("concerns_api.list_concerns",),
    # the CSV's rows, with the list's filters and order, page by page
    ("concerns.export_csv", "GET"): ("concerns_api.list_concerns",),
    # the list filtered to sign_off=pending
    ("concerns.sign_offs", "GET"): ("concerns_api.list_concerns",),
    ("concerns.new", "GET"): ("concerns_api.create_concern",),
    ("concerns.new", "POST"): ("concerns_api.create_concern",),
    ("concerns.clusters", "GET"): ("clusters_api.list_clusters",),
    ("concerns.handover", "GET"): ("handover_api.get_handover",),
    ("concerns.handover", "POST"): ("handover_api.accept_handover",),
    ("concerns.oversight", "GET"): ("oversight_api.list_without_oversight",),
    ("concerns.show", "GET"): (
        "concerns_api.get_concern", "concerns_api.get_timeline", "concerns_api.list_notes",
        "concerns_api.list_assessments", "oversight_api.list_supervisions",
        "forms_api.case_forms", "case_tasks_api.list_case_tasks",
        "alleged_api.case_relationships", "alleged_api.list_alleged",
        "trust_api.list_referrals",
    ),
    ("concerns.add_note", "POST"): ("concerns_api.add_note",),
    ("concerns.body_map", "GET"): ("body_map_api.get_body_map",),
    ("concerns.seen_by", "GET"): ("concerns_api.get_seen_by",),
    ("concerns.seen_by_csv", "GET"): ("concerns_api.get_seen_by",),
    ("concerns.body_map", "POST"): ("body_map_api.add_body_map_mark",),
    ("concerns.decide", "GET"): ("concerns_api.decide",),
    ("concerns.decide", "POST"): ("concerns_api.decide",),
    ("concerns.sign_off", "GET"): ("concerns_api.sign_off_decision",),
    ("concerns.sign_off", "POST"): ("concerns_api.sign_off_decision",),
    ("concerns.involve", "GET"): ("concerns_api.add_involvement",),
    ("concerns.involve", "POST"): ("concerns_api.add_involvement",),
    ("concerns.remove_involvement", "POST"): ("concerns_api.remove_involvement",),
    ("concerns.involvement_level", "POST"): ("concerns_api.set_involvement_level",),
    ("concerns.close", "GET"): ("concerns_api.close_concern",),
    ("concerns.close", "POST"): ("concerns_api.close_concern",),
    ("concerns.enquiry", "GET"): ("concerns_api.get_enquiry",),
    ("concerns.enquiry", "POST"): ("concerns_api.update_enquiry",),
    ("concerns.reopen", "GET"): ("concerns_api.reopen_concern",),
    ("concerns.reopen", "POST"): ("concerns_api.reopen_concern",),
    ("concerns.delete", "GET"): ("concerns_api.delete_concern",),
    ("concerns.delete", "POST"): ("concerns_api.delete_concern",),
    ("concerns.legal_hold", "GET"): ("concerns_api.legal_hold",),
    ("concerns.legal_hold", "POST"): ("concerns_api.legal_hold",),
    ("concerns.level_of_need", "GET"): (
        "concerns_api.set_level_of_need",
        "levels_of_need_api.list_levels_of_need",
    ),
    ("concerns.level_of_need", "POST"): ("concerns_api.set_level_of_need",),
    ("concerns.team", "GET"): (
        "concerns_api.set_team",
        "teams_api.list_teams",
        "areas_api.list_areas",
    ),
    ("concerns.team", "POST"): ("concerns_api.set_team",),
    ("concerns.add_alleged", "GET"): ("alleged_api.add_alleged",),
    ("concerns.add_alleged", "POST"): ("alleged_api.add_alleged",),
    ("concerns.change_alleged", "GET"): ("alleged_api.get_alleged",),
    ("concerns.change_alleged", "POST"): ("alleged_api.update_alleged",),
    ("concerns.remove_alleged", "GET"): ("alleged_api.get_alleged",),
    ("concerns.remove_alleged", "POST"): ("alleged_api.remove_alleged",),
    ("trust.new_referral", "GET"): ("alleged_api.get_alleged",),
    ("trust.new_referral", "POST"): ("trust_api.make_referral",),
    ("trust.show", "GET"): ("trust_api.get_referral",),
    ("trust.add_action", "GET"): ("trust_api.get_referral",),
    ("trust.add_action", "POST"): ("trust_api.add_action",),
    ("trust.outcome", "GET"): ("trust_api.get_referral",),
    ("trust.outcome", "POST"): ("trust_api.record_outcome",),
    ("people.add_relationship", "GET"): ("people_api.add_relationship",),
    ("people.add_relationship", "POST"): ("people_api.add_relationship",),
    ("people.end_relationship", "GET"): ("people_api.list_relationships",),
    ("people.end_relationship", "POST"): ("people_api.end_relationship",),
    ("concerns.hate_crime", "GET"): ("concerns_api.set_hate_crime",),
    ("concerns.hate_crime", "POST"): ("concerns_api.set_hate_crime",),
    ("concerns.supervise", "GET"): ("oversight_api.add_supervision",),
    ("concerns.supervise", "POST"): ("oversight_api.add_supervision",),
    ("concerns.start_assessment", "GET"): ("concerns_api.start_assessment",),
    ("concerns.start_assessment", "POST"): ("concerns_api.start_assessment",),
    ("concerns.conclude_assessment", "GET"): ("concerns_api.conclude_assessment",),
    ("concerns.conclude_assessment", "POST"): ("concerns_api.conclude_assessment",),

    # --- People and establishments ----------------------------------------------------------
    ("people.index", "GET"): ("people_api.search_people",),
    ("people.new", "GET"): ("people_api.create_person",),
    ("people.new", "POST"): ("people_api.create_person",),
    ("people.show", "GET"): (
        "people_api.get_person", "concerns_api.list_concerns", "people_api.list_relationships",
    ),
    ("people.edit", "GET"): ("people_api.get_person",),
    ("people.edit", "POST"): ("people_api.update_person",),
    ("people.merge", "GET"): ("people_api.merge_person",),
    ("people.merge", "POST"): ("people_api.merge_person",),
    ("establishments.index", "GET"): ("establishments_api.list_establishments",),
    ("establishments.new", "GET"): ("establishments_api.create_establishment",),
    ("establishments.new", "POST"): ("establishments_api.create_establishment",),
    ("establishments.show", "GET"): (
        "establishments_api.get_establishment", "concerns_api.list_concerns",
    ),
    ("establishments.edit", "GET"): ("establishments_api.get_establishment",),
    ("establishments.edit", "POST"): ("establishments_api.update_establishment",),
    ("establishments.propose", "GET"): ("establishments_api.propose_establishment",),
    ("establishments.propose", "POST"): ("establishments_api.propose_establishment",),
    ("establishments.confirm", "POST"): ("establishments_api.confirm_establishment",),
    ("establishments.decline", "POST"): ("establishments_api.decline_establishment",),

    # --- Meetings and the agency portal -----------------------------------------------------
    ("meetings.index", "GET"): ("meetings_api.list_meetings",),
    ("meetings.work_list", "GET"): ("meetings_work_api.get_work_list",),
    ("meetings.new", "GET"): (
        "meetings_api.get_proposal", "meeting_types_api.list_meeting_types",
    ),
    ("meetings.new", "POST"): ("meetings_api.create_meeting",),
    ("meetings.show", "GET"): ("meetings_api.get_meeting",),
    ("meetings.invite", "POST"): ("meetings_api.add_invitation",),
    ("meetings.uninvite", "POST"): ("meetings_api.remove_invitation",),
    ("meetings.name_invitee", "POST"): ("meetings_api.update_invitation",),
    ("meetings.reschedule", "GET"): ("meetings_api.update_meeting",),
    ("meetings.reschedule", "POST"): ("meetings_api.update_meeting",),
    ("meetings.cancel", "GET"): ("meetings_api.cancel_meeting",),
    ("meetings.cancel", "POST"): ("meetings_api.cancel_meeting",),
    ("meetings.record", "GET"): ("meetings_api.record_held",),
    ("meetings.record", "POST"): ("meetings_api.record_held",),
    ("meetings.letter", "POST"): ("meetings_work_api.record_letter",),
    ("meetings.action_status", "POST"): ("meetings_api.update_action",),
    ("meetings.report_file", "GET"): ("meetings_work_api.get_report_file",),
    # the meetings the agency is invited to, each with its own invitation
    ("portal.index", "GET"): ("meetings_api.list_meetings",),
    ("portal.invitation", "GET"): ("meetings_api.get_invitation",),
    ("portal.invitation", "POST"): (
        "meetings_api.update_invitation",
        "meetings_work_api.submit_report",
    ),

    # --- Plans ------------------------------------------------------------------------------
    ("plans.index", "GET"): ("plans_api.list_plans",),
    # the list filtered to needs_attention=true
    ("plans.attention", "GET"): ("plans_api.list_plans",),
    ("plans.portal_actions", "GET"): (
        "plan_report_api.list_own_actions",
        "meetings_work_api.list_own_actions",
    ),
    ("plans.report_page", "GET"): ("plan_report_api.get_report",),
    ("plans.report_csv", "GET"): ("plan_report_api.get_report",),
    ("plans.new", "GET"): ("plans_api.create_plan",),
    ("plans.new", "POST"): ("plans_api.create_plan",),
    ("plans.show", "GET"): ("plans_api.get_plan", "plans_api.list_reviews"),
    ("plans.category", "GET"): ("plans_api.update_plan",),
    ("plans.category", "POST"): ("plans_api.update_plan",),
    ("plans.add_action", "GET"): ("plans_api.add_action",),
    ("plans.add_action", "POST"): ("plans_api.add_action",),
    ("plans.action", "GET"): ("plans_api.get_action",),
    ("plans.action", "POST"): ("plans_api.update_action",),
    ("plans.review", "GET"): ("plans_api.add_review",),
    ("plans.review", "POST"): ("plans_api.add_review",),
    ("plans.end", "GET"): ("plans_api.end_plan",),
    ("plans.end", "POST"): ("plans_api.end_plan",),

    # --- Agency forms and the plugins' reports -----------------------------------------------
    ("agency_forms.index", "GET"): ("forms_api.list_forms", "forms_api.list_submissions"),
    ("agency_forms.show", "GET"): (
        "forms_api.get_submission",
        "forms_api.list_versions",
        "forms_api.list_shares",
    ),
    ("agency_forms.new", "GET"): ("forms_api.get_form",),
    ("agency_forms.withdraw", "POST"): ("forms_api.withdraw_share",),
    ("reports.index", "GET"): ("reports_api.list_reports",),
    ("reports.show", "GET"): ("reports_api.get_report",),
    ("reports.export_csv", "GET"): ("reports_api.get_report",),
    ("agency_forms.new", "POST"): ("forms_api.create_submission",),
    ("agency_forms.edit", "GET"): ("forms_api.get_submission",),
    ("agency_forms.edit", "POST"): ("forms_api.update_submission",),
    ("agency_forms.share", "POST"): ("forms_api.share_submission",),
    # --- Hospital discharges -------------------------------------------------------------
    ("discharges.index", "GET"): ("discharges_api.list_discharges",),
    ("discharges.new", "GET"): ("discharges_api.notify_discharge",),
    ("discharges.new", "POST"): ("discharges_api.notify_discharge",),
    ("discharges.show", "GET"): ("discharges_api.get_discharge",),
    ("discharges.follow_up", "GET"): ("discharges_api.get_discharge",),
    ("discharges.follow_up", "POST"): ("discharges_api.follow_up",),
    ("discharges.monitoring", "GET"): ("discharges_api.get_monitoring",),

    # --- Case file audits -------------------------------------------------------------------
    ("casefile.index", "GET"): ("casefile_api.list_audits",),
    ("casefile.new", "GET"): ("casefile_api.create_audit",),
    ("casefile.new", "POST"): ("casefile_api.create_audit",),
    ("casefile.show", "GET"): ("casefile_api.get_audit",),
    ("casefile.assign", "POST"): ("casefile_api.assign_case",),
    ("casefile.close", "POST"): ("casefile_api.close_audit",),
    ("casefile.review", "GET"): ("casefile_api.get_audit",),
    ("casefile.review", "POST"): ("casefile_api.record_findings",),
    ("casefile.report_page", "GET"): ("casefile_api.get_report",),
    # the CSV's rows as JSON
    ("casefile.report_csv", "GET"): ("casefile_api.get_report",),
    # the same findings; the PDF is their printable form
    ("casefile.report_pdf", "GET"): ("casefile_api.get_report",),

    # --- Attendance audits and the board's actions ------------------------------------------
    ("attendance_audits.index", "GET"): ("attendance_audits_api.list_audits",),
    ("attendance_audits.new", "GET"): ("attendance_audits_api.run_audit",),
    ("attendance_audits.new", "POST"): ("attendance_audits_api.run_audit",),
    ("attendance_audits.show", "GET"): ("attendance_audits_api.get_audit",),
    # the CSV's rows as JSON (and the CSV itself with Accept: text/csv)
    ("attendance_audits.download_csv", "GET"): ("attendance_audits_api.get_audit",),
    ("attendance_audits.download_pdf", "GET"): ("attendance_audits_api.get_board_pack",),
    ("attendance_audits.new_action", "GET"): ("attendance_audits_api.add_action",),
    ("attendance_audits.new_action", "POST"): ("attendance_audits_api.add_action",),
    ("attendance_audits.action", "GET"): ("attendance_audits_api.get_action",),
    ("attendance_audits.action", "POST"): ("attendance_audits_api.update_action",),

    # --- National returns -------------------------------------------------------------------
    ("returns.sac_page", "GET"): ("returns_api.get_sac",),
    # one table of the collection, as a page, a CSV or in the workbook: every table with
    # its rows is in the collection's JSON
    ("returns.sac_table", "GET"): ("returns_api.get_sac",),
    ("returns.sac_table_csv", "GET"): ("returns_api.get_sac",),
    ("returns.sac_workbook", "GET"): ("returns_api.get_sac",),
    ("returns.children_page", "GET"): ("returns_api.get_children",),
    ("returns.dashboard", "GET"): ("dashboard_api.get_dashboard",),
    ("returns.hate_crime", "GET"): ("returns_api.get_hate_crime",),
    ("returns.positions_of_trust", "GET"): ("returns_api.get_positions_of_trust",),
    ("returns.repeats", "GET"): ("returns_api.get_repeats",),
    ("returns.repeats_file", "GET"): ("returns_api.get_repeats",),
    ("returns.cin_census_page", "GET"): ("returns_api.get_cin_census",),
    ("returns.cin_census_file", "GET"): ("returns_api.get_cin_census_file",),

    # --- Staff training records and the quarterly training return ---------------------------
    ("training.index", "GET"): ("training_api.list_records",),
    ("training.new", "GET"): ("training_api.create_record",),
    ("training.new", "POST"): ("training_api.create_record",),
    ("training.edit", "GET"): ("training_api.get_record",),
    ("training.edit", "POST"): ("training_api.update_record",),
    ("training.delete", "POST"): ("training_api.delete_record",),
    ("training.upload", "GET"): ("training_api.import_records",),
    ("training.upload", "POST"): ("training_api.import_records",),
    # the file to fill in: its columns are the import's (documented on the operation)
    ("training.template_csv", "GET"): ("training_api.import_records",),
    ("training.quarterly", "GET"): ("training_api.get_return",),
    # --- Tasks between teams ----------------------------------------------------------------
    ("tasks.index", "GET"): ("tasks_api.list_tasks",),
    # the form offers the teams, agencies and people the case allows
    ("tasks.new", "GET"): ("case_tasks_api.set_task", "case_tasks_api.list_assignees"),
    ("tasks.new", "POST"): ("case_tasks_api.set_task",),
    ("tasks.show", "GET"): ("tasks_api.get_task",),
    ("tasks.complete", "POST"): ("tasks_api.complete_task",),
    ("tasks.cancel", "POST"): ("tasks_api.cancel_task",),
    ("tasks.reassign", "GET"): ("tasks_api.reassign_task", "case_tasks_api.list_assignees"),
    ("tasks.reassign", "POST"): ("tasks_api.reassign_task",),
    # --- Contact follow-ups -----------------------------------------------------------------
    # a case's and a person's chronology, its exports and an entry written by hand
    ("chronology.case", "GET"): ("chronology_api.get_case_chronology",),
    ("chronology.case_csv", "GET"): ("chronology_api.get_case_chronology_csv",),
    ("chronology.case_pdf", "GET"): ("chronology_api.get_case_chronology_pdf",),
    ("chronology.new_entry", "GET"): ("chronology_api.add_chronology_entry",),
    ("chronology.new_entry", "POST"): ("chronology_api.add_chronology_entry",),
    ("chronology.person", "GET"): ("chronology_api.get_person_chronology",),
    ("chronology.person_csv", "GET"): ("chronology_api.get_person_chronology_csv",),
    ("chronology.person_pdf", "GET"): ("chronology_api.get_person_chronology_pdf",),
    ("follow_ups.index", "GET"): ("follow_ups_api.list_follow_ups",),
    ("follow_ups.show", "GET"): ("follow_ups_api.get_follow_up",),
    ("follow_ups.show", "POST"): ("follow_ups_api.record_outcome",),
    ("follow_ups.letter", "GET"): ("follow_ups_api.get_letter",),
    ("follow_ups.report", "GET"): ("follow_ups_api.get_report",),
    # --- Subject access requests ------------------------------------------------------------
    ("subject_access.index", "GET"): ("subject_access_api.list_requests",),
    ("subject_access.new", "GET"): ("subject_access_api.create_request", "people_api.get_person"),
    ("subject_access.new", "POST"): ("subject_access_api.create_request",),
    ("subject_access.show", "GET"): ("subject_access_api.get_request",),
    ("subject_access.produce", "POST"): ("subject_access_api.produce",),
    ("subject_access.sent", "POST"): ("subject_access_api.mark_sent",),
    ("subject_access.export_pdf_file", "GET"): ("subject_access_api.get_export_pdf",),
    ("subject_access.export_json_file", "GET"): ("subject_access_api.get_export_json",),
    # --- Complaints and compliments ---------------------------------------------------------
    ("complaints.index", "GET"): ("complaints_api.list_entries",),
    ("complaints.new", "GET"): ("complaints_api.create_entry",),
    ("complaints.new", "POST"): ("complaints_api.create_entry",),
    ("complaints.show", "GET"): ("complaints_api.get_entry",),
    ("complaints.acknowledge", "POST"): ("complaints_api.acknowledge",),
    ("complaints.answer", "POST"): ("complaints_api.answer",),
    ("complaints.extend", "POST"): ("complaints_api.extend",),
    ("complaints.escalate", "POST"): ("complaints_api.escalate",),
    ("complaints.ombudsman", "POST"): ("complaints_api.refer_to_ombudsman",),
    ("complaints.report", "GET"): ("complaints_api.get_report",),
}

EXEMPT: dict[tuple[str, str], str] = {
    # signing in and out: a partner system signs in with a bearer token instead
    ("auth.sign_in", "GET"): "sign-in with email and password",
    ("auth.sign_in", "POST"): "sign-in with email and password",
    ("auth.second_factor", "GET"): "sign-in: the two-factor code step",
    ("auth.second_factor", "POST"): "sign-in: the two-factor code step",
    ("auth.sign_out", "POST"): "sign-out ends the browser's session; a token is revoked",
    # password reset by an emailed link: for people who cannot sign in at all
    ("auth.forgotten_password", "GET"): "password reset by emailed link",
    ("auth.forgotten_password", "POST"): "password reset by emailed link",
    ("auth.reset_password", "GET"): "password reset by emailed link",
    ("auth.reset_password", "POST"): "password reset by emailed link",
    # two-factor set-up: scanning a secret into an authenticator is done by a person
    ("account.two_factor", "GET"): "two-factor set-up with an authenticator",
    ("account.two_factor", "POST"): "two-factor set-up with an authenticator",
    # API tokens are made and revoked where the user signed in with their password and
    # second factor: a bearer token never makes or lists credentials (an administrator
    # revokes another's token through the API: users_api.revoke_token)
    ("account.account", "POST"): "making an API token",
    ("account.revoke_own_token", "POST"): "revoking one's own API token",
    # pages without records
    ("home.api_docs", "GET"): "help: the OpenAPI document as a page (GET /api/v1/openapi.json)",
    ("home.health", "GET"): "the load balancer's health check",
    ("home.plugins", "GET"): "the installed plugins: the deployment, not records",
    ("returns.index", "GET"): "navigation: links to the returns",
}

# fmt: on


def page_routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and not rule.rule.startswith("/api/")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def api_endpoints(app: Flask) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}


def test_every_page_route_has_an_api_operation_or_a_reason(app: Flask) -> None:
    pages = page_routes(app)
    listed = set(PAGE_TO_API) | set(EXEMPT)
    missing = sorted(pages - listed)
    assert not missing, f"page routes with no API operation and no exemption: {missing}"
    stale = sorted(listed - pages)
    assert not stale, f"entries for no page route: {stale}"


def test_the_tables_do_not_overlap(app: Flask) -> None:
    assert not set(PAGE_TO_API) & set(EXEMPT)


def test_every_mapped_api_operation_exists(app: Flask) -> None:
    known = api_endpoints(app)
    unknown = sorted(
        (page, operation)
        for page, operations in PAGE_TO_API.items()
        for operation in operations
        if operation not in known
    )
    assert not unknown, f"mappings naming no API operation: {unknown}"


@pytest.mark.parametrize("reason", sorted(set(EXEMPT.values())))
def test_every_exemption_says_why(reason: str) -> None:
    assert len(reason.split()) >= 2, reason
