"""A six-month attendance audit at national scale, beside one hand-written GROUP BY.

Builds, with set-based SQL only (generate_series, INSERT ... SELECT), about 2 million
meetings and 12 million invitations over five years in a scratch PostgreSQL database
(``bench_audit`` beside BENCH_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test),
migrated like production. Then it times:

- the audit through the real code (``run_attendance_audit``: the figures per agency and
  meeting type and per agency, stored in one statement, the count of meetings held and
  the quorate share of conferences from each meeting's stored verdict), and reading it
  back (``audit_report``);
- the fastest hand-written query we know over the same rows (``HAND_WRITTEN``): the same
  counts per agency and meeting type by a plain GROUP BY, which PostgreSQL aggregates in
  parallel, then the per-agency totals by GROUPING SETS over that small result, the
  omitted invitations corrected over the few withdrawn ones;
- for comparison, the one-pass GROUP BY GROUPING SETS that was the reference before
  issue 23 (``SINGLE_SCAN``), which PostgreSQL cannot run in parallel.

The data builder stores each held conference's verdict on quoracy as the app does when a
meeting is recorded (set-based, by the same rule: ``store_quoracy``); with --reuse on a
database kept from before the verdicts were stored, it stores them first, as
``flask audits requorate`` does after the migration. Before timing, it checks that the two
references and the audit's stored figures give exactly the same counts, and that the
audit's quorate shares are those the rule gives over every conference worked out now, and
stops (exit status 2) if not.

Both run with the PostgreSQL settings the README recommends for production on SSD storage
(``random_page_cost = 1.1``; see "Running in production"), set on the scratch database.

Targets: the audit under 3 s, and within 1.5 times the hand-written query. Each is the
median of five rounds after one warm-up (the audit and the queries take turns in each
round). The database is dropped at the end unless --keep.

Run: .venv/bin/python benchmarks/attendance_audit.py [--meetings 2000000] [--keep]
[--reuse] [--database bench_audit]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from benchmarks._support import PG_URL, machine

DATABASE = "bench_audit"
INVITATIONS_PER_MEETING = 6
AGENCIES = 400
TARGET_SECONDS = 3.0
TARGET_RATIO = 1.5
PERIOD = (date(2025, 1, 1), date(2025, 6, 30))
FIVE_YEARS_SECONDS = 5 * 365.25 * 24 * 3600
TYPES = (
    "strategy_discussion",
    "adult_protection_conference",
    "initial_child_protection_conference",
    "review_child_protection_conference",
    "core_group",
    "organisational_strategy_meeting",
)
AGENCY_TYPES = (
    "local_authority",
    "childrens_social_care",
    "police",
    "nhs_trust",
    "education",
    "care_provider",
    "probation",
    "housing",
)

# The reference: the figures per agency and meeting type by a plain GROUP BY, which
# PostgreSQL aggregates in parallel over the covering indexes, then the per-agency totals
# added by GROUPING SETS over that small result; "omitted" is the withdrawn standard
# invitations counted in the same pass, less those renewed (a join over the few withdrawn
# ones, through their partial index).
HAND_WRITTEN = """
WITH per_type AS (
    SELECT i.agency_id, m.type,
           count(*) FILTER (WHERE i.removed_at IS NULL) AS invited,
           count(*) FILTER (WHERE i.removed_at IS NULL
                              AND i.outcome IN ('attended_in_person', 'attended_virtually'))
               AS attended,
           count(*) FILTER (WHERE i.removed_at IS NULL
                              AND i.outcome = 'apologies_with_report') AS apologies_with_report,
           count(*) FILTER (WHERE i.removed_at IS NULL
                              AND i.outcome = 'apologies_without_report')
               AS apologies_without_report,
           count(*) FILTER (WHERE i.removed_at IS NULL
                              AND i.outcome = 'did_not_attend') AS did_not_attend,
           count(*) FILTER (WHERE i.removed_at IS NOT NULL AND i.standard) AS withdrawn
    FROM invitations i JOIN meetings m ON m.id = i.meeting_id
    WHERE m.status = 'held' AND m.held_at >= :begin AND m.held_at < :finish
    GROUP BY i.agency_id, m.type
), renewed AS (
    SELECT w.agency_id, m.type, count(*) AS renewed
    FROM invitations w
    JOIN meetings m ON m.id = w.meeting_id
    JOIN invitations l ON l.meeting_id = w.meeting_id AND l.agency_id = w.agency_id
                      AND l.removed_at IS NULL
    WHERE w.removed_at IS NOT NULL AND w.standard
      AND m.status = 'held' AND m.held_at >= :begin AND m.held_at < :finish
    GROUP BY w.agency_id, m.type
)
SELECT p.agency_id, p.type,
       sum(p.invited) AS invited, sum(p.attended) AS attended,
       sum(p.apologies_with_report) AS apologies_with_report,
       sum(p.apologies_without_report) AS apologies_without_report,
       sum(p.did_not_attend) AS did_not_attend,
       sum(p.withdrawn - coalesce(r.renewed, 0)) AS omitted
