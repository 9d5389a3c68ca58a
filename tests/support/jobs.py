"""The real job queue for tests: RQ on the Redis at 127.0.0.1:6379, and real worker processes.

Each pytest-xdist worker uses Redis database 12 or 13, and each test a queue of its own
(``test-<hex>``), whose keys are deleted afterwards: two workers never share a key. An
unreachable Redis fails the test (as the rate limit tests do), never skips it.

A worker process is ``flask --app tests.support.served_app worker``: the worker command
itself, on the test's database and the test's clock (tests/support/clock.py), in a process
group of its own so that a test can SIGKILL it, horse and all, in the middle of a job.
"""

from __future__ import annotations

import os
import socket
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from core.jobs import task
from tests.support.served import ProcessGroup

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).with_name("flask")


def _database_number() -> int:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker.removeprefix("gw")) if worker.startswith("gw") else 0
    return 12 + index % 2


@dataclass
class JobQueue:
    url: str
    name: str
    connection: Redis

    @property
    def queue(self) -> Queue:
        return Queue(self.name, connection=self.connection)

    def settings(self) -> dict[str, Any]:
        return {"REDIS_URL": self.url, "JOBS_QUEUE": self.name}


@contextmanager
def redis_queue() -> Iterator[JobQueue]:
    """A queue of its own on this worker's Redis database, every key of it deleted after;
    an unreachable Redis fails the test."""
    url = f"redis://127.0.0.1:6379/{_database_number()}"
    connection = Redis.from_url(url, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as error:
        pytest.fail(
            f"Redis is unreachable at {url} ({error}): the job queue tests need it "
            "(docs/testing.md says how to start it)."
        )
    queue = JobQueue(url, f"test-{uuid.uuid4().hex[:12]}", connection)
    try:
        yield queue
    finally:
        _delete_keys(connection, queue.name)
        connection.close()


@pytest.fixture
def job_queue() -> Iterator[JobQueue]:
    with redis_queue() as queue:
        yield queue


def _delete_keys(connection: Redis, name: str) -> None:
    """Every key of this queue (its registries, jobs, results, workers) and its entries
    in RQ's shared sets."""
    own = [key for key in connection.scan_iter(match=f"*{name}*")]
    job_ids: set[bytes] = set()
    for key in own:
        kind = connection.type(key)
        if kind == b"list":
            job_ids.update(connection.lrange(key, 0, -1))
        elif kind == b"zset":
            job_ids.update(member.split(b":")[0] for member in connection.zrange(key, 0, -1))
    for job_id in job_ids:
        own.extend(connection.scan_iter(match=f"*{job_id.decode()}*"))
    if own:
        connection.delete(*set(own))
    for key in connection.scan_iter():
        kind = connection.type(key)
        if kind == b"set":
            members = [m for m in connection.smembers(key) if name.encode() in m]
            if members:
                connection.srem(key, *members)
        elif kind == b"zset":
            members = [m for m in connection.zrange(key, 0, -1) if name.encode() in m]
            if members:
                connection.zrem(key, *members)
        elif kind == b"hash" and any(name.encode() in v for v in connection.hvals(key)):
            connection.delete(key)  # a scheduler of this queue's worker


class WorkerProcess(ProcessGroup):
    """``flask worker`` in a process group of its own, on the test's database and clock."""

    def __init__(self, database_url: str, log: Path, *options: str, **settings: Any):
        super().__init__(
            [str(FLASK), "--app", "tests.support.served_app", "worker", *options],
            database_url,
            log,
            {"LOG_LEVEL": "INFO"} | {key: str(value) for key, value in settings.items()},
        )
        self.log_path = log

    def wait(self, timeout: float) -> int:
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


@task
def note_process(path: str) -> None:
    """A job for the tests: adds the id of the process running it to the file ``path``."""
    with open(path, "a") as noted:
        noted.write(f"{os.getpid()}\n")


@task
def note_heartbeat(path: str, seconds: float) -> None:
    """A job for the tests: runs ``seconds``, then writes how long after its start its
    worker last sent its heartbeat."""
    from rq import get_current_job

    job = get_current_job()
    time.sleep(seconds)
    job.refresh()
    with open(path, "w") as noted:
        noted.write(str((job.last_heartbeat - job.started_at).total_seconds()))


def silent_listener() -> socket.socket:
    """A port that takes connections and never says a word: an SMTP server that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    return listener


def wait_for(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s: {what}")
