"""Schemathesis over HTTP against the served app: gunicorn with two workers of four
threads on the suite's database (SQLite, and PostgreSQL in CI's second run), every API
operation in the document, as the safeguarding officer and as a police practitioner.
No 5xx, and no response the document does not allow. The in-process conformance test
(test_openapi_conformance.py) draws more cases per operation; this one proves the same
holds through a real server, its workers and its database connections."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import Factory
from tests.support.served import Server

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 6  # bounded: the whole run stays within the build's time limit


def test_every_operation_conforms_through_the_served_app(app, tmp_path):
    factory = Factory(app)
    council = factory.agency(name="Northshire Council", type="local_authority")
    police = factory.agency(name="Northshire Police", type="police")
    tokens = {
        "officer": make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER, agency_id=council)),
        "police": make_token(app, factory.user(role=Role.AGENCY_PRACTITIONER, agency_id=police)),
    }
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        db.engine.dispose()
    server = Server(url, tmp_path / "gunicorn.log", workers=2, threads=4)
    try:
        # a case the police referred, so that reads find records as well as 404s
        status, _ = server.call("POST", "/api/v1/concerns/", tokens["police"], concern_body())
        assert status == 201
        schema = schemathesis.openapi.from_url(server.url("/api/v1/openapi.json"))
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) > 40
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def exercise(case):
                for role, token in tokens.items():
                    try:
                        case.call_and_validate(
                            base_url=server.url(""),
                            headers={"Authorization": f"Bearer {token}"},
                            checks=CHECKS,
                        )
                    except Exception as failure:
                        failure.add_note(f"as {role}, served")
                        raise

            exercise()
    finally:
        server.stop()
