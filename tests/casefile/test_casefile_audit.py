"""The quarterly case file audit: the reproducible sample, auditors' read-only access to
exactly their assigned cases, findings, and the report for the board."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.auth.roles import Role
from core.concerns.models import Decision
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token
from tests.returns.helpers import concern
from tests.support.clock import set_now

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


@pytest.fixture
def app(app_factory):
    set_now(NOW)
    return app_factory()


def _cases(app, factory, active: int) -> list[int]:
    """``active`` cases active in July to September 2026 (Q2 2026/27), and some that are
    not."""
    user = factory.user()
    with app.app_context():
        ids = [concern(user, received="2026-05-01").id for _ in range(active // 2)]
        ids += [
            concern(
                user, received="2026-08-01", decision=Decision.SECTION_42, closed="2026-10-10"
            ).id
            for _ in range(active - active // 2)
        ]
        concern(user, received="2026-10-02")  # received after the quarter
        concern(user, received="2026-01-05", decision=Decision.SECTION_42, closed="2026-06-30")
        concern(user, received="2026-05-01", deleted_at=NOW)
        db.session.commit()
    return ids


def _manager(app, factory) -> ApiClient:
    return ApiClient(app.test_client(), make_token(app, factory.user(Role.SAFEGUARDING_MANAGER)))


def test_the_same_quarter_and_seed_give_the_same_sample_of_20(app, factory):
    active = _cases(app, factory, 30)
    manager = _manager(app, factory)
    first = manager.post(
        "/api/v1/casefile-audits/", json={"year": 2026, "quarter": 2, "seed": 4242}
    )
    assert first.status_code == 201, first.json
    again = manager.post(
        "/api/v1/casefile-audits/", json={"year": 2026, "quarter": 2, "seed": 4242}
    )
    other = manager.post("/api/v1/casefile-audits/", json={"year": 2026, "quarter": 2, "seed": 7})
    picked = [case["concern_id"] for case in first.json["cases"]]
    assert len(picked) == 20 and first.json["sampled"] == 20
    assert set(picked) <= set(active)
    assert picked == [case["concern_id"] for case in again.json["cases"]]
    assert picked != [case["concern_id"] for case in other.json["cases"]]
    assert first.json["seed"] == 4242
    assert first.json["checklist"][0]["text"] == ("Decisions and the reasons for them are recorded")
    assert len(first.json["checklist"]) == 7


def test_a_quarter_with_fewer_cases_samples_them_all_and_a_seed_is_chosen(app, factory):
    active = _cases(app, factory, 6)
    manager = _manager(app, factory)
    audit = manager.post("/api/v1/casefile-audits/", json={"year": 2026, "quarter": 2})
    assert audit.status_code == 201
    assert sorted(c["concern_id"] for c in audit.json["cases"]) == sorted(active)
    assert isinstance(audit.json["seed"], int)
    future = manager.post("/api/v1/casefile-audits/", json={"year": 2027, "quarter": 1})
    assert future.status_code == 422
    assert (
        manager.post("/api/v1/casefile-audits/", json={"year": 2026, "quarter": 5}).status_code
        == 422
    )


def _draw_and_assign(app, factory, auth):
    """A manager draws the sample and assigns the first case to an auditor."""
    _cases(app, factory, 4)
    manager = _manager(app, factory)
    audit = manager.post(
        "/api/v1/casefile-audits/", json={"year": 2026, "quarter": 2, "seed": 1}
    ).json
    auditor_id = auth.as_role(Role.AUDITOR)
    first, second = audit["cases"][0], audit["cases"][1]
    response = manager.client.put(
        f"/api/v1/casefile-audits/{audit['id']}/cases/{first['id']}/assignment",
        json={"auditor_id": auditor_id},
        headers=manager.headers(),
    )
    assert response.status_code == 200, response.json
    return manager, audit, first, second, auditor_id


def _logged(app, action: str, object_id: int, allowed: bool) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count()).where(
                AccessLogEntry.action == action,
                AccessLogEntry.object_id == str(object_id),
                AccessLogEntry.outcome == ("allowed" if allowed else "denied"),
            )
        )


def test_an_auditor_reads_exactly_their_assigned_cases_read_only_and_every_read_is_logged(
    app, factory, auth
):
    manager, audit, first, second, _ = _draw_and_assign(app, factory, auth)
    case = auth.client.get(f"/concerns/{first['concern_id']}")
    assert case.status_code == 200
    assert _logged(app, "concern.view", first["concern_id"], True) == 1
    assert auth.client.get(f"/concerns/{second['concern_id']}").status_code == 404
    assert _logged(app, "concern.view", second["concern_id"], False) == 1
    listing = auth.client.get("/concerns/").get_data(as_text=True)
    assert len(re.findall(r'href="/concerns/\d+"', listing)) == 1
    # read-only: no decision, note or closure
    token = csrf_token(auth.client, f"/concerns/{first['concern_id']}")
    decide = auth.client.post(
        f"/concerns/{first['concern_id']}/decision",
        data={"csrf_token": token, "decision": "no_further_action", "reason": "x"},
    )
    assert decide.status_code == 403
    # the auditor's own list and the audit page show only their case
    page = auth.client.get(f"/casefile-audits/{audit['id']}").get_data(as_text=True)
    assert first["concern_id"] and f"/concerns/{first['concern_id']}" in page
    assert f"/concerns/{second['concern_id']}" not in page
    # closing the audit ends the access
    assert manager.post(f"/api/v1/casefile-audits/{audit['id']}/close").status_code == 200
    assert auth.client.get(f"/concerns/{first['concern_id']}").status_code == 404


def test_findings_roll_up_to_the_report_and_the_board_sees_figures_only(app, factory, auth):
    manager, audit, first, second, _ = _draw_and_assign(app, factory, auth)
    url = f"/casefile-audits/{audit['id']}/reviews/{first['id']}"
    form = auth.client.get(url)
    assert form.status_code == 200
    items = [item["id"] for item in audit["checklist"]]
    data = {f"item_{i}": "yes" for i in items} | {
        f"item_{items[2]}": "not_applicable",
        f"item_{items[5]}": "no",
        "grade": "good",
        "comments": "Clear recording; the timescale for the strategy discussion was missed.",
        "csrf_token": csrf_token(auth.client, url),
    }
    missing = auth.client.post(url, data={"csrf_token": data["csrf_token"]})
    assert missing.status_code == 200 and "There is a problem" in missing.get_data(as_text=True)
    saved = auth.client.post(url, data=data)
    assert saved.status_code == 302
    # someone else's case answers 404
    assert (
        auth.client.get(f"/casefile-audits/{audit['id']}/reviews/{second['id']}").status_code == 404
    )
    report = manager.get(f"/api/v1/casefile-audits/{audit['id']}/report").json
    assert report["completed"] == 1
    assert report["items"][0] | {} == {
        "text": "Decisions and the reasons for them are recorded",
        "yes": 1, "no": 0, "not_applicable": 0, "rate": 1.0,
    }  # fmt: skip
    assert report["items"][5]["rate"] == 0.0
    assert report["items"][2]["rate"] is None
    assert {"grade": "good", "cases": 1} in report["grades"]

    auth.sign_out()
    auth.as_role(Role.BOARD_MEMBER)
    for path in ("/casefile-audits/", f"/casefile-audits/{audit['id']}",
                 f"/casefile-audits/{audit['id']}/report"):  # fmt: skip
        page = auth.client.get(path)
        assert page.status_code == 200, path
        assert "SG-T-" not in page.get_data(as_text=True), path  # no case reference
    csv_text = auth.client.get(f"/casefile-audits/{audit['id']}/report.csv").get_data(as_text=True)
    assert "Decisions and the reasons for them are recorded,*,0,0,*" in csv_text
    pdf = auth.client.get(f"/casefile-audits/{audit['id']}/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert auth.client.get(f"/concerns/{first['concern_id']}").status_code in (403, 404)
    assert auth.client.get("/casefile-audits/new").status_code == 403


def test_the_board_reads_audits_through_the_api_without_cases(app, factory, auth, api_as):
    _, audit, *_ = _draw_and_assign(app, factory, auth)
    board = api_as(Role.BOARD_MEMBER)
    one = board.get(f"/api/v1/casefile-audits/{audit['id']}")
    assert one.status_code == 200 and one.json["cases"] == [] and one.json["sampled"] == 4
    assert board.get("/api/v1/casefile-audits/").json["total"] == 1
    assert board.get(f"/api/v1/casefile-audits/{audit['id']}/report").status_code == 200
    assert (
        board.post("/api/v1/casefile-audits/", json={"year": 2026, "quarter": 2}).status_code == 403
    )
    assert board.get("/api/v1/casefile-audits/999").status_code == 404
