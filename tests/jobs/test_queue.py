"""Background work on the real queue: RQ on Redis, real worker processes, a real SMTP server.

With ``REDIS_URL`` set the request hands the email to the queue and does no SMTP; the
worker delivers it, retrying while the server is down; a worker killed in the middle of a
job leaves it to the next worker; the schedule enqueues the daily jobs."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry, StartedJobRegistry

from core import jobs
from core.extensions import db
from core.jobs.schedule import scheduler
from core.jobs.worker import InProcessWorker
from core.mail import operations as mail
from core.mail.models import DeliveryStatus, OutboxMessage
from tests.meetings.helpers import build_world, record_concern, schedule
from tests.support.jobs import (
    WorkerProcess,
    note_heartbeat,
    note_process,
    silent_listener,
    wait_for,
)
from tests.support.smtp import Mailbox


def _statuses(app) -> set[DeliveryStatus]:
    with app.app_context():
        return set(db.session.scalars(sa.select(OutboxMessage.status)))


def test_an_invitation_leaves_through_the_worker_and_waits_for_a_stopped_mail_server(
    app_factory, job_queue, tmp_path
):
    """The acceptance: the page answers without touching the SMTP server (its port is held
    by a listener that never answers, where an SMTP connection would hang the request), and
    the worker delivers the email once the server is back, retrying the failed job."""
    from tests.conftest import Factory

    held = silent_listener()
    port = held.getsockname()[1]
    app = app_factory(
        **job_queue.settings(),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_TIMEOUT=30,
        JOBS_RETRY_SECONDS=[1] * 10,
    )
    world = build_world(app, Factory(app))
    concern_id = record_concern(world)

    created = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-16T10:00:00+00:00"
    )

    assert created.status_code == 201, created.json
    held.setblocking(False)
    with pytest.raises(BlockingIOError):
        held.accept()  # nobody knocked: the request made no SMTP connection
    assert _statuses(app) == {DeliveryStatus.PENDING}
    queued = Job.fetch_many(job_queue.queue.job_ids, connection=job_queue.connection)
    # the email's job, beside the figures jobs of the requests that changed a case
    [job] = [job for job in queued if job.func_name == "core.mail.operations.deliver_mail"]
    assert {job.func_name for job in queued} <= {
        "core.mail.operations.deliver_mail",
        "core.returns.summary.refresh_figures",
    }
    job_id = job.id

    held.close()  # the mail server is stopped: its port refuses connections
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    worker = WorkerProcess(
        url, tmp_path / "worker.log", "--no-schedule",
        **job_queue.settings(), MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
    )  # fmt: skip
    try:
        wait_for(
            lambda: Job.fetch(job_id, connection=job_queue.connection).retries_left == 9,
            30,
            "the delivery job failed once and was put back for a retry",
        )
        assert _statuses(app) == {DeliveryStatus.PENDING}
        mailbox = Mailbox()
        server = Controller(mailbox, hostname="127.0.0.1", port=port)
        server.start()  # the mail server is back
        try:
            wait_for(lambda: mailbox.to("police@example.org"), 30, "the invitation arrived")
        finally:
            server.stop()
    finally:
        worker.stop()
    [invitation] = mailbox.to("police@example.org")
    assert invitation["Subject"].startswith("Invitation: Initial child protection conference")
    assert _statuses(app) == {DeliveryStatus.SENT}
    job = Job.fetch(job_id, connection=job_queue.connection)
    assert job.get_status() == JobStatus.FINISHED
    assert job.retries_left == 9, worker.output()  # it failed once, then was retried


def test_a_worker_killed_in_the_middle_of_a_job_leaves_it_to_the_next_worker(
    app_factory, job_queue, smtp_server, clock, tmp_path
):
    """SIGKILL the worker (and the process running the job) while it waits on the mail
    server; once its heartbeat has run out, the next worker finds the job abandoned, runs
    it again and the email leaves, once."""
    hanging = silent_listener()
    app = app_factory(
        **job_queue.settings(),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=hanging.getsockname()[1],
        JOBS_RETRY_SECONDS=[0, 0],
    )
    with app.app_context():
        mail.queue_message(["police@example.org"], "Strategy discussion", "Body", kind="test")
        db.session.commit()
        mail.deliver_after_commit()
    [job_id] = job_queue.queue.job_ids
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    first = WorkerProcess(
        url, tmp_path / "first.log", "--no-schedule",
        **job_queue.settings(), MAIL_SERVER="127.0.0.1",
        MAIL_PORT=hanging.getsockname()[1], MAIL_TIMEOUT=120,
    )  # fmt: skip
    hanging.settimeout(30)
    try:
        connection, _ = hanging.accept()  # the job is talking to the mail server now
    except TimeoutError:
        first.stop()
        raise AssertionError(first.output()) from None
    started = StartedJobRegistry(job_queue.name, connection=job_queue.connection)
    assert started.get_job_ids() == [job_id]
    first.kill()
    connection.close()
    hanging.close()
    assert _statuses(app) == {DeliveryStatus.PENDING}

    clock.advance(timedelta(minutes=5))  # past the dead worker's last heartbeat
    second = WorkerProcess(
        url, tmp_path / "second.log", "--burst",
        **job_queue.settings(), **smtp_server.settings(),
    )  # fmt: skip
    assert second.wait(timeout=60) == 0, second.output()

    assert len(smtp_server.mailbox.to("police@example.org")) == 1, second.output()
    assert _statuses(app) == {DeliveryStatus.SENT}
    assert Job.fetch(job_id, connection=job_queue.connection).get_status() == JobStatus.FINISHED


def test_the_worker_runs_each_job_in_its_own_process_without_forking_one(
    app_factory, job_queue, tmp_path
):
    """Jobs run in the worker's process: no process forked for each (the figures job runs
    about every second on a busy node, and each fork cost many times the job's own CPU)."""
    app = app_factory(**job_queue.settings())
    noted = tmp_path / "processes"
    with app.app_context():
        for _ in range(3):
            jobs.enqueue(note_process, str(noted))
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    worker = WorkerProcess(url, tmp_path / "worker.log", "--burst", **job_queue.settings())
    assert worker.wait(timeout=60) == 0, worker.output()
    assert noted.read_text().split() == [str(worker.process.pid)] * 3, worker.output()


