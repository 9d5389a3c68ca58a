"""API concern creation throughput: 20 partner systems posting concerns at once to
POST /api/v1/concerns/ (bearer token, Idempotency-Key), gunicorn 2 workers x 4 threads on
PostgreSQL with county-scale data already in it.

Targets (issue 23, raised from issue 10's 150 a second): at least 180 concern creations a
second, and under 8 ms of the app workers' CPU a creation. Run:
.venv/bin/python benchmarks/api_throughput.py (PostgreSQL at BENCH_PG_URL; a scratch database
is generated and dropped, or BENCH_DATABASE_URL names a generated database: the concerns
this makes are left in it). With BENCH_REDIS_URL (e.g. redis://127.0.0.1:6379/9) the jobs
go to a queue there and a job worker runs them, as in a deployment (docs/production.md);
its CPU is a line of the split.
"""

from __future__ import annotations

import json
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._support import (
    CpuMeter,
    HttpUser,
    cpu_report,
    generated_database,
    gunicorn,
    machine,
    percentile,
)

CLIENTS = 20
SECONDS = 30
TARGET_PER_SECOND = 180.0
TARGET_WORKER_CPU_MS = 8.0


def officer_token(url: str) -> str:
    import sqlalchemy as sa

    from core import create_app
    from core.auth.models import User
    from core.extensions import db
    from core.users.operations import create_token

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "LOAD_ENTRYPOINT_PLUGINS": False})
    with app.app_context():
        user = db.session.execute(
            sa.select(User).where(User.email == "officer@demo.example")
        ).scalar_one()
        _, token = create_token(user, "benchmark", 1)
        db.session.commit()
        db.engine.dispose()
    return token


def body(number: int) -> bytes:
    return json.dumps(
        {
            "received_at": "2026-11-20T10:15:00+00:00",
            "person": {
                "given_name": f"Bench{number}",
                "family_name": "Throughput",
                "date_of_birth": "1944-02-02",
            },
            "is_child": False,
            "types_of_risk": ["neglect"],
            "location": "own_home",
            "source_of_risk": "known",
            "description": "Concern sent by a partner system during the throughput benchmark.",
            "route": "api",
        }
    ).encode()


def run(base: str, token: str, seconds: float) -> tuple[list[float], list[str], float]:
    timings: list[float] = []
    errors: list[str] = []
    counter = iter(range(10**9))
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        http = HttpUser(base)
        while time.monotonic() < stop:
            with lock:
                number = next(counter)
            began = time.perf_counter()
            status, data, _ = http.request(
                "POST",
                "/api/v1/concerns/",
                body(number),
                {
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": str(uuid.uuid4()),
                },
            )
            elapsed = (time.perf_counter() - began) * 1000
            if status == 201:
                timings.append(elapsed)
            else:
                errors.append(f"{status}: {data[:200]!r}")

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors, time.monotonic() - began


def main() -> int:
    print(f"API concern creation benchmark on {machine()}")
    with generated_database("county") as url:
        token = officer_token(url)
        with gunicorn(url) as server:
            run(server.base, token, 3)  # warm up
            meter = CpuMeter(server.pid, url, server.job_worker)
            meter.start()
            timings, errors, seconds = run(server.base, token, SECONDS)
            used = meter.stop()
    rate = len(timings) / seconds
    verdict = "met" if rate >= TARGET_PER_SECOND else "MISSED"
    print(
        f"county scale · gunicorn {server.workers} workers x {server.threads} threads · "
        f"PostgreSQL · {CLIENTS} clients · {seconds:.0f} s · jobs "
        + ("on Redis, a job worker" if server.job_worker else "in the web workers")
    )
    print(
        f"  {len(timings)} concerns created: {rate:.1f} a second "
        f"(target >= {TARGET_PER_SECOND:.0f}: {verdict}) · median "
        f"{statistics.median(timings):.1f} ms · p95 {percentile(timings, 0.95):.1f} ms · "
        f"errors {len(errors)}"
    )
    for line in cpu_report(used, len(timings) + len(errors), seconds):
        print(line)
    worker_ms = 1000 * used["app workers"] / max(len(timings) + len(errors), 1)
    cpu_met = worker_ms < TARGET_WORKER_CPU_MS
    print(
        f"  app workers' CPU a creation {worker_ms:.1f} ms "
        f"(target < {TARGET_WORKER_CPU_MS:.0f} ms: {'met' if cpu_met else 'MISSED'})"
    )
    for error in errors[:5]:
        print(f"    {error}")
    return 0 if rate >= TARGET_PER_SECOND and cpu_met and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
