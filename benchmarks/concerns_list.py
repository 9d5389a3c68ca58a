"""Median time of the first page of the concerns list with 100,000 concerns.

Target: under 150 ms on SQLite and on PostgreSQL. Run: .venv/bin/python benchmarks/concerns_list.py
(PostgreSQL at BENCH_PG_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test;
a temporary database is created beside it and dropped afterwards).
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from benchmarks._support import build_app, database, machine, median_ms, signed_in_client

CONCERNS = 100_000
PEOPLE = 40_000
TARGET_MS = 150.0


def load(app) -> float:
    """Insert the people and concerns in batches (set-based inserts, no ORM objects)."""
    from core.extensions import db
    from core.reference import LocationOfRisk, SourceOfRisk, TypeOfRisk

    rng = random.Random(2026)
    start = time.perf_counter()
    now = datetime.now(UTC)
    with app.app_context():
        officer_id = db.session.scalar(
            sa.text("SELECT id FROM users WHERE email = 'officer@demo.example'")
        )
        agency_ids = db.session.scalars(sa.text("SELECT id FROM agencies")).all()
        tables = db.metadata.tables
        people = [
            {
                "id": i,
                "given_name": f"Given{i}",
                "family_name": f"Family{i % 5000}",
                "sex": "not_known",
                "ethnicity": "not_known",
                "primary_support_reason": "not_known",
                "created_at": now,
                "version": 1,
            }
            for i in range(1, PEOPLE + 1)
        ]
        db.session.execute(sa.insert(tables["people"]), people)
        locations = [m.value for m in LocationOfRisk]
        sources = [m.value for m in SourceOfRisk]
        risks = [m.value for m in TypeOfRisk]
        batch, risk_rows = [], []
        for number in range(1, CONCERNS + 1):
            received = now - timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
            batch.append(
                {
                    "id": number,
                    "reference": f"SG-{received.year}-B{number:07d}",
                    "received_at": received,
                    "received_by_id": officer_id,
                    "route": "phone",
                    "referrer_agency_id": rng.choice(agency_ids),
                    "person_id": rng.randint(1, PEOPLE),
                    "is_child": False,
                    "location": rng.choice(locations),
                    "source_of_risk": rng.choice(sources),
                    "description": "Synthetic concern for the benchmark.",
                    "urgent": False,
                    "lacked_capacity": "not_recorded",
                    "msp_asked": "not_recorded",
                    "out_of_hours": rng.random() < 0.3,
                    "status": "open",
                    "screening_due": (received + timedelta(days=1)).date(),
                    "created_at": received,
                    "version": 1,
                }
            )
            risk_rows.append({"concern_id": number, "risk_type": rng.choice(risks)})
            if len(batch) == 10_000:
                db.session.execute(sa.insert(tables["concerns"]), batch)
                db.session.execute(sa.insert(tables["concern_risk_types"]), risk_rows)
                batch, risk_rows = [], []
        if db.engine.dialect.name == "postgresql":
            for table in ("people", "concerns"):
                db.session.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return time.perf_counter() - start


def main() -> int:
    print(f"Concerns list benchmark on {machine()}")
    print(f"{CONCERNS:,} concerns about {PEOPLE:,} people; first page as the safeguarding officer")
    failed = False
    for kind in ("sqlite", "postgresql"):
        with database(kind) as url:
            app = build_app(url)
            seconds = load(app)
            client = signed_in_client(app, "officer@demo.example")
            page = median_ms(lambda client=client: client.get("/concerns/"))
            api_client = app.test_client()
            with app.app_context():
                from core.auth.models import User
                from core.extensions import db
                from core.users.operations import create_token

                user = db.session.execute(
                    sa.select(User).where(User.email == "officer@demo.example")
                ).scalar_one()
                _, token = create_token(user, "benchmark")
                db.session.commit()
            api = median_ms(
                lambda api_client=api_client, token=token: api_client.get(
                    "/api/v1/concerns/", headers={"Authorization": f"Bearer {token}"}
                )
            )
            verdict = "met" if page < TARGET_MS else "MISSED"
            failed |= page >= TARGET_MS
            print(
                f"{kind:<11} load {seconds:6.1f} s · list page median {page:6.1f} ms "
                f"(target < {TARGET_MS:.0f} ms: {verdict}) · API list median {api:6.1f} ms"
            )
            with app.app_context():
                db.engine.dispose()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
