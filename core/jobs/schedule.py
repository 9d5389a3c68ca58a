"""The periodic jobs, on RQ's cron scheduler, which the worker command runs beside itself:
reminders and retention daily, the outbox sweep every few minutes (the settings
``JOBS_REMINDERS_CRON``, ``JOBS_RETENTION_CRON``, ``JOBS_OUTBOX_SWEEP_SECONDS``)."""

from __future__ import annotations

import multiprocessing
from typing import Any

from flask import Flask
from redis import Redis
from rq.cron import CronScheduler

from core.jobs import PERIODIC


def scheduler(app: Flask, connection: Any) -> Any:
    """RQ's cron scheduler with the periodic jobs registered on the app's queue. Cron
    expressions are read in UTC; each job is named after its queue, so that two
    deployments sharing a Redis keep their histories apart."""

    config = app.config
    queue = config["JOBS_QUEUE"]
    timeout = config["JOBS_TIMEOUT_SECONDS"]
    cron = CronScheduler(connection=connection, logging_level=config["LOG_LEVEL"])
    for func, kind, setting in PERIODIC:
        cron.register(
            func,
            queue,
            job_timeout=timeout,
            name=f"{queue}:{func.__name__}",
            **{kind: config[setting]},
        )
    return cron


def _run(app: Flask) -> None:

    scheduler(app, Redis.from_url(app.config["REDIS_URL"])).start()


def start_in_child(app: Flask) -> multiprocessing.process.BaseProcess:
    """Run the scheduler in a child process (it stops on SIGTERM, as the worker does)."""
    process = multiprocessing.get_context("fork").Process(
        target=_run, args=(app,), name="cron-scheduler", daemon=True
    )
    process.start()
    return process
