"""The access log's anchor: checkpoints of the chain head signed with a key outside the
database, so that removing the newest rows, or rewriting a row and every hash after it,
no longer passes ``flask access-log verify``."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import sqlalchemy as sa

from core.accesslog.models import AccessLogCheckpoint, AccessLogEntry
from core.accesslog.operations import entry_hash
from core.auth.roles import Role
from core.extensions import db
from tests.acceptance.test_platform import _some_activity
from tests.support.database import drop_append_only_triggers


def _ids(app) -> list[int]:
    with app.app_context():
        ids = db.session.scalars(sa.select(AccessLogEntry.id).order_by(AccessLogEntry.id)).all()
        db.session.commit()
    return list(ids)


def _checkpoints(app) -> list[AccessLogCheckpoint]:
    with app.app_context():
        found = db.session.scalars(sa.select(AccessLogCheckpoint).order_by("id")).all()
        db.session.expunge_all()
        db.session.commit()
    return list(found)


def test_verify_signs_the_head_and_then_finds_the_newest_rows_removed(
    app, auth, client, runner, restore_triggers
):
    _some_activity(auth, client)
    first = runner.invoke(args=["access-log", "verify"])
    assert first.exit_code == 0, first.output
    checkpoint = _checkpoints(app)[-1]
    head = _ids(app)[-1]
    assert checkpoint.entry_id == head and f"signed at row {head}" in first.output
    _some_activity(auth, client)  # more rows after the checkpoint
    assert runner.invoke(args=["access-log", "verify"]).exit_code == 0

    # someone with the database removes the newest rows, past the last checkpoint
    ids = _ids(app)
    newest = _checkpoints(app)[-1].entry_id
    with app.app_context(), db.engine.begin() as connection:
        drop_append_only_triggers(connection)
        connection.execute(sa.text("DELETE FROM access_log WHERE id >= :id"), {"id": newest - 2})
    broken = runner.invoke(args=["access-log", "verify"])
    assert broken.exit_code == 1, broken.output
    assert f"signed row {newest}" in broken.output
    assert f"the log now ends at row {newest - 3}" in broken.output
    assert newest <= ids[-1]


def test_a_rewritten_chain_no_longer_matches_its_checkpoint(
    app, auth, client, runner, restore_triggers
):
    _some_activity(auth, client)
    assert runner.invoke(args=["access-log", "verify"]).exit_code == 0
    checkpoint = _checkpoints(app)[-1]
    ids = _ids(app)
    target = ids[1]
    # rewrite one row and recompute every later hash, as the chain alone would accept
    with app.app_context():
        with db.engine.begin() as connection:
            drop_append_only_triggers(connection)
            rows = connection.execute(
                sa.select(AccessLogEntry.__table__).order_by(AccessLogEntry.id)
            ).all()
            previous = None
            for row in rows:
                values = dict(row._mapping)
                if previous is not None:
                    values["prev_hash"] = previous
                if values["id"] == target:
                    values["action"] = "sign_out"
                values["row_hash"] = entry_hash(SimpleNamespace(**values))
                table = AccessLogEntry.__table__
                connection.execute(
                    sa.update(table)
                    .where(table.c.id == values["id"])
                    .values(
                        prev_hash=values["prev_hash"],
                        action=values["action"],
                        row_hash=values["row_hash"],
                    )
                )
                previous = values["row_hash"]
        db.session.remove()
    # the chain itself now verifies: only the checkpoint can tell
    broken = runner.invoke(args=["access-log", "verify"])
    assert broken.exit_code == 1, broken.output
    assert f"row {checkpoint.entry_id}" in broken.output and "rewritten" in broken.output


def test_a_checkpoint_is_written_at_intervals_with_the_log(app, auth, client, clock):
    interval = app.config["ACCESS_LOG_CHECKPOINT_SECONDS"]
    _some_activity(auth, client)
    count = len(_checkpoints(app))
    _some_activity(auth, client)
    assert len(_checkpoints(app)) == count  # not due yet
    clock.advance(timedelta(seconds=interval + 1))
    _some_activity(auth, client)
    after = _checkpoints(app)
    assert len(after) == count + 1
    assert after[-1].entry_id in _ids(app)


def test_without_the_key_verify_says_what_it_cannot_check(app_factory):
    app = app_factory(ACCESS_LOG_KEY=None, ACCESS_LOG_KEY_FILE=None)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["access-log", "verify"])
    assert result.exit_code == 0
    assert "No ACCESS_LOG_KEY is set" in result.output


def test_a_checkpoint_made_with_another_key_is_named(app_factory, factory):
    app = app_factory(ACCESS_LOG_KEY="first-key")
    type(factory)(app).user(role=Role.ADMINISTRATOR)
    assert app.test_cli_runner().invoke(args=["access-log", "verify"]).exit_code == 0
    app.config["ACCESS_LOG_KEY"] = "another-key"
    result = app.test_cli_runner().invoke(args=["access-log", "verify"])
    assert result.exit_code == 1 and "signed with another key" in result.output