FROM per_type p LEFT JOIN renewed r ON r.agency_id = p.agency_id AND r.type = p.type
GROUP BY GROUPING SETS ((p.agency_id, p.type), (p.agency_id))
"""

# The reference before issue 23: one GROUP BY GROUPING SETS over every invitation, which
# PostgreSQL cannot aggregate in parallel, and a lookup per withdrawn invitation. Kept to
# check the faster reference (and the audit) give exactly its counts.
SINGLE_SCAN = """
SELECT i.agency_id, m.type,
       count(*) FILTER (WHERE i.removed_at IS NULL) AS invited,
       count(*) FILTER (WHERE i.removed_at IS NULL
                          AND i.outcome IN ('attended_in_person', 'attended_virtually'))
           AS attended,
       count(*) FILTER (WHERE i.removed_at IS NULL
                          AND i.outcome = 'apologies_with_report') AS apologies_with_report,
       count(*) FILTER (WHERE i.removed_at IS NULL
                          AND i.outcome = 'apologies_without_report') AS apologies_without_report,
       count(*) FILTER (WHERE i.removed_at IS NULL
                          AND i.outcome = 'did_not_attend') AS did_not_attend,
       count(*) FILTER (WHERE i.removed_at IS NOT NULL AND i.standard
                          AND NOT EXISTS (SELECT 1 FROM invitations j
                                          WHERE j.meeting_id = i.meeting_id
                                            AND j.agency_id = i.agency_id
                                            AND j.removed_at IS NULL)) AS omitted
