"""Schemathesis over HTTP against the served app: gunicorn with two workers of four
threads on the suite's database (SQLite, and PostgreSQL in CI's second run), every API
operation in the document, as the safeguarding officer and as a police practitioner.
No 5xx, and no response the document does not allow. The in-process conformance test
(test_openapi_conformance.py) draws more cases per operation; this one proves the same
holds through a real server, its workers and its database connections."""

from __future__ import annotations

import schemathesis

from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import Factory
from tests.support.fuzz import exercise
from tests.support.served import Server

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
            exercise(operation, tokens, EXAMPLES_PER_OPERATION, base_url=server.url(""))
    finally:
        server.stop()
