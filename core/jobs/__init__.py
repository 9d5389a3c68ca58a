"""Background jobs: on an RQ queue in Redis when ``REDIS_URL`` is set, else in this process.

A job is a function an area declares with :func:`task` (and, if it also runs on a
schedule, :func:`periodic`), called with plain arguments (ids, dates),
never with records: the database stays the record of truth, so a job Redis loses is only
late (the outbox sweep sends what is pending, the daily runs catch up), never wrong.

:func:`enqueue` is called once the transaction that made the work has committed (the
request pipeline's commit, or a command's). With Redis it hands the job to the queue and
returns: the request does no SMTP or other slow work, and a worker
(``flask --app core worker``) runs the job, retrying it after a failure and after its worker
died in the middle. Without Redis (``make run``) the job runs at once, in this process, as
email always did before there was a queue. A job without arguments (the figures job, the
outbox sweep) asked for while it already runs in this process runs once more when that run
ends rather than alongside it: the requests of a busy process share a run instead of each
waiting its turn for the job's lock. On the queue, such a job is queued once until a
worker starts it.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any, ParamSpec

from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry

from core.extensions import db

log = logging.getLogger(__name__)

P = ParamSpec("P")


# The periodic jobs the areas declared with @periodic: (job, "cron" or "interval", the
# setting that holds the cron expression or the seconds); core/jobs/schedule.py runs them.
PERIODIC: list[tuple[Callable[..., Any], str, str]] = []


def periodic(kind: str, setting: str) -> Callable[[Callable[P, Any]], Callable[P, Any]]:
    """Run a job on the worker's schedule as well: ``kind`` is ``"cron"`` (the setting
    holds a cron expression, UTC) or ``"interval"`` (the setting holds seconds)."""
    if kind not in ("cron", "interval"):
        raise ValueError(f"unknown schedule kind {kind!r}")

    def register(job: Callable[P, Any]) -> Callable[P, Any]:
        PERIODIC.append((job, kind, setting))
        return job

    return register


def queue_configured(app: Flask | None = None) -> bool:
    """Whether jobs go to Redis (``REDIS_URL`` is set) rather than run in this process."""
    return bool((app or current_app).config.get("REDIS_URL"))


def connection(app: Flask | None = None) -> Any:
    """This process's connection to the jobs' Redis (made once per app)."""

    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    client = app.extensions.get("jobs_redis")
    if client is None:
        # short timeouts: a request that hands over a job never hangs on a sick Redis
        client = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5)
        app.extensions["jobs_redis"] = client
    return client


def job_queue(app: Flask | None = None) -> Any:

    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return Queue(app.config["JOBS_QUEUE"], connection=connection(app))


def retry_policy(app: Flask | None = None) -> Any:
    """RQ's retry: one retry per interval of ``JOBS_RETRY_SECONDS``."""

    intervals = (app or current_app).config["JOBS_RETRY_SECONDS"]
    return Retry(max=len(intervals), interval=list(intervals)) if intervals else None


