"""`flask backup create` and `flask backup restore`: a round trip on the database the
suite runs on (SQLite, or a scratch PostgreSQL database made and dropped by the test),
with equal row counts and an intact access log afterwards."""

from __future__ import annotations

import json
import os
import stat

import sqlalchemy as sa

from core import create_app
from core.auth.roles import Role
from core.backups.operations import row_counts
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import Factory
from tests.support.database import base_config, empty_database, upgrade, using_postgres


def _record_concern(api: ApiClient, **overrides: object) -> dict:
    response = api.post("/api/v1/concerns/", json=concern_body(**overrides))
    assert response.status_code == 201, response.json
    return response.json


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return row_counts()


def test_backup_then_restore_round_trips_with_equal_counts_and_an_intact_log(tmp_path):
    with empty_database(tmp_path) as url:
        upgrade(url)
        app = create_app(base_config() | {"SQLALCHEMY_DATABASE_URI": url})
        try:
            factory = Factory(app)
            council = factory.agency(name="Northshire Council")
            officer = factory.user(role=Role.SAFEGUARDING_OFFICER, agency_id=council)
            api = ApiClient(app.test_client(), make_token(app, officer))
            kept = _record_concern(api)
            runner = app.test_cli_runner()
            backup = tmp_path / "backups" / "hub.backup"

            previous_umask = os.umask(0o022)  # a default that would make files 0644
            try:
                made = runner.invoke(args=["backup", "create", str(backup)])
            finally:
                os.umask(previous_umask)
            assert made.exit_code == 0, made.output
            # the backup holds every case: only its owner may read it or its manifest
            for made_file in (backup, tmp_path / "backups" / "hub.backup.manifest.json"):
                assert stat.S_IMODE(made_file.stat().st_mode) == 0o600
            manifest = json.loads((tmp_path / "backups" / "hub.backup.manifest.json").read_text())
            assert manifest["dialect"] == ("postgresql" if using_postgres() else "sqlite")
            assert manifest["tables"]["concerns"] == 1
            assert manifest["tables"]["access_log"] >= 3
            before = _counts(app)
            assert before == manifest["tables"]  # nothing was written after the backup

            # life goes on after the backup: another concern, another user
            _record_concern(api, description="A second concern, made after the backup.")
            factory.user(role=Role.AUDITOR, agency_id=council)
            assert _counts(app) != before

            again = runner.invoke(args=["backup", "create", str(backup)])
            assert again.exit_code == 1 and "exists already" in again.output

            restored = runner.invoke(args=["backup", "restore", "--yes", str(backup)])
            assert restored.exit_code == 0, restored.output
            assert "row counts match the manifest and the access log is intact" in restored.output
            assert _counts(app) == before
            verified = runner.invoke(args=["access-log", "verify"])
            assert verified.exit_code == 0 and "Access log intact" in verified.output
            assert api.get(f"/api/v1/concerns/{kept['id']}").status_code == 200
            with app.app_context():
                from core.concerns.models import Concern

                assert db.session.scalars(sa.select(Concern.reference)).all() == [kept["reference"]]
            # the site keeps working on the restored database
            _record_concern(api, description="Recorded after the restore.")
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def test_a_changed_backup_file_is_refused_and_the_database_left_alone(app, runner, tmp_path):
    Factory(app).user()
    backup = tmp_path / "hub.backup"
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    before = _counts(app)
    with backup.open("ab") as damaged:
        damaged.write(b"tampered")
    refused = runner.invoke(args=["backup", "restore", "--yes", str(backup)])
    assert refused.exit_code == 1
    assert "does not match its manifest" in refused.output
    assert _counts(app) == before
