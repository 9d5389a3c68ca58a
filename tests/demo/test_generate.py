"""`flask demo generate`: synthetic cases at scale through the real schema.

The generator is PostgreSQL only (set-based SQL over generate_series); the PostgreSQL run of
the suite (`CI=true make test`) exercises it, the SQLite run checks that it refuses."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from core.extensions import db
from tests.conftest import csrf_token
from tests.support.database import using_postgres


def _scalar(app, sql: str, **params):
    with app.app_context():
        return db.session.scalar(sa.text(sql), params)


@pytest.mark.skipif(not using_postgres(), reason="the generator needs PostgreSQL")
def test_a_small_county_is_generated_and_the_pages_show_it(app, runner):
    from core.demo.operations import DEMO_PASSWORD
    from core.reference import LocationOfRisk, TypeOfRisk

    migrated = _schema(app)
    result = runner.invoke(args=["demo", "generate", "--scale", "county", "--concerns", "500"])
    assert result.exit_code == 0, result.output
    assert "500 concerns over 5 years" in result.output
    # written in SQL, which no flush saw: the dashboard's summary counted at the end
    assert "Dashboard figures counted" in result.output
    assert _scalar(app, "SELECT sum(concerns) FROM figures_received") == 500
    # the tables were filled without their indexes, unique constraints and foreign keys:
    # all of them are back, as the migrations made them, and checked against the rows
    assert _schema(app) == migrated

    assert _scalar(app, "SELECT count(*) FROM concerns") == 500
    assert _scalar(app, "SELECT count(DISTINCT reference) FROM concerns") == 500
    assert 200 < _scalar(app, "SELECT count(*) FROM meetings") < 500  # about 2 in 3
    per_meeting = _scalar(
        app, "SELECT avg(n) FROM (SELECT count(*) AS n FROM invitations GROUP BY meeting_id) x"
    )
    assert 5 <= per_meeting <= 7  # 4 to 8 invitations, 6 on average
    # each held conference keeps its verdict on quoracy, as recording it does
    verdicts = dict(
        _rows(
            app,
            "SELECT quorate IS NULL, count(*) FROM meetings WHERE status = 'held' AND type IN "
            "('initial_child_protection_conference', 'review_child_protection_conference', "
            "'adult_protection_conference') GROUP BY quorate IS NULL",
        )
    )
    assert verdicts.get(True) is None and verdicts[False] > 20
    assert _scalar(app, "SELECT min(received_at) < now() - interval '4 years' FROM concerns")
    risks = set(_all(app, "SELECT DISTINCT risk_type FROM concern_risk_types"))
    assert risks <= {r.value for r in TypeOfRisk} and "neglect" in risks
    assert set(_all(app, "SELECT DISTINCT location FROM concerns")) <= {
        loc.value for loc in LocationOfRisk
    }
    # attendance depends on the kind of agency: children's social care nearly always comes,
    # GPs mostly send a report
    rates = dict(
        _rows(
            app,
            "SELECT a.type, avg(CASE WHEN i.outcome LIKE 'attended%' THEN 1.0 ELSE 0 END) "
            "FROM invitations i JOIN agencies a ON a.id = i.agency_id "
            "WHERE i.outcome IS NOT NULL GROUP BY a.type",
        )
    )
    assert rates["local_authority"] > rates["police"] > rates["gp_practice"]
    assert (
        _scalar(
            app,
            "SELECT count(*) FROM invitations WHERE outcome IS NULL AND "
            "meeting_id IN (SELECT id FROM meetings WHERE status = 'held')",
        )
        == 0
    )

    # the app reads what was made, and numbers the next concern past it
    client = app.test_client()
    token = csrf_token(client, "/sign-in")
    signed_in = client.post(
        "/sign-in",
        data={"email": "officer@demo.example", "password": DEMO_PASSWORD, "csrf_token": token},
    )
    assert signed_in.status_code == 302
    assert client.get("/concerns/").status_code == 200
    meeting = _scalar(app, "SELECT min(id) FROM meetings WHERE status = 'held'")
    concern = _scalar(
        app, "SELECT concern_id FROM meeting_concerns WHERE meeting_id = :id", id=meeting
    )
    assert client.get(f"/concerns/{concern}").status_code == 200
    assert client.get(f"/meetings/{meeting}").status_code == 200
    assert client.get("/plans/").status_code == 200
    for plan in _all(app, "SELECT min(id) FROM plans GROUP BY status"):
        assert client.get(f"/plans/{plan}").status_code == 200
    closed = _scalar(app, "SELECT min(id) FROM concerns WHERE status = 'closed'")
    assert client.get(f"/concerns/{closed}").status_code == 200
    with app.app_context():
        from core.concerns.operations import next_reference

        assert next_reference(2026) == "SG-2026-000501"
        db.session.rollback()

    again = runner.invoke(args=["demo", "generate", "--scale", "county", "--concerns", "10"])
    assert again.exit_code == 2 and "already has concerns" in again.output


SCHEMA = """
SELECT 'index', tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT 'constraint', conrelid::regclass::text, conname,
    pg_get_constraintdef(oid) || CASE WHEN convalidated THEN '' ELSE ' NOT VALID' END
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'trigger', tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) || tgenabled::text
FROM pg_trigger WHERE NOT tgisinternal
UNION ALL
-- the foreign keys' own triggers, named after their object ids
SELECT 'key triggers', tgrelid::regclass::text, count(*)::text, '' FROM pg_trigger
WHERE tgisinternal GROUP BY tgrelid
UNION ALL
SELECT 'table', relname, relkind::text, relpersistence::text FROM pg_class
WHERE relnamespace = 'public'::regnamespace"""


def _schema(app) -> set[tuple]:
    """Indexes, constraints (and whether they were checked), triggers (the foreign keys'
    counted) and tables, as the catalogue describes them."""
    return set(_rows(app, SCHEMA))


@pytest.mark.skipif(not using_postgres(), reason="the generator needs PostgreSQL")
def test_a_failed_generation_leaves_the_database_as_migrated(app, monkeypatch):
    """The load runs in one transaction: a statement failing after the indexes and keys were
    dropped and some rows written rolls all of it back."""
    from core.demo import generate as generator

    statements = generator._statements

    def failing_after_the_people(*args):
        made = statements(*args)
        return [made[0], ("concerns", "SELECT 1 / 0"), *made[1:]]

    monkeypatch.setattr(generator, "_statements", failing_after_the_people)
    small = replace(generator.SCALES["county"], concerns=10)
    migrated = _schema(app)
    with app.app_context(), pytest.raises(sa.exc.DataError, match="division by zero"):
        generator.generate(small, "test", report=lambda _: None)
    assert _schema(app) == migrated
    assert _scalar(app, "SELECT count(*) FROM people") == 0


def _all(app, sql: str) -> list:
    with app.app_context():
        return list(db.session.scalars(sa.text(sql)))


def _rows(app, sql: str) -> list:
    with app.app_context():
        return [tuple(row) for row in db.session.execute(sa.text(sql))]


@pytest.mark.skipif(using_postgres(), reason="checks the refusal on SQLite")
def test_sqlite_is_refused_with_a_clear_message(runner):
    result = runner.invoke(args=["demo", "generate", "--scale", "national"])
    assert result.exit_code == 2
    assert "needs PostgreSQL" in result.output and "sqlite" in result.output


def test_production_is_refused(app, runner):
    app.config["ENV_NAME"] = "production"
    result = runner.invoke(args=["demo", "generate", "--scale", "county", "--concerns", "10"])
    assert result.exit_code == 2
    assert "Refusing to generate synthetic data in production" in result.output
    assert _scalar(app, "SELECT count(*) FROM concerns") == 0


@pytest.mark.skipif(not using_postgres(), reason="the generator's SQL runs on PostgreSQL")
def test_generated_references_are_written_like_the_apps_past_a_million(app):
    """At national scale row numbers pass 999,999: lpad alone would cut them to six digits
    and give two concerns one reference."""
    from core.demo.generate import reference_sql

    numbers = [1, 42, 999_999, 1_000_000, 1_234_567, 2_234_567, 3_000_000]
    given = sa.func.unnest(sa.literal(numbers)).table_valued("n").render_derived(name="given")
    expression = reference_sql("given.n", "timestamptz '2025-06-01 12:00+00'")
    with app.app_context():
        written = list(
            db.session.scalars(sa.select(sa.literal_column(expression)).select_from(given))
        )
    assert written == [f"SG-2025-{n:06d}" for n in numbers]
    assert len(set(written)) == len(numbers)


@pytest.mark.skipif(not using_postgres(), reason="the generator needs PostgreSQL")
def test_national_areas_are_councils_of_their_own_with_their_agencies(app):
    """At national scale each area is a council of a hosted service: its cases belong to
    it and its partner agencies serve it, so its staff's lists and agency choices hold its
    own, not the country's."""
    from core.demo import generate as generator

    three = replace(generator.SCALES["national"], concerns=300, areas=3)
    with app.app_context():
        generator.generate(three, "test", report=lambda _: None)
    officer_council = _scalar(
        app, "SELECT council_id FROM users WHERE email = 'officer@demo.example'"
    )
    per_council = dict(_rows(app, "SELECT council_id, count(*) FROM concerns GROUP BY 1"))
    assert len(per_council) == 3 and officer_council in per_council
    assert all(count > 50 for count in per_council.values())  # about a third each
    # every generated area agency serves its own council only
    serving = dict(
        _rows(
            app,
            "SELECT a.name, min(s.council_id) FROM agencies a "
            "JOIN agency_councils s ON s.agency_id = a.id "
            "WHERE a.name LIKE '%Probation Delivery Unit' GROUP BY a.name "
            "HAVING count(*) = 1",
        )
    )
    assert len(set(serving.values())) == 3
    # a case's referrer, when an agency, serves the case's council
    assert (
        _scalar(
            app,
            "SELECT count(*) FROM concerns c WHERE c.referrer_agency_id IS NOT NULL AND NOT "
            "EXISTS (SELECT 1 FROM agency_councils s WHERE s.agency_id = c.referrer_agency_id "
            "AND s.council_id = c.council_id)",
        )
        == 0
    )
