"""The job worker's RQ worker: each job in the worker's own process, its heartbeat kept.

RQ's default ``Worker`` forks a process for every job. On a busy node the figures job runs
about every second, and each fork (new Redis and PostgreSQL connections, copied pages) cost
70 to 100 ms of CPU against the job's own 10: more than the job worker's whole share of an
API creation. RQ's ``SimpleWorker`` runs the job in the worker's process instead, keeping
its connections, but sends no heartbeat while the job runs, so it registers the job for its
whole timeout plus a minute: a worker killed in the middle of a job would leave the job to
the next worker only after 11 minutes (``JOBS_TIMEOUT_SECONDS`` 600), not the 90 seconds
docs/operations.md promises. :class:`InProcessWorker` keeps the 90 seconds: a thread sends
the heartbeat every ``job_monitoring_interval`` (30 s) while the job runs, as the forking
worker's monitor does, and stops before RQ records how the job ended (so no heartbeat can
put a finished job back among the started ones). A job past its timeout plus a minute (one
that does not answer the timeout's signal) gets no more heartbeats: the next worker takes
it over, as RQ's monitor would have killed its process.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from redis.exceptions import RedisError
from rq import SimpleWorker
from rq.job import Job
from rq.worker.base import BaseWorker, WorkerStatus

log = logging.getLogger(__name__)


class _Heartbeat:
    """The heartbeat of one running job, sent from a thread until :meth:`stop`."""

    def __init__(self, worker: InProcessWorker, job: Job):
        self.worker, self.job = worker, job
        self.stopped = threading.Event()
        self.started = time.monotonic()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat {job.id}", daemon=True)
        self.thread.start()

    def _beat(self) -> None:
        interval = self.worker.job_monitoring_interval
        limit = (self.job.timeout or 0) + 60
        while not self.stopped.wait(interval):
            working = time.monotonic() - self.started
            if self.job.timeout and self.job.timeout > 0 and working > limit:
                return  # hung past its timeout: let its registration run out
            try:
                self.worker.set_current_job_working_time(working)
                self.worker.maintain_heartbeats(self.job)
            except RedisError as error:  # the next beat may reach it; the job goes on
                log.warning("Job %s: heartbeat not sent (Redis: %s)", self.job.id, error)

    def stop(self) -> None:
        self.stopped.set()
        if self.thread is not threading.current_thread():
            self.thread.join()


class InProcessWorker(SimpleWorker):
    """RQ's ``SimpleWorker`` with the forking worker's heartbeat (module docstring)."""

    _heartbeat: _Heartbeat | None = None

    def execute_job(self, job: Job, queue: Any) -> None:
        self.prepare_execution(job)
        self._heartbeat = _Heartbeat(self, job)
        try:
            self.perform_job(job, queue)
        finally:
            self._stop_heartbeat()
            self.set_current_job_working_time(0)
        self.set_state(WorkerStatus.IDLE)

    def handle_execution_ended(self, job: Job, queue: Any, heartbeat_ttl: int) -> None:
        # the job has returned or raised: no heartbeat from here on, before RQ moves it
        # to the finished, failed or retried jobs
        self._stop_heartbeat()
        super().handle_execution_ended(job, queue, heartbeat_ttl)

    def get_heartbeat_ttl(self, job: Job) -> int:
        # the forking worker's: the monitoring interval and a minute, not the job's timeout
        return BaseWorker.get_heartbeat_ttl(self, job)

    def _stop_heartbeat(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.stop()
            self._heartbeat = None
