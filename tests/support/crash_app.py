"""The WSGI app the crash-safety test runs under gunicorn: the test settings on the
SQLite file named in CRASH_DATABASE_URL, holding each new concern uncommitted for
CRASH_SLOW_COMMIT seconds."""

from __future__ import annotations

import os

from core import create_app
from tests.support.database import base_config

app = create_app(
    base_config()
    | {
        "SQLALCHEMY_DATABASE_URI": os.environ["CRASH_DATABASE_URL"],
        "TEST_SLOW_CONCERN_COMMIT": float(os.environ.get("CRASH_SLOW_COMMIT", "0")),
    }
)
