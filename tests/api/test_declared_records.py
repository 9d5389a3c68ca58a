"""The records a route declares (``@record`` in core/pipeline.py) are loaded, authorised
and logged by the pipeline, from record types declared once in the policy."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from core.accesslog.models import AccessLogEntry
from core.auth.roles import Role
from core.extensions import db
from core.pipeline import declared_records
from core.policy.resources import RESOURCES
from tests.concerns.test_concerns_api import concern_body


def test_every_declared_record_names_a_record_type_and_a_variable_of_its_url(app: Flask) -> None:
    checked = 0
    for rule in app.url_map.iter_rules():
        declared = declared_records(app.view_functions.get(rule.endpoint))
        for position, item in enumerate(declared):
            assert item.name in RESOURCES, f"{rule.endpoint}: no record type {item.name!r}"
            variable = RESOURCES[item.name].url_variable
            # a record not in the URL is the first, read from the query (/plans/new?concern_id=)
            in_query = position == 0 and not rule.rule.startswith("/api/")
            assert variable is None or variable in rule.arguments or in_query, (
                f"{rule.endpoint} ({rule.rule}) declares {item.name} but has no <{variable}>"
            )
            checked += 1
    assert checked > 40


def test_a_record_out_of_sight_is_404_and_a_logged_refusal_on_page_and_api(
    app: Flask, auth: Any, api_as: Any
) -> None:
    officer = api_as(Role.SAFEGUARDING_OFFICER)
    concern = officer.post("/api/v1/concerns/", json=concern_body()).json
    outsider = api_as(Role.AGENCY_PRACTITIONER)
    assert outsider.get(f"/api/v1/concerns/{concern['id']}/notes").status_code == 404
    auth.as_role(Role.AGENCY_PRACTITIONER)
    assert auth.client.get(f"/concerns/{concern['id']}").status_code == 404
    with app.app_context():
        refusals = db.session.scalars(
            sa.select(AccessLogEntry.outcome).where(
                AccessLogEntry.action == "concern.view",
                AccessLogEntry.object_id == str(concern["id"]),
            )
        ).all()
    assert refusals == ["denied", "denied"]


def test_a_record_named_in_the_query_is_loaded_or_refused(
    app: Flask, auth: Any, api_as: Any
) -> None:
    officer = api_as(Role.SAFEGUARDING_OFFICER)
    concern = officer.post("/api/v1/concerns/", json=concern_body()).json
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    assert auth.client.get(f"/plans/new?concern_id={concern['id']}").status_code == 200
    for query in ("", "?concern_id=x", f"?concern_id={concern['id'] + 1}"):
        assert auth.client.get(f"/plans/new{query}").status_code == 404


def test_a_request_sent_to_sign_in_logs_no_read(app: Flask, api_as: Any) -> None:
    officer = api_as(Role.SAFEGUARDING_OFFICER)
    concern = officer.post("/api/v1/concerns/", json=concern_body()).json
    for path in (f"/concerns/{concern['id']}", f"/people/{concern['person']['id']}/merge"):
        assert app.test_client().get(path).status_code == 302
    with app.app_context():
        reads = db.session.scalars(
            sa.select(AccessLogEntry.action).where(AccessLogEntry.user_id.is_(None))
        ).all()
    assert "concern.view" not in reads and "person.view" not in reads
