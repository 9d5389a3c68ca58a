"""The statutory returns read from the kept returns against counted from the records (issue
23, item 3): the SAC and the children's figures of the last complete financial year, for
one council and for all of them, on PostgreSQL with generated data; and what keeping them
costs the figures job (the rebuild, a change's recount).

Run: .venv/bin/python benchmarks/returns_summary.py [county|national] [--concerns N]
(PostgreSQL at BENCH_PG_URL; a scratch database is generated beside it and dropped
afterwards, or BENCH_DATABASE_URL names a generated database to use as it is).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._support import build_app, generated_database, machine


def _ms(action, times: int = 3) -> float:  # type: ignore[no-untyped-def]
    taken = []
    for _ in range(times):
        started = time.perf_counter()
        action()
        taken.append((time.perf_counter() - started) * 1000)
    return statistics.median(taken)


def main() -> None:
    scale = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "county"
    concerns = int(sys.argv[sys.argv.index("--concerns") + 1]) if "--concerns" in sys.argv else None
    print(machine())
    with generated_database(scale, concerns) as url:
        app = build_app(url)
        with app.app_context():
            import sqlalchemy as sa

            from core.auth.models import Council
            from core.clocks import to_local
            from core.concerns.models import Concern
            from core.db import utcnow
            from core.extensions import db
            from core.returns import snapshots, summary
            from core.returns.children import children_figures
            from core.returns.periods import financial_year_of
            from core.returns.sac import collection

            year = financial_year_of(to_local(utcnow()).date()) - 1
            council = db.session.scalar(sa.select(Council.id).order_by(Council.id))
            started = time.perf_counter()
            summary.rebuild()
            print(
                f"figures rebuild (the day tables and the kept returns): "
                f"{time.perf_counter() - started:.1f} s"
            )
            today = to_local(utcnow()).date()
            for label, whose in (("one council", council), ("all councils", None)):
                print(
                    f"{label}, {year} to {year + 1}: "
                    f"SAC counted {_ms(lambda w=whose: collection(year, w)):.0f} ms, "
                    f"read {_ms(lambda w=whose: snapshots.current_sac(year, w)):.1f} ms; "
                    f"children counted "
                    f"{_ms(lambda w=whose: children_figures(year, today, w)):.0f} ms, "
                    f"read {_ms(lambda w=whose: snapshots.current_children(year, w)):.1f} ms"
                )
            case = db.session.scalar(
                sa.select(Concern).where(Concern.is_child.is_(False)).order_by(Concern.id.desc())
            )
            case.is_child = True  # a change every return of its council reads
            db.session.commit()
            started = time.perf_counter()
            summary.refresh()
            print(f"the job after a case made a child's: {time.perf_counter() - started:.1f} s")
            case.is_child = False
            db.session.commit()
            summary.refresh()


if __name__ == "__main__":
    main()
