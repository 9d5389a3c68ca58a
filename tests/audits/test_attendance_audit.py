"""The attendance audit: figures per agency and meeting type, a frozen snapshot, the
change since the previous audit, quoracy, CSV, the command line and bad input."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.audits.operations import default_period, preceding_period
from core.extensions import db
from tests.audits.helpers import build_audit_world, by_agency, hold, row
from tests.meetings.helpers import record_concern, schedule

POLICE = "Northshire Police"
NHS = "Northshire Hospitals NHS Trust"
CSC = "Northshire Children's Social Care"
ICPC = "initial_child_protection_conference"
H1_2026 = {"period_start": "2026-01-01", "period_end": "2026-06-30"}


@pytest.fixture
def audit_world(app, factory):
    return build_audit_world(app, factory)


def test_ten_meetings_eight_attended_one_report_one_absent(app, audit_world):
    response = audit_world.manager.post("/api/v1/audits/attendance/", json=H1_2026)
    assert response.status_code == 201, response.json
    audit = response.json
    assert response.headers["Location"] == f"/api/v1/audits/attendance/{audit['id']}"
    police = row(audit, POLICE)
    assert police["agency_id"] == audit_world.world.agencies["police"]
    assert (police["invited"], police["attended"], police["did_not_attend"]) == (10, 8, 1)
    assert police["apologies_with_report"] == 1 and police["apologies_without_report"] == 0
    assert police["attendance_rate"] == 0.8 and police["contribution_rate"] == 0.9
    assert police["below_threshold"] is False
    assert row(audit, POLICE, ICPC)["invited"] == 10
    assert row(audit, POLICE, ICPC)["meeting_type_label"] == "Initial child protection conference"

    nhs_icpc = row(audit, NHS, ICPC)
    assert (nhs_icpc["invited"], nhs_icpc["attended"], nhs_icpc["attendance_rate"]) == (
        10,
        7,
        0.7,
    )
    assert nhs_icpc["below_threshold"] is True
    # health also attended the strategy discussion: 8 of 11 over every type
    assert row(audit, NHS)["invited"] == 11 and row(audit, NHS)["attended"] == 8
    # the police were left off the strategy discussion's standard list
    omitted = row(audit, POLICE, "strategy_discussion")
    assert (omitted["invited"], omitted["omitted_invitations"]) == (0, 1)
    assert omitted["attendance_rate"] is None and omitted["below_threshold"] is False
    assert row(audit, POLICE)["omitted_invitations"] == 1
    # cancelled, and held on 1 July local time: not counted
    assert audit["meetings_held"] == 11
    assert row(audit, CSC)["invited"] == 11
    assert {r["meeting_type"] for r in audit["rows"]} == {ICPC, "strategy_discussion", "all"}
    [icpc_share, *_, everything] = audit["quoracy"]
    assert (icpc_share["meeting_type"], icpc_share["conferences"], icpc_share["quorate"]) == (
        ICPC,
        10,
        7,
    )
    assert icpc_share["share"] == 0.7 and everything["meeting_type"] == "all"


def test_the_stored_audit_stays_the_same_when_an_outcome_changes(app, audit_world):
    manager = audit_world.manager
    first = manager.post("/api/v1/audits/attendance/", json=H1_2026).json
    world = audit_world.world
    absent = audit_world.icpcs[-1]
    invitation = by_agency(absent, world)["police"]
    url = f"/api/v1/meetings/{absent['id']}/invitations/{invitation['id']}"
    officer = world.clients["officer"]
    changed = officer.patch(
        url,
        json={"outcome": "attended_virtually"},
        headers={"If-Match": officer.get(url).headers["ETag"]},
    )
    assert changed.status_code == 200, changed.json
    with app.app_context():  # and the agency is renamed
        db.session.execute(
            sa.text("UPDATE agencies SET name = 'Northshire Constabulary' WHERE id = :id"),
            {"id": world.agencies["police"]},
        )
        db.session.commit()

    again = manager.get(f"/api/v1/audits/attendance/{first['id']}")
    assert again.status_code == 200
    assert again.json["rows"] == first["rows"]
    assert row(again.json, POLICE)["attended"] == 8
    assert again.headers["ETag"] == f'"attendance_audits-{first["id"]}"'

    second = manager.post("/api/v1/audits/attendance/", json=H1_2026).json
    assert second["id"] != first["id"]
    police = row(second, "Northshire Constabulary")
    assert (police["attended"], police["did_not_attend"], police["attendance_rate"]) == (9, 0, 0.9)


def test_change_since_the_previous_audit_of_the_preceding_period(app, audit_world):
    manager = audit_world.manager
    q1 = manager.post(
        "/api/v1/audits/attendance/",
        json={"period_start": "2026-01-01", "period_end": "2026-03-31"},
    ).json
    q2 = manager.post(
        "/api/v1/audits/attendance/",
        json={"period_start": "2026-04-01", "period_end": "2026-06-30"},
    ).json
    assert q2["previous_audit_id"] == q1["id"]
    police = row(q2, POLICE)
    assert row(q1, POLICE)["attendance_rate"] == 1.0
    assert police["attendance_rate"] == 0.5  # two of the four in April and May
    assert police["previous_attendance_rate"] == 1.0
    assert police["attendance_rate_change"] == -0.5
    assert police["below_threshold"] is True


def test_the_previous_period_is_the_same_length_just_before():
    assert preceding_period(date(2026, 1, 1), date(2026, 6, 30)) == (
        date(2025, 7, 1),
        date(2025, 12, 31),
    )
    assert preceding_period(date(2026, 7, 1), date(2026, 12, 31)) == (
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    assert preceding_period(date(2026, 3, 10), date(2026, 3, 19)) == (
        date(2026, 2, 28),
        date(2026, 3, 9),
    )
    assert default_period(date(2026, 11, 23)) == (date(2026, 1, 1), date(2026, 6, 30))
    assert default_period(date(2026, 3, 1)) == (date(2025, 7, 1), date(2025, 12, 31))


def test_threshold_is_a_setting(app_factory, factory):
    app = app_factory(ATTENDANCE_THRESHOLD=0.9)
    audit_world = build_audit_world(app, type(factory)(app))
    audit = audit_world.manager.post("/api/v1/audits/attendance/", json=H1_2026).json
    assert audit["threshold"] == 0.9
    assert row(audit, POLICE)["below_threshold"] is True  # 0.8 < 0.9


def test_csv_export_and_the_published_version(app, audit_world):
    manager = audit_world.manager
    audit = manager.post("/api/v1/audits/attendance/", json=H1_2026).json
    response = manager.get(f"/api/v1/audits/attendance/{audit['id']}?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    [police] = [r for r in rows if r["agency_name"] == POLICE and r["meeting_type"] == "all"]
    assert police["invited"] == "10" and police["attendance_rate"] == "0.8"
    assert police["contribution_rate"] == "0.9" and police["below_threshold"] == "false"

    published = manager.get(f"/api/v1/audits/attendance/{audit['id']}?format=csv&published=true")
    rows = list(csv.DictReader(io.StringIO(published.get_data(as_text=True))))
    [police] = [r for r in rows if r["agency_name"] == POLICE and r["meeting_type"] == "all"]
    assert police["invited"] == "10" and police["attended"] == "8"
    assert police["apologies_with_report"] == "[c]" and police["did_not_attend"] == "[c]"
    assert police["attendance_rate"] == "0.8" and police["contribution_rate"] == "[c]"

    # a board member's export is always the published version
    board = audit_world.board.get(f"/api/v1/audits/attendance/{audit['id']}?format=csv")
    assert "[c]" in board.get_data(as_text=True)
    as_json = audit_world.board.get(f"/api/v1/audits/attendance/{audit['id']}?published=true")
    assert row(as_json.json, POLICE)["apologies_with_report"] is None
    assert "apologies_with_report" in row(as_json.json, POLICE)["withheld"]


def test_suppression_can_be_turned_off(app_factory, factory):
    app = app_factory(AUDIT_SUPPRESS_SMALL_COUNTS=False)
    audit_world = build_audit_world(app, type(factory)(app))
    audit = audit_world.manager.post("/api/v1/audits/attendance/", json=H1_2026).json
    board = audit_world.board.get(f"/api/v1/audits/attendance/{audit['id']}?format=csv")
    assert "[c]" not in board.get_data(as_text=True)


def test_every_read_is_in_the_access_log(app, audit_world):
    audit = audit_world.manager.post("/api/v1/audits/attendance/", json=H1_2026).json
    audit_world.board.get(f"/api/v1/audits/attendance/{audit['id']}")
    audit_world.board.get(f"/api/v1/audits/attendance/{audit['id']}?format=csv")
    audit_world.board.get("/api/v1/audits/attendance/")
    with app.app_context():
        actions = db.session.scalars(
            sa.select(AccessLogEntry.action)
            .where(AccessLogEntry.object_type == "attendance_audit")
            .order_by(AccessLogEntry.id)
        ).all()
    assert actions == [
        "attendance_audit.run",
        "attendance_audit.view",
        "attendance_audit.export",
        "attendance_audit.list",
    ]


def test_idempotent_create_and_bad_periods(app, audit_world):
    manager = audit_world.manager
    headers = {"Idempotency-Key": "h1-2026"}
    first = manager.post("/api/v1/audits/attendance/", json=H1_2026, headers=headers)
    replay = manager.post("/api/v1/audits/attendance/", json=H1_2026, headers=headers)
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.json["id"] == first.json["id"]
    backwards = manager.post(
        "/api/v1/audits/attendance/",
        json={"period_start": "2026-06-30", "period_end": "2026-01-01"},
    )
    assert backwards.status_code == 422
    assert backwards.json["errors"] == {
        "period_end": ["The last day must be the same as or after the first day"]
    }
    ancient = manager.post(
        "/api/v1/audits/attendance/",
        json={"period_start": "1066-10-14", "period_end": "2026-01-01"},
    )
    assert ancient.status_code == 422 and "period_start" in ancient.json["errors"]
    missing = manager.post("/api/v1/audits/attendance/", json={"period_start": "2026-01-01"})
    assert missing.status_code == 422
    assert manager.get("/api/v1/audits/attendance/999").status_code == 404
    listed = manager.get("/api/v1/audits/attendance/").json
    assert listed["total"] == 1 and listed["items"][0]["id"] == first.json["id"]


def test_practitioners_and_officers_cannot_run_audits(app, audit_world):
    police = audit_world.world.clients["police"]
    assert police.get("/api/v1/audits/attendance/").status_code == 403
    officer = audit_world.world.clients["officer"]
    assert officer.post("/api/v1/audits/attendance/", json=H1_2026).status_code == 403
    assert officer.get("/api/v1/audits/attendance/").status_code == 200
    assert audit_world.board.post("/api/v1/audits/attendance/", json=H1_2026).status_code == 201


def test_command_line_audit_as_csv(app, audit_world):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "audits",
            "attendance",
            "--from",
            "2026-01-01",
            "--to",
            "2026-06-30",
            "--format",
            "csv",
        ]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    [police] = [r for r in rows if r["agency_name"] == POLICE and r["meeting_type"] == "all"]
    assert (police["invited"], police["attended"], police["attendance_rate"]) == ("10", "8", "0.8")
    text = runner.invoke(
        args=["audits", "attendance", "--from", "2026-01-01", "--to", "2026-06-30"]
    )
    assert text.exit_code == 0 and "11 meetings held" in text.output
    wrong = runner.invoke(
        args=["audits", "attendance", "--from", "2026-06-30", "--to", "2026-01-01"]
    )
    assert wrong.exit_code == 2
    assert "period_end: The last day must be the same as or after the first day" in wrong.output
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM attendance_audits")) == 2


def test_a_conference_nobody_was_left_invited_to_counts_and_is_not_quorate(app, audit_world):
    """Quoracy is worked out per meeting in the same pass as the agency figures; a
    conference held with every invitation withdrawn has no invitation to count, but it
    was still held and was not quorate."""
    world = audit_world.world
    concern_id = record_concern(world, received_at="2026-06-01T10:00:00+00:00")
    everyone = [
        {"agency_id": world.agencies[name], "reason": "Not needed this time"}
        for name in ("police", "nhs", "csc")
    ]
    meeting = schedule(
        world,
        concern_id,
        "initial_child_protection_conference",
        "2026-06-15T10:00:00+00:00",
        removed=everyone,
    ).json
    assert not [i for i in meeting["invitations"] if i["removed_at"] is None], meeting
    hold(app, world, meeting, {})
    audit = audit_world.manager.post("/api/v1/audits/attendance/", json=H1_2026).json
    [icpc_share, *_, everything] = audit["quoracy"]
    assert (icpc_share["conferences"], icpc_share["quorate"]) == (11, 7)
    assert (everything["conferences"], everything["quorate"]) == (11, 7)
    assert audit["meetings_held"] == 12
    # the three withdrawn standard invitations are omitted invitations, nothing else
    assert row(audit, POLICE, ICPC)["omitted_invitations"] == 1
    assert row(audit, POLICE, ICPC)["invited"] == 10


def test_an_agency_cannot_hold_two_live_invitations_to_one_meeting(app, audit_world):
    """The quorate share counts invitations as agencies: the database guarantees it."""
    from core.meetings.models import Invitation

    [first, *_] = audit_world.icpcs
    with app.app_context():
        live = db.session.scalars(
            sa.select(Invitation).where(
                Invitation.meeting_id == first["id"], Invitation.removed_at.is_(None)
            )
        ).first()
        assert live is not None
        db.session.add(
            Invitation(
                meeting_id=live.meeting_id,
                agency_id=live.agency_id,
                reason="Twice",
                invited_by_id=live.invited_by_id,
            )
        )
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()
