"""Jobs without Redis run in the web process after the commit. A job without arguments
asked for while it runs in another thread runs once more when that run ends, not alongside
it (the figures job: every API creation asks for it, and each run waited for the last)."""

from __future__ import annotations

import threading

from core import jobs


def _blocking_job(started: threading.Event, release: threading.Event, runs: list[str]):
    @jobs.task
    def job() -> None:
        runs.append(threading.current_thread().name)
        if len(runs) == 1:
            started.set()
            assert release.wait(10)
        if len(runs) == 2:
            raise RuntimeError("a failed run is logged and does not stop the next")

    return job


def test_asked_for_while_running_it_runs_once_more_after(app, caplog):
    started, release, runs = threading.Event(), threading.Event(), []
    job = _blocking_job(started, release, runs)

    def ask() -> None:
        with app.app_context():
            jobs.enqueue(job)

    first = threading.Thread(target=ask, name="first")
    first.start()
    assert started.wait(10)
    for name in ("second", "third"):  # both asked during the first run: one run more
        asker = threading.Thread(target=ask, name=name)
        asker.start()
        asker.join(10)
        assert not asker.is_alive()  # did not wait for the running job
    assert runs == ["first"]
    release.set()
    first.join(10)
    assert runs == ["first", "first"]  # run again, in the thread that ran it
    assert "Job job failed in the web process" in caplog.text

    with app.app_context():  # nothing running now: it runs at once, in the caller
        jobs.enqueue(job)
    assert runs == ["first", "first", "MainThread"]


def test_a_job_with_arguments_runs_for_each_request(app):
    done: list[int] = []

    @jobs.task
    def job(number: int) -> None:
        done.append(number)

    with app.app_context():
        jobs.enqueue(job, 1)
        jobs.enqueue(job, 1)
    assert done == [1, 1]
