"""Shared set-up for the benchmarks: a migrated database, demo users, signed-in clients."""

from __future__ import annotations

import os
import platform
import re
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import make_url

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def machine() -> str:
    processor = platform.processor() or platform.machine()
    python = platform.python_version()
    return f"{platform.node()} · {processor} · {os.cpu_count()} cores · Python {python}"


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, empty database of ``kind`` (sqlite or postgresql), removed afterwards."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{directory}/bench.sqlite3"
        return
    name = f"sgh_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def build_app(url: str) -> Flask:
    from flask_migrate import upgrade

    from core import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_ENABLED": False,
            "LOAD_ENTRYPOINT_PLUGINS": False,
        }
    )
    with app.app_context():
        upgrade()
        from core.demo.operations import load_demo

        load_demo()
    return app


def signed_in_client(app: Flask, email: str, password: str = "demo-safeguarding") -> Any:
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    response = client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, "sign-in failed"
    return client


def median_ms(action: Callable[[], Any], repeat: int = 21, warm: int = 3) -> float:
    for _ in range(warm):
        action()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)
