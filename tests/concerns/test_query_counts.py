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
from tests.support.database import using_postgres


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


def _new_concern_answer_and_reads(app, api):
    with counting(app) as statements:
        made = api.post(
            "/api/v1/concerns/", json=concern_body(), headers={"Idempotency-Key": "counted"}
        )
    assert made.status_code == 201, made.json
    reads = [" ".join(s.split()) for s in statements if s.lstrip().upper().startswith("SELECT")]
    return made.json, reads, statements


def test_recording_a_concern_about_a_new_person_reads_nothing_back(app, factory):
    """The API's busiest write (partner systems send concerns) reads only the bearer
    token (with its user and team) and the access log's chain head: no lazy loads, and no
    search for earlier concerns of a person recorded with this one. Each table is written
    once, the idempotency key twice (claimed, then completed)."""
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    officer.post("/api/v1/concerns/", json=concern_body())  # the year's first reference
    answer, reads, statements = _new_concern_answer_and_reads(app, officer)
    tables = [r.split(" FROM ")[1].split()[0] for r in reads if " FROM " in r]
    if using_postgres():  # the head is read in the one statement that appends the log
        [append] = [r for r in reads if " FROM " not in r]
        assert append.startswith("SELECT access_log_append("), reads
        tables.append("access_log")
    # ... and, with no Redis, the dashboard figures' job run in this process after the
    # commit reads its state (no figures counted yet on this database: nothing more)
    assert sorted(tables) == ["access_log", "api_tokens", "figures_state"], reads
    # INSERT INTO <table> ..., UPDATE <table> ...
    words = [s.split() for s in statements if not s.lstrip().upper().startswith("SELECT")]
    writes = [w[2] if w[0].upper() == "INSERT" else w[1] for w in words]
    repeated = {table for table in writes if writes.count(table) > 1}
    assert repeated <= {"idempotency_keys"}, writes
    if using_postgres():  # the figures' days and returns to count again: one statement
        [noted] = [s for s in statements if "figures_pending" in s]
        assert "INSERT INTO figures_returns_pending" in noted, writes
    assert answer["repeat_of"] == [] and answer["involvements"] == []


def test_recording_a_concern_compiles_no_statement_once_warm(app, factory):
    """Every statement of an API creation comes from SQLAlchemy's compiled cache after
    the first creation: none is built in a form it cannot cache (an insert of several
    VALUES rows is compiled again each time, about a twentieth of the app's CPU a
    creation), on either database."""
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    with app.app_context():
        engine = db.engine
    compiled = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if context is not None and context.compiled is not None:
            compiled.append((context.cache_hit.name, " ".join(statement.split())))

    for key in ("warm", "counted"):
        compiled.clear()
        sa.event.listen(engine, "after_cursor_execute", note)
        try:
            made = officer.post(
                "/api/v1/concerns/", json=concern_body(), headers={"Idempotency-Key": key}
            )
        finally:
            sa.event.remove(engine, "after_cursor_execute", note)
        assert made.status_code == 201, made.json
    assert any("figures_pending" in statement for _, statement in compiled), compiled
    assert [c for c in compiled if c[0] != "CACHE_HIT"] == [], [c[1][:120] for c in compiled]


def test_the_answer_to_a_creation_is_the_record_as_read_back(app, factory):
    """What a creation answers without reading back (no earlier concerns, the referrer's
    involvement) is what reading the concern gives."""
    police = factory.agency(name="Northshire Police", type="police")
    partner = ApiClient(
        app.test_client(),
        make_token(app, factory.user(role=Role.AGENCY_PRACTITIONER, agency_id=police)),
    )
    made = partner.post("/api/v1/concerns/", json=concern_body())
    assert made.status_code == 201, made.json
    assert made.json["involvements"], made.json  # the referrer's agency
    read = partner.get(f"/api/v1/concerns/{made.json['id']}")
    assert read.status_code == 200
    assert made.json == read.json