FROM invitations i JOIN meetings m ON m.id = i.meeting_id
WHERE m.status = 'held' AND m.held_at >= :begin AND m.held_at < :finish
GROUP BY GROUPING SETS ((i.agency_id, m.type), (i.agency_id))
"""


def use_database(name: str) -> None:
    """Work on another scratch database than ``bench_audit`` (--database)."""
    global DATABASE
    DATABASE = name


def scratch_url() -> str:
    return make_url(PG_URL).set(database=DATABASE).render_as_string(hide_password=False)


def create_database() -> None:
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()


# "Running in production" in the README: the planner settings for SSD storage
RECOMMENDED_SETTINGS = {"random_page_cost": "1.1"}


def apply_recommended_settings() -> None:
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for name, value in RECOMMENDED_SETTINGS.items():
            connection.execute(sa.text(f'ALTER DATABASE "{DATABASE}" SET {name} = {value}'))
    admin.dispose()


def drop_database() -> None:
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
    admin.dispose()


def build_app(url: str):  # type: ignore[no-untyped-def]
    from flask_migrate import upgrade

    from core import create_app

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING"}
    )
    with app.app_context():
        upgrade()
    return app


def load(app, meetings: int) -> float:  # type: ignore[no-untyped-def]
    """Agencies, one user, the meetings and their invitations: set-based SQL only."""
    from core.extensions import db

    types = "ARRAY[" + ", ".join(f"'{t}'" for t in TYPES) + "]"
    step = f"{FIVE_YEARS_SECONDS / meetings:.4f} seconds"
    agency_types = "ARRAY[" + ", ".join(f"'{t}'" for t in AGENCY_TYPES) + "]"
    statements = [
        f"""INSERT INTO agencies (id, name, type, active, version, created_at)
            SELECT g, 'Agency ' || g, ({agency_types})[1 + g % {len(AGENCY_TYPES)}], true, 1, now()
            FROM generate_series(1, {AGENCIES}) g""",
        """INSERT INTO users (id, email, name, agency_id, role, password_hash, active, version,
                              created_at, password_changed_at, council_id)
           VALUES (1, 'bench@example.org', 'Bench', 1, 'safeguarding_officer', 'x', true, 1,
                   now(), now(), (SELECT MIN(id) FROM councils))""",
        # five years of meetings from January 2021, evenly spread; 5% cancelled
        f"""INSERT INTO meetings (id, type, starts_at, duration_minutes, venue, status, uid,
                                  sequence, held_at, cancelled_at, created_by_id, created_at,
                                  version)
            SELECT g, ({types})[1 + (g::bigint * 7919) % {len(TYPES)}],
                   timestamptz '2021-01-01 09:00+00' + (g * interval '{step}'), 60,
                   'Room 1', CASE WHEN g % 20 = 0 THEN 'cancelled' ELSE 'held' END,
                   'bench-' || g, 0,
                   CASE WHEN g % 20 = 0 THEN NULL
                        ELSE timestamptz '2021-01-01 09:00+00' + (g * interval '{step}')
                   END,
                   CASE WHEN g % 20 = 0 THEN now() END, 1, now(), 1
            FROM generate_series(1, {meetings}) g""",
        # six agencies per meeting: four from the standard list, two added; of the
        # standard ones, 2% left off (withdrawn); outcomes spread by a hash
        f"""INSERT INTO invitations (meeting_id, agency_id, reason, standard, method,
                                     invited_at, invited_by_id, outcome, removed_at,
                                     removal_reason, version)
            SELECT m.id, 1 + (m.id * 7 + k * 13) % {AGENCIES}, 'Standard list', k < 4, 'email',
                   m.created_at, 1,
                   CASE WHEN m.status <> 'held' OR (k < 4 AND (m.id + k) % 50 = 0) THEN NULL
                        ELSE (ARRAY['attended_in_person', 'attended_in_person',
                                    'attended_in_person', 'attended_virtually',
                                    'attended_virtually', 'apologies_with_report',
                                    'apologies_without_report', 'did_not_attend'])
                             [1 + ((m.id * 31 + k * 17) % 8)]
                   END,
                   CASE WHEN k < 4 AND (m.id + k) % 50 = 0 THEN m.created_at END,
                   CASE WHEN k < 4 AND (m.id + k) % 50 = 0 THEN 'Not needed' END,
                   1
            FROM meetings m CROSS JOIN generate_series(0, {INVITATIONS_PER_MEETING - 1}) k""",
    ]
    start = time.perf_counter()
    with app.app_context():
        for statement in statements:
            db.session.execute(sa.text(statement))
            db.session.commit()
        # the verdict on quoracy the app stores on each meeting as it is recorded
        store_verdicts()
        for table in ("agencies", "users", "meetings", "invitations"):
            db.session.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
        db.session.commit()
    with (
        app.app_context(),
        db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection,
    ):
        connection.execute(sa.text("VACUUM ANALYZE"))
    return time.perf_counter() - start


def store_verdicts() -> int:
    """Each held meeting's verdict on quoracy, as recording it through the app stores it,
    here set-based by the same rule (what ``flask audits requorate`` runs after the
    migration that added it): for the meetings that have none. Returns how many."""
    from core.extensions import db
    from core.meetings.quorum import store_quoracy

    written = store_quoracy()
    db.session.commit()
    return written


def check_quoracy(audit_id: int) -> int:
    """The audit's stored quorate shares beside the rule worked out over every conference
    (as the audit counted before the verdicts were stored); stops (exit status 2) if they
    differ. Returns how many conferences were quorate."""
    from core.audits.attendance import quorate_by_todays_rule
    from core.audits.models import ALL_TYPES, AttendanceAuditQuoracy
    from core.extensions import db

    stored = {
        share.meeting_type: share.quorate
        for share in db.session.scalars(
            sa.select(AttendanceAuditQuoracy).where(AttendanceAuditQuoracy.audit_id == audit_id)
        )
        if share.meeting_type != ALL_TYPES
    }
    expected = quorate_by_todays_rule(*PERIOD)
    if stored != expected:
        print(
            f"MISMATCH: the audit's quorate shares {stored}, worked out now {expected}",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return sum(stored.values())


FIGURES = (
    "invited",
    "attended",
    "apologies_with_report",
    "apologies_without_report",
    "did_not_attend",
    "omitted",
)
Figures = dict[tuple[int, str], tuple[int, ...]]


def by_agency_and_type(rows) -> Figures:  # type: ignore[no-untyped-def]
    """(agency, meeting type or "all") -> the counts, from a GROUPING SETS result."""
    return {
        (row.agency_id, row.type or "all"): tuple(int(getattr(row, n)) for n in FIGURES)
        for row in rows
    }


def stored_figures(audit_id: int) -> Figures:
    from core.extensions import db

    rows = db.session.execute(
        sa.text(
            "SELECT agency_id, meeting_type AS type, invited, attended, apologies_with_report, "
            "apologies_without_report, did_not_attend, omitted_invitations AS omitted "
            "FROM attendance_audit_rows WHERE audit_id = :audit"
        ),
        {"audit": audit_id},
    )
    return by_agency_and_type(rows)


def check_same(name: str, found: Figures, expected: Figures) -> None:
    """Stop the benchmark (exit status 2) when two ways of counting disagree."""
    if found == expected:
        return
    differing = sorted(k for k in found.keys() | expected.keys() if found.get(k) != expected.get(k))
    for key in differing[:10]:
        print(f"  {key}: {name} {found.get(key)}, one-pass reference {expected.get(key)}")
    print(
        f"MISMATCH: {name} differs from the one-pass GROUPING SETS reference "
        f"in {len(differing)} of {len(expected)} rows",
        file=sys.stderr,
    )
    raise SystemExit(2)


def median_seconds(*actions, repeat: int = 5) -> list[float]:  # type: ignore[no-untyped-def]
    """Each action's median time over ``repeat`` rounds after one warm-up; the actions take
    turns within a round, so a change in the machine's load falls on all of them alike."""
    for action in actions:
        action()
    timings: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for action, taken in zip(actions, timings, strict=True):
            begin = time.perf_counter()
            action()
            taken.append(time.perf_counter() - begin)
    return [statistics.median(taken) for taken in timings]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=2_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the bench_audit database")
    parser.add_argument(
        "--reuse", action="store_true", help="time the audit on a bench_audit kept earlier"
    )
    parser.add_argument(
        "--database", default=DATABASE, help=f"the scratch database's name (default {DATABASE})"
    )
    args = parser.parse_args()
    use_database(args.database)
    print(f"Attendance audit benchmark on {machine()}")
    if not args.reuse:
        create_database()
    apply_recommended_settings()
    app = build_app(scratch_url())
    try:
        seconds = 0.0 if args.reuse else load(app, args.meetings)
        from core.audits.attendance import period_bounds
        from core.audits.operations import run_attendance_audit
        from core.audits.report import audit_report
        from core.extensions import db

        with app.app_context():
            if args.reuse:  # kept from before the verdicts were stored: store them once
                began = time.perf_counter()
                written = store_verdicts()
                if written:
                    print(
                        f"Stored the verdict on quoracy of {written:,} held conferences "
                        f"recorded before it was kept in {time.perf_counter() - began:.0f} s"
                    )
                    # what autovacuum does after so large an update: the visibility map
                    # the index-only scans rely on
                    with db.engine.connect().execution_options(
                        isolation_level="AUTOCOMMIT"
                    ) as connection:
                        connection.execute(sa.text("VACUUM ANALYZE meetings"))
            args.meetings = db.session.scalar(sa.text("SELECT count(*) FROM meetings"))
            invitations = db.session.scalar(sa.text("SELECT count(*) FROM invitations"))
            version = db.session.scalar(sa.text("SHOW server_version"))
            print(
                f"PostgreSQL {version}: {args.meetings:,} meetings, {invitations:,} invitations "
                f"over five years, {AGENCIES} agencies (loaded in {seconds:.0f} s); "
                + ", ".join(f"{name} {value}" for name, value in RECOMMENDED_SETTINGS.items())
            )
            begin, finish = period_bounds(*PERIOD)
            bounds = {"begin": begin, "finish": finish}

            def real() -> None:
                audit = run_attendance_audit(*PERIOD, None)
                audit_report(audit)
                db.session.rollback()

            def hand_written() -> None:
                db.session.execute(sa.text(HAND_WRITTEN), bounds).all()
                db.session.rollback()

            # the same counts three ways, or the benchmark stops
            expected = by_agency_and_type(db.session.execute(sa.text(SINGLE_SCAN), bounds))
            check_same(
                "the two-stage reference",
                by_agency_and_type(db.session.execute(sa.text(HAND_WRITTEN), bounds)),
                expected,
            )
            audit = run_attendance_audit(*PERIOD, None)
            check_same("the audit's stored figures", stored_figures(audit.id), expected)
            quorate = check_quoracy(audit.id)
            db.session.rollback()
            print(
                f"Same counts from the audit and both references: {len(expected):,} rows; "
                f"the same {quorate:,} quorate conferences stored and worked out now"
            )

            def single_scan() -> None:
                db.session.execute(sa.text(SINGLE_SCAN), bounds).all()
                db.session.rollback()

            audit_time, query_time, single_scan_time = median_seconds(
                real, hand_written, single_scan
            )
            held = db.session.scalar(
                sa.text(
                    "SELECT count(*) FROM meetings WHERE status = 'held' "
                    "AND held_at >= :b AND held_at < :f"
                ),
                {"b": begin, "f": finish},
            )
    finally:
        from core.extensions import db

        with app.app_context():
            db.engine.dispose()
        if not args.keep:
            drop_database()
    ratio = audit_time / query_time
    fast = audit_time < TARGET_SECONDS
    close = ratio <= TARGET_RATIO
    print(f"Audit of {PERIOD[0]} to {PERIOD[1]}: {held:,} meetings held")
    print(
        f"audit through the real code  {audit_time:6.3f} s  "
        f"(target < {TARGET_SECONDS:.0f} s: {'met' if fast else 'MISSED'})"
    )
    print(
        f"hand-written GROUP BY        {query_time:6.3f} s  ratio {ratio:.2f} "
        f"(target <= {TARGET_RATIO}: {'met' if close else 'MISSED'})"
    )
    print(f"(the one-pass GROUPING SETS before issue 23: {single_scan_time:6.3f} s)")
    return 0 if fast and close else 1


if __name__ == "__main__":
    sys.exit(main())