def task(func: Callable[P, Any]) -> Callable[P, Any]:
    """Make ``func`` a job: it runs in an application context of its own (a session of its
    own), in the worker or, without Redis, in the web process after the commit."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> Any:
        app = _app()
        with app.app_context():
            if not (args or kwargs) and queue_configured(app):
                _taken_from_queue(run, app)
            try:
                return func(*args, **kwargs)
            finally:
                db.session.remove()

    return run


def enqueue(func: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> str | None:
    """Run the job ``func(*args)``; call only after the work it reads has committed.

    With Redis: put it on the queue and answer its id. A Redis that cannot take it is
    logged and the job dropped: what it would have done is in the database for the
    periodic runs (the outbox sweep) to find. Without Redis: run it now, here; its failure
    is logged, never raised (the caller's work is saved already)."""
    if queue_configured():
        return _to_queue(func, None, *args, **kwargs)
    if args or kwargs:
        _run_here(func, *args, **kwargs)
    elif _runs_again_later(func):
        return None
    else:
        _run_until_not_asked(func)
    return None


def enqueue_once(func: Callable[[], Any], delay_seconds: int = 0) -> None:
    """A job without arguments asked for after a change (the figures job, the outbox
    sweep): with Redis, put on the queue unless it is there already and no worker has
    started it (that run will see the change); without, as :func:`enqueue`.
    ``delay_seconds``: with Redis, the job waits that long on the worker's schedule
    before it is queued, so that the changes of that time share one run.

    A busy node asked for the figures job at every creation, and each RQ enqueue cost the
    request a job's pickling and several Redis commands; now one SET NX. The mark is
    dropped by the worker as the job starts, before it reads anything, so a change
    committed after that start queues the job again; it expires after the job timeout,
    should Redis lose the queued job but not the mark (the periodic run catches up)."""
    if not queue_configured():
        enqueue(func)
    elif _mark_queued(func):
        _to_queue(func, timedelta(seconds=delay_seconds) if delay_seconds > 0 else None)


def _to_queue(
    func: Callable[P, Any], delay: timedelta | None, *args: P.args, **kwargs: P.kwargs
) -> str | None:
    """Hand the job to RQ, at once or after ``delay`` (RQ's scheduled registry: the
    worker's scheduler queues it when due, checking every second); its id. A Redis that
    cannot take it is logged and the job dropped (the periodic runs catch up)."""
    options = {
        "retry": retry_policy(),
        "job_timeout": current_app.config["JOBS_TIMEOUT_SECONDS"],
    }
    try:
        if delay is None:
            job = job_queue().enqueue(func, *args, **kwargs, **options)
        else:
            job = job_queue().enqueue_in(delay, func, *args, **kwargs, **options)
    except RedisError as error:
        if not (args or kwargs):
            _taken_from_queue(func, current_app)
        log.warning(
            "Job %s not queued (Redis: %s); the periodic runs will catch up",
            func.__name__,
            error,
        )
        return None
    return str(job.id)


def _queued_mark(func: Callable[..., Any], app: Flask) -> str:
    return f"{app.config['JOBS_QUEUE']}:queued:{func.__module__}.{func.__name__}"


def _mark_queued(func: Callable[..., Any]) -> bool:
    """Take the job's mark; False if it is queued already and not started."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        return bool(
            connection(app).set(
                _queued_mark(func, app), "1", nx=True, ex=app.config["JOBS_TIMEOUT_SECONDS"]
            )
        )
    except RedisError:
        return True  # the enqueue says what Redis could not do


def _taken_from_queue(func: Callable[..., Any], app: Flask) -> None:
    try:
        connection(app).delete(_queued_mark(func, app))
    except RedisError as error:
        log.warning("Job %s: its queued mark not dropped (Redis: %s)", func.__name__, error)


def _run_here(func: Callable[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
    try:
        func(*args, **kwargs)
    except Exception:
        log.exception("Job %s failed in the web process", func.__name__)


# Jobs without arguments running in this process (no Redis), each with whether it was asked
# for again meanwhile.
_RUNNING: dict[Callable[..., Any], bool] = {}
_RUNNING_LOCK = threading.Lock()


def _runs_again_later(func: Callable[..., Any]) -> bool:
    """If ``func`` runs in another thread of this process, ask that thread to run it once
    more when it ends (after this request's commit, so that run sees it) and answer True."""
    with _RUNNING_LOCK:
        if func in _RUNNING:
            _RUNNING[func] = True
            return True
        _RUNNING[func] = False
        return False


def _run_until_not_asked(func: Callable[[], Any]) -> None:
    """Run ``func``, and again while another thread asked for it during the run."""
    try:
        while True:
            _run_here(func)
            with _RUNNING_LOCK:
                if not _RUNNING[func]:
                    break
                _RUNNING[func] = False
    finally:
        with _RUNNING_LOCK:
            _RUNNING.pop(func, None)


def _app() -> Flask:
    """The app a job runs in: the one in context, which is the worker command's (``flask --app
    core worker`` runs every job inside its application) or the web process's. A job taken
    by a bare ``rq worker`` has none and is refused rather than run against another app."""
    if not has_app_context():
        raise RuntimeError("Run the jobs with `flask --app core worker`, not a bare `rq worker`.")
    return current_app._get_current_object()  # type: ignore[attr-defined,no-any-return]
