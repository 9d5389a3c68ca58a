"""A real gunicorn serving the test app, for tests that need the server as it runs:
crash safety, concurrency, fuzzing over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

from tests.support.clock import served_clock_environment

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ProcessGroup:
    """A test's server process, started in a process group of its own (``self.process``,
    writing to ``self.log``), which the test may stop or kill with all its children."""

    def __init__(self, command: list[str], url: str, log: Path, settings: dict[str, str]):
        """Start ``command`` from the checkout on the database ``url``, on this test's
        clock, with ``settings`` added to the environment."""
        env = (
            os.environ
            | served_clock_environment()
            | {
                # the caller's path stays (under faketime it holds the sleep shim)
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])
                ),
                "SERVED_DATABASE_URL": url,
            }
            | settings
        )
        self.log: IO[bytes] = log.open("ab")
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the whole group: the process and its children, no chance to tidy up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self.log.close()


class Server(ProcessGroup):
    """gunicorn serving the test app (tests/support/served_app.py) on one database, in a
    process group of its own: by default as ``make run`` serves, one worker of four
    threads."""

    def __init__(
        self,
        url: str,
        log: Path,
        slow_commit: float = 0,
        workers: int = 1,
        threads: int = 4,
        settings: dict[str, str] | None = None,
        wait: bool = True,
    ):
        """``settings`` are added to the server's environment; without ``wait`` the caller
        starts other processes first, then calls :meth:`wait_until_up`."""
        self.port = _free_port()
        self.holding = log.parent / f"holding-{self.port}"
        self.holding.mkdir()
        super().__init__(
            [
                str(GUNICORN),
                f"--workers={workers}",
                f"--threads={threads}",
                f"--bind=127.0.0.1:{self.port}",
                "tests.support.served_app:app",
            ],
            url,
            log,
            {"CRASH_SLOW_COMMIT": str(slow_commit), "CRASH_HOLDING_DIR": str(self.holding)}
            | (settings or {}),
        )
        if wait:
            self.wait_until_up()

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server stopped while starting"
            try:
                health = self.url("/healthz")  # http://127.0.0.1 only
                with urllib.request.urlopen(health, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("the server did not start within 60 seconds")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def call(
        self, method: str, path: str, token: str, body: dict | None = None
    ) -> tuple[int | None, bytes]:
        """The status and body of one API request; None when no answer came."""
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.url(path),
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
                return int(response.status), response.read()
        except urllib.error.HTTPError as error:
            return int(error.code), error.read()
        except OSError:
            return None, b""  # the server died under us

    def post_concern(self, token: str, body: dict) -> int | None:
        return self.call("POST", "/api/v1/concerns/", token, body)[0]

    def wait_until_holding(self, writes: int) -> None:
        """Until ``writes`` concerns are written and held uncommitted (or a minute)."""
        deadline = time.monotonic() + 60
        while len(list(self.holding.iterdir())) < writes:
            assert time.monotonic() < deadline, "the server never held a write"
            time.sleep(0.05)
