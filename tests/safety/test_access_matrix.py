"""The access matrix: every route and API operation, every role, every state of the record
it names, and the answer each gets.

Read a row as: the route, the path walked (with the records of tests/safety/matrix.py in
its placeholders) and the body sent, then one answer per column:

    anonymous, administrator, officer, manager, partner (an agency practitioner),
    board member, auditor

A plain answer holds whatever the record; a tuple gives it per state of the record:
(involved, not_involved, missing) for case records, where "involved" is a case the
practitioner's agency works on (for the auditor: a case assigned to them) and
"not_involved" one it does not; (exists, missing) for records of no case.

- SIGN_IN: a page sends a signed-out visitor to sign in; the API answers 401.
- 403: the role may not use the route at all. 404: the record is out of the user's reach
  or does not exist, which look the same; a role that may see no record of a case area
  (concerns, people, meetings, plans) and a board member get 404 from any route naming
  a record.
- Writes change nothing. Pages get the CSRF token alone: an allowed role gets FORM (the
  form again with its errors, 200) or MOVED (the page's redirect with an error message).
  The API gets a well-formed body the operation must still refuse (If-Match left out:
  428; a decision already made, a meeting already held, an agency that does not exist:
  422), so the record is looked up, and out of reach answers 404, before any change.
  The few routes that act on nothing but the CSRF token (acts=True) are walked last.

Every answer is walked, with real sign-ins and bearer tokens: refusals first (each must
reach the access log, and together they must change no table), then the allowed
requests (no table may change either), then those that act. A role the route's own
permission turns away is asked about the record that exists and the one that does not,
not about a second record that exists: the policy answers before any record is read.

A route without a row, or a row without a route, fails the suite: add the row with the
answers the design calls for.

Inside a case, what a practitioner gets at each involvement level of its agency is the
level matrix of tests/safety/test_involvement_levels.py.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from core import create_app
from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import ApiClient
from tests.safety.matrix import (
    BEFORE_MEETINGS,
    FOLLOW_UP,
    HOSPITAL_DISCHARGE,
    INVESTIGATION,
    MISSING_ID,
    NHS_EMAIL,
    NOW,
    REPORT_TEXT,
    ROLES,
    SETTINGS,
    SIGN_IN,
    Answer,
    Cell,
    DeniedCounter,
    Fresh,
    Request,
    Row,
    World,
    answer,
    build_world,
    changed_tables,
    fresh_share,
    fresh_standard_entry,
    fresh_training_record,
    path_for,
    requests_of,
    sign_in,
    snapshot,
    turned_away,
)
from tests.support.clock import Clock, holding
from tests.support.database import base_config, fresh_database
from tests.support.pages import bad_answers, error_problems, post_forms
from tests.support.templates import COMPILED_TEMPLATES

OK = 200
FORM = 200  # the form again, with the errors: nothing saved
MOVED = 302  # the page's own redirect (with an error message where a write was refused)
M = MISSING_ID


def both(answer: Answer) -> Cell:
    """``answer`` for a case record whoever works on it; 404 for no record."""
    return (answer, answer, 404)


def own(answer: Answer) -> Cell:
    """``answer`` where the user's agency is involved; 404 for any other record."""
    return (answer, 404, 404)


def exists(answer: Answer) -> Cell:
    """``answer`` for a record of no case that exists; 404 for one that does not."""
    return (answer, 404)


def page(path: str, *answers: Cell, acts: bool = False, fresh: Fresh | None = None) -> Row:
    assert len(answers) == len(ROLES), path
    return Row(path, answers, acts=acts, fresh=fresh)


def api(
    path: str, *answers: Cell, json: Any = None, acts: bool = False, fresh: Fresh | None = None
) -> Row:
    assert len(answers) == len(ROLES), path
    return Row(path, answers, body=json, acts=acts, fresh=fresh)


