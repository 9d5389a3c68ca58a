"""Staff training records (issue 25, item 4; Dudley's plan 1.10): an agency keeps one
record per member of staff and course, one at a time or as a CSV file (all or nothing, each
bad row said); the quarterly return is computed from them; who is overdue goes to the
agency itself and the team, the board reads figures only; another agency's record is 404."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from core.auth.roles import Role
from core.extensions import db
from core.training.models import TrainingRecord
from tests.api.conftest import ApiClient, make_token
from tests.conftest import Auth, Factory, csrf_token
from tests.support.pages import error_problems, page_errors

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # quarter 4 of 2026, not over yet
HEADER = "staff_name,staff_number,role,level,course,completed_on,expires_on\n"


class World:
    def __init__(self, app: Flask, factory: Factory):
        self.app, self.factory = app, factory
        self.nhs = factory.agency(name="Dudley Group NHS Foundation Trust", type="nhs_trust")
        self.police = factory.agency(name="West Midlands Police", type="police")
        self.council = factory.agency(name="Dudley Council", type="local_authority")
        self.users = {
            "nhs": factory.user(Role.AGENCY_PRACTITIONER, "nhs@example.org", self.nhs),
            "police": factory.user(Role.AGENCY_PRACTITIONER, "police@example.org", self.police),
            "officer": factory.user(Role.SAFEGUARDING_OFFICER, "officer@example.org", self.council),
            "board": factory.user(Role.BOARD_MEMBER, "board@example.org", self.council),
        }
        self.apis = {
            name: ApiClient(app.test_client(), make_token(app, user_id))
            for name, user_id in self.users.items()
        }

    def page(self, name: str) -> FlaskClient:
        client = self.app.test_client()
        Auth(client, self.factory).sign_in(f"{name}@example.org")
        return client

    def record(self, who: str, **values: Any) -> dict[str, Any]:
        body = {
            "staff_name": "Priya Shah",
            "role": "Staff nurse",
            "level": "adults_2",
            "course": "Safeguarding adults level 2",
            "completed_on": "2026-10-05",
        } | values
        made = self.apis[who].post("/api/v1/training/records", json=body)
        assert made.status_code == 201, made.json
        return dict(made.json)


def _count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(TrainingRecord)) or 0


def test_a_csv_file_is_saved_whole_or_not_at_all_with_each_bad_row_said(app, factory, clock):
    clock.set(NOW)
    world = World(app, factory)
    nhs = world.page("nhs")
    template = nhs.get("/training/template.csv")
    assert template.status_code == 200 and template.mimetype == "text/csv"
    assert template.get_data(as_text=True).startswith(HEADER.strip())

    bad = HEADER + (
        "Priya Shah,E1,Staff nurse,adults_2,Level 2 e-learning,2026-10-05,\n"
        ",,Healthcare assistant,adults_2,Level 2 e-learning,2026-10-05,\n"
        "Tom Reed,E3,Porter,level_9,Level 1,31/02/2026,\n"
        "Priya Shah,E1,Staff nurse,adults_2,Level 2 e-learning,2026-10-05,\n"
    )
    url = "/training/upload"
    refused = nhs.post(
        url,
        data={"csrf_token": csrf_token(nhs, url), "file": (io.BytesIO(bad.encode()), "t.csv")},
        content_type="multipart/form-data",
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200 and not error_problems(text)
    title, summary, _ = page_errors(text)
    assert title.startswith("Error:")
    assert summary == ["The file has 4 problems: nothing was saved"]
    for said in (
        "Row 3: Enter the member of staff&#39;s name or their staff number",
        "Row 4: Select the safeguarding level of the course",
        "Row 4: Enter the date completed as a real date, like 2026-11-30",
        "Row 5: the same member of staff, course and date as row 2",
    ):
        assert said in text
    assert _count(app) == 0

    good = HEADER + (
        "Priya Shah,E1,Staff nurse,adults_2,Level 2 e-learning,2026-10-05,\n"
        ",E2,Healthcare assistant,Adults: level 1,Level 1 e-learning,05/10/2026,2027-10-05\n"
    )
    saved = nhs.post(
        url,
        data={"csrf_token": csrf_token(nhs, url), "file": (io.BytesIO(good.encode()), "t.csv")},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    listed = nhs.get("/training/").get_data(as_text=True)
    assert "2 training records saved." in listed and "Priya Shah (E1)" in listed
    # the expiry left empty: three years on (the intercollegiate refresher period)
    assert "5 Oct 2029" in listed and "5 Oct 2027" in listed

    # the API: the same rules, the same messages under errors.file
    api = world.apis["nhs"]
    again = api.post("/api/v1/training/records/import", json={"csv": good})
    assert again.status_code == 422
    assert again.json["errors"]["file"][0].startswith("Row 2: This member of staff's")
    headless = api.post("/api/v1/training/records/import", json={"csv": "name,when\nA,B\n"})
    assert headless.status_code == 422 and "first row" in headless.json["errors"]["file"][0]
    more = api.post(
        "/api/v1/training/records/import",
        json={"csv": HEADER + "Sam Hill,,Midwife,children_3,Level 3,2026-11-02,\n"},
    )
    assert more.status_code == 201 and more.json["imported"] == 1
    assert more.json["items"][0]["expires_on"] == "2029-11-02"
    assert _count(app) == 3


def test_overdue_is_counted_on_the_frozen_clock(app, factory, clock):
    clock.set(NOW)
    world = World(app, factory)
    # expired in June: overdue; expires today: still current today, overdue tomorrow
    world.record("nhs", staff_name="Ann Lee", completed_on="2023-06-01", expires_on="2026-06-01")
    world.record("nhs", staff_name="Bob Carr", completed_on="2023-11-23")
    # expired, but renewed this quarter: current, and trained in the quarter
    world.record("nhs", staff_name="Cat Moss", completed_on="2023-01-10")
    world.record("nhs", staff_name="Cat Moss", completed_on="2026-10-20", course="Refresher")
    api = world.apis["nhs"]
    today = api.get("/api/v1/training/return").json
    assert (today["year"], today["quarter"], today["as_of"]) == (2026, 4, "2026-11-23")
    (trust,) = today["agencies"]
    assert (trust["staff_trained"], trust["staff_current"], trust["staff_overdue"]) == (1, 2, 1)
    assert [o["staff"] for o in trust["overdue"]] == ["Ann Lee"]
    assert trust["levels"] == [
        {"level": "adults_2", "label": "Adults: level 2", "trained": 1, "current": 2, "overdue": 1}
    ]

    clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    tomorrow = api.get("/api/v1/training/return").json["agencies"][0]
    assert [o["staff"] for o in tomorrow["overdue"]] == ["Ann Lee", "Bob Carr"]
    page = world.page("nhs").get("/training/return").get_data(as_text=True)
    assert "Bob Carr" in page and "Overdue for refresher training" in page


def test_quarter_boundaries(app, factory, clock):
    clock.set(NOW)
    world = World(app, factory)
    world.record("nhs", staff_name="Last Day", completed_on="2026-09-30")
    world.record("nhs", staff_name="First Day", completed_on="2026-10-01")
    world.record("nhs", staff_name="New Year", completed_on="2026-01-01")
    api = world.apis["nhs"]

    def trained(year: int, quarter: int) -> tuple[int, int]:
        got = api.get(f"/api/v1/training/return?year={year}&quarter={quarter}")
        assert got.status_code == 200, got.json
        (trust,) = got.json["agencies"]
        return trust["staff_trained"], trust["staff_current"]

    assert trained(2026, 1) == (1, 1)  # only New Year had been trained by 31 March
    assert trained(2026, 3) == (1, 2)  # 30 September is the third quarter's
    assert trained(2026, 4) == (1, 3)  # 1 October the fourth's
    assert api.get("/api/v1/training/return?year=2026&quarter=3").json["as_of"] == "2026-09-30"
    future = api.get("/api/v1/training/return?year=2027&quarter=1")
    assert future.status_code == 422 and future.json["errors"]["quarter"]
    assert api.get("/api/v1/training/return?quarter=5").status_code == 422
    page = world.page("nhs").get("/training/return?year=2027&quarter=1")
    assert page.status_code == 400
    title, summary, _ = page_errors(page.get_data(as_text=True))
    assert title.startswith("Error:") and summary == ["Choose a quarter that has started"]


def test_the_board_reads_the_figures_and_no_name(app, factory, clock):
    clock.set(NOW)
    world = World(app, factory)
    made = world.record("nhs", staff_name="Ann Lee", completed_on="2023-06-01")
    world.record("police", staff_name="Dee Ward", completed_on="2026-10-02", level="children_3")
    board = world.apis["board"]
    figures = board.get("/api/v1/training/return").json
    assert [a["agency_name"] for a in figures["agencies"]] == [
        "Dudley Group NHS Foundation Trust",
        "West Midlands Police",
    ]
    assert all(a["overdue"] is None for a in figures["agencies"])
    assert figures["agencies"][0]["staff_overdue"] == 1
    assert board.get("/api/v1/training/records").status_code == 403
    assert board.get(f"/api/v1/training/records/{made['id']}").status_code == 404

    client = app.test_client()
    Auth(client, factory).as_role(Role.BOARD_MEMBER, agency_id=world.council)
    page = client.get("/training/return")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Staff overdue for refresher training" in text
    assert "Ann Lee" not in text and "Dee Ward" not in text
    assert "Quarterly staff safeguarding training return" in client.get("/returns/").get_data(
        as_text=True
    )
    assert client.get("/training/").status_code == 403
    assert client.get(f"/training/{made['id']}/edit").status_code == 404

    # the team reads every agency's names; it keeps only its own agency's records
    officer = world.apis["officer"]
    named = officer.get("/api/v1/training/return").json["agencies"]
    assert [o["staff"] for o in named[0]["overdue"]] == ["Ann Lee"]
    assert officer.get("/api/v1/training/records").json["total"] == 2
    read = officer.get(f"/api/v1/training/records/{made['id']}")
    assert read.status_code == 200
    changed = officer.patch(
        f"/api/v1/training/records/{made['id']}",
        json={"role": "Ward manager"},
        headers={"If-Match": read.headers["ETag"]},
    )
    assert changed.status_code == 403


def test_another_agency_cannot_see_or_change_a_record(app, factory, clock):
    clock.set(NOW)
    world = World(app, factory)
    made = world.record("nhs", staff_name="Ann Lee", completed_on="2023-06-01")
    url = f"/api/v1/training/records/{made['id']}"
    police = world.apis["police"]
    etag = world.apis["nhs"].get(url).headers["ETag"]
    assert police.get(url).status_code == 404
    assert police.patch(url, json={"role": "X"}, headers={"If-Match": etag}).status_code == 404
    assert police.delete(url, headers={"If-Match": etag}).status_code == 404
    assert police.get("/api/v1/training/records").json["total"] == 0
    assert police.get("/api/v1/training/return").json["agencies"] == []

    page = world.page("police")
    assert page.get(f"/training/{made['id']}/edit").status_code == 404
    deleted = page.post(
        f"/training/{made['id']}/delete", data={"csrf_token": csrf_token(page, "/training/")}
    )
    assert deleted.status_code == 404
    assert "Ann Lee" not in page.get("/training/").get_data(as_text=True)
    assert "Ann Lee" not in page.get("/training/return").get_data(as_text=True)
    assert _count(app) == 1


def test_the_pages_and_the_api_keep_records_alike(app, factory, clock):
    clock.set(NOW)
    world = World(app, factory)
    api = world.apis["nhs"]
    # the same checks on both
    empty = api.post("/api/v1/training/records", json={"role": "", "level": "x"})
    assert empty.status_code == 422
    future = api.post(
        "/api/v1/training/records",
        json={
            "staff_number": "E9",
            "role": "Nurse",
            "level": "adults_1",
            "course": "L1",
            "completed_on": "2026-12-01",
        },
    )
    assert future.json["errors"] == {
        "completed_on": ["The date completed must be today or in the past"]
    }
    nhs = world.page("nhs")
    refused = nhs.post("/training/new", data={"csrf_token": csrf_token(nhs, "/training/new")})
    title, summary, _ = page_errors(refused.get_data(as_text=True))
    assert title.startswith("Error:") and not error_problems(refused.get_data(as_text=True))
    assert "Enter the member of staff's name or their staff number" in summary
    assert "Select the safeguarding level of the course" in summary
    assert _count(app) == 0

    saved = nhs.post(
        "/training/new",
        data={
            "csrf_token": csrf_token(nhs, "/training/new"),
            "staff_name": "Ann Lee",
            "role": "Staff nurse",
            "level": "children_2",
            "course": "Level 2 children",
            "completed_on": ["2", "11", "2026"],
        },
    )
    assert saved.status_code == 302
    (item,) = api.get("/api/v1/training/records").json["items"]
    assert (item["level"], item["expires_on"]) == ("children_2", "2029-11-02")
    url = f"/api/v1/training/records/{item['id']}"
    etag = api.get(url).headers["ETag"]
    assert api.patch(url, json={"role": "Sister"}).status_code == 428
    changed = api.patch(url, json={"role": "Sister"}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.json["role"] == "Sister"

    edit = f"/training/{item['id']}/edit"
    shown = nhs.get(edit).get_data(as_text=True)
    assert 'value="Sister"' in shown
    assert (
        nhs.post(
            f"/training/{item['id']}/delete", data={"csrf_token": csrf_token(nhs, edit)}
        ).status_code
        == 302
    )
    assert api.get(url).status_code == 404
    assert _count(app) == 0
