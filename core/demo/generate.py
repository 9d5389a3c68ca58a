"""Synthetic case data at county or national scale, for load tests and benchmarks.

Everything is made by set-based SQL on PostgreSQL (``INSERT … SELECT`` over
``generate_series``); no row passes through Python except the agencies (a few thousand at
most). Values are drawn from a deterministic hash of each row's number (``hashint8``), so the
same size gives the same data. The distributions follow the published national figures
roughly: the Safeguarding Adults Collection for types, locations and sources of risk, the
children-in-need census for plan categories, and an attendance pattern per kind of agency
(children's social care nearly always there, GPs mostly sending reports).

The load is one transaction, done the way bulk loads are: the generated tables lose their
secondary indexes, unique constraints and foreign keys while they are filled, and get them
back at the end as the catalogue defined them (built from the loaded rows, the keys checked
in one pass each), so the database ends with its migrated schema, or, if anything fails,
keeps it with no rows added. Same size and same ``now``: the same rows (the plans are
numbered in meeting order, as their actions' values come from their ids; rows nothing
refers to, such as invitations, could be numbered in another order if PostgreSQL planned a
statement differently).

Generated records go through the real schema only: what the app cannot show, it does not
make. Concerns are numbered ``SG-<year>-<number>`` with the row number, and each year's
reference counter is moved past them so concerns recorded later never clash.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from core.demo.fake import synthetic
from core.demo.operations import COUNCIL, load_demo
from core.extensions import db
from core.meetings.quorum import store_quoracy


@dataclass(frozen=True)
class Scale:
    concerns: int
    meetings_per_concern: float  # over all concerns, not only those that lead to a meeting
    areas: int  # councils, each with its own partner agencies


SCALES = {
    # a large county: about 20,000 concerns a year
    "county": Scale(concerns=100_000, meetings_per_concern=2 / 3, areas=1),
    # England: about 600,000 concerns a year, 2 million meetings, 12 million invitations
    "national": Scale(concerns=3_000_000, meetings_per_concern=2 / 3, areas=150),
}


def reference_sql(number: str, received_at: str) -> str:
    """SQL for a generated concern's reference, the way the app writes one
    (``SG-<year>-<number>``, at least six digits, more past 999,999)."""
    return (
        f"'SG-' || extract(year FROM {received_at}) || '-' || "
        f"lpad({number}::text, greatest(6, length({number}::text)), '0')"
    )


class GenerateRefused(Exception):
    """The database or the settings do not allow generating data; the message says why."""


# --- Distributions (per mille; the last value takes what is left) -------------------------

ADULT_RISKS = [
    ("neglect", 320),
    ("physical", 180),
    ("psychological", 140),
    ("financial", 140),
    ("self_neglect", 90),
    ("domestic", 70),
    ("sexual", 35),
    ("organisational", 15),
    ("sexual_exploitation", 5),
    ("discriminatory", 3),
    ("modern_slavery", 2),
]
CHILD_RISKS = [
    ("neglect", 470),
    ("psychological", 370),
    ("physical", 80),
    ("domestic", 40),
    ("sexual", 40),
]
ADULT_LOCATIONS = [
    ("own_home", 470),
    ("care_home_residential", 150),
    ("care_home_nursing", 90),
    ("community", 60),
    ("community_service", 50),
    ("hospital_acute", 30),
    ("hospital_mental_health", 20),
    ("hospital_community", 10),
    ("other", 120),
]
CHILD_LOCATIONS = [("own_home", 780), ("community", 150), ("other", 70)]
ADULT_DECISIONS = [
    ("section_42_enquiry", 350),
    ("other_enquiry", 100),
    ("no_further_action", 400),
    ("signposted", 150),
]
CHILD_DECISIONS = [
    ("strategy_discussion", 320),
    ("child_in_need", 350),
    ("early_help", 180),
    ("no_further_action", 150),
]
ROUTES = [("phone", 450), ("email", 300), ("portal", 150), ("api", 50), ("out_of_hours", 50)]
ETHNICITIES = [
    ("white", 800),
    ("asian", 70),
    ("black", 40),
    ("mixed", 30),
    ("other", 20),
    ("refused", 10),
    ("not_known", 30),
]
SUPPORT_REASONS = [
    ("personal_care", 350),
    ("mental_health", 150),
    ("memory_cognition", 120),
    ("learning_disability", 100),
    ("access_mobility", 100),
    ("social_isolation", 50),
    ("substance_misuse", 30),
    ("not_known", 100),
]
RISK_OUTCOMES = [
    ("identified_action", 600),
    ("identified_no_action", 50),
    ("inconclusive_action", 100),
    ("inconclusive_no_action", 50),
    ("none_action", 80),
    ("none_no_action", 80),
    ("ceased_at_request", 40),
]
OPEN_PLAN_ACTIONS = [("in_progress", 500), ("not_started", 300), ("done", 200)]
CHILD_PLAN_CATEGORIES = [("NEG", 500), ("EMO", 380), ("PHY", 60), ("SAB", 40), ("MUL", 20)]

# Invitation slots: the agency type invited in each position (slots beyond a meeting's count
# are not invited), and how each type turns up: attended, apologies with a report,
# apologies without one (did not attend takes the rest), per mille.
SLOTS = {
    1: ("lead", 0),  # the council's adult team or children's social care
    2: ("police", 0),
    3: ("nhs_trust", 0),  # the acute trust
    4: ("gp_practice", 0),
    5: ("setting", 0),  # school for a child, care provider for an adult
    6: ("nhs_trust", 1),  # the mental health trust
    7: ("housing", 0),
    8: ("probation", 0),
}
ATTENDANCE = {
    "local_authority": (950, 30, 10),
    "childrens_social_care": (970, 20, 5),
    "police": (780, 120, 50),
    "nhs_trust": (660, 180, 80),
    "gp_practice": (350, 400, 100),
    "education": (840, 80, 40),
    "care_provider": (720, 100, 80),
    "housing": (550, 150, 120),
    "probation": (600, 150, 100),
}
REFERRER_SLOTS = [(2, 250), (3, 200), (4, 100), (5, 150), (7, 50), (0, 250)]  # 0: not an agency

GIVEN_NAMES_COUNT = 400
FAMILY_NAMES_COUNT = 1_000


def h(expression: str, salt: int, modulus: int | str = 1000) -> str:
    """SQL for a deterministic, uniform number in [0, modulus) from an integer expression."""
    return f"(abs(hashint8(({expression})::bigint * 1000003 + {salt})::bigint) % {modulus})::int"


def pick(draw: str, options: Sequence[tuple[Any, int]]) -> str:
    """SQL choosing a value by its weight (per mille) for a draw in [0, 1000)."""
    cases, total = [], 0
    for value, weight in options[:-1]:
        total += weight
        cases.append(f"WHEN {draw} < {total} THEN {_literal(value)}")
    return f"(CASE {' '.join(cases)} ELSE {_literal(options[-1][0])} END)"


def _literal(value: Any) -> str:
    return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"


# --- Agencies ------------------------------------------------------------------------------


def _place_names(count: int) -> list[str]:
    fake = synthetic()
    names: list[str] = []
    while len(names) < count:
        name = fake.city()
        if name not in names and name != "Northshire":
            names.append(name)
    return names


AREA_AGENCIES = [
    # (type, variant, name pattern)
    ("local_authority", 0, "{place} Council Adult Safeguarding"),
    ("childrens_social_care", 0, "{place} Children's Social Care"),
    ("police", 0, "{place} Police"),
    ("nhs_trust", 0, "{place} Hospitals NHS Trust"),
    ("nhs_trust", 1, "{place} Mental Health NHS Trust"),
    ("gp_practice", 0, "{place} Health Centre"),
    ("gp_practice", 1, "{place} Road Surgery"),
    ("gp_practice", 2, "{place} Medical Practice"),
    ("education", 0, "{place} Academy"),
    ("education", 1, "{place} Primary School"),
    ("education", 2, "{place} High School"),
    ("care_provider", 0, "{place} Care Homes Ltd"),
    ("care_provider", 1, "{place} Nursing Home"),
    ("care_provider", 2, "{place} Home Care"),
    ("housing", 0, "{place} Homes"),
    ("probation", 0, "{place} Probation Delivery Unit"),
]
DEMO_AREA = {
    # the demo council's own partners stand in for area 1's
    ("local_authority", 0): COUNCIL,
    ("childrens_social_care", 0): "Northshire Children's Social Care",
    ("police", 0): "Northshire Police",
    ("nhs_trust", 0): "Northshire Hospitals NHS Foundation Trust",
    ("nhs_trust", 1): "Northshire Mental Health NHS Trust",
    ("care_provider", 0): "Meadowbank Care Ltd",
    ("care_provider", 1): "Riverside Nursing Homes",
    ("care_provider", 2): "Oakfield Home Care",
}


def _make_agencies(connection: sa.Connection, areas: int) -> dict[tuple[int, str, int], int]:
    """Every area's agencies, by (area, type, variant); area 1 is the demo council's. Each
    area is a council of its own (``gen_councils``: area to council), its agencies serving
    it: a national instance is a hosted service of many councils."""
    existing = dict(connection.execute(sa.text("SELECT name, id FROM agencies")).all())
    places = ["Northshire", *_place_names(areas - 1)]
    councils = _make_councils(connection, places)
    now = datetime.now(UTC)
    wanted: list[tuple[int, str, int, str]] = []
    for area, place in enumerate(places, start=1):
        for kind, variant, pattern in AREA_AGENCIES:
            name = DEMO_AREA.get((kind, variant)) if area == 1 else None
            wanted.append((area, kind, variant, name or pattern.format(place=place)))
    rows = [
        {"name": name, "type": kind, "active": True, "version": 1, "created_at": now}
        for _, kind, _, name in wanted
        if name not in existing
    ]
    if rows:
        connection.execute(sa.insert(db.metadata.tables["agencies"]), rows)
        existing = dict(connection.execute(sa.text("SELECT name, id FROM agencies")).all())
        serving = {(existing[name], councils[area]) for area, _, _, name in wanted}
        connection.execute(
            sa.text(
                "INSERT INTO agency_councils (agency_id, council_id) "
                "SELECT :agency, :council WHERE NOT EXISTS (SELECT 1 FROM agency_councils AS s "
                "WHERE s.agency_id = :agency AND s.council_id = :council)"
            ),
            [{"agency": agency, "council": council} for agency, council in sorted(serving)],
        )
    return {(area, kind, variant): existing[name] for area, kind, variant, name in wanted}


def _make_councils(connection: sa.Connection, places: list[str]) -> dict[int, int]:
    """The council of each area (area 1: the demo officer's), also as the temporary table
    ``gen_councils`` the concerns are given theirs from."""
    councils = {
        1: connection.execute(
            sa.text("SELECT council_id FROM users WHERE email = 'officer@demo.example'")
        ).scalar_one()
    }
    table = db.metadata.tables["councils"]
    for area, place in enumerate(places[1:], start=2):
        name = f"{place} Council"
        found = connection.execute(sa.select(table.c.id).where(table.c.name == name)).scalar()
        if found is None:
            made = {"name": name, "active": True, "version": 1, "created_at": datetime.now(UTC)}
            found = connection.execute(
                sa.insert(table).values(made).returning(table.c.id)
            ).scalar_one()
        councils[area] = found
    connection.execute(
        sa.text("CREATE TEMP TABLE gen_councils (area int PRIMARY KEY, council_id int)")
    )
    connection.execute(
        sa.text("INSERT INTO gen_councils VALUES (:area, :council)"),
        [{"area": area, "council": council} for area, council in councils.items()],
    )
    return councils


def _slot_table(connection: sa.Connection, agencies: dict[tuple[int, str, int], int]) -> None:
    """gen_slots(area, is_child, slot, variant): which agency fills each invitation slot and
    how it turns up. Three variants per slot spread a meeting's GP or school around."""
    connection.execute(
        sa.text(
            "CREATE TEMP TABLE gen_slots (area int, is_child boolean, slot int, variant int, "
            "agency_id int, agency_type text, attended int, with_report int, without_report int,"
            " PRIMARY KEY (area, is_child, slot, variant))"
        )
    )
    rows = []
    areas = {area for area, _, _ in agencies}
    for area in areas:
        for is_child in (False, True):
            for slot, (role, fixed_variant) in SLOTS.items():
                kind = {
                    "lead": "childrens_social_care" if is_child else "local_authority",
                    "setting": "education" if is_child else "care_provider",
                }.get(role, role)
                for variant in range(3):
                    if kind == "nhs_trust":  # the acute trust or the mental health trust
                        chosen = fixed_variant
                    else:
                        chosen = variant if (area, kind, variant) in agencies else 0
                    agency_id = agencies[(area, kind, chosen)]
                    attended, with_report, without_report = ATTENDANCE[kind]
                    rows.append(
                        {
                            "area": area,
                            "is_child": is_child,
                            "slot": slot,
                            "variant": variant,
                            "agency_id": agency_id,
                            "agency_type": kind,
                            "attended": attended,
                            "with_report": attended + with_report,
                            "without_report": attended + with_report + without_report,
                        }
                    )
    connection.execute(
        sa.text(
            "INSERT INTO gen_slots VALUES (:area, :is_child, :slot, :variant, :agency_id, "
            ":agency_type, :attended, :with_report, :without_report)"
        ),
        rows,
    )
    connection.execute(sa.text("ANALYZE gen_slots"))


# --- Bulk loading ----------------------------------------------------------------------------

# The tables the statements below fill (a few hundred rows elsewhere need no special care).
GENERATED_TABLES = (
    "people",
    "concerns",
    "concern_risk_types",
    "meetings",
    "meeting_concerns",
    "invitations",
    "meeting_decisions",
    "meeting_actions",
    "plans",
    "plan_actions",
    "involvements",
)

BULK_SETTINGS = (
    # a crash loses the load anyway: no need to wait for each commit's WAL flush
    "SET synchronous_commit = off",
    # hash joins and aggregates in memory: the involvements group 12 million invitations
    # into 6 million pairs at national scale, which spilled to disk with 256MB
    "SET work_mem = '1GB'",
    # index builds sort in memory, with parallel workers where PostgreSQL allows them
    "SET maintenance_work_mem = '1GB'",
    "SET max_parallel_maintenance_workers = 2",
    # the hash expressions make every statement look expensive, so PostgreSQL compiled each
    # one (about 6 s a statement at county scale, more than running it)
    "SET jit = off",
)


PLURALS = {"index": "indexes", "foreign key": "foreign keys"}


@dataclass(frozen=True)
class Deferred:
    table: str
    drop: str
    create: str
    kind: str  # "index" or "foreign key"


def _defer_schema(connection: sa.Connection, tables: Sequence[str]) -> list[Deferred]:
    """Drop the tables' secondary indexes, unique constraints and foreign keys; returns what
    puts them back, as the catalogue defines them (names and definitions unchanged). Primary
    keys and check constraints stay: the statements join on the keys, and checks are cheap."""
    found = connection.execute(
        sa.text(
            """
SELECT c.conrelid::regclass::text, c.contype,
    format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
    format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
        pg_get_constraintdef(c.oid))
FROM pg_constraint AS c
WHERE c.conrelid = ANY(CAST(:tables AS regclass[]))
    AND (c.contype = 'f' OR c.contype = 'u' AND NOT EXISTS (
        SELECT 1 FROM pg_constraint AS f WHERE f.contype = 'f' AND f.conindid = c.conindid))
UNION ALL
SELECT i.indrelid::regclass::text, 'i',
    format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
FROM pg_index AS i
WHERE i.indrelid = ANY(CAST(:tables AS regclass[]))
    AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c
        WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
ORDER BY 1, 2 DESC, 3"""
        ),
        {"tables": list(tables)},
    ).all()
    deferred = [
        Deferred(table, drop, create, "foreign key" if kind == "f" else "index")
        for table, kind, drop, create in found
    ]
    # foreign keys first: a unique constraint may not go while a key still needs it
    for item in sorted(deferred, key=lambda item: item.kind != "foreign key"):
        connection.execute(sa.text(item.drop))
    return deferred


def _restore_schema(
    connection: sa.Connection, deferred: Sequence[Deferred], report: Callable[[str], None]
) -> None:
    """Build the indexes (and unique constraints) again, analyse the database, then add the
    foreign keys, each checked against the loaded rows in one join (which needs the
    statistics to be a hash join)."""
    for kind in ("index", "foreign key"):
        if kind == "foreign key":
            began = time.perf_counter()
            connection.execute(sa.text("ANALYZE"))
            report(f"  {'(analyse)':<20} {'':>12} in {time.perf_counter() - began:6.1f} s")
        for table in dict.fromkeys(item.table for item in deferred if item.kind == kind):
            began = time.perf_counter()
            made = [item for item in deferred if item.kind == kind and item.table == table]
            for item in made:
                connection.execute(sa.text(item.create))
            label = f"{len(made)} {kind if len(made) == 1 else PLURALS[kind]}"
            report(f"  {table:<20} {label:>12} in {time.perf_counter() - began:6.1f} s")


# --- The generator -------------------------------------------------------------------------


def check_can_generate(connection: sa.Connection, env_name: str) -> None:
    if env_name == "production":
        raise GenerateRefused("Refusing to generate synthetic data in production.")
    if connection.dialect.name != "postgresql":
        raise GenerateRefused(
            "Generating data at scale needs PostgreSQL (it uses generate_series and "
            "hashint8); this database is "
            f"{connection.dialect.name}. Set DATABASE_URL to a PostgreSQL database."
        )
    if connection.execute(sa.text("SELECT EXISTS (SELECT 1 FROM concerns)")).scalar():
        raise GenerateRefused(
            "This database already has concerns: generate into a database with none "
            "(`flask db upgrade` on a new one, then this command)."
        )


def generate(
    scale: Scale,
    env_name: str,
    years: int = 5,
    report: Callable[[str], None] = print,
    now: datetime | None = None,
) -> dict[str, int]:
    """Fill an empty PostgreSQL database; returns the number of rows made per table."""
    with db.engine.connect() as connection:
        check_can_generate(connection, env_name)
    load_demo()  # the demo council, its partners and users
    now = now or datetime.now(UTC)
    start = (now - timedelta(days=365 * years)).replace(hour=0, minute=0, second=0, microsecond=0)
    fake = synthetic()
    given = sorted({fake.first_name() for _ in range(GIVEN_NAMES_COUNT * 3)})[:GIVEN_NAMES_COUNT]
    family = sorted({fake.last_name() for _ in range(FAMILY_NAMES_COUNT * 3)})[:FAMILY_NAMES_COUNT]
    concerns = scale.concerns
    people = max(1, int(concerns * 0.72))  # about one concern in four is a repeat
    params: dict[str, Any] = {
        "now": now,
        "start": start,
        "days": 365 * years,
        "concerns": concerns,
        "people": people,
        "given": given,
        "family": family,
    }
    with db.engine.connect() as connection:
        for setting in BULK_SETTINGS:
            connection.execute(sa.text(setting))
        officer = connection.execute(
            sa.text("SELECT id FROM users WHERE email = 'officer@demo.example'")
        ).scalar_one()
        params["officer"] = officer
        agencies = _make_agencies(connection, scale.areas)
        _slot_table(connection, agencies)
        connection.commit()
        # One transaction from here: the generated tables lose their secondary indexes,
        # unique constraints and foreign keys while they are filled and get them back at
        # the end, built once from sorted data and checked by one join each, instead of
        # maintained and checked row by row. A failure rolls all of it back, so the
        # database keeps its migrated schema.
        deferred = _defer_schema(connection, GENERATED_TABLES)
        counts: dict[str, int] = {}
        for table, statement in _statements(scale, concerns, people):
            began = time.perf_counter()
            made = connection.execute(sa.text(statement), params).rowcount
            if table:
                counts[table] = counts.get(table, 0) + max(made, 0)
                report(f"  {table:<20} {made:>12,} rows in {time.perf_counter() - began:6.1f} s")
        for statement in _finishing(concerns):
            connection.execute(sa.text(statement))
        _restore_schema(connection, deferred, report)
        connection.commit()
    # each held conference's verdict on quoracy, as recording it through the app keeps it
    began = time.perf_counter()
    decided = store_quoracy()
    db.session.commit()
    taken = time.perf_counter() - began
    report(f"  {'meetings.quorate':<20} {decided:>12,} rows in {taken:6.1f} s")
    return counts


def _statements(scale: Scale, concerns: int, people: int) -> list[tuple[str, str]]:
    area = f"(1 + {h('c.id', 9, scale.areas)})"
    is_child_person = f"({h('p', 1)} < 380)"
    age_band = h("p", 4)
    bands = [(18, 47, 350), (65, 10, 150), (75, 10, 250), (85, 10, 200), (95, 8, 50)]
    adult_days = (
        f"365 * {pick(age_band, [(base, weight) for base, _, weight in bands])} + "
        f"{h('p', 5, 365)} * {pick(age_band, [(span, weight) for _, span, weight in bands])}"
    )
    dob = (
        f"CASE WHEN {is_child_person} THEN (:now - make_interval(days => {h('p', 3, 17 * 365)}))"
        f"::date ELSE (:now - make_interval(days => {adult_days}))::date END"
    )
    received = (
        "(:start + make_interval(days => ((i - 1)::bigint * :days / :concerns)::int, "
        "mins => CASE WHEN {core} THEN 510 + {inside} ELSE (1020 + {outside}) % 1440 END))"
    ).format(core=f"({h('i', 3)} < 780)", inside=h("i", 4, 510), outside=h("i", 4, 930))
    child = "c.is_child"
    meetings_each = max(1, round(2 * scale.meetings_per_concern / 0.33 - 1))
    outcome_draw = "d.draw"
    return [
        (
            "people",
            f"""
INSERT INTO people (id, given_name, family_name, date_of_birth, sex, ethnicity,
    primary_support_reason, created_at, version)
SELECT p,
    (CAST(:given AS text[]))[1 + {h("p", 6, "cardinality(CAST(:given AS text[]))")}],
    (CAST(:family AS text[]))[1 + {h("p", 7, "cardinality(CAST(:family AS text[]))")}],
    {dob},
    {pick(h("p", 8), [("female", 580), ("male", 400), ("not_known", 20)])},
    {pick(h("p", 9), ETHNICITIES)},
    CASE WHEN {is_child_person} THEN 'not_known' ELSE {pick(h("p", 10), SUPPORT_REASONS)} END,
    :start, 1
FROM generate_series(1, :people) AS p""",
        ),
        (
            "concerns",
            f"""
INSERT INTO concerns (id, reference, received_at, received_by_id, route, referrer_agency_id,
    person_id, is_child, location, source_of_risk, description, urgent, lacked_capacity,
    msp_asked, level_of_need, out_of_hours, status, screening_due, decision, decision_reason,
    decided_by_id, decided_at, risk_outcome, risk_after_action, msp_achieved,
    feedback_person_on, feedback_person_method, feedback_referrer_on, feedback_referrer_method,
    closed_at, closed_by_id, created_at, version, council_id)
SELECT c.id, {reference_sql("c.id", "c.received_at")},
    c.received_at, :officer, c.route, r.agency_id, c.person_id, c.is_child, c.location,
    CASE WHEN c.location IN ('care_home_residential', 'care_home_nursing', 'hospital_acute',
        'hospital_mental_health', 'hospital_community', 'community_service')
        AND {h("c.id", 20)} < 800 THEN 'service_provider'
        ELSE {pick(h("c.id", 21), [("known", 750), ("unknown", 150), ("service_provider", 100)])}
    END,
    'Synthetic concern for load testing.', {h("c.id", 22)} < 80,
    CASE WHEN {child} THEN 'not_recorded' ELSE
        {
                pick(
                    h("c.id", 23),
                    [("no", 450), ("yes", 250), ("dont_know", 100), ("not_recorded", 200)],
                )
            }
    END,
    CASE WHEN {child} THEN 'not_recorded' ELSE {
                pick(
                    h("c.id", 24),
                    [
                        ("asked_expressed", 600),
                        ("asked_not_expressed", 100),
                        ("not_asked", 100),
                        ("dont_know", 50),
                        ("not_recorded", 150),
                    ],
                )
            } END,
    CASE WHEN {child} THEN 1 + {h("c.id", 25, 4)} END,
    extract(isodow FROM c.received_at) >= 6
        OR c.received_at::time NOT BETWEEN '08:30' AND '17:00',
    CASE WHEN c.closes_at < :now THEN 'closed' ELSE 'open' END,
    (c.received_at + interval '1 day')::date
        + CASE extract(isodow FROM c.received_at) WHEN 5 THEN 2 WHEN 6 THEN 1 ELSE 0 END,
    c.decision, CASE WHEN c.decision IS NOT NULL THEN 'Synthetic screening decision.' END,
    CASE WHEN c.decision IS NOT NULL THEN :officer END,
    CASE WHEN c.decision IS NOT NULL
        THEN c.received_at + make_interval(hours => 2 + {h("c.id", 26, 30)}) END,
    CASE WHEN c.closes_at < :now THEN c.risk_outcome END,
    CASE WHEN c.closes_at < :now
        AND c.risk_outcome IN ('identified_action', 'inconclusive_action', 'none_action')
        THEN {pick(h("c.id", 28), [("reduced", 650), ("removed", 250), ("remained", 100)])} END,
    CASE WHEN c.closes_at < :now AND NOT c.is_child
        THEN {pick(h("c.id", 29), [("fully", 650), ("partially", 280), ("not", 70)])} END,
    CASE WHEN c.closes_at < :now THEN c.closes_at::date END,
    CASE WHEN c.closes_at < :now
        THEN {pick(h("c.id", 37), [("Phone call", 600), ("Letter", 250), ("Visit", 150)])} END,
    CASE WHEN c.closes_at < :now AND r.agency_id IS NOT NULL THEN c.closes_at::date END,
    CASE WHEN c.closes_at < :now AND r.agency_id IS NOT NULL THEN 'Email' END,
    CASE WHEN c.closes_at < :now THEN c.closes_at END,
    CASE WHEN c.closes_at < :now THEN :officer END,
    c.received_at, 1, gc.council_id
FROM (
    SELECT i AS id, x.received_at, x.person_id, x.is_child,
        {pick(h("i", 30), ROUTES)} AS route,
        CASE WHEN x.is_child THEN {pick(h("i", 31), CHILD_LOCATIONS)}
            ELSE {pick(h("i", 31), ADULT_LOCATIONS)} END AS location,
        CASE WHEN x.received_at > :now - interval '1 day' AND {h("i", 32)} < 500 THEN NULL
            WHEN x.is_child THEN {pick(h("i", 33), CHILD_DECISIONS)}
            ELSE {pick(h("i", 33), ADULT_DECISIONS)} END AS decision,
        x.received_at + make_interval(days => 20 + {h("i", 34, 180)}) AS closes_at,
        {pick(h("i", 27), RISK_OUTCOMES)} AS risk_outcome,
        {pick(h("i", 35), REFERRER_SLOTS)} AS referrer_slot
    FROM generate_series(1, :concerns) AS i
    CROSS JOIN LATERAL (
        SELECT {received} AS received_at, 1 + {h("i", 2, people)} AS person_id
    ) AS y
    JOIN people ON people.id = y.person_id
    CROSS JOIN LATERAL (
        SELECT y.received_at, y.person_id,
            people.date_of_birth > (y.received_at - interval '18 years')::date AS is_child
    ) AS x
) AS c
JOIN gen_councils AS gc ON gc.area = {area}
LEFT JOIN gen_slots AS r ON r.area = {area} AND r.is_child = c.is_child
    AND r.slot = c.referrer_slot AND r.variant = {h("c.id", 36, 3)}""",
        ),
        (
            "concern_risk_types",
            f"""
INSERT INTO concern_risk_types (concern_id, risk_type)
SELECT c.id, CASE WHEN {child} THEN {pick(h("c.id", 40), CHILD_RISKS)}
    ELSE {pick(h("c.id", 40), ADULT_RISKS)} END
FROM concerns AS c""",
        ),
        (
            "concern_risk_types",
            f"""
INSERT INTO concern_risk_types (concern_id, risk_type)
SELECT id, second FROM (
    SELECT c.id, CASE WHEN {child} THEN {pick(h("c.id", 41), CHILD_RISKS)}
        ELSE {pick(h("c.id", 41), ADULT_RISKS)} END AS second
    FROM concerns AS c WHERE {h("c.id", 42)} < 200
) AS extra
WHERE NOT EXISTS (SELECT 1 FROM concern_risk_types t
    WHERE t.concern_id = extra.id AND t.risk_type = extra.second)""",
        ),
        (
            "",
            f"""
CREATE TEMP TABLE gen_meetings AS
SELECT numbered.*, CASE WHEN starts_at > :now THEN 'scheduled'
        WHEN {h("id", 53)} < 70 THEN 'cancelled' ELSE 'held' END AS status
FROM (SELECT row_number() OVER (ORDER BY starts_at, concern_id, k) AS id, *
FROM (
    SELECT c.id AS concern_id, k, c.is_child, {area} AS area,
        CASE WHEN {child} THEN
            CASE k WHEN 1 THEN 'strategy_discussion'
                WHEN 2 THEN 'initial_child_protection_conference'
                WHEN 3 THEN CASE WHEN {h("c.id", 57)} < 500 THEN 'core_group'
                    ELSE 'review_child_protection_conference' END
                ELSE 'review_child_protection_conference' END
        ELSE
            CASE WHEN k = 2 THEN 'adult_protection_conference'
                WHEN c.location IN ('care_home_residential', 'care_home_nursing')
                    AND k = 3 THEN 'organisational_strategy_meeting'
                ELSE 'strategy_discussion' END
        END AS type,
        date_trunc('day', c.received_at)
            + make_interval(days => CASE WHEN k = 1 THEN 2 WHEN k = 2 THEN 20
                WHEN k = 3 AND {child} AND {h("c.id", 57)} >= 500 THEN 110 ELSE 30 END
                + {h("c.id * 8 + k", 50, 4)},
                hours => 9 + {h("c.id * 8 + k", 51, 7)}) AS starts_at
    FROM concerns AS c
    CROSS JOIN generate_series(1, 1 + {h("c.id", 52, meetings_each)}) AS k
    WHERE c.decision IN ('section_42_enquiry', 'strategy_discussion')
) AS planned) AS numbered""",
        ),
        # statistics for the joins below (the invitations joined the meetings row by row)
        ("", "ANALYZE gen_meetings"),
        (
            "meetings",
            f"""
INSERT INTO meetings (id, type, starts_at, duration_minutes, venue, chair_id, status, uid,
    sequence, held_at, decision_letter_sent_on, cancelled_at, cancel_reason, created_by_id,
    created_at, version)
SELECT m.id, m.type, m.starts_at,
    CASE WHEN m.type LIKE '%conference' THEN 90 ELSE 60 END,
    'County Hall', :officer,
    m.status, 'generated-' || m.id || '@safeguarding-hub', 0,
    CASE WHEN m.status = 'held' THEN m.starts_at END,
    CASE WHEN m.status = 'held' AND m.type LIKE '%conference'
        AND {h("m.id", 54)} < 850 THEN (m.starts_at + interval '1 day')::date END,
    CASE WHEN m.status = 'cancelled' THEN m.starts_at - interval '1 day' END,
    CASE WHEN m.status = 'cancelled' THEN 'Family moved out of the area' END,
    :officer, m.starts_at - interval '7 days', 1
FROM gen_meetings AS m""",
        ),
        (
            "meeting_concerns",
            "INSERT INTO meeting_concerns (meeting_id, concern_id) "
            "SELECT id, concern_id FROM gen_meetings",
        ),
        (
            "invitations",
            f"""
INSERT INTO invitations (meeting_id, agency_id, reason, standard, method, invited_at,
    invited_by_id, response, responded_at, report_text, report_submitted_at, outcome, version)
SELECT m.id, g.agency_id,
    CASE WHEN g.slot <= 3 THEN 'Standard list: statutory partner'
        ELSE 'Involved with the person' END,
    g.slot <= 3, 'email', m.starts_at - interval '7 days', :officer,
    CASE WHEN o.outcome IN ('attended_in_person', 'attended_virtually') THEN 'accepted'
        WHEN o.outcome IN ('apologies_with_report', 'apologies_without_report')
            THEN 'apologies'
        WHEN o.outcome = 'did_not_attend' AND {h("m.id * 8 + g.slot", 41)} < 500
            THEN 'accepted' END,
    CASE WHEN o.outcome IS NOT NULL AND o.outcome <> 'did_not_attend'
        THEN m.starts_at - interval '3 days' END,
    CASE WHEN o.reported THEN 'Synthetic agency report.' END,
    CASE WHEN o.reported THEN m.starts_at - interval '2 days' END,
    o.outcome, 1
FROM gen_meetings AS m
-- slots 1 to 4-8: every area has an agency for each slot (gen_slots)
JOIN gen_slots AS g ON g.area = m.area AND g.is_child = m.is_child
    AND g.slot <= 4 + {h("m.id", 55, 5)} AND g.variant = {h("m.concern_id", 56, 3)}
CROSS JOIN LATERAL (SELECT {h("m.id * 8 + g.slot", 40)} AS draw) AS d
CROSS JOIN LATERAL (
    SELECT
        CASE WHEN m.status <> 'held' THEN NULL
            WHEN {outcome_draw} < g.attended THEN
                CASE WHEN {h("m.id * 8 + g.slot", 42)} < 450 THEN 'attended_in_person'
                    ELSE 'attended_virtually' END
            WHEN {outcome_draw} < g.with_report THEN 'apologies_with_report'
            WHEN {outcome_draw} < g.without_report THEN 'apologies_without_report'
            ELSE 'did_not_attend' END AS outcome,
        m.status = 'held' AND ({outcome_draw} >= g.attended AND {outcome_draw} < g.with_report
            OR {outcome_draw} < g.attended AND {h("m.id * 8 + g.slot", 43)} < 400) AS reported
) AS o""",
        ),
        (
            "meeting_decisions",
            f"""
INSERT INTO meeting_decisions (meeting_id, kind, plan_category, note)
SELECT m.id, d.kind, CASE WHEN d.kind = 'child_protection_plan'
    THEN {pick(h("m.id", 60), CHILD_PLAN_CATEGORIES)} END, NULL
FROM meetings AS m
JOIN gen_meetings AS gm ON gm.id = m.id
CROSS JOIN LATERAL (SELECT CASE
    WHEN m.type = 'initial_child_protection_conference' THEN
        CASE WHEN {h("m.id", 61)} < 650 THEN 'child_protection_plan'
            ELSE 'no_child_protection_plan' END
    WHEN m.type = 'adult_protection_conference' THEN
        CASE WHEN {h("m.id", 61)} < 550 THEN 'protection_plan' ELSE 'no_further_action' END
    WHEN m.type = 'review_child_protection_conference' THEN 'child_protection_plan'
    WHEN m.type = 'core_group' THEN 'other'
    WHEN gm.is_child THEN
        CASE WHEN {h("m.id", 61)} < 600 THEN 'section_47_enquiry' ELSE 'no_further_action' END
    ELSE
        CASE WHEN {h("m.id", 61)} < 800 THEN 'section_42_enquiry' ELSE 'no_further_action' END
    END AS kind) AS d
WHERE m.status = 'held'""",
        ),
        (
            "meeting_actions",
            f"""
INSERT INTO meeting_actions (meeting_id, description, owner_agency_id, due_on, status,
    completed_on, version)
SELECT m.id, 'Synthetic action ' || a, g.agency_id, (m.held_at + interval '14 days')::date,
    CASE WHEN m.held_at + interval '14 days' > :now THEN 'open'
        WHEN {h("m.id * 2 + a", 62)} < 900 THEN 'done' ELSE 'cancelled' END,
    CASE WHEN m.held_at + interval '14 days' <= :now AND {h("m.id * 2 + a", 62)} < 900
        THEN (m.held_at + interval '12 days')::date END,
    1
FROM meetings AS m
JOIN gen_meetings AS gm ON gm.id = m.id
CROSS JOIN generate_series(1, 2) AS a
JOIN gen_slots AS g ON g.area = gm.area AND g.is_child = gm.is_child AND g.slot = a + 1
    AND g.variant = 0
WHERE m.status = 'held' AND m.type LIKE '%conference'""",
        ),
        (
            "plans",
            f"""
INSERT INTO plans (kind, person_id, concern_id, meeting_id, initial_category, category,
    started_on, status, next_review_due, ended_on, end_reason, created_by_id, created_at,
    version)
SELECT CASE WHEN m.type = 'initial_child_protection_conference' THEN 'child_protection'
        ELSE 'adult_safeguarding' END,
    c.person_id, c.id, m.id, d.plan_category, d.plan_category, m.held_at::date,
    CASE WHEN m.held_at < :now - interval '13 months' AND {h("m.id", 63)} < 900
        THEN 'ended' ELSE 'open' END,
    CASE WHEN NOT (m.held_at < :now - interval '13 months' AND {h("m.id", 63)} < 900)
        THEN (m.held_at + interval '3 months')::date END,
    CASE WHEN m.held_at < :now - interval '13 months' AND {h("m.id", 63)} < 900
        THEN (m.held_at + make_interval(days => 180 + {h("m.id", 64, 200)}))::date END,
    CASE WHEN m.held_at < :now - interval '13 months' AND {h("m.id", 63)} < 900
        THEN 'Risk reduced: the plan is no longer needed' END,
    :officer, m.held_at, 1
FROM meetings AS m
JOIN meeting_decisions AS d ON d.meeting_id = m.id
    AND d.kind IN ('child_protection_plan', 'protection_plan')
JOIN meeting_concerns AS mc ON mc.meeting_id = m.id
JOIN concerns AS c ON c.id = mc.concern_id
WHERE m.type IN ('initial_child_protection_conference', 'adult_protection_conference')
ORDER BY m.id""",
        ),
        # Fresh tables have no statistics: without them PostgreSQL joins the plans to the
        # two million generated meetings row by row (ten minutes at national scale).
        ("", "ANALYZE plans"),
        (
            "plan_actions",
            f"""
INSERT INTO plan_actions (plan_id, description, owner_agency_id, due_on, status, updated_at,
    updated_by_id, version)
SELECT p.id, 'Synthetic plan action ' || a, g.agency_id, p.started_on + 28 * a,
    CASE WHEN p.status = 'ended' THEN
        {pick(h("p.id * 4 + a", 65), [("done", 850), ("not_done", 150)])}
        ELSE {pick(h("p.id * 4 + a", 65), OPEN_PLAN_ACTIONS)}
    END,
    p.created_at, :officer, 1
FROM plans AS p
JOIN gen_meetings AS gm ON gm.id = p.meeting_id
CROSS JOIN generate_series(1, 3) AS a
JOIN gen_slots AS g ON g.area = gm.area AND g.is_child = gm.is_child AND g.slot = a + 1
    AND g.variant = {h("p.id", 66, 3)}""",
        ),
        (
            "involvements",
            """
INSERT INTO involvements (concern_id, agency_id, reason, added_by_id, added_at)
SELECT id, referrer_agency_id, 'referrer', NULL, received_at
FROM concerns WHERE referrer_agency_id IS NOT NULL""",
        ),
        ("", "ANALYZE invitations"),
        ("", "ANALYZE meeting_concerns"),
        (
            "involvements",
            """
INSERT INTO involvements (concern_id, agency_id, reason, note, added_by_id, added_at)
SELECT mc.concern_id, i.agency_id, 'invited', 'Invited to a meeting', :officer,
    min(i.invited_at)
FROM invitations AS i
JOIN meeting_concerns AS mc ON mc.meeting_id = i.meeting_id
JOIN concerns AS c ON c.id = mc.concern_id
WHERE c.referrer_agency_id IS DISTINCT FROM i.agency_id
GROUP BY mc.concern_id, i.agency_id""",
        ),
    ]


def _finishing(concerns: int) -> list[str]:
    return [
        # later concerns get numbers past every generated one, whatever their year
        f"""INSERT INTO reference_counters (year, last)
        SELECT DISTINCT extract(year FROM received_at)::int, {concerns} FROM concerns
        ON CONFLICT (year) DO UPDATE SET last = greatest(reference_counters.last, {concerns})""",
        *(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT coalesce(max(id), 1) FROM {table}))"
            for table in ("people", "concerns", "meetings")
        ),
        "DROP TABLE gen_meetings",
        "DROP TABLE gen_slots",
    ]
