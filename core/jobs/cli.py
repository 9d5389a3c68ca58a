"""``flask --app core worker``: run the jobs queued on Redis, and the periodic ones."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from redis import Redis
from rq import Queue

from core.jobs import enqueue, queue_configured
from core.jobs.schedule import start_in_child
from core.jobs.worker import InProcessWorker

NOT_CONFIGURED = "REDIS_URL is not set: there is no queue (without it jobs run in the web process)."


def hand_to_worker(func: Callable[..., Any], *args: Any) -> None:
    """For a command's ``--queue``: put the job on the queue and say so."""
    if not queue_configured():
        click.echo(NOT_CONFIGURED, err=True)
        sys.exit(2)
    job_id = enqueue(func, *args)
    if job_id is None:
        click.echo("Redis did not take the job (see the log).", err=True)
        sys.exit(1)
    click.echo(f"Queued job {job_id} on {current_app.config['JOBS_QUEUE']}.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@click.option(
    "--schedule/--no-schedule",
    default=True,
    show_default=True,
    help="Also run the periodic jobs' scheduler (run it in one worker of a deployment).",
)
@with_appcontext
def worker(burst: bool, schedule: bool) -> None:
    """Run the background jobs queued on REDIS_URL (email, reminders, retention, audits),
    retrying failed ones, and (unless --no-schedule) enqueue the periodic ones."""

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not queue_configured(app):
        click.echo(NOT_CONFIGURED, err=True)
        sys.exit(2)
    config = app.config
    connection = Redis.from_url(config["REDIS_URL"])
    queue = Queue(config["JOBS_QUEUE"], connection=connection)
    cron = None
    if schedule and not burst:
        cron = start_in_child(app)
    runner = InProcessWorker(  # each job in this process (core/jobs/worker.py)
        [queue],
        connection=connection,
        name=f"{queue.name}.{uuid.uuid4().hex[:12]}",
        maintenance_interval=config["JOBS_MAINTENANCE_SECONDS"],
    )
    try:
        runner.work(burst=burst, with_scheduler=True, logging_level=config["LOG_LEVEL"])
    finally:
        if cron is not None and cron.is_alive():
            cron.terminate()
            cron.join(timeout=10)