# fmt: off
MATRIX: dict[tuple[str, str], Row | tuple[Row, ...]] = {
    # (route, method): page or api(path, then one answer per column, body or acts)

    # --- Home, account, signing in ----------------------------------------------------------
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("home.index", "GET"): page("/",
        SIGN_IN,   OK,        OK,        OK,        OK,        OK,        OK),
    ("home.api_docs", "GET"): page("/api-docs",
        SIGN_IN,   OK,        OK,        OK,        OK,        OK,        OK),
    ("home.health", "GET"): page("/healthz",
        OK,        OK,        OK,        OK,        OK,        OK,        OK),
    ("home.plugins", "GET"): page("/plugins",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("home.clocks", "GET"): page("/admin/clocks",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("clocks_api.get_clocks", "GET"): api("/api/v1/clocks/",
        401,       OK,        403,       403,       403,       403,       403),
    ("account.account", "GET"): page("/account/",
        SIGN_IN,   OK,        OK,        OK,        OK,        OK,        OK),
    ("account.account", "POST"): page("/account/",
        SIGN_IN,   FORM,      FORM,      FORM,      FORM,      FORM,      FORM),
    # own token: the user's own; not_involved: another user's
    ("account.revoke_own_token", "POST"): page("/account/tokens/{own_token}/revoke",
        SIGN_IN,   own(MOVED), own(MOVED), own(MOVED), own(MOVED), own(MOVED), own(MOVED),
        acts=True),
    ("account.change_password", "GET"): page("/account/password",
        SIGN_IN,   OK,        OK,        OK,        OK,        OK,        OK),
    ("account.change_password", "POST"): page("/account/password",
        SIGN_IN,   FORM,      FORM,      FORM,      FORM,      FORM,      FORM),
    # opening the page starts setting up a second factor for those without one
    ("account.two_factor", "GET"): page("/account/two-factor",
        SIGN_IN,   OK,        OK,        OK,        OK,        OK,        OK,        acts=True),
    # an administrator and a board member have two-factor sign-in on already
    ("account.two_factor", "POST"): page("/account/two-factor",
        SIGN_IN,   MOVED,     FORM,      FORM,      FORM,      MOVED,     FORM,      acts=True),
    ("auth.sign_in", "GET"): page("/sign-in",
        OK,        MOVED,     MOVED,     MOVED,     MOVED,     MOVED,     MOVED),
    ("auth.sign_in", "POST"): page("/sign-in",
        FORM,      MOVED,     MOVED,     MOVED,     MOVED,     MOVED,     MOVED),
    ("auth.second_factor", "GET"): page("/sign-in/code",
        MOVED,     MOVED,     MOVED,     MOVED,     MOVED,     MOVED,     MOVED),
    ("auth.second_factor", "POST"): page("/sign-in/code",
        MOVED,     MOVED,     MOVED,     MOVED,     MOVED,     MOVED,     MOVED),
    ("auth.sign_out", "POST"): page("/sign-out",
        SIGN_IN,   MOVED,     MOVED,     MOVED,     MOVED,     MOVED,     MOVED,     acts=True),
    ("auth.forgotten_password", "GET"): page("/password/forgotten",
        OK,        OK,        OK,        OK,        OK,        OK,        OK),
    ("auth.forgotten_password", "POST"): page("/password/forgotten",
        FORM,      FORM,      FORM,      FORM,      FORM,      FORM,      FORM),
    ("auth.reset_password", "GET"): page("/password/reset/{reset_token}",
        exists(OK), exists(OK), exists(OK), exists(OK), exists(OK), exists(OK), exists(OK)),
    ("auth.reset_password", "POST"): page("/password/reset/{reset_token}",
        exists(FORM), exists(FORM), exists(FORM), exists(FORM), exists(FORM), exists(FORM),
        exists(FORM)),
    ("api-docs.openapi_json", "GET"): api("/api/v1/openapi.json",
        OK,        OK,        OK,        OK,        OK,        OK,        OK),
    ("me_api.get_me", "GET"): api("/api/v1/me",
        401,       OK,        OK,        OK,        OK,        OK,        OK),
    ("work_api.get_work", "GET"): api("/api/v1/me/work",
        401,       OK,        OK,        OK,        OK,        OK,        OK),
    ("me_api.update_me", "PATCH"): api("/api/v1/me",
        401,       428,       428,       428,       428,       428,       428),
    ("me_api.change_password", "POST"): api("/api/v1/me/password",
        401,       422,       422,       422,       422,       422,       422),

    # --- Administration ---------------------------------------------------------------------
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("access_log.index", "GET"): page("/admin/access-log/",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("agencies.index", "GET"): page("/admin/agencies/",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("agencies.new", "GET"): page("/admin/agencies/new",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("agencies.new", "POST"): page("/admin/agencies/new",
        SIGN_IN,   FORM,      403,       403,       403,       403,       403),
    ("agencies.edit", "GET"): page("/admin/agencies/{agency}",
        SIGN_IN,   exists(OK), 403,      403,       403,       404,       403),
    ("agencies.edit", "POST"): page("/admin/agencies/{agency}",
        SIGN_IN,   exists(FORM), 403,    403,       403,       404,       403),
    ("teams.index", "GET"): page("/admin/teams/",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("teams.new", "GET"): page("/admin/teams/new",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("teams.new", "POST"): page("/admin/teams/new",
        SIGN_IN,   FORM,      403,       403,       403,       403,       403),
    ("teams.edit", "GET"): page("/admin/teams/{team}",
        SIGN_IN,   exists(OK), 403,      403,       403,       404,       403),
    ("teams.edit", "POST"): page("/admin/teams/{team}",
        SIGN_IN,   exists(FORM), 403,    403,       403,       404,       403),
    ("areas.index", "GET"): page("/admin/areas/",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("areas.new", "GET"): page("/admin/areas/new",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("areas.new", "POST"): page("/admin/areas/new",
        SIGN_IN,   FORM,      403,       403,       403,       403,       403),
    ("areas.edit", "GET"): page("/admin/areas/{locality}",
        SIGN_IN,   exists(OK), 403,      403,       403,       404,       403),
    ("areas.edit", "POST"): page("/admin/areas/{locality}",
        SIGN_IN,   exists(FORM), 403,    403,       403,       404,       403),
    ("councils.index", "GET"): page("/admin/councils/",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("councils.new", "GET"): page("/admin/councils/new",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("councils.new", "POST"): page("/admin/councils/new",
        SIGN_IN,   FORM,      403,       403,       403,       403,       403),
    ("councils.edit", "GET"): page("/admin/councils/{council}",
        SIGN_IN,   exists(OK), 403,      403,       403,       404,       403),
    ("councils.edit", "POST"): page("/admin/councils/{council}",
        SIGN_IN,   exists(FORM), 403,    403,       403,       404,       403),
    ("users.index", "GET"): page("/admin/users/",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("users.new", "GET"): page("/admin/users/new",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("users.new", "POST"): page("/admin/users/new",
        SIGN_IN,   FORM,      403,       403,       403,       403,       403),
    ("users.edit", "GET"): page("/admin/users/{user}",
        SIGN_IN,   exists(OK), 403,      403,       403,       404,       403),
    ("users.edit", "POST"): page("/admin/users/{user}",
        SIGN_IN,   exists(FORM), 403,    403,       403,       404,       403),
    ("users.end_sessions", "POST"): page("/admin/users/{user}/end-sessions",
        SIGN_IN,   exists(MOVED), 403,   403,       403,       404,       403),
    ("users.reset_two_factor", "POST"): page("/admin/users/{user}/reset-two-factor",
        SIGN_IN,   exists(MOVED), 403,   403,       403,       404,       403),
    ("users.revoke_user_token", "POST"): page("/admin/users/{user}/tokens/{user_token}/revoke",
        SIGN_IN,   exists(MOVED), 403,   403,       403,       404,       403,       acts=True),
    ("outbox.index", "GET"): page("/admin/outbox/",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("outbox.show", "GET"): page("/admin/outbox/{message}",
        SIGN_IN,   exists(OK), 403,      403,       403,       404,       403),
    ("outbox.retry", "POST"): page("/admin/outbox/{message}/retry",
        SIGN_IN,   exists(MOVED), 403,   403,       403,       404,       403),
    ("outbox.send", "POST"): page("/admin/outbox/send",
        SIGN_IN,   MOVED,     403,       403,       403,       403,       403),
    ("meetings.standard_lists", "GET"): page("/meetings/standard-lists",
        SIGN_IN,   OK,        403,       403,       403,       403,       403),
    ("meetings.standard_lists", "POST"): page("/meetings/standard-lists",
        SIGN_IN,   FORM,      403,       403,       403,       403,       403),
    ("meetings.remove_standard", "POST"): page("/meetings/standard-lists/{standard_entry}/remove",
        SIGN_IN,   exists(MOVED), 403,   403,       403,       404,       404,       acts=True),
    ("agencies_api.list_agencies", "GET"): api("/api/v1/agencies/",
        401,       OK,        OK,        OK,        OK,        OK,        OK),
    # the agency pickers' search: every signed-in user, as for the list (the page's route
    # answers the page's script, signed in by the session the API ignores)
    ("agencies_api.search_agencies", "GET"): api("/api/v1/agencies/search?q=shire",
        401,       OK,        OK,        OK,        OK,        OK,        OK),
    ("agency_search.search", "GET"): page("/agencies/search?q=shire",
        SIGN_IN,   OK,        OK,        OK,        OK,        OK,        OK),
    ("agencies_api.create_agency", "POST"): api("/api/v1/agencies/",
        401,       422,       403,       403,       403,       403,       403),
    ("agencies_api.get_agency", "GET"): api("/api/v1/agencies/{agency}",
        401,       exists(OK), exists(OK), exists(OK), exists(OK), exists(OK), exists(OK)),
    ("agencies_api.update_agency", "PATCH"): api("/api/v1/agencies/{agency}",
        401,       exists(428), 403,     403,       403,       404,       403),
    ("agency_types_api.list_agency_types", "GET"): api("/api/v1/agency-types/",
        401,       OK,        OK,        OK,        OK,        OK,        OK),
    ("teams_api.list_teams", "GET"): api("/api/v1/teams/",
        401,       OK,        OK,        OK,        OK,        OK,        OK),
    # a team needs its name
    ("teams_api.create_team", "POST"): api("/api/v1/teams/",
        401,       422,       403,       403,       403,       403,       403),
    ("teams_api.get_team", "GET"): api("/api/v1/teams/{team}",
        401,       exists(OK), exists(OK), exists(OK), exists(OK), exists(OK), exists(OK)),
    ("teams_api.update_team", "PATCH"): api("/api/v1/teams/{team}",
        401,       exists(428), 403,     403,       403,       404,       403),
    ("areas_api.list_areas", "GET"): api("/api/v1/areas/",
        401,       OK,        OK,        OK,        OK,        OK,        OK),
    ("areas_api.create_area", "POST"): api("/api/v1/areas/",
        401,       422,       403,       403,       403,       403,       403),
    ("areas_api.get_area", "GET"): api("/api/v1/areas/{locality}",
        401,       exists(OK), exists(OK), exists(OK), exists(OK), exists(OK), exists(OK)),
    ("areas_api.update_area", "PATCH"): api("/api/v1/areas/{locality}",
        401,       exists(428), 403,     403,       403,       404,       403),
    ("councils_api.list_councils", "GET"): api("/api/v1/councils/",
        401,       OK,        OK,        OK,        OK,        OK,        OK),
    ("councils_api.create_council", "POST"): api("/api/v1/councils/",
        401,       422,       403,       403,       403,       403,       403),
    ("councils_api.get_council", "GET"): api("/api/v1/councils/{council}",
        401,       exists(OK), exists(OK), exists(OK), exists(OK), exists(OK), exists(OK)),
    ("councils_api.update_council", "PATCH"): api("/api/v1/councils/{council}",
        401,       exists(428), 403,     403,       403,       404,       403),
    ("users_api.list_users", "GET"): api("/api/v1/users/",
        401,       OK,        403,       403,       403,       403,       403),
    ("users_api.create_user", "POST"): api("/api/v1/users/",
        401,       422,       403,       403,       403,       403,       403),
    ("users_api.get_user", "GET"): api("/api/v1/users/{user}",
        401,       exists(OK), 403,      403,       403,       404,       403),
    ("users_api.update_user", "PATCH"): api("/api/v1/users/{user}",
        401,       exists(428), 403,     403,       403,       404,       403),
    ("access_log_api.list_entries", "GET"): api("/api/v1/access-log/",
        401,       OK,        403,       403,       403,       403,       403),
    ("outbox_api.list_messages", "GET"): api("/api/v1/outbox/?status=failed",
        401,       OK,        403,       403,       403,       403,       403),
    ("outbox_api.get_message", "GET"): api("/api/v1/outbox/{message}",
        401,       exists(OK), 403,      403,       403,       404,       403),
    # the message has not failed
    ("outbox_api.retry_message", "POST"): api("/api/v1/outbox/{message}/retry",
        401,       exists(422), 403,     403,       403,       404,       403),
    # no mail server is configured
    ("outbox_api.send_pending", "POST"): api("/api/v1/outbox/send",
        401,       503,       403,       403,       403,       403,       403),
    ("standard_lists_api.list_entries", "GET"): api("/api/v1/standard-lists/",
        401,       OK,        403,       403,       403,       403,       403),
    ("standard_lists_api.add_entry", "POST"): api("/api/v1/standard-lists/",
        401,       422,       403,       403,       403,       403,       403,
        json={"meeting_type": "no_such_meeting", "agency_type": "housing", "reason": "Matrix"}),
    ("standard_lists_api.remove_entry", "DELETE"): api("/api/v1/standard-lists/{standard_entry}",
        401,       exists(204), 403,     403,       403,       404,       404,
        acts=True, fresh=fresh_standard_entry),
    ("users_api.list_tokens", "GET"): api("/api/v1/users/{user}/tokens",
        401,       exists(OK), 403,      403,       403,       404,       403),
    ("users_api.revoke_token", "DELETE"): api("/api/v1/users/{user}/tokens/{user_token}",
        401,       exists(204), 403,     403,       403,       404,       403,       acts=True),
    ("users_api.end_sessions", "DELETE"): api("/api/v1/users/{user}/sessions",
        401,       exists(OK), 403,      403,       403,       404,       403,       acts=True),
    ("users_api.reset_two_factor", "DELETE"): api("/api/v1/users/{user}/two-factor",
        401,       exists(204), 403,     403,       403,       404,       403,       acts=True),

    # --- Concerns ---------------------------------------------------------------------------
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("concerns.index", "GET"): page("/concerns/",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       OK),
    ("concerns.new", "GET"): page("/concerns/new",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    ("concerns.new", "POST"): page("/concerns/new",
        SIGN_IN,   403,       FORM,      FORM,      FORM,      403,       403),
    # partners export what they may see: their cases only (tested below)
    ("concerns.export_csv", "GET"): page("/concerns/export.csv",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    ("concerns.clusters", "GET"): page("/concerns/clusters",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    ("concerns.handover", "GET"): page("/concerns/handover",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    ("concerns.handover", "POST"): page("/concerns/handover",
        SIGN_IN,   403,       MOVED,     MOVED,     403,       403,       403,       acts=True),
    ("concerns.oversight", "GET"): page("/concerns/oversight",
        SIGN_IN,   403,       403,       OK,        403,       403,       403),
    ("concerns.sign_offs", "GET"): page("/concerns/sign-off",
        SIGN_IN,   403,       403,       MOVED,     403,       403,       403),
    ("concerns.show", "GET"): page("/concerns/{concern}",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("concerns.body_map", "GET"): page("/concerns/{concern}/body-map",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       403),
    ("concerns.body_map", "POST"): page("/concerns/{concern}/body-map",
        SIGN_IN,   404,       both(FORM), both(FORM), own(FORM), 404,     403),
    ("concerns.decide", "GET"): page("/concerns/{concern}/decision",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("concerns.decide", "POST"): page("/concerns/{concern}/decision",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       403),
    # no decision is waiting: back to the case
    ("concerns.sign_off", "GET"): page("/concerns/{concern}/decision/sign-off",
        SIGN_IN,   404,       403,       both(MOVED), 403,     404,       403),
    ("concerns.sign_off", "POST"): page("/concerns/{concern}/decision/sign-off",
        SIGN_IN,   404,       403,       both(MOVED), 403,     404,       403),
    ("concerns.involve", "GET"): page("/concerns/{concern}/involve",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("concerns.involve", "POST"): page("/concerns/{concern}/involve",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       403),
    ("concerns.remove_involvement", "POST"): page(
        "/concerns/{concern}/involvements/{removed_involvement}/remove",
        SIGN_IN,   404,       both(MOVED), both(MOVED), 403,   404,       403),
    # the involvement has ended: back to the case with the message
    ("concerns.involvement_level", "POST"): page(
        "/concerns/{concern}/involvements/{removed_involvement}/level",
        SIGN_IN,   404,       both(MOVED), both(MOVED), 403,   404,       403),
    # partners write notes on the cases their agency is involved in at full level
    ("concerns.add_note", "POST"): page("/concerns/{concern}/notes",
        SIGN_IN,   404,       both(MOVED), both(MOVED), own(MOVED), 404,   403),
    # the chronology: whoever may see the case, each event as their involvement shows it
    ("chronology.case", "GET"): page("/concerns/{concern}/chronology",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("chronology.case_csv", "GET"): page("/concerns/{concern}/chronology.csv",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("chronology.case_pdf", "GET"): page("/concerns/{concern}/chronology.pdf",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    # an entry written by hand: the team, and the involved agencies (their own)
    ("chronology.new_entry", "GET"): page("/concerns/{concern}/chronology/new",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       403),
    ("chronology.new_entry", "POST"): page("/concerns/{concern}/chronology/new",
        SIGN_IN,   404,       both(FORM), both(FORM), own(FORM), 404,     403),
    ("chronology.person", "GET"): page("/people/{person}/chronology",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("chronology.person_csv", "GET"): page("/people/{person}/chronology.csv",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("chronology.person_pdf", "GET"): page("/people/{person}/chronology.pdf",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("concerns.close", "GET"): page("/concerns/{concern}/close",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("concerns.close", "POST"): page("/concerns/{concern}/close",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       403),
    ("concerns.enquiry", "GET"): page("/concerns/{concern}/enquiry",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("concerns.enquiry", "POST"): page("/concerns/{concern}/enquiry",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       403),
    ("concerns.reopen", "GET"): page("/concerns/{concern}/reopen",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("concerns.reopen", "POST"): page("/concerns/{concern}/reopen",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       403),
    ("concerns.delete", "GET"): page("/concerns/{concern}/delete",
        SIGN_IN,   404,       403,       both(OK),  403,       404,       403),
    ("concerns.delete", "POST"): page("/concerns/{concern}/delete",
        SIGN_IN,   404,       403,       both(FORM), 403,      404,       403),
    ("concerns.legal_hold", "GET"): page("/concerns/{concern}/legal-hold",
        SIGN_IN,   404,       403,       both(OK),  403,       404,       403),
    # an empty reason lifts the hold
    ("concerns.legal_hold", "POST"): page("/concerns/{concern}/legal-hold",
        SIGN_IN,   404,       403,       both(MOVED), 403,     404,       403,       acts=True),
    # a child's level of need: the matrix's case is an adult's, so 404 where it may be seen
    ("concerns.level_of_need", "GET"): page("/concerns/{concern}/level-of-need",
        SIGN_IN,   404,       404,       404,       403,       404,       403),
    ("concerns.level_of_need", "POST"): page("/concerns/{concern}/level-of-need",
        SIGN_IN,   404,       404,       404,       403,       404,       403),
    # the person alleged to have caused harm: named and changed by the safeguarding team
    ("concerns.add_alleged", "GET"): page("/concerns/{concern}/alleged/new",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("concerns.add_alleged", "POST"): page("/concerns/{concern}/alleged/new",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       403),
    ("concerns.change_alleged", "GET"): page("/concerns/{concern}/alleged/{alleged}/edit",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("concerns.change_alleged", "POST"): page("/concerns/{concern}/alleged/{alleged}/edit",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       403),
    ("concerns.remove_alleged", "GET"): page("/concerns/{concern}/alleged/{alleged}/remove",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("concerns.remove_alleged", "POST"): page("/concerns/{concern}/alleged/{alleged}/remove",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       403),
    # a PiPoT or LADO referral about a person alleged in a position of trust: made and
    # kept by the safeguarding team; read where the person alleged is read
    ("trust.new_referral", "GET"): page("/concerns/{concern}/alleged/{alleged}/trust-referral",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("trust.new_referral", "POST"): page("/concerns/{concern}/alleged/{alleged}/trust-referral",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       403),
    ("trust.show", "GET"): page("/concerns/{concern}/trust-referrals/{trust_referral}",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("trust.add_action", "GET"): page(
        "/concerns/{concern}/trust-referrals/{trust_referral}/actions",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("trust.add_action", "POST"): page(
        "/concerns/{concern}/trust-referrals/{trust_referral}/actions",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       403),
    ("trust.outcome", "GET"): page(
        "/concerns/{concern}/trust-referrals/{trust_referral}/outcome",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("trust.outcome", "POST"): page(
        "/concerns/{concern}/trust-referrals/{trust_referral}/outcome",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       403),
    # whether it is a hate or mate crime: nothing chosen says it is neither
    ("concerns.hate_crime", "GET"): page("/concerns/{concern}/hate-crime",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("concerns.hate_crime", "POST"): page("/concerns/{concern}/hate-crime",
        SIGN_IN,   404,       both(MOVED), both(MOVED), 403,   404,       403,       acts=True),
    # who holds the case and its area: choosing none of either is a change (walked last)
    ("concerns.team", "GET"): page("/concerns/{concern}/team",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       403),
    ("concerns.team", "POST"): page("/concerns/{concern}/team",
        SIGN_IN,   404,       both(MOVED), both(MOVED), 403,   404,       403,       acts=True),
    # who has seen the case: safeguarding managers only
    ("concerns.seen_by", "GET"): page("/concerns/{concern}/seen-by",
        SIGN_IN,   404,       403,       both(OK),  403,       404,       403),
    ("concerns.seen_by_csv", "GET"): page("/concerns/{concern}/seen-by.csv",
        SIGN_IN,   404,       403,       both(OK),  403,       404,       403),
    ("concerns_api.get_seen_by", "GET"): api("/api/v1/concerns/{concern}/seen-by",
        401,       404,       403,       both(OK),  403,       404,       403),
    ("concerns.supervise", "GET"): page("/concerns/{concern}/supervision",
        SIGN_IN,   404,       403,       both(OK),  403,       404,       403),
    ("concerns.supervise", "POST"): page("/concerns/{concern}/supervision",
        SIGN_IN,   404,       403,       both(FORM), 403,      404,       403),
    # an adult's case has no assessment (Children Act 1989): 404 where it may be seen
    ("concerns.start_assessment", "GET"): page("/concerns/{concern}/assessments/new",
        SIGN_IN,   404,       404,       404,       403,       404,       403),
    ("concerns.start_assessment", "POST"): page("/concerns/{concern}/assessments/new",
        SIGN_IN,   404,       404,       404,       403,       404,       403),
    ("concerns.conclude_assessment", "GET"): page(
        "/concerns/{concern}/assessments/" + str(M) + "/conclude",
        SIGN_IN,   404,       403,       404,       403,       404,       403),
    ("concerns.conclude_assessment", "POST"): page(
        "/concerns/{concern}/assessments/" + str(M) + "/conclude",
        SIGN_IN,   404,       403,       404,       403,       404,       403),
    ("concerns_api.list_assessments", "GET"): api("/api/v1/concerns/{concern}/assessments",
        401,       404,       404,       404,       404,       404,       404),
    ("concerns_api.start_assessment", "POST"): api("/api/v1/concerns/{concern}/assessments",
        401,       404,       404,       404,       403,       404,       403,
        json={"started_on": "2026-11-21"}),
    ("concerns_api.conclude_assessment", "POST"): api(
        "/api/v1/concerns/{concern}/assessments/" + str(M) + "/conclusion",
        401,       404,       403,       404,       403,       404,       403,
        json={"authorised_on": "2026-11-21", "factors": ["21"], "primary_need": "N1"}),
    ("concerns_api.list_concerns", "GET"): api("/api/v1/concerns/",
        401,       403,       OK,        OK,        OK,        403,       OK),
    ("concerns_api.create_concern", "POST"): api("/api/v1/concerns/",
        401,       403,       422,       422,       422,       403,       403),
    ("concerns_api.get_concern", "GET"): api("/api/v1/concerns/{concern}",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("concerns_api.get_timeline", "GET"): api("/api/v1/concerns/{concern}/timeline",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("chronology_api.get_case_chronology", "GET"): api("/api/v1/concerns/{concern}/chronology",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("chronology_api.get_case_chronology_csv", "GET"): api(
        "/api/v1/concerns/{concern}/chronology.csv",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("chronology_api.get_case_chronology_pdf", "GET"): api(
        "/api/v1/concerns/{concern}/chronology.pdf",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    # an agency that does not exist as the source
    ("chronology_api.add_chronology_entry", "POST"): api(
        "/api/v1/concerns/{concern}/chronology",
        401,       404,       both(422), both(422), own(422),  404,       403,
        json={"occurred_on": "2026-01-05", "source_agency_id": M, "summary": "Matrix",
              "significance": "high"}),
    ("chronology_api.get_person_chronology", "GET"): api("/api/v1/people/{person}/chronology",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("chronology_api.get_person_chronology_csv", "GET"): api(
        "/api/v1/people/{person}/chronology.csv",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("chronology_api.get_person_chronology_pdf", "GET"): api(
        "/api/v1/people/{person}/chronology.pdf",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("handover_api.get_handover", "GET"): api("/api/v1/handover",
        401,       403,       OK,        OK,        403,       403,       403),
    ("handover_api.accept_handover", "POST"): api("/api/v1/handover",
        401,       403,       201,       201,       403,       403,       403,       acts=True),
    # both cases are under a legal hold
    ("concerns_api.delete_concern", "DELETE"): api("/api/v1/concerns/{concern}?reason=Matrix",
        401,       404,       403,       both(422), 403,       404,       403),
    ("concerns_api.close_concern", "POST"): api("/api/v1/concerns/{concern}/closure",
        401,       404,       both(422), both(422), 403,       404,       403),
    ("concerns_api.decide", "POST"): api("/api/v1/concerns/{concern}/decision",
        401,       404,       both(422), both(422), 403,       404,       403,
        json={"decision": "section_42_enquiry", "reason": "Matrix"}),
    ("concerns_api.sign_off_decision", "POST"): api("/api/v1/concerns/{concern}/decision/sign-off",
        401,       404,       403,       both(422), 403,       404,       403,
        json={"outcome": "signed_off"}),
    ("concerns_api.add_involvement", "POST"): api("/api/v1/concerns/{concern}/involvements",
        401,       404,       both(422), both(422), 403,       404,       403,
        json={"agency_id": M, "note": "Matrix"}),
    ("concerns_api.remove_involvement", "DELETE"): api(
        "/api/v1/concerns/{concern}/involvements/{removed_involvement}?reason=Matrix",
        401,       404,       both(422), both(422), 403,       404,       403),
    ("concerns_api.set_involvement_level", "PATCH"): api(
        "/api/v1/concerns/{concern}/involvements/{removed_involvement}",
        401,       404,       both(422), both(422), 403,       404,       403,
        json={"level": "contributor", "reason": "Matrix"}),
    ("concerns_api.legal_hold", "PUT"): api("/api/v1/concerns/{concern}/legal-hold",
        401,       404,       403,       both(422), 403,       404,       403,
        json={"reason": " "}),
    ("concerns_api.set_level_of_need", "PUT"): api("/api/v1/concerns/{concern}/level-of-need",
        401,       404,       404,       404,       403,       404,       403,
        json={"level_of_need": 2, "threshold_reasoning": "Matrix"}),
    ("levels_of_need_api.list_levels_of_need", "GET"): api("/api/v1/levels-of-need/",
        401,       403,       OK,        OK,        OK,        403,       OK),
    # a hate crime needs the characteristic it was towards
    ("concerns_api.set_hate_crime", "PUT"): api("/api/v1/concerns/{concern}/hate-crime",
        401,       404,       both(422), both(422), 403,       404,       403,
        json={"hate_crime": "hate"}),
    # a team that does not exist
    ("concerns_api.set_team", "PUT"): api("/api/v1/concerns/{concern}/team",
        401,       404,       both(422), both(422), 403,       404,       403,
        json={"team_id": 999999, "locality_id": None}),
    # read by the team and agencies involved in full (the police refer the involved case)
    ("alleged_api.case_relationships", "GET"): api("/api/v1/concerns/{concern}/relationships",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("alleged_api.list_alleged", "GET"): api("/api/v1/concerns/{concern}/alleged-people",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("alleged_api.get_alleged", "GET"): api(
        "/api/v1/concerns/{concern}/alleged-people/{alleged}",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    # "other" needs a description, and no one is named
    ("alleged_api.add_alleged", "POST"): api("/api/v1/concerns/{concern}/alleged-people",
        401,       404,       both(422), both(422), 403,       404,       403,
        json={"relationship_kind": "other"}),
    # If-Match left out
    ("alleged_api.update_alleged", "PATCH"): api(
        "/api/v1/concerns/{concern}/alleged-people/{alleged}",
        401,       404,       both(428), both(428), 403,       404,       403,
        json={"informed": "not_yet"}),
    # a blank reason
    ("alleged_api.remove_alleged", "DELETE"): api(
        "/api/v1/concerns/{concern}/alleged-people/{alleged}?reason=%20",
        401,       404,       both(422), both(422), 403,       404,       403),
    ("trust_api.list_referrals", "GET"): api("/api/v1/concerns/{concern}/trust-referrals",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("trust_api.get_referral", "GET"): api(
        "/api/v1/concerns/{concern}/trust-referrals/{trust_referral}",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    # no such person alleged in the case
    ("trust_api.make_referral", "POST"): api("/api/v1/concerns/{concern}/trust-referrals",
        401,       404,       both(422), both(422), 403,       404,       403,
        json={"alleged_id": 999999, "referred_on": "2026-11-20", "referred_to": "The LADO"}),
    # "other" needs notes
    ("trust_api.add_action", "POST"): api(
        "/api/v1/concerns/{concern}/trust-referrals/{trust_referral}/actions",
        401,       404,       both(422), both(422), 403,       404,       403,
        json={"action": "other", "taken_on": "2026-11-26"}),
    # an outcome not yet reached (tomorrow)
    ("trust_api.record_outcome", "POST"): api(
        "/api/v1/concerns/{concern}/trust-referrals/{trust_referral}/outcome",
        401,       404,       both(422), both(422), 403,       404,       403,
        json={"outcome": "unfounded", "outcome_on": "2026-11-27"}),
    ("concerns_api.list_notes", "GET"): api("/api/v1/concerns/{concern}/notes",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("concerns_api.add_note", "POST"): api("/api/v1/concerns/{concern}/notes",
        401,       404,       both(422), both(422), own(422),  404,       403,
        json={"text": " "}),
    ("concerns_api.get_enquiry", "GET"): api("/api/v1/concerns/{concern}/enquiry",
        401,       404,       both(OK),  both(OK),  403,       404,       403),
    # If-Match left out
    ("concerns_api.update_enquiry", "PATCH"): api("/api/v1/concerns/{concern}/enquiry",
        401,       404,       both(428), both(428), 403,       404,       403,
        json={"msp_asked": "not_recorded"}),
    ("concerns_api.reopen_concern", "POST"): api("/api/v1/concerns/{concern}/reopen",
        401,       404,       both(422), both(422), 403,       404,       403,
        json={"reason": "Matrix"}),
    ("clusters_api.list_clusters", "GET"): api("/api/v1/clusters/",
        401,       403,       OK,        OK,        403,       403,       403),
    ("oversight_api.list_without_oversight", "GET"): api("/api/v1/oversight",
        401,       403,       403,       OK,        403,       403,       403),
    ("oversight_api.list_supervisions", "GET"): api("/api/v1/concerns/{concern}/supervisions",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("oversight_api.add_supervision", "POST"): api("/api/v1/concerns/{concern}/supervisions",
        401,       404,       403,       both(422), 403,       404,       403,
        json={"held_on": "2026-11-21", "discussion": " ", "decisions": " "}),
    ("body_map_api.get_body_map", "GET"): api("/api/v1/concerns/{concern}/body-map",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       own(OK)),
    ("body_map_api.add_body_map_mark", "POST"): api("/api/v1/concerns/{concern}/body-map",
        401,       404,       both(422), both(422), own(422),  404,       403,
        json={"side": "front", "site": " ", "description": " ", "seen_by": " ",
              "seen_on": "2026-11-21"}),

    # --- People and establishments ----------------------------------------------------------
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("people.index", "GET"): page("/people/",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    ("people.new", "GET"): page("/people/new",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    ("people.new", "POST"): page("/people/new",
        SIGN_IN,   403,       FORM,      FORM,      403,       403,       403),
    ("people.show", "GET"): page("/people/{person}",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       404),
    ("people.edit", "GET"): page("/people/{person}/edit",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       404),
    ("people.edit", "POST"): page("/people/{person}/edit",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       404),
    ("people.merge", "GET"): page("/people/{person}/merge",
        SIGN_IN,   404,       403,       both(OK),  403,       404,       404),
    ("people.merge", "POST"): page("/people/{person}/merge",
        SIGN_IN,   404,       403,       both(FORM), 403,      404,       404),
    # the people around a person: the safeguarding team's
    ("people.add_relationship", "GET"): page("/people/{person}/relationships/new",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       404),
    ("people.add_relationship", "POST"): page("/people/{person}/relationships/new",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       404),
    ("people.end_relationship", "GET"): page(
        "/people/{person}/relationships/{relationship}/end",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       404),
    ("people.end_relationship", "POST"): page(
        "/people/{person}/relationships/{relationship}/end",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       404),
    ("people_api.list_relationships", "GET"): api("/api/v1/people/{person}/relationships",
        401,       404,       both(OK),  both(OK),  403,       404,       404),
    # "other" needs a description, and the other person is not named
    ("people_api.add_relationship", "POST"): api("/api/v1/people/{person}/relationships",
        401,       404,       both(422), both(422), 403,       404,       404,
        json={"kind": "other"}),
    ("people_api.change_relationship", "PATCH"): api(
        "/api/v1/people/{person}/relationships/{relationship}",
        401,       404,       both(422), both(422), 403,       404,       404,
        json={"kind": "other", "detail": None}),
    # a blank reason
    ("people_api.end_relationship", "DELETE"): api(
        "/api/v1/people/{person}/relationships/{relationship}?reason=%20",
        401,       404,       both(422), both(422), 403,       404,       404),
    ("people_api.search_people", "GET"): api("/api/v1/people/",
        401,       403,       OK,        OK,        403,       403,       403),
    ("people_api.create_person", "POST"): api("/api/v1/people/",
        401,       403,       422,       422,       403,       403,       403),
    ("people_api.get_person", "GET"): api("/api/v1/people/{person}",
        401,       404,       both(OK),  both(OK),  403,       404,       404),
    # If-Match left out
    ("people_api.update_person", "PATCH"): api("/api/v1/people/{person}",
        401,       404,       both(428), both(428), 403,       404,       404,
        json={"given_name": "Matrix"}),
    ("people_api.merge_person", "POST"): api("/api/v1/people/{person}/merge",
        401,       404,       403,       both(422), 403,       404,       404,
        json={"into_id": M, "reason": "Matrix"}),
    ("establishments.index", "GET"): page("/establishments/",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    ("establishments.new", "GET"): page("/establishments/new",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    ("establishments.new", "POST"): page("/establishments/new",
        SIGN_IN,   403,       FORM,      FORM,      403,       403,       403),
    ("establishments.show", "GET"): page("/establishments/{establishment}",
        SIGN_IN,   403,       exists(OK), exists(OK), exists(OK), 404,    403),
    ("establishments.edit", "GET"): page("/establishments/{establishment}/edit",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     404,       403),
    ("establishments.edit", "POST"): page("/establishments/{establishment}/edit",
        SIGN_IN,   403,       exists(FORM), exists(FORM), 403, 404,       403),
    # a partner proposes a place its agency runs; the team confirms or declines one
    # proposed (the matrix's establishment is confirmed: nothing to do, said)
    ("establishments.propose", "GET"): page("/establishments/propose",
        SIGN_IN,   403,       403,       403,       OK,        403,       403),
    ("establishments.propose", "POST"): page("/establishments/propose",
        SIGN_IN,   403,       403,       403,       FORM,      403,       403),
    ("establishments.confirm", "POST"): page("/establishments/{establishment}/confirm",
        SIGN_IN,   403,       exists(MOVED), exists(MOVED), 403, 404,      403),
    ("establishments.decline", "POST"): page("/establishments/{establishment}/decline",
        SIGN_IN,   403,       exists(MOVED), exists(MOVED), 403, 404,      403),
    ("establishments_api.propose_establishment", "POST"): api(
        "/api/v1/establishments/proposals",
        401,       403,       403,       403,       422,       403,       403),
    ("establishments_api.confirm_establishment", "POST"): api(
        "/api/v1/establishments/{establishment}/confirm",
        401,       403,       exists(422), exists(422), 403,   404,       403),
    ("establishments_api.decline_establishment", "POST"): api(
        "/api/v1/establishments/{establishment}/decline",
        401,       403,       exists(422), exists(422), 403,   404,       403,
        json={"reason": "Matrix"}),
    ("establishments_api.list_establishments", "GET"): api("/api/v1/establishments/",
        401,       403,       OK,        OK,        OK,        403,       403),
    ("establishments_api.create_establishment", "POST"): api("/api/v1/establishments/",
        401,       403,       422,       422,       403,       403,       403),
    ("establishments_api.get_establishment", "GET"): api(
        "/api/v1/establishments/{establishment}",
        401,       403,       exists(OK), exists(OK), exists(OK), 404,    403),
    ("establishments_api.update_establishment", "PATCH"): api(
        "/api/v1/establishments/{establishment}",
        401,       403,       exists(428), exists(428), 403,   404,       403,
        json={"name": "Matrix"}),

    # --- Agency forms: "involved" is the police's own form; "not_involved" the NHS
    # trust's, not shared, about the same case ----------------------------------------------
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("agency_forms.index", "GET"): page("/forms/",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    ("agency_forms.new", "GET"): (
        # an NHS trust's return: only NHS trusts fill it in
        page("/forms/{agency_form}/new",
        SIGN_IN,   403,       exists(403), exists(403), exists(403), 404,  403),
        # the police investigation of a case: only the police fill it in
        page("/forms/police.investigation/new/{concern}",
        SIGN_IN,   403,       403,       403,       own(OK),   404,       403),
    ),
    ("agency_forms.new", "POST"): (
        page("/forms/{agency_form}/new",
        SIGN_IN,   403,       exists(403), exists(403), exists(403), 404,  403),
        page("/forms/police.investigation/new/{concern}",
        SIGN_IN,   403,       403,       403,       own(FORM), 404,       403),
    ),
    ("agency_forms.show", "GET"): page("/forms/submissions/{submission}",
        SIGN_IN,   403,       both(OK),  both(OK),  own(OK),   404,       403),
    # only the agency that wrote a form changes it
    ("agency_forms.edit", "GET"): page("/forms/submissions/{submission}/edit",
        SIGN_IN,   403,       both(403), both(403), own(OK),   404,       403),
    ("agency_forms.edit", "POST"): page("/forms/submissions/{submission}/edit",
        SIGN_IN,   403,       both(403), both(403), own(FORM), 404,       403),
    ("agency_forms.share", "POST"): page("/forms/submissions/{submission}/share",
        SIGN_IN,   403,       both(MOVED), both(MOVED), own(MOVED), 404,   403),
    ("agency_forms.withdraw", "POST"): page(
        "/forms/submissions/{submission}/shares/{share}/withdraw",
        SIGN_IN,   403,       both(MOVED), both(MOVED), own(MOVED), 404,   403,
        acts=True, fresh=fresh_share),
    # --- Hospital discharges: the trust's own and the team's; no other agency, no board ---
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("discharges.index", "GET"): page("/discharges/",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    # only an NHS trust notifies (the partner is the police)
    ("discharges.new", "GET"): page("/discharges/new",
        SIGN_IN,   403,       403,       403,       403,       403,       403),
    ("discharges.new", "POST"): page("/discharges/new",
        SIGN_IN,   403,       403,       403,       403,       403,       403),
    ("discharges.show", "GET"): page("/discharges/{discharge}",
        SIGN_IN,   403,       exists(OK), exists(OK), 404,     404,       403),
    ("discharges.follow_up", "GET"): page("/discharges/{discharge}/follow-up",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     404,       403),
    ("discharges.follow_up", "POST"): page("/discharges/{discharge}/follow-up",
        SIGN_IN,   403,       exists(FORM), exists(FORM), 403, 404,       403),
    # the board: the counts only
    ("discharges.monitoring", "GET"): page("/discharges/monitoring",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        403),
    ("discharges_api.list_discharges", "GET"): api("/api/v1/discharges/",
        401,       403,       OK,        OK,        OK,        403,       403),
    ("discharges_api.notify_discharge", "POST"): api("/api/v1/discharges/",
        401,       403,       403,       403,       403,       403,       403,
        json=HOSPITAL_DISCHARGE),
    ("discharges_api.get_discharge", "GET"): api("/api/v1/discharges/{discharge}",
        401,       403,       exists(OK), exists(OK), 404,     404,       403),
    ("discharges_api.follow_up", "PUT"): api("/api/v1/discharges/{discharge}/follow-up",
        401,       403,       exists(428), exists(428), 403,   404,       403,
        json=FOLLOW_UP),
    ("discharges_api.get_monitoring", "GET"): api("/api/v1/discharges/monitoring",
        401,       403,       OK,        OK,        403,       OK,        403),
    ("forms_api.list_forms", "GET"): api("/api/v1/forms/",
        401,       403,       OK,        OK,        OK,        403,       403),
    ("forms_api.case_forms", "GET"): api("/api/v1/forms/cases/{concern}",
        401,       403,       both(OK),  both(OK),  own(OK),   404,       403),
    ("forms_api.list_submissions", "GET"): api("/api/v1/forms/police.investigation/submissions",
        401,       403,       OK,        OK,        OK,        404,       403),
    # only the police fill in the police's form (refused before the body is read)
    ("forms_api.create_submission", "POST"): api(
        "/api/v1/forms/police.investigation/submissions",
        401,       403,       403,       403,       422,       404,       403),
    ("forms_api.get_form", "GET"): api("/api/v1/forms/police.investigation",
        401,       403,       OK,        OK,        OK,        404,       403),
    ("forms_api.get_submission", "GET"): api(
        "/api/v1/forms/{submission_form}/submissions/{submission}",
        401,       403,       both(OK),  both(OK),  own(OK),   404,       403),
    ("forms_api.update_submission", "PUT"): api(
        "/api/v1/forms/{submission_form}/submissions/{submission}",
        401,       403,       both(403), both(403), own(428),  404,       403,
        json={"data": {}}),
    ("forms_api.list_versions", "GET"): api(
        "/api/v1/forms/{submission_form}/submissions/{submission}/versions",
        401,       403,       both(OK),  both(OK),  own(OK),   404,       403),
    ("forms_api.list_shares", "GET"): api(
        "/api/v1/forms/{submission_form}/submissions/{submission}/shares",
        401,       403,       both(OK),  both(OK),  own(OK),   404,       403),
    ("forms_api.share_submission", "POST"): api(
        "/api/v1/forms/{submission_form}/submissions/{submission}/shares",
        401,       403,       both(422), both(422), own(422),  404,       403,
        json={"agency_id": M}),
    ("forms_api.withdraw_share", "DELETE"): api(
        "/api/v1/forms/{submission_form}/submissions/{submission}/shares/{share}",
        401,       403,       both(204), both(204), own(204),  404,       403,
        acts=True, fresh=fresh_share),

    # --- Meetings: both strategy discussions have been held ---------------------------------
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("meetings.index", "GET"): page("/meetings/",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    ("meetings.work_list", "GET"): page("/meetings/work",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    ("meetings.new", "GET"): page("/meetings/new?concern_id={concern}",
        SIGN_IN,   403,       both(OK),  both(OK),  403,       403,       403),
    ("meetings.new", "POST"): page("/meetings/new?concern_id={concern}",
        SIGN_IN,   403,       both(FORM), both(FORM), 403,     403,       403),
    # the invited agency is taken to its invitation
    ("meetings.show", "GET"): page("/meetings/{meeting}",
        SIGN_IN,   404,       both(OK),  both(OK),  own(MOVED), 404,      404),
    ("meetings.invite", "POST"): page("/meetings/{meeting}/invite",
        SIGN_IN,   404,       both(MOVED), both(MOVED), 403,   404,       404),
    ("meetings.uninvite", "POST"): page("/meetings/{meeting}/invitations/{invitation}/remove",
        SIGN_IN,   404,       both(MOVED), both(MOVED), 403,   404,       404),
    ("meetings.name_invitee", "POST"): page("/meetings/{meeting}/invitations/{invitation}/invitee",
        SIGN_IN,   404,       both(MOVED), both(MOVED), 403,   404,       404),
    ("meetings.reschedule", "GET"): page("/meetings/{meeting}/change",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       404),
    ("meetings.reschedule", "POST"): page("/meetings/{meeting}/change",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       404),
    ("meetings.cancel", "GET"): page("/meetings/{meeting}/cancel",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       404),
    ("meetings.cancel", "POST"): page("/meetings/{meeting}/cancel",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       404),
    ("meetings.record", "GET"): page("/meetings/{meeting}/record",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       404),
    ("meetings.record", "POST"): page("/meetings/{meeting}/record",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       404),
    ("meetings.letter", "POST"): page("/meetings/{meeting}/letter",
        SIGN_IN,   404,       both(MOVED), both(MOVED), 403,   404,       404),
    ("meetings.action_status", "POST"): page("/meetings/{meeting}/actions/{meeting_action}",
        SIGN_IN,   404,       both(MOVED), both(MOVED), 403,   404,       404),
    ("meetings.report_file", "GET"): page(
        "/meetings/{meeting}/invitations/{invitation}/report.pdf",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       404),
    ("portal.index", "GET"): page("/portal/",
        SIGN_IN,   403,       403,       403,       OK,        403,       403),
    ("portal.invitation", "GET"): page("/portal/invitations/{invitation}",
        SIGN_IN,   404,       403,       403,       own(OK),   404,       404),
    ("portal.invitation", "POST"): page("/portal/invitations/{invitation}",
        SIGN_IN,   404,       403,       403,       own(FORM), 404,       404),
    ("meeting_types_api.list_meeting_types", "GET"): api("/api/v1/meeting-types/",
        401,       403,       OK,        OK,        OK,        403,       403),
    ("meetings_api.list_meetings", "GET"): api("/api/v1/meetings/",
        401,       403,       OK,        OK,        OK,        403,       403),
    # concerns named in the query: one that does not exist is refused as when scheduling
    ("meetings_api.get_proposal", "GET"): api(
        "/api/v1/meetings/proposal?type=strategy_discussion&concern_id={concern}",
        401,       403,  (OK, OK, 422), (OK, OK, 422), 403,    403,       403),
    ("meetings_api.create_meeting", "POST"): api("/api/v1/meetings/",
        401,       403,       422,       422,       403,       403,       403),
    ("meetings_api.get_meeting", "GET"): api("/api/v1/meetings/{meeting}",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       404),
    ("meetings_api.update_meeting", "PATCH"): api("/api/v1/meetings/{meeting}",
        401,       404,       both(428), both(428), 403,       404,       404),
    ("meetings_api.add_invitation", "POST"): api("/api/v1/meetings/{meeting}/invitations",
        401,       404,       both(422), both(422), 403,       404,       404,
        json={"agency_id": M, "reason": "Matrix"}),
    ("meetings_api.get_invitation", "GET"): api(
        "/api/v1/meetings/{meeting}/invitations/{invitation}",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       404),
    ("meetings_api.update_invitation", "PATCH"): api(
        "/api/v1/meetings/{meeting}/invitations/{invitation}",
        401,       404,       both(428), both(428), own(428),  404,       404,
        json={"response": "accepted"}),
    ("meetings_api.remove_invitation", "DELETE"): api(
        "/api/v1/meetings/{meeting}/invitations/{invitation}?reason=Matrix",
        401,       404,       both(422), both(422), 403,       404,       404),
    ("meetings_api.record_held", "POST"): api("/api/v1/meetings/{meeting}/held",
        401,       404,       both(422), both(422), 403,       404,       404),
    ("meetings_api.cancel_meeting", "POST"): api("/api/v1/meetings/{meeting}/cancel",
        401,       404,       both(422), both(422), 403,       404,       404,
        json={"reason": "Matrix"}),
    ("meetings_api.update_action", "PATCH"): api(
        "/api/v1/meetings/{meeting}/actions/{meeting_action}",
        401,       404,       both(428), both(428), 403,       404,       404,
        json={"status": "done"}),
    ("meetings_work_api.get_work_list", "GET"): api("/api/v1/meetings/work",
        401,       403,       OK,        OK,        403,       403,       403),
    ("meetings_work_api.list_own_actions", "GET"): api("/api/v1/meetings/actions",
        401,       403,       403,       403,       OK,        403,       403),
    # a date in the future
    ("meetings_work_api.record_letter", "POST"): api("/api/v1/meetings/{meeting}/letter",
        401,       404,       both(422), both(422), 403,       404,       404,
        json={"sent_on": "2027-12-31"}),
    ("meetings_work_api.get_report_file", "GET"): api(
        "/api/v1/meetings/{meeting}/invitations/{invitation}/report",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       404),
    # neither text nor a PDF
    ("meetings_work_api.submit_report", "POST"): api(
        "/api/v1/meetings/{meeting}/invitations/{invitation}/report",
        401,       404,       both(422), both(422), own(422),  404,       404,
        json={}),

    # --- Plans: "involved" for a plan action is the police's own ----------------------------
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("plans.index", "GET"): page("/plans/",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    ("plans.attention", "GET"): page("/plans/attention",
        SIGN_IN,   403,       MOVED,     MOVED,     403,       403,       403),
    ("plans.portal_actions", "GET"): page("/plans/actions",
        SIGN_IN,   403,       403,       403,       OK,        403,       403),
    ("plans.report_page", "GET"): page("/plans/report",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    ("plans.report_csv", "GET"): page("/plans/report.csv",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    ("plans.new", "GET"): page("/plans/new?concern_id={concern}",
        SIGN_IN,   403,       both(OK),  both(OK),  403,       403,       403),
    ("plans.new", "POST"): page("/plans/new?concern_id={concern}",
        SIGN_IN,   403,       both(FORM), both(FORM), 403,     403,       403),
    ("plans.show", "GET"): page("/plans/{plan}",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       404),
    ("plans.category", "GET"): page("/plans/{plan}/category",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       404),
    ("plans.category", "POST"): page("/plans/{plan}/category",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       404),
    ("plans.add_action", "GET"): page("/plans/{plan}/actions/new",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       404),
    ("plans.add_action", "POST"): page("/plans/{plan}/actions/new",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       404),
    ("plans.action", "GET"): page("/plans/{plan}/actions/{plan_action}",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       404),
    ("plans.action", "POST"): page("/plans/{plan}/actions/{plan_action}",
        SIGN_IN,   404,       both(FORM), both(FORM), own(FORM), 404,     404),
    ("plans.review", "GET"): page("/plans/{plan}/review",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       404),
    ("plans.review", "POST"): page("/plans/{plan}/review",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       404),
    ("plans.end", "GET"): page("/plans/{plan}/end",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       404),
    ("plans.end", "POST"): page("/plans/{plan}/end",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       404),
    ("plans_api.list_plans", "GET"): api("/api/v1/plans/",
        401,       403,       OK,        OK,        OK,        403,       403),
    ("plans_api.create_plan", "POST"): api("/api/v1/plans/",
        401,       403,       422,       422,       403,       403,       403),
    ("plans_api.get_plan", "GET"): api("/api/v1/plans/{plan}",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       404),
    ("plans_api.update_plan", "PATCH"): api("/api/v1/plans/{plan}",
        401,       404,       both(428), both(428), 403,       404,       404,
        json={"category": "NEG", "reason": "Matrix"}),
    ("plans_api.end_plan", "POST"): api("/api/v1/plans/{plan}/end",
        401,       404,       both(422), both(422), 403,       404,       404,
        json={"reason": "Matrix", "ended_on": "2000-01-01"}),
    ("plans_api.list_actions", "GET"): api("/api/v1/plans/{plan}/actions",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       404),
    ("plans_api.add_action", "POST"): api("/api/v1/plans/{plan}/actions",
        401,       404,       both(422), both(422), 403,       404,       404,
        json={"description": "Matrix", "owner_agency_id": M, "due_on": "2027-01-01"}),
    ("plans_api.get_action", "GET"): api("/api/v1/plans/{plan}/actions/{plan_action}",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       404),
    ("plans_api.update_action", "PATCH"): api("/api/v1/plans/{plan}/actions/{plan_action}",
        401,       404,       both(428), both(428), own(428),  404,       404,
        json={"status": "done"}),
    # the progress rows name every agency's actions: the safeguarding team's
    ("plans_api.list_reviews", "GET"): api("/api/v1/plans/{plan}/reviews",
        401,       404,       both(OK),  both(OK),  own(403),  404,       404),
    ("plans_api.add_review", "POST"): api("/api/v1/plans/{plan}/reviews",
        401,       404,       both(422), both(422), 403,       404,       404,
        json={"decision": "continue"}),
    ("plan_report_api.get_report", "GET"): api("/api/v1/plans/report",
        401,       403,       OK,        OK,        403,       403,       403),
    ("plan_report_api.list_own_actions", "GET"): api("/api/v1/plans/actions",
        401,       403,       403,       403,       OK,        403,       403),

    # --- Case file audits: "involved" is a case assigned to the auditor ---------------------
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("casefile.index", "GET"): page("/casefile-audits/",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        OK),
    ("casefile.new", "GET"): page("/casefile-audits/new",
        SIGN_IN,   403,       403,       OK,        403,       403,       403),
    ("casefile.new", "POST"): page("/casefile-audits/new",
        SIGN_IN,   403,       403,       FORM,      403,       403,       403),
    ("casefile.show", "GET"): page("/casefile-audits/{audit}",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    ("casefile.report_page", "GET"): page("/casefile-audits/{audit}/report",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    ("casefile.report_csv", "GET"): page("/casefile-audits/{audit}/report.csv",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    ("casefile.report_pdf", "GET"): page("/casefile-audits/{audit}/report.pdf",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    # no case chosen
    ("casefile.assign", "POST"): page("/casefile-audits/{audit}/assign",
        SIGN_IN,   403,       403,       exists(400), 403,     404,       403),
    ("casefile.close", "POST"): page("/casefile-audits/{closed_audit}/close",
        SIGN_IN,   403,       403,       exists(MOVED), 403,   404,       403),
    # managers and officers review too: these cases are assigned to auditors, not them
    ("casefile.review", "GET"): page("/casefile-audits/{audit}/reviews/{review}",
        SIGN_IN,   403,       404,       404,       403,       404,       own(OK)),
    ("casefile.review", "POST"): page("/casefile-audits/{audit}/reviews/{review}",
        SIGN_IN,   403,       404,       404,       403,       404,       own(FORM)),
    ("casefile_api.list_audits", "GET"): api("/api/v1/casefile-audits/",
        401,       403,       OK,        OK,        403,       OK,        OK),
    ("casefile_api.create_audit", "POST"): api("/api/v1/casefile-audits/",
        401,       403,       403,       422,       403,       403,       403),
    ("casefile_api.get_audit", "GET"): api("/api/v1/casefile-audits/{audit}",
        401,       403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    ("casefile_api.get_report", "GET"): api("/api/v1/casefile-audits/{audit}/report",
        401,       403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    ("casefile_api.assign_case", "PUT"): api(
        "/api/v1/casefile-audits/{audit}/cases/{review}/assignment",
        401,       403,       403,       both(422), 403,       404,       403,
        json={"auditor_id": M}),
    ("casefile_api.record_findings", "PUT"): api(
        "/api/v1/casefile-audits/{audit}/cases/{review}/findings",
        401,       403,       404,       404,       403,       404,       own(422),
        json={"answers": [], "grade": "good"}),
    ("casefile_api.close_audit", "POST"): api("/api/v1/casefile-audits/{closed_audit}/close",
        401,       403,       403,       exists(422), 403,     404,       403),

    # --- Attendance audits and the board's actions ------------------------------------------
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("attendance_audits.index", "GET"): page("/audits/attendance/",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        OK),
    ("attendance_audits.new", "GET"): page("/audits/attendance/new",
        SIGN_IN,   403,       403,       OK,        403,       OK,        403),
    ("attendance_audits.new", "POST"): page("/audits/attendance/new",
        SIGN_IN,   403,       403,       FORM,      403,       FORM,      403),
    ("attendance_audits.show", "GET"): page("/audits/attendance/{attendance_audit}",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    ("attendance_audits.download_csv", "GET"): page("/audits/attendance/{attendance_audit}.csv",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    ("attendance_audits.download_pdf", "GET"): page("/audits/attendance/{attendance_audit}.pdf",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    ("attendance_audits.new_action", "GET"): page(
        "/audits/attendance/{attendance_audit}/actions/new",
        SIGN_IN,   403,       403,       exists(OK), 403,      exists(OK), 403),
    ("attendance_audits.new_action", "POST"): page(
        "/audits/attendance/{attendance_audit}/actions/new",
        SIGN_IN,   403,       403,       exists(FORM), 403,    exists(FORM), 403),
    ("attendance_audits.action", "GET"): page(
        "/audits/attendance/{attendance_audit}/actions/{board_action}",
        SIGN_IN,   403,       403,       exists(OK), 403,      exists(OK), 403),
    ("attendance_audits.action", "POST"): page(
        "/audits/attendance/{attendance_audit}/actions/{board_action}",
        SIGN_IN,   403,       403,       exists(FORM), 403,    exists(FORM), 403),
    ("attendance_audits_api.list_audits", "GET"): api("/api/v1/audits/attendance/",
        401,       403,       OK,        OK,        403,       OK,        OK),
    ("attendance_audits_api.run_audit", "POST"): api("/api/v1/audits/attendance/",
        401,       403,       403,       422,       403,       422,       403),
    ("attendance_audits_api.get_audit", "GET"): api("/api/v1/audits/attendance/{attendance_audit}",
        401,       403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    ("attendance_audits_api.get_board_pack", "GET"): api(
        "/api/v1/audits/attendance/{attendance_audit}/pdf",
        401,       403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    ("attendance_audits_api.add_action", "POST"): api(
        "/api/v1/audits/attendance/{attendance_audit}/actions",
        401,       403,       403,       exists(422), 403,     exists(422), 403,
        json={"agency_id": M, "action": "Matrix", "owner": "Matrix", "due_on": "2027-01-31"}),
    ("attendance_audits_api.get_action", "GET"): api(
        "/api/v1/audits/attendance/{attendance_audit}/actions/{board_action}",
        401,       403,       exists(OK), exists(OK), 403,     exists(OK), exists(OK)),
    ("attendance_audits_api.update_action", "PATCH"): api(
        "/api/v1/audits/attendance/{attendance_audit}/actions/{board_action}",
        401,       403,       403,       exists(428), 403,     exists(428), 403),

    # --- National returns and plugin reports ------------------------------------------------
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("returns.index", "GET"): page("/returns/",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        403),
    ("returns.sac_page", "GET"): page("/returns/sac",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        403),
    ("returns.sac_workbook", "GET"): page("/returns/sac.xlsx",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        403),
    ("returns.sac_table", "GET"): page("/returns/sac/{sac_code}",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     exists(OK), 403),
    ("returns.sac_table_csv", "GET"): page("/returns/sac/{sac_code}.csv",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     exists(OK), 403),
    ("returns.children_page", "GET"): page("/returns/children",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        403),
    ("returns.dashboard", "GET"): page("/returns/dashboard",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        403),
    # contact follow-ups: the safeguarding team's; the board reads the month's figures
    ("follow_ups.index", "GET"): page("/follow-ups/",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    ("follow_ups.report", "GET"): page("/follow-ups/report",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        403),
    ("follow_ups.show", "GET"): page("/follow-ups/{follow_up}",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     404,       403),
    # the outcome is needed: the form again with its errors
    ("follow_ups.show", "POST"): page("/follow-ups/{follow_up}",
        SIGN_IN,   403,       exists(FORM), exists(FORM), 403, 404,       403),
    ("follow_ups.letter", "GET"): page("/follow-ups/{follow_up}/letter.pdf",
        SIGN_IN,   403,       exists(OK), exists(OK), 403,     404,       403),
    ("follow_ups_api.list_follow_ups", "GET"): api("/api/v1/contact-follow-ups/",
        401,       403,       OK,        OK,        403,       403,       403),
    ("follow_ups_api.get_report", "GET"): api("/api/v1/contact-follow-ups/report",
        401,       403,       OK,        OK,        403,       OK,        403),
    ("follow_ups_api.get_follow_up", "GET"): api("/api/v1/contact-follow-ups/{follow_up}",
        401,       403,       exists(OK), exists(OK), 403,     404,       403),
    # a new referral needs a note saying why
    ("follow_ups_api.record_outcome", "POST"): api(
        "/api/v1/contact-follow-ups/{follow_up}/outcome",
        401,       403,       exists(422), exists(422), 403,   404,       403,
        json={"outcome": "new_referral_needed"}),
    ("follow_ups_api.get_letter", "GET"): api("/api/v1/contact-follow-ups/{follow_up}/letter",
        401,       403,       exists(OK), exists(OK), 403,     404,       403),
    # subject access requests: the managers' alone (the board: 404 for a named request)
    ("subject_access.index", "GET"): page("/subject-access/",
        SIGN_IN,   403,       403,       OK,        403,       403,       403),
    ("subject_access.new", "GET"): page("/subject-access/new/{person}",
        SIGN_IN,   403,       403,       both(OK),  403,       404,       403),
    ("subject_access.new", "POST"): page("/subject-access/new/{person}",
        SIGN_IN,   403,       403,       both(FORM), 403,      404,       403),
    ("subject_access.show", "GET"): page("/subject-access/{subject_access}",
        SIGN_IN,   403,       403,       exists(OK), 403,      404,       403),
    # the request was sent: it is not produced or sent again (the page says so)
    ("subject_access.produce", "POST"): page("/subject-access/{subject_access}/produce",
        SIGN_IN,   403,       403,       exists(MOVED), 403,   404,       403),
    ("subject_access.sent", "POST"): page("/subject-access/{subject_access}/sent",
        SIGN_IN,   403,       403,       exists(MOVED), 403,   404,       403),
    ("subject_access.export_pdf_file", "GET"): page("/subject-access/{subject_access}/export.pdf",
        SIGN_IN,   403,       403,       exists(OK), 403,      404,       403),
    ("subject_access.export_json_file", "GET"): page(
        "/subject-access/{subject_access}/export.json",
        SIGN_IN,   403,       403,       exists(OK), 403,      404,       403),
    ("subject_access_api.list_requests", "GET"): api("/api/v1/subject-access-requests/",
        401,       403,       403,       OK,        403,       403,       403),
    # a person that does not exist
    ("subject_access_api.create_request", "POST"): api("/api/v1/subject-access-requests/",
        401,       403,       403,       422,       403,       403,       403,
        json={"person_id": 999999, "requested_by": "Matrix", "received_on": "2026-11-20",
              "identity_checked": "Matrix"}),
    ("subject_access_api.get_request", "GET"): api(
        "/api/v1/subject-access-requests/{subject_access}",
        401,       403,       403,       exists(OK), 403,      404,       403),
    # sent already: 422
    ("subject_access_api.produce", "POST"): api(
        "/api/v1/subject-access-requests/{subject_access}/produce",
        401,       403,       403,       exists(422), 403,     404,       403),
    ("subject_access_api.mark_sent", "POST"): api(
        "/api/v1/subject-access-requests/{subject_access}/sent",
        401,       403,       403,       exists(422), 403,     404,       403),
    ("subject_access_api.get_export_json", "GET"): api(
        "/api/v1/subject-access-requests/{subject_access}/export.json",
        401,       403,       403,       exists(OK), 403,      404,       403),
    ("subject_access_api.get_export_pdf", "GET"): api(
        "/api/v1/subject-access-requests/{subject_access}/export.pdf",
        401,       403,       403,       exists(OK), 403,      404,       403),
    # complaints and compliments: the safeguarding team's (and the complaints officer's, a
    # flag on the account: tests/complaints); no one else learns an entry exists
    ("complaints.index", "GET"): page("/complaints/",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    ("complaints.report", "GET"): page("/complaints/report",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    # a case out of sight (or none) in the link is ignored: the form asks for the case
    ("complaints.new", "GET"): page("/complaints/new?concern_id={concern}",
        SIGN_IN,   403,       (OK, OK, OK), (OK, OK, OK), 403, 403,       403),
    ("complaints.new", "POST"): page("/complaints/new?concern_id={concern}",
        SIGN_IN,   403,       (FORM, FORM, FORM), (FORM, FORM, FORM), 403, 403, 403),
    ("complaints.show", "GET"): page("/complaints/{complaint}",
        SIGN_IN,   404,       exists(OK), exists(OK), 404,     404,       404),
    # each needs its date (or outcome, or reason): refused, back to the entry
    ("complaints.acknowledge", "POST"): page("/complaints/{complaint}/acknowledge",
        SIGN_IN,   404,       exists(MOVED), exists(MOVED), 404, 404,      404),
    ("complaints.answer", "POST"): page("/complaints/{complaint}/answer",
        SIGN_IN,   404,       exists(MOVED), exists(MOVED), 404, 404,      404),
    ("complaints.extend", "POST"): page("/complaints/{complaint}/extend",
        SIGN_IN,   404,       exists(MOVED), exists(MOVED), 404, 404,      404),
    ("complaints.escalate", "POST"): page("/complaints/{complaint}/escalate",
        SIGN_IN,   404,       exists(MOVED), exists(MOVED), 404, 404,      404),
    ("complaints.ombudsman", "POST"): page("/complaints/{complaint}/ombudsman",
        SIGN_IN,   404,       exists(MOVED), exists(MOVED), 404, 404,      404),
    ("complaints_api.list_entries", "GET"): api("/api/v1/complaints/",
        401,       403,       OK,        OK,        403,       403,       403),
    ("complaints_api.create_entry", "POST"): api("/api/v1/complaints/",
        401,       403,       422,       422,       403,       403,       403, json={}),
    ("complaints_api.get_report", "GET"): api("/api/v1/complaints/report",
        401,       403,       OK,        OK,        403,       403,       403),
    ("complaints_api.get_entry", "GET"): api("/api/v1/complaints/{complaint}",
        401,       404,       exists(OK), exists(OK), 404,     404,       404),
    ("complaints_api.acknowledge", "POST"): api("/api/v1/complaints/{complaint}/acknowledge",
        401,       404,       exists(422), exists(422), 404,   404,       404, json={}),
    ("complaints_api.answer", "POST"): api("/api/v1/complaints/{complaint}/answer",
        401,       404,       exists(422), exists(422), 404,   404,       404, json={}),
    ("complaints_api.extend", "POST"): api("/api/v1/complaints/{complaint}/extend",
        401,       404,       exists(422), exists(422), 404,   404,       404, json={}),
    ("complaints_api.escalate", "POST"): api("/api/v1/complaints/{complaint}/escalate",
        401,       404,       exists(422), exists(422), 404,   404,       404, json={}),
    ("complaints_api.refer_to_ombudsman", "POST"): api(
        "/api/v1/complaints/{complaint}/ombudsman",
        401,       404,       exists(422), exists(422), 404,   404,       404, json={}),
    ("returns.hate_crime", "GET"): page("/returns/hate-crime",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        403),
    # the team reads the open referrals by employer; the board the figures only
    ("returns.positions_of_trust", "GET"): page("/returns/positions-of-trust",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        403),
    ("returns_api.get_positions_of_trust", "GET"): api("/api/v1/returns/positions-of-trust",
        401,       403,       OK,        OK,        403,       OK,        403),
    ("returns_api.get_hate_crime", "GET"): api("/api/v1/returns/hate-crime",
        401,       403,       OK,        OK,        403,       OK,        403),
    # --- Staff training records: each agency its own; the team reads all, keeps its own ---
    # training_record: involved is the practitioner's agency's, not_involved the trust's
    #   anonymous  admin      officer    manager    partner    board      auditor
    ("training.index", "GET"): page("/training/",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    ("training.new", "GET"): page("/training/new",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    ("training.new", "POST"): page("/training/new",
        SIGN_IN,   403,       FORM,      FORM,      FORM,      403,       403),
    ("training.edit", "GET"): page("/training/{training_record}/edit",
        SIGN_IN,   403,       both(403), both(403), own(OK),   404,       403),
    ("training.edit", "POST"): page("/training/{training_record}/edit",
        SIGN_IN,   403,       both(403), both(403), own(FORM), 404,       403),
    ("training.delete", "POST"): page("/training/{training_record}/delete",
        SIGN_IN,   403,       both(403), both(403), own(MOVED), 404,      403,
        acts=True, fresh=fresh_training_record),
    ("training.upload", "GET"): page("/training/upload",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    ("training.upload", "POST"): page("/training/upload",
        SIGN_IN,   403,       FORM,      FORM,      FORM,      403,       403),
    ("training.template_csv", "GET"): page("/training/template.csv",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    ("training.quarterly", "GET"): page("/training/return",
        SIGN_IN,   403,       OK,        OK,        OK,        OK,        403),
    ("training_api.list_records", "GET"): api("/api/v1/training/records",
        401,       403,       OK,        OK,        OK,        403,       403),
    # a course completed in the future: refused
    ("training_api.create_record", "POST"): api("/api/v1/training/records",
        401,       403,       422,       422,       422,       403,       403,
        json={"staff_name": "Matrix", "role": "Nurse", "level": "adults_1", "course": "L1",
              "completed_on": "2027-12-31"}),
    ("training_api.get_record", "GET"): api("/api/v1/training/records/{training_record}",
        401,       403,       both(OK),  both(OK),  own(OK),   404,       403),
    ("training_api.update_record", "PATCH"): api("/api/v1/training/records/{training_record}",
        401,       403,       both(403), both(403), own(428), 404,       403,
        json={"role": "Matrix"}),
    ("training_api.delete_record", "DELETE"): api(
        "/api/v1/training/records/{training_record}",
        401,       403,       both(403), both(403), own(428), 404,       403),
    # a file without the template's columns: refused
    ("training_api.import_records", "POST"): api("/api/v1/training/records/import",
        401,       403,       422,       422,       422,       403,       403,
        json={"csv": "name\nMatrix\n"}),
    ("training_api.get_return", "GET"): api("/api/v1/training/return",
        401,       403,       OK,        OK,        OK,        OK,        403),
    # --- Tasks between teams ----------------------------------------------------------------
    #   anonymous  admin      officer    manager    partner    board      auditor
    # partner: a task for its agency's safeguarding contacts on a case it is involved in
    ("tasks.index", "GET"): page("/tasks/",
        SIGN_IN,   403,       OK,        OK,        OK,        403,       403),
    ("tasks.new", "GET"): page("/tasks/new?concern_id={concern}",
        SIGN_IN,   403,       both(OK),  both(OK),  403,       403,       403),
    ("tasks.new", "POST"): page("/tasks/new?concern_id={concern}",
        SIGN_IN,   403,       both(FORM), both(FORM), 403,     403,       403),
    ("tasks.show", "GET"): page("/tasks/{task}",
        SIGN_IN,   404,       both(OK),  both(OK),  own(OK),   404,       404),
    # a note is needed
    ("tasks.complete", "POST"): page("/tasks/{task}/complete",
        SIGN_IN,   404,       both(MOVED), both(MOVED), own(MOVED), 404,   404),
    # a reason is needed
    ("tasks.cancel", "POST"): page("/tasks/{task}/cancel",
        SIGN_IN,   404,       both(MOVED), both(MOVED), 403,   404,       404),
    ("tasks.reassign", "GET"): page("/tasks/{task}/reassign",
        SIGN_IN,   404,       both(OK),  both(OK),  403,       404,       404),
    ("tasks.reassign", "POST"): page("/tasks/{task}/reassign",
        SIGN_IN,   404,       both(FORM), both(FORM), 403,     404,       404),
    ("tasks_api.list_tasks", "GET"): api("/api/v1/tasks",
        401,       403,       OK,        OK,        OK,        403,       403),
    ("tasks_api.get_task", "GET"): api("/api/v1/tasks/{task}",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       404),
    ("tasks_api.complete_task", "POST"): api("/api/v1/tasks/{task}/complete",
        401,       404,       both(422), both(422), own(422),  404,       404,
        json={"note": " "}),
    ("tasks_api.reassign_task", "POST"): api("/api/v1/tasks/{task}/reassign",
        401,       404,       both(422), both(422), 403,       404,       404,
        json={}),
    ("tasks_api.cancel_task", "POST"): api("/api/v1/tasks/{task}/cancel",
        401,       404,       both(422), both(422), 403,       404,       404,
        json={"reason": " "}),
    ("case_tasks_api.list_case_tasks", "GET"): api("/api/v1/concerns/{concern}/tasks",
        401,       404,       both(OK),  both(OK),  own(OK),   404,       404),
    ("case_tasks_api.list_assignees", "GET"): api("/api/v1/concerns/{concern}/tasks/assignees",
        401,       404,       both(OK),  both(OK),  403,       404,       404),
    # a task needs a title, a due date and who it is for
    ("case_tasks_api.set_task", "POST"): api("/api/v1/concerns/{concern}/tasks",
        401,       404,       both(422), both(422), 403,       404,       404,
        json={"title": "Visit"}),

    # the board reads the figures; the team, the cases too
    ("returns.repeats", "GET"): page("/returns/repeats",
        SIGN_IN,   403,       OK,        OK,        403,       OK,        403),
    ("returns.repeats_file", "GET"): page("/returns/repeats.csv",
        SIGN_IN,   403,       OK,        OK,        403,       403,       403),
    ("returns_api.get_repeats", "GET"): api("/api/v1/returns/repeats",
        401,       403,       OK,        OK,        403,       OK,        403),
    ("returns_api.get_sac", "GET"): api("/api/v1/returns/sac",
        401,       403,       OK,        OK,        403,       OK,        403),
    ("returns_api.get_children", "GET"): api("/api/v1/returns/children",
        401,       403,       OK,        OK,        403,       OK,        403),
    # one record per child: the council's return to the DfE, safeguarding managers only
    ("returns.cin_census_page", "GET"): page("/returns/cin-census",
        SIGN_IN,   403,       403,       OK,        403,       403,       403),
    ("returns.cin_census_file", "GET"): page("/returns/cin-census.xml",
        SIGN_IN,   403,       403,       OK,        403,       403,       403),
    ("returns_api.get_cin_census", "GET"): api("/api/v1/returns/cin-census",
        401,       403,       403,       OK,        403,       403,       403),
    ("returns_api.get_cin_census_file", "GET"): api("/api/v1/returns/cin-census.xml",
        401,       403,       403,       OK,        403,       403,       403),
    ("dashboard_api.get_dashboard", "GET"): api("/api/v1/dashboard",
        401,       403,       OK,        OK,        403,       OK,        403),
    ("reports.index", "GET"): page("/reports/",
        SIGN_IN,   403,       OK,        OK,        OK,        OK,        403),
    # a police report: the safeguarding team and police practitioners run it
    ("reports.show", "GET"): page("/reports/{report}",
        SIGN_IN,   403,       exists(OK), exists(OK), exists(OK), 404,    403),
    ("reports.export_csv", "GET"): page("/reports/{report}/export.csv",
        SIGN_IN,   403,       exists(OK), exists(OK), exists(OK), 404,    403),
    ("reports_api.list_reports", "GET"): api("/api/v1/reports/",
        401,       403,       OK,        OK,        OK,        OK,        403),
    ("reports_api.get_report", "GET"): api("/api/v1/reports/{report}",
        401,       403,       exists(OK), exists(OK), exists(OK), 404,    403),
}
# fmt: on


@contextmanager
def memory_backed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory in memory where the machine has one (/dev/shm): the walk commits a few
    thousand times, and waiting for the disk each time would be most of its run."""
    shm = Path("/dev/shm")  # noqa: S108 (mkdtemp below makes a directory only we can use)
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path_factory.mktemp("matrix")
        return
    directory = Path(tempfile.mkdtemp(prefix="access-matrix-", dir=shm))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def world(database_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One app and one set of records for the whole module: the walk reads far more than
    it writes, and what it writes is checked."""
    with (
        memory_backed(tmp_path_factory) as directory,
        fresh_database(database_template, directory) as url,
    ):
        app: Flask = create_app(base_config() | SETTINGS | {"SQLALCHEMY_DATABASE_URI": url})
        app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
        try:
            with holding(BEFORE_MEETINGS):
                built = build_world(app)
            yield built
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture(autouse=True)
def walked_at_now(clock: Clock) -> None:
    """The matrix is walked at the moment its records were made for."""
    clock.set(NOW)


def app_routes(app: Flask) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }


def test_every_route_has_a_row_and_every_row_a_route(world: World) -> None:
    routes = app_routes(world.app)
    missing = sorted(routes - set(MATRIX))
    stale = sorted(set(MATRIX) - routes)
    assert not missing, f"routes with no row in the access matrix: {missing}"
    assert not stale, f"rows of the access matrix for no route: {stale}"


def test_every_row_walks_the_rule_it_is_for(world: World) -> None:
    """Each row's path reaches its own endpoint, an endpoint with several URL rules has a
    row for each, and a role the route's permission turns away gets one answer whatever
    the record (the policy answers before any record is read)."""
    adapter = world.app.url_map.bind("localhost")
    walked: set[tuple[str, str, str]] = set()
    problems = []
    for request in requests_of(world.app, MATRIX):
        path = path_for(world, request, {}).split("?")[0]
        rule, _ = adapter.match(path, method=request.method, return_rule=True)
        if rule.endpoint != request.endpoint:
            problems.append(f"{request.describe()} reaches {rule.endpoint}")
        if turned_away(world.app, request.endpoint, request.role) and isinstance(
            request.row.answers[ROLES.index(request.role)], tuple
        ):
            problems.append(f"{request.describe()}: turned away by the route, yet per record")
        walked.add((rule.endpoint, request.method, rule.rule))
    every_rule = {
        (rule.endpoint, method, rule.rule)
        for rule in world.app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert not problems, problems
    assert every_rule <= walked, sorted(every_rule - walked)


PRACTITIONER = Role.AGENCY_PRACTITIONER.value
OFFICER = Role.SAFEGUARDING_OFFICER.value
NHS_FORM = "Hospital discharge notification"  # the NHS trust's form, shared with nobody


def text_of(client: FlaskClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def ids_of(api: ApiClient, path: str) -> set[int]:
    response = api.get(path)
    assert response.status_code == 200, (path, response.json)
    return {int(item["id"]) for item in response.json["items"]}


def test_no_list_search_export_or_timeline_shows_another_agencys_case(world: World) -> None:
    """The police practitioner works on Edith Crane's latest case. Walter Briggs's case
    and Edith Crane's earlier one belong to the NHS trust alone: no page, list, search,
    report, CSV or timeline of the practitioner's shows them, while the officer's do."""
    police, officer = sign_in(world, PRACTITIONER), sign_in(world, OFFICER)
    ours = world.references["involved"]
    theirs = (world.references["not_involved"], world.references["earlier"])
    case, person = world.ids["concern"]["involved"], world.ids["person"]["involved"]
    place = world.ids["establishment"]["exists"]
    nhs = world.agencies["nhs"]
    report = "/reports/police.crime_without_investigation"
    pages = [
        "/concerns/",
        f"/concerns/?agency_id={nhs}",
        f"/concerns/?establishment_id={place}&status=open",
        f"/concerns/{case}",  # its earlier concerns and its timeline
        f"/people/{person}",
        "/people/?name=Briggs",
        f"/establishments/{place}",
        report,
        report + "/export.csv",
    ]
    leaks = [(path, ref) for path in pages for ref in theirs if ref in text_of(police, path)]
    assert not leaks, leaks
    assert ours in text_of(police, "/concerns/")
    assert "Briggs" not in text_of(police, "/people/") and "Crane" in text_of(police, "/people/")
    assert all(ref in text_of(officer, "/concerns/") for ref in theirs)
    assert world.references["not_involved"] in text_of(officer, report + "/export.csv")

    # the NHS trust's form on the same case is neither listed nor on the timeline
    assert NHS_FORM not in text_of(police, f"/concerns/{case}")
    assert NHS_FORM not in text_of(police, "/forms/")
    assert NHS_FORM in text_of(officer, f"/concerns/{case}")

    api = world.apis[PRACTITIONER]
    assert ids_of(api, "/api/v1/concerns/") == {case}
    assert ids_of(api, f"/api/v1/concerns/?agency_id={nhs}") == {case}
    assert world.references["earlier"] not in api.get(f"/api/v1/concerns/{case}").json["repeat_of"]
    assert ids_of(api, "/api/v1/forms/nhs_trust.discharge_notification/submissions") == set()
    assert ids_of(api, "/api/v1/forms/police.investigation/submissions") == {
        world.ids["submission"]["involved"]
    }

    auditor = sign_in(world, Role.AUDITOR.value)
    assert not any(ref in text_of(auditor, "/concerns/") for ref in theirs)
    assert ids_of(world.apis[Role.AUDITOR.value], "/api/v1/concerns/") == {case}


def test_meetings_and_plans_show_only_the_agencys_own_part(world: World) -> None:
    """The practitioner sees the meetings of its case it is invited to and the plans of
    its case, but not another agency's invitation or plan action in them, nor a meeting
    of its case it is not invited to (nor the reports to it), nor anything of the other
    case."""
    police = sign_in(world, PRACTITIONER)
    api = world.apis[PRACTITIONER]
    others = world.others
    meeting, plan = world.ids["meeting"]["involved"], world.ids["plan"]["involved"]
    nhs_invitation, nhs_action = (
        others["nhs_invitation_on_involved"],
        others["nhs_action_on_involved_plan"],
    )

    assert ids_of(api, "/api/v1/meetings/") == {meeting, others["next_meeting"]}
    # a meeting of its case the police are not invited to: out of their sight, its minutes
    # and the NHS trust's report with it (need to know)
    without_police = f"/meetings/{others['meeting_without_police']}"
    nhs_report = REPORT_TEXT.format(email=NHS_EMAIL)
    assert police.get(without_police).status_code == 404
    assert api.get(f"/api/v1/meetings/{others['meeting_without_police']}").status_code == 404
    assert nhs_report in text_of(sign_in(world, OFFICER), without_police)
    report_pdf = f"{without_police}/invitations/{others['nhs_invitation_without_police']}"
    assert police.get(report_pdf + "/report.pdf").status_code == 404

    portal = text_of(police, "/portal/")
    assert f"/portal/invitations/{others['police_invitation_to_next']}" in portal
    assert f"/portal/invitations/{others['nhs_invitation_to_next']}" not in portal
    for path in (f"/portal/invitations/{nhs_invitation}", f"/plans/{plan}/actions/{nhs_action}"):
        assert police.get(path).status_code == 404, path
    # the NHS trust's open report to a meeting both are invited to is a meeting record the
    # police, involved in full, read (a restricted one: tests/meetings/test_restricted_reports.py)
    nhs_pdf = f"/meetings/{meeting}/invitations/{nhs_invitation}/report.pdf"
    assert police.get(nhs_pdf).status_code == 200
    assert api.get(f"/api/v1/plans/{plan}/actions/{nhs_action}").status_code == 404

    assert ids_of(api, "/api/v1/plans/") == {plan}
    actions = {a["id"] for a in api.get(f"/api/v1/plans/{plan}").json["actions"]}
    assert actions == {world.ids["plan_action"]["involved"]}
    assert {a["id"] for a in api.get(f"/api/v1/plans/{plan}/actions").json} == actions
    assert f"/plans/{plan}/actions/{nhs_action}" not in text_of(police, "/plans/actions")
    officer_plan = world.apis[OFFICER].get(f"/api/v1/plans/{plan}").json
    assert {a["id"] for a in officer_plan["actions"]} == actions | {nhs_action}


def test_refusals_inside_a_visible_case_are_logged_and_change_nothing(world: World) -> None:
    """Writes the route allows but the record does not: another agency's invitation, the
    safeguarding team's attendance, a form only the police write, a case out of reach."""
    police, officer = world.apis[PRACTITIONER], world.apis[OFFICER]
    meeting = world.others["next_meeting"]
    theirs = f"/api/v1/meetings/{meeting}/invitations/{world.others['nhs_invitation_to_next']}"
    mine = f"/api/v1/meetings/{meeting}/invitations/{world.others['police_invitation_to_next']}"
    form = "/api/v1/forms/police.investigation/submissions"
    investigation = {"subject_id": world.ids["concern"]["not_involved"], "data": INVESTIGATION}
    before = snapshot(world)
    with DeniedCounter(world) as denied:
        for api, method, path, body, status in (
            (police, "PATCH", theirs, {"response": "accepted"}, 403),
            (police, "PATCH", mine, {"outcome": "attended_in_person"}, 403),
            (officer, "POST", form, investigation, 403),
            (police, "POST", form, investigation, 422),
        ):
            logged = denied()
            response = api.client.open(path, method=method, json=body, headers=api.headers())
            assert response.status_code == status, (method, path, response.json)
            if status == 403:
                assert denied() > logged, (method, path)
    assert not changed_tables(before, snapshot(world))


def test_every_form_says_every_problem_with_bad_input_at_once(world: World) -> None:
    """Issue 22: every page form, sent once with what a person could get wrong (texts far
    too long, a day that does not exist, choices not offered; and, in the matrix below,
    with nothing at all), answers with the form again: every problem in the error summary
    at once, the title starting "Error:", nothing saved."""
    walk = [
        r
        for r in requests_of(world.app, MATRIX)
        if r.method == "POST" and not r.row.is_api and not r.row.acts and r.expected == FORM
    ]
    firsts = {r.endpoint: r for r in reversed(walk)}  # one role and record a form
    problems: list[str] = []
    before = snapshot(world)
    for request in sorted(firsts.values(), key=lambda r: r.endpoint):
        client = world.pages[request.role]
        path = path_for(world, request, {})
        if request.endpoint == "people.merge":  # its form follows finding the other record
            other = world.value("person", "not_involved", request.role)
            path += f"?other_id={other}"
        shown = client.get(path)
        page = shown.get_data(as_text=True)
        forms = [f for f in post_forms(page) if f.action in ("", path, path.split("?")[0])]
        if shown.status_code != 200:
            problems.append(f"{request.describe()}: GET {path} answered {shown.status_code}")
            continue
        if not forms:  # nothing left to send (the matrix's meeting is held): walked empty
            continue
        sent = client.post(path, data=MultiDict(bad_answers(forms[0])))
        if sent.status_code not in (200, 400):
            problems.append(f"{request.describe()}: bad input answered {sent.status_code}")
            continue
        problems += [
            f"{request.describe()}: {problem}"
            for problem in error_problems(sent.get_data(as_text=True))
        ]
    problems += [f"bad input changed {t}" for t in changed_tables(before, snapshot(world))]
    assert len(firsts) >= 40, "the matrix's page forms"
    assert not problems, "\n".join(problems)


def test_the_access_matrix(world: World) -> None:
    """Walk the table (see the module's docstring for how)."""
    walk = requests_of(world.app, MATRIX)
    extras = {id(r): r.row.fresh(world, r.state, r.role) if r.row.fresh else {} for r in walk}
    refusals = [r for r in walk if r.refused]
    allowed = [r for r in walk if not r.refused and not r.row.acts]
    acting = sorted(
        (r for r in walk if not r.refused and r.row.acts),
        key=lambda r: r.endpoint == "auth.sign_out",  # signing out comes last
    )
    problems: list[str] = []

    def send(request: Request) -> bool:
        got = answer(world, request, extras[id(request)])
        if got != request.expected:
            problems.append(f"{request.describe()}: expected {request.expected}, got {got}")
        return got == request.expected

    before = snapshot(world)
    with DeniedCounter(world) as denied:
        logged = denied()
        for request in refusals:
            answered = send(request)
            earlier, logged = logged, denied()
            # a record that does not exist is not a refusal (case records log it anyway:
            # they cannot tell it from one out of reach)
            if answered and request.state != "missing" and logged == earlier:
                problems.append(f"{request.describe()}: refused but not logged")
    after_refusals = snapshot(world)
    for request in allowed:
        send(request)
    after_allowed = snapshot(world)
    for request in acting:
        send(request)

    problems += [f"refused requests changed {t}" for t in changed_tables(before, after_refusals)]
    problems += [
        f"allowed requests with no usable input changed {t}"
        for t in changed_tables(after_refusals, after_allowed)
    ]
    report = "\n".join(problems)
    assert not problems, f"{len(problems)} problems in the access matrix:\n{report}"