def test_a_long_job_keeps_its_heartbeat_and_a_finished_one_stays_finished(app, job_queue, tmp_path):
    """While a job runs in the worker's process its heartbeat goes on (so no other worker
    takes it over), every monitoring interval (here 1 s, 30 in the worker command); once
    it has ended no heartbeat puts it back among the started jobs."""
    noted = tmp_path / "heartbeat"
    with app.app_context():
        app.config.update(job_queue.settings())
        job_id = jobs.enqueue(note_heartbeat, str(noted), 2.5)
        worker = InProcessWorker(
            [job_queue.queue], connection=job_queue.connection, job_monitoring_interval=1
        )
        assert worker.work(burst=True)
    assert float(noted.read_text()) >= 1.5  # beats sent while it ran, not only at its start
    time.sleep(1.2)  # past the next beat a thread left running would send
    started = StartedJobRegistry(job_queue.name, connection=job_queue.connection)
    assert started.get_job_ids() == []
    assert Job.fetch(job_id, connection=job_queue.connection).get_status() == JobStatus.FINISHED


def test_the_schedule_enqueues_reminders_and_retention_daily_and_the_worker_runs_them(
    app_factory, job_queue, clock, tmp_path
):
    app = app_factory(
        **job_queue.settings(),
        JOBS_REMINDERS_CRON="0 7 * * *",
        JOBS_RETENTION_CRON="30 1 * * *",
        JOBS_OUTBOX_SWEEP_SECONDS=600,
        JOBS_FIGURES_SECONDS=600,
    )
    clock.set(datetime(2026, 11, 24, 0, 0, tzinfo=UTC))
    cron = scheduler(app, job_queue.connection)

    def enqueued_at(hour: int, minute: int) -> list[str]:
        clock.set(datetime(2026, 11, 24, hour, minute, tzinfo=UTC))
        return sorted(job.func_name.rsplit(".", 1)[1] for job in cron.enqueue_jobs())

    every = ["count_figures", "sweep_outbox"]  # the interval jobs
    assert enqueued_at(0, 0) == every  # interval jobs start at once
    assert enqueued_at(1, 29) == every
    assert enqueued_at(1, 30) == ["run_retention"]
    assert enqueued_at(6, 59) == every
    assert enqueued_at(7, 0) == ["send_reminders"]
    assert enqueued_at(7, 5) == []
    jobs = [Job.fetch(i, connection=job_queue.connection) for i in job_queue.queue.job_ids]
    assert sorted(job.func_name.rsplit(".", 1)[1] for job in jobs) == sorted(
        [*every, *every, "run_retention", *every, "send_reminders"]
    )

    worker = WorkerProcess(
        app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "worker.log", "--burst",
        **job_queue.settings(),
    )  # fmt: skip
    assert worker.wait(timeout=60) == 0, worker.output()
    results = {job.func_name.rsplit(".", 1)[1]: job for job in jobs}
    for job in results.values():
        job.refresh()
        assert job.get_status() == JobStatus.FINISHED, worker.output()
    assert results["send_reminders"].return_value() == "queued 0 reminder(s)"
    assert results["run_retention"].return_value() == (
        "purged 0 case record(s) and 0 hospital discharge(s)"
    )


