"""Access-log entries are noted during the work and written, chained, when it commits:
a rollback (or a rollback to a savepoint) drops what it undid, and on PostgreSQL a request
that has logged something does not hold up other requests until it commits."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.accesslog.models import AccessLogEntry
from core.extensions import db
from tests.support.database import using_postgres


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AccessLogEntry.action).order_by(AccessLogEntry.id)))


def test_noted_entries_are_written_in_order_and_chained_when_the_work_commits(app):
    with app.app_context():
        before = _actions()
        for action in ("test.first", "test.second", "test.third"):
            access_log.record(action, object_type="test", object_id=1)
        assert access_log.pending_count() == 3
        assert _actions() == before  # nothing written yet
        db.session.commit()
        assert _actions() == [*before, "test.first", "test.second", "test.third"]
        assert access_log.pending_count() == 0
        assert access_log.verify_chain().intact


def test_a_rollback_drops_what_was_noted(app):
    with app.app_context():
        before = _actions()
        access_log.record("test.undone")
        db.session.rollback()
        db.session.commit()
        assert _actions() == before


def test_rolling_back_a_savepoint_drops_only_what_was_noted_inside_it(app):
    with app.app_context():
        before = _actions()
        access_log.record("test.kept_before")
        with pytest.raises(RuntimeError), db.session.begin_nested():
            access_log.record("test.undone_inside")
            raise RuntimeError("the savepoint's work failed")
        with db.session.begin_nested():
            access_log.record("test.kept_inside")
        access_log.record("test.kept_after")
        db.session.commit()
        assert _actions() == [*before, "test.kept_before", "test.kept_inside", "test.kept_after"]
        assert access_log.verify_chain().intact


@pytest.mark.skipif(not using_postgres(), reason="concurrent writers: PostgreSQL")
def test_work_that_has_logged_does_not_hold_up_other_work_until_it_commits(app):
    """Two requests at once: the first has logged and is still working; the second logs
    and commits at once (before, the first held the log's lock from its first entry)."""
    with app.app_context():
        access_log.record("test.slow_request")
        db.session.execute(sa.text("SELECT 1"))  # the first request's transaction is open
        with app.app_context():  # another request, with its own session and connection
            db.session.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
            access_log.record("test.quick_request")
            db.session.commit()
        db.session.commit()
        actions = _actions()
        assert actions[-2:] == ["test.quick_request", "test.slow_request"]
        assert access_log.verify_chain().intact


@pytest.mark.skipif(not using_postgres(), reason="concurrent writers: PostgreSQL")
def test_a_reference_number_does_not_wait_for_another_creation_to_commit(app):
    from core.concerns.operations import next_reference

    with app.app_context():
        first = next_reference(2026)
        db.session.execute(sa.text("SELECT 1"))  # the first creation is still working
        with app.app_context():
            db.session.execute(sa.text("SET LOCAL lock_timeout = '2s'"))
            second = next_reference(2026)
            db.session.commit()
        db.session.rollback()  # the first creation fails: its number is not given again
        third = next_reference(2026)
        db.session.commit()
    assert (first, second, third) == ("SG-2026-000001", "SG-2026-000002", "SG-2026-000003")
