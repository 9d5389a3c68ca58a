"""The WSGI app tests run under gunicorn (tests/support/served.py): the test settings on
the database named in SERVED_DATABASE_URL, on the test's clock. With CRASH_SLOW_COMMIT set,
a plugin of the test's holds each new concern, written and uncommitted, for that many
seconds (the ``concern_recorded`` hook runs in the creating transaction), after leaving a
file in CRASH_HOLDING_DIR, so that the test can kill the server in the middle.
SERVED_SETTINGS (JSON) overrides the test settings, as a deployment's environment would
(``{"RATELIMIT_STORAGE_URI": null}``: the rate limits count in REDIS_URL)."""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

from core import create_app
from plugins import hookimpl
from plugins.types import CaseSummary
from tests.support.clock import start_served_clock
from tests.support.database import base_config


class SlowCommit:
    """Holds every new concern uncommitted, saying so with a file."""

    def __init__(self, seconds: float, holding: Path):
        self.seconds = seconds
        self.holding = holding

    @hookimpl
    def concern_recorded(self, concern: CaseSummary) -> None:
        (self.holding / uuid.uuid4().hex).touch()
        time.sleep(self.seconds)


start_served_clock()
slow = float(os.environ.get("CRASH_SLOW_COMMIT", "0"))
plugins = [SlowCommit(slow, Path(os.environ["CRASH_HOLDING_DIR"]))] if slow else []
app = create_app(
    base_config()
    | {"SQLALCHEMY_DATABASE_URI": os.environ["SERVED_DATABASE_URL"], "EXTRA_PLUGINS": plugins}
    | json.loads(os.environ.get("SERVED_SETTINGS") or "{}")
)
