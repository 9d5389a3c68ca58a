"""The concerns list and the case page cost the same number of SQL statements however
many concerns, repeats and involved agencies there are."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa

from core.auth.roles import Role
from core.db import utcnow
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body


@contextmanager
def counting(app):
    statements = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


# every filter at once, with a sort that is not the default
FILTERED = (
    "status=open&undecided=true&type_of_risk=financial"
    "&received_from=1/1/2000&received_to=2999-12-31&sort=decision_due&order=desc"
)


def _make(app, factory, officer, how_many):
    agencies = [
        factory.agency(name=f"Partner {how_many}-{i}", type="other") for i in range(how_many)
    ]
    first = officer.post(
        "/api/v1/concerns/",
        json=concern_body(received_at=(utcnow() - timedelta(days=40)).isoformat()),
    ).json
    last = first
    for index in range(how_many):
        received = (utcnow() - timedelta(days=30 - index)).isoformat()
        last = officer.post(
            "/api/v1/concerns/",
            json=concern_body(received_at=received, person=None, person_id=first["person"]["id"]),
        ).json
        officer.post(
            f"/api/v1/concerns/{last['id']}/involvements",
            json={"agency_id": agencies[index], "note": "Partner"},
        )
        officer.post(
            f"/api/v1/concerns/{first['id']}/involvements",
            json={"agency_id": agencies[index], "note": "Partner"},
        )
    return first, last, agencies[0]


def _costs(app, auth, client, factory, how_many):
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    first, last, partner = _make(app, factory, officer, how_many)
    costs = {}
    for name, url in (
        ("list", "/concerns/"),
        ("case", f"/concerns/{last['id']}"),
        ("first case", f"/concerns/{first['id']}"),
        ("api list", "/api/v1/concerns/"),
        ("filtered list", f"/concerns/?{FILTERED}&agency_id={partner}"),
        ("filtered api list", f"/api/v1/concerns/?{FILTERED}&agency_id={partner}"),
    ):
        target = officer if "api" in name else client
        with counting(app) as statements:
            response = target.get(url)
        assert response.status_code == 200
        costs[name] = len(statements)
    return costs


def test_statement_counts_do_not_grow_with_rows(app_factory, factory):
    from tests.conftest import Auth, Factory

    results = []
    for how_many in (2, 8):
        app = app_factory()
        fac = Factory(app)
        fac._count = how_many * 100
        client = app.test_client()
        Auth(client, fac).as_role(Role.SAFEGUARDING_OFFICER, email=f"o{how_many}@example.org")
        results.append(_costs(app, None, client, fac, how_many))
    assert results[0] == results[1], results
