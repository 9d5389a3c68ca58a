"""A worker's memory before and after its first requests: what every gunicorn worker holds
whatever it serves (the imported code), and which libraries only a few routes need it has
loaded.

Target (issue 23, item 5): workers under 200 MB at national scale, with the libraries only
a few routes need (WeasyPrint, pypdf, openpyxl; Alembic) loaded on first use. The peak of a worker
under load is measured by page_latency.py; this measures the part that does not depend on
the data: a fresh process makes the app as a gunicorn worker does (``core:create_app()``),
then signs in as the safeguarding officer and opens a case page, on a migrated SQLite
database with the demo data and one case. Run: .venv/bin/python benchmarks/worker_memory.py
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent

# loaded on first use (core/pdf.py, core/returns/export.py, core/extensions.py): none of
# them may be in a worker that has only made the app and served a case page
ON_FIRST_USE = ("weasyprint", "pypdf", "openpyxl", "alembic")
TARGET_MB = 200.0


def _memory() -> dict[str, float]:
    """This process's resident memory now (VmRSS) and at its peak (VmHWM), in MB."""
    found = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                found[line[:5]] = int(line.split()[1]) / 1024
    return found


def child(url: str) -> None:
    """One worker's life: make the app, sign in, open the latest case page."""
    before = _memory()
    from core import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    made = _memory()
    loaded_after_app = [name for name in ON_FIRST_USE if name in sys.modules]
    import sqlalchemy as sa

    from benchmarks._support import signed_in_client
    from core.concerns.models import Concern
    from core.extensions import db

    client = signed_in_client(app, "officer@demo.example")
    signed_in = _memory()
    with app.app_context():
        latest = db.session.scalars(
            sa.select(Concern.id).order_by(Concern.received_at.desc()).limit(20)
        ).all()
    for concern_id in latest:  # the latest case the officer may open (some are deleted)
        if client.get(f"/concerns/{concern_id}").status_code == 200:
            break
    else:
        raise AssertionError("no case page opened")
    case_page = _memory()
    print(
        json.dumps(
            {
                "interpreter": before["VmRSS"],
                "app": made["VmRSS"],
                "signed_in": signed_in["VmRSS"],
                "case_page": case_page["VmRSS"],
                "peak": case_page["VmHWM"],
                "loaded_after_app": loaded_after_app,
                "loaded_after_case_page": [name for name in ON_FIRST_USE if name in sys.modules],
            }
        )
    )


def main() -> int:
    from benchmarks._support import build_app, database, machine
    from benchmarks.api_throughput import body, officer_token

    print(f"Worker memory benchmark on {machine()}", flush=True)
    logging.disable(logging.INFO)  # Alembic's progress while the database is made
    with database("sqlite") as url:
        app = build_app(url)  # migrated, with the demo data and a case to open
        headers = {"Authorization": f"Bearer {officer_token(url)}"}
        made = app.test_client().post(
            "/api/v1/concerns/", json=json.loads(body(1)), headers=headers
        )
        assert made.status_code == 201, made.get_data(as_text=True)
        env = os.environ | {"PYTHONPATH": str(ROOT), "MALLOC_ARENA_MAX": "2"}
        done = subprocess.run(
            [sys.executable, __file__, "--child", url],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    if done.returncode:
        print(done.stderr)
        return 1
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(
        f"  resident memory: interpreter {figures['interpreter']:.0f} MB · app made "
        f"{figures['app']:.0f} MB · signed in {figures['signed_in']:.0f} MB · first case page "
        f"{figures['case_page']:.0f} MB · peak {figures['peak']:.0f} MB"
    )
    early = figures["loaded_after_case_page"]
    names = ", ".join(ON_FIRST_USE)
    print(f"  loaded after the case page, of {names}: {', '.join(early) or 'none'}")
    met = not early and figures["peak"] < TARGET_MB
    verdict = "met" if met else "MISSED"
    print(f"  target: none of them loaded, peak under {TARGET_MB:.0f} MB: {verdict}")
    return 0 if met else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        sys.exit(main())
