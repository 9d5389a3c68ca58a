"""Shared set-up for the benchmarks: a migrated database, demo users, signed-in clients."""

from __future__ import annotations

import os
import platform
import re
import statistics
import tempfile
import threading
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
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{platform.node()} · {processor} · {os.cpu_count()} cores · Python {python} · "
        f"load average {load}"
    )


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


# --- Served benchmarks: a generated database and gunicorn in front of it -------------------


@contextmanager
def generated_database(scale: str, concerns: int | None = None) -> Iterator[str]:
    """A scratch PostgreSQL database filled by `flask demo generate`, dropped afterwards.
    With BENCH_DATABASE_URL set, that database is used as it is (and kept)."""
    import subprocess
    import sys

    if os.environ.get("BENCH_DATABASE_URL"):
        yield os.environ["BENCH_DATABASE_URL"]
        return
    with database("postgresql") as url:
        env = os.environ | {"DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        flask = [sys.executable, "-m", "flask", "--app", "core"]
        subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
        started = time.perf_counter()
        size = ["--concerns", str(concerns)] if concerns else []
        subprocess.run([*flask, "demo", "generate", "--scale", scale, *size], env=env, check=True)
        print(f"generated in {time.perf_counter() - started:.0f} s")
        yield url


ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(url: str, workers: int = 2, threads: int = 4) -> Iterator[Any]:
    """The app under gunicorn on a free port; yields the server (``.base``, ``.pid``).
    BENCH_WORKERS and BENCH_THREADS override the shape, to compare others."""
    workers = int(os.environ.get("BENCH_WORKERS", workers))
    threads = int(os.environ.get("BENCH_THREADS", threads))
    import subprocess
    import sys
    import urllib.request
    from types import SimpleNamespace

    port = free_port()
    queue = jobs_queue_settings()
    env = (
        os.environ
        | queue
        | {
            "DATABASE_URL": url,
            "PYTHONPATH": str(ROOT),
            "SECRET_KEY": "benchmark-secret-key-long-enough-for-the-settings",
            "SIGN_IN_RATE_LIMIT": "10000 per minute",
            "SIGN_IN_IP_RATE_LIMIT": "10000 per minute",
            "LOG_LEVEL": "WARNING",
            # as the README advises for production: glibc's default of one malloc arena per
            # thread and core left each threaded worker about 40 MB larger
            "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2"),
        }
    )
    command = [
        os.path.join(os.path.dirname(sys.executable), "gunicorn"),
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "core:create_app()",
    ]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    worker = None
    if queue:  # the job worker of a deployment (docs/production.md), no schedule
        flask = [sys.executable, "-m", "flask", "--app", "core", "worker", "--no-schedule"]
        worker = subprocess.Popen(flask, env=env, cwd=ROOT)
    try:
        for _ in range(200):
            try:
                # ready as a load balancer sees it: no page served yet
                urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310 - our server
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield SimpleNamespace(
            base=base,
            port=port,
            pid=process.pid,
            workers=workers,
            threads=threads,
            job_worker=worker.pid if worker else None,
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
            _drop_queue(queue)


def jobs_queue_settings() -> dict[str, str]:
    """With BENCH_REDIS_URL set, the app hands its jobs (the figures job after every
    change) to an RQ queue of its own there, which a job worker runs, as a deployment does
    (the rate limits are kept there too); else they run in the web workers after each
    commit, as without Redis."""
    redis = os.environ.get("BENCH_REDIS_URL")
    if not redis:
        return {}
    return {"REDIS_URL": redis, "JOBS_QUEUE": f"bench-{uuid.uuid4().hex[:8]}"}


def _drop_queue(queue: dict[str, str]) -> None:
    from redis import Redis

    connection = Redis.from_url(queue["REDIS_URL"])
    keys = list(connection.scan_iter(f"*{queue['JOBS_QUEUE']}*"))
    if keys:
        connection.delete(*keys)


def worker_peak_rss_mb(master_pid: int) -> list[float]:
    """Peak resident memory (VmHWM) of each gunicorn worker, in MB."""
    peaks = []
    with open(f"/proc/{master_pid}/task/{master_pid}/children") as listing:
        children = listing.read().split()
    for pid in children:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return peaks


class HttpUser:
    """One simulated user: a keep-alive connection with its own session cookie."""

    def __init__(self, base: str):
        import http.client
        from urllib.parse import urlsplit

        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, dict[str, str]]:
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
        except (ConnectionError, __import__("http.client").client.RemoteDisconnected):
            # gunicorn closes an idle keep-alive connection; a browser would reconnect
            self.connection.close()
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data, dict(response.headers)

    def sign_in(self, email: str, password: str = "demo-safeguarding") -> None:
        from urllib.parse import urlencode

        status, page, _ = self.request("GET", "/sign-in")
        token = re.search(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        assert token, "no CSRF token on the sign-in page"
        form = {"email": email, "password": password, "csrf_token": token.group(1).decode()}
        status, _, _ = self.request(
            "POST",
            "/sign-in",
            urlencode(form).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 302, f"sign-in failed ({status})"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- Where the CPU goes -----------------------------------------------------------------


def _cpu_seconds(pid: int, children: bool = False) -> float:
    """User + system CPU time a process has used (and, ``children``, its children it has
    waited for), from /proc (Linux)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = sum(int(field) for field in fields[11 : 15 if children else 13])
    return ticks / os.sysconf("SC_CLK_TCK")


def _postgres_pids(database: str, others: set[int] | None = None) -> list[int]:
    """PostgreSQL's own processes (writer, checkpointer, WAL) and the backends serving
    ``database``: not other databases' sessions (another run's, a generator's).
    ``others``: processes known not to be those, skipped, and added to as found."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or (others is not None and int(entry) in others):
            continue
        try:
            with open(f"/proc/{entry}/comm") as comm:
                if comm.read().strip() != "postgres":
                    if others is not None:
                        others.add(int(entry))
                    continue
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                title = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        backend = "127.0.0.1(" in title or "[local]" in title or "::1(" in title
        if not backend or f" {database} " in title:
            found.append(int(entry))
        elif others is not None:
            others.add(int(entry))
    return found


class CpuMeter:
    """CPU seconds used between start() and stop() by the app's workers, PostgreSQL (its
    own processes and the backends serving the benchmark's database), this process (the
    load generator), and the rest of the machine's busy time (the kernel's loopback
    networking, other processes): where a saturated run's time goes, and so the ceiling
    the machine's cores put on throughput.

    PostgreSQL's backends come and go during a run (a pool's overflow connections), so
    they are sampled every fifth of a second: a backend that ended between the start and
    the stop counts with what it had used when last seen, not as nothing (comparing only
    the backends alive at the start and the stop had counted PostgreSQL at a tenth of its
    share, and the cores as 70% busy when /proc/stat had them at 96%)."""

    def __init__(self, gunicorn_pid: int, database_url: str, job_worker: int | None = None):
        self.gunicorn_pid = gunicorn_pid
        self.database = make_url(database_url).database or ""
        self.job_worker = job_worker
        self._backends: dict[int, tuple[float, float]] = {}  # pid: (first seen, last seen)
        self._others: set[int] = set()  # processes found not to be those
        self._done = threading.Event()

    def _sample(self) -> dict[str, float]:
        with open(f"/proc/{self.gunicorn_pid}/task/{self.gunicorn_pid}/children") as listing:
            workers = [int(pid) for pid in listing.read().split()]
        used = {"app workers": sum(_cpu_seconds(pid) for pid in workers)}
        if self.job_worker is not None:  # with the work horses it forked and waited for
            used["job worker"] = _cpu_seconds(self.job_worker, children=True)
        return used | {"load generator": sum(os.times()[:2])}

    def _watch_postgres(self, starting: bool = False) -> None:
        for pid in _postgres_pids(self.database, self._others):
            used = _cpu_seconds(pid)
            first = self._backends[pid][0] if pid in self._backends else None
            # a backend first seen after the start used all it has within the run
            self._backends[pid] = (used if starting else 0.0) if first is None else first, used

    def _watch(self) -> None:
        while not self._done.wait(0.2):
            self._watch_postgres()

    def start(self) -> None:
        self._watch_postgres(starting=True)
        self.started = self._sample()
        self.machine = _machine_busy_seconds()
        self.wall = time.monotonic()
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    def stop(self) -> dict[str, float]:
        self._done.set()
        self._watcher.join()
        self._watch_postgres()
        ended = self._sample()
        machine = _machine_busy_seconds() - self.machine
        self.seconds = time.monotonic() - self.wall
        used = {name: ended[name] - self.started[name] for name in ended}
        used["PostgreSQL"] = sum(last - first for first, last in self._backends.values())
        used["rest of the machine"] = max(machine - sum(used.values()), 0.0)
        return used


def _machine_busy_seconds() -> float:
    """CPU seconds all cores have spent not idle since boot, from /proc/stat (Linux)."""
    with open("/proc/stat") as stat:
        ticks = [int(field) for field in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle and waiting for I/O
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_report(used: dict[str, float], requests: int, seconds: float) -> list[str]:
    """Lines saying CPU milliseconds per request for each part, and the ceiling that sets."""
    cores = os.cpu_count() or 1
    per_request = {name: 1000 * value / max(requests, 1) for name, value in used.items()}
    total = sum(per_request.values())
    busy = sum(used.values()) / (seconds * cores)
    return [
        "  CPU per request: "
        + " · ".join(f"{name} {value:.1f} ms" for name, value in per_request.items())
        + f" · in all {total:.1f} ms",
        f"  the {cores} cores were {busy:.0%} busy; at {total:.1f} ms of CPU a request they "
        f"could serve at most {1000 * cores / total:.0f} a second",
    ]
