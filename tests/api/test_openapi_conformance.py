"""Schemathesis over the whole OpenAPI document, in-process, with tokens for several
roles: no 5xx, and every response matches the document. Later resources are covered
automatically because the document is read from the running app."""

from __future__ import annotations

import schemathesis

from core.auth.roles import Role
from tests.api.conftest import make_token
from tests.support.fuzz import exercise

ROLES = (Role.ADMINISTRATOR, Role.SAFEGUARDING_OFFICER, Role.AGENCY_PRACTITIONER, Role.BOARD_MEMBER)
# 8 cases per operation, each sent with four roles' tokens (32 requests an operation):
# the walk is the suite's longest test, twice (SQLite and PostgreSQL), inside CI's
# 15-minute budget; tests/api/test_served_fuzz.py walks every operation again through
# the served app.
EXAMPLES_PER_OPERATION = 8


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_document_lists_the_platform_resources(app):
    paths = {operation.path for operation in _operations(app)}
    assert {
        "/api/v1/me",
        "/api/v1/agencies/",
        "/api/v1/agencies/{agency_id}",
        "/api/v1/users/",
    } <= paths


def test_api_conforms_to_its_document_for_every_role(app, factory):
    """Each generated request is sent once with each role's token: the cases are drawn
    once per operation (drawing costs as much as answering), and every role meets every
    case, as when each role drew the same derandomized cases for itself."""
    tokens = {role.value: make_token(app, factory.user(role=role)) for role in ROLES}
    for operation in _operations(app):
        exercise(operation, tokens, EXAMPLES_PER_OPERATION)