def test_a_lost_redis_loses_no_email_the_sweep_sends_it(app_factory, smtp_server):
    """Redis refuses the job: the request still answers and the email waits in the
    outbox, where the sweep finds it."""
    app = app_factory(REDIS_URL="redis://127.0.0.1:1/12", **smtp_server.settings())
    with app.app_context():
        mail.queue_message(["nhs@example.org"], "Subject", "Body", kind="test")
        db.session.commit()
        mail.deliver_after_commit()  # logs that Redis did not take it
    assert smtp_server.mailbox.received == []
    assert _statuses(app) == {DeliveryStatus.PENDING}

    from core.mail.operations import sweep_outbox

    with app.app_context():
        assert sweep_outbox() == "sent 1, failed 0"
    assert len(smtp_server.mailbox.to("nhs@example.org")) == 1


def test_commands_hand_their_work_to_the_worker_with_queue(app_factory, job_queue):
    app = app_factory(**job_queue.settings())
    runner = app.test_cli_runner()
    for args, job in (
        (["reminders", "send", "--queue"], "core.meetings.reminders.send_reminders"),
        (["retention", "run", "--queue"], "core.retention.operations.run_retention"),
        (["audits", "attendance", "--from", "2026-01-01", "--to", "2026-06-30", "--queue"],
         "core.audits.operations.run_attendance_audit_job"),
    ):  # fmt: skip
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        assert f"on {job_queue.name}" in result.output
        queued = Job.fetch(job_queue.queue.job_ids[-1], connection=job_queue.connection)
        assert queued.func_name == job
    assert queued.args == ("2026-01-01", "2026-06-30", None)  # the only council


def test_without_redis_there_is_no_worker_and_queue_is_refused(app_factory):
    runner = app_factory(REDIS_URL=None).test_cli_runner()
    worker = runner.invoke(args=["worker", "--burst"])
    assert worker.exit_code == 2
    assert "REDIS_URL is not set" in worker.output
    queued = runner.invoke(args=["reminders", "send", "--queue"])
    assert queued.exit_code == 2


def test_the_outbox_page_hands_sending_to_the_worker(app_factory, job_queue, smtp_server):
    """Administrators' "send now" does no SMTP in the request when there is a queue: it
    enqueues the sweep."""
    from core.auth.roles import Role
    from tests.conftest import Auth, Factory, csrf_token

    app = app_factory(**job_queue.settings(), **smtp_server.settings())
    with app.app_context():
        mail.queue_message(["reader@example.org"], "Subject", "Body", kind="test")
        db.session.commit()
    client = app.test_client()
    Auth(client, Factory(app)).as_role(Role.ADMINISTRATOR)
    sent = client.post(
        "/admin/outbox/send", data={"csrf_token": csrf_token(client, "/admin/outbox/")}
    )
    assert sent.status_code == 302
    assert "being sent in the background" in client.get("/admin/outbox/").get_data(as_text=True)
    assert smtp_server.mailbox.received == []
    [job_id] = job_queue.queue.job_ids
    job = Job.fetch(job_id, connection=job_queue.connection)
    assert job.func_name == "core.mail.operations.sweep_outbox"
    with app.app_context():
        assert job.perform() == "sent 1, failed 0"  # what the worker will do
    assert len(smtp_server.mailbox.to("reader@example.org")) == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [("JOBS_REMINDERS_CRON", "at seven"), ("JOBS_RETENTION_CRON", "61 1 * * *"),
     ("JOBS_RETRY_SECONDS", "60,soon")],
)  # fmt: skip
def test_a_wrong_schedule_or_retry_setting_stops_the_start(monkeypatch, name, value):
    from core.config import ConfigurationError, load_settings

    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError, match=name):
        load_settings()


def test_the_figures_job_is_queued_once_until_a_worker_starts_it(app_factory, job_queue):
    """Three creations while the figures job waits on the queue put it there once; once a
    worker has started it, the next change queues it again (that run may have read before
    the change)."""
    from tests.conftest import Factory

    app = app_factory(**job_queue.settings(), JOBS_FIGURES_DELAY_SECONDS=0)
    world = build_world(app, Factory(app))

    def figures_jobs() -> list[Job]:
        queued = Job.fetch_many(job_queue.queue.job_ids, connection=job_queue.connection)
        return [job for job in queued if job.func_name == "core.returns.summary.refresh_figures"]

    for _ in range(3):
        record_concern(world)
    [waiting] = figures_jobs()

    with app.app_context():
        waiting.perform()  # as a worker runs it: the mark is dropped as the job starts
    record_concern(world)
    assert len(figures_jobs()) == 2
    record_concern(world)
    assert len(figures_jobs()) == 2


def test_the_figures_job_waits_its_delay_on_the_schedule_so_changes_share_a_run(
    app_factory, job_queue
):
    """With JOBS_FIGURES_DELAY_SECONDS the job waits on the worker's schedule, not the
    queue, due that long after the first change; the changes meanwhile add nothing to it,
    and a change after a worker started it schedules the next run."""
    from tests.conftest import Factory

    app = app_factory(**job_queue.settings(), JOBS_FIGURES_DELAY_SECONDS=5)
    world = build_world(app, Factory(app))
    scheduled = ScheduledJobRegistry(queue=job_queue.queue)

    def figures_jobs() -> list[Job]:
        ids = [*job_queue.queue.job_ids, *scheduled.get_job_ids()]
        jobs = Job.fetch_many(ids, connection=job_queue.connection)
        return [job for job in jobs if job.func_name == "core.returns.summary.refresh_figures"]

    before = datetime.now(UTC)
    for _ in range(3):
        record_concern(world)
    after = datetime.now(UTC)
    [waiting] = figures_jobs()
    assert waiting.id not in job_queue.queue.job_ids  # not for a worker yet
    due = scheduled.get_scheduled_time(waiting)
    assert before + timedelta(seconds=5) - timedelta(seconds=1) <= due
    assert due <= after + timedelta(seconds=5)

    with app.app_context():
        waiting.perform()  # as a worker runs it once due: the mark is dropped as it starts
    record_concern(world)
    assert len(figures_jobs()) == 2
