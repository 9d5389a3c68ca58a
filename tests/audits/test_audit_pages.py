"""The attendance audit pages: running one, the chart and its table, exports, the PDF
board pack and the board's actions carried into the next audit."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest

from core.auth.roles import Role
from tests.audits.helpers import build_audit_world, row
from tests.conftest import csrf_token

POLICE = "Northshire Police"
NHS = "Northshire Hospitals NHS Trust"


@pytest.fixture
def audit_world(app, factory):
    return build_audit_world(app, factory)


def _date(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _run(client, start: date, end: date):
    token = csrf_token(client, "/audits/attendance/new")
    return client.post(
        "/audits/attendance/new",
        data={"csrf_token": token, "period_start": _date(start), "period_end": _date(end)},
    )


def test_a_manager_runs_the_audit_and_sees_the_chart_and_table(app, audit_world, auth, client):
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    form = client.get("/audits/attendance/new").get_data(as_text=True)
    # the last full half year before 10 July 2026
    assert 'name="period_start" type="text" value="1"' in form or 'value="2026"' in form
    response = _run(client, date(2026, 1, 1), date(2026, 6, 30))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 January 2026 to 30 June 2026" in page
    [svg] = re.findall(r"<svg.*?</svg>", page, re.S)
    assert 'role="img"' in svg and "<title" in svg and "Threshold 75%" in svg
    assert 'stroke-dasharray="6 4"' in svg  # the threshold line
    assert "70% below" not in svg  # health is at 8 of 11 over every type
    assert f"{POLICE}</text>" in svg and ">80%</text>" in svg
    assert "style=" not in page and "<style" not in page  # the CSP allows no inline styles
    assert 'id="agency-table"' in page and 'id="quoracy-table"' in page
    assert "Attendances audits" not in page
    assert client.get("/audits/attendance/").status_code == 200


def test_bad_periods_get_an_error_summary(app, audit_world, auth, client):
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    response = _run(client, date(2026, 6, 30), date(2026, 1, 1))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page
    assert "The last day must be the same as or after the first day" in page
    token = csrf_token(client, "/audits/attendance/new")
    empty = client.post(
        "/audits/attendance/new",
        data={"csrf_token": token, "period_start": ["", "", ""], "period_end": ["31", "2", "2026"]},
    )
    assert empty.status_code == 200 and "Enter the first day of the period" in empty.get_data(
        as_text=True
    )


def _pdf_text_and_png(pdf: bytes, tmp_path) -> tuple[str, bytes]:
    assert shutil.which("pdftoppm"), "make test installs poppler-utils"
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(path),
            str(tmp_path / "page1"),
        ],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text, (tmp_path / "page1.png").read_bytes()


def test_the_board_pack_renders_with_the_agency_table(app, audit_world, tmp_path):
    audit = audit_world.manager.post(
        "/api/v1/audits/attendance/",
        json={"period_start": "2026-01-01", "period_end": "2026-06-30"},
    ).json
    nhs = audit_world.world.agencies["nhs"]
    audit_world.manager.post(
        f"/api/v1/audits/attendance/{audit['id']}/actions",
        json={
            "agency_id": nhs,
            "action": "Letter to the trust's named nurse",
            "owner": "Board chair",
            "due_on": "2026-09-30",
        },
    )
    response = audit_world.manager.get(f"/api/v1/audits/attendance/{audit['id']}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text, png = _pdf_text_and_png(response.data, tmp_path)
    assert png.startswith(b"\x89PNG") and len(png) > 2000
    assert "By agency, every meeting type" in text
    # the agency table's police row (the chart labels the bar with the name too)
    assert re.search(POLICE + r"\s+10\s+8\s+1\s+0\s+1\s+80%\s+90%\s+1", text), text
    assert "Letter to the trust's named nurse" in text and "Board chair" in text
    assert "Quorate conferences" in text

    published = audit_world.board.get(f"/api/v1/audits/attendance/{audit['id']}/pdf")
    text, _ = _pdf_text_and_png(published.data, tmp_path)
    assert "[c]" in text and "Published version" in text


def test_board_actions_are_shown_and_carried_into_the_next_audit(app, audit_world, auth, client):
    board = audit_world.board
    first = board.post(
        "/api/v1/audits/attendance/",
        json={"period_start": "2026-04-01", "period_end": "2026-06-30"},
    ).json
    police, nhs = (audit_world.world.agencies[name] for name in ("police", "nhs"))
    assert row(first, POLICE)["below_threshold"] and row(first, NHS)["below_threshold"]
    url = f"/api/v1/audits/attendance/{first['id']}/actions"
    created = board.post(
        url,
        json={
            "agency_id": police,
            "action": "Meet the police safeguarding lead",
            "owner": "Board chair",
            "due_on": "2026-08-31",
        },
    )
    assert created.status_code == 201, created.json
    assert created.headers["Location"] == f"{url}/{created.json['id']}"
    assert created.json["status"] == "open"
    other = board.post(
        url,
        json={
            "agency_id": audit_world.world.agencies["csc"],
            "action": "x",
            "owner": "y",
            "due_on": "2026-08-31",
        },
    )
    assert other.status_code == 422
    assert "under the threshold" in other.json["errors"]["agency_id"][0]
    closed = board.post(
        url, json={"agency_id": nhs, "action": "Letter", "owner": "Chair", "due_on": "2026-08-01"}
    ).json
    action_url = f"{url}/{closed['id']}"
    assert board.patch(action_url, json={"status": "done"}).status_code == 428
    done = board.patch(
        action_url,
        json={"status": "done", "note": "Reply received"},
        headers={"If-Match": board.get(action_url).headers["ETag"]},
    )
    assert done.status_code == 200 and done.json["status"] == "done"
    bad = board.patch(
        action_url, json={"status": "lost"}, headers={"If-Match": done.headers["ETag"]}
    )
    assert bad.status_code == 422

    # the next audit shows them (the previous audit's, open or not)
    second = board.post(
        "/api/v1/audits/attendance/",
        json={"period_start": "2026-07-01", "period_end": "2026-09-30"},
    ).json
    assert second["previous_audit_id"] == first["id"]
    assert [a["action"] for a in second["carried_actions"]] == [
        "Letter",
        "Meet the police safeguarding lead",
    ]
    assert second["board_actions"] == []

    auth.as_role(Role.BOARD_MEMBER)
    page = client.get(f"/audits/attendance/{second['id']}").get_data(as_text=True)
    assert "Carried from earlier audits" in page and "Meet the police safeguarding lead" in page
    first_page = client.get(f"/audits/attendance/{first['id']}").get_data(as_text=True)
    assert "Agreed on this audit" in first_page and "Record a board action" in first_page
    # and from the page
    new = f"/audits/attendance/{first['id']}/actions/new"
    form = client.get(new).get_data(as_text=True)
    assert POLICE in form and "Northshire Children" not in form
    token = csrf_token(client, new)
    refused = client.post(
        new,
        data={
            "csrf_token": token,
            "agency_id": "",
            "action": "",
            "owner": "",
            "due_on": ["", "", ""],
        },
    )
    assert refused.status_code == 200 and "There is a problem" in refused.get_data(as_text=True)
    saved = client.post(
        new,
        data={
            "csrf_token": token,
            "agency_id": str(nhs),
            "action": "Visit",
            "owner": "Vice chair",
            "due_on": ["1", "9", "2026"],
        },
    )
    assert saved.status_code == 302
    assert "Vice chair" in client.get(f"/audits/attendance/{first['id']}").get_data(as_text=True)


def test_each_download_link_is_a_distinct_file_and_the_published_flag_is_withheld(
    app, audit_world, auth, client
):
    """Issue 22: a board member's four links gave two files (their exports are always the
    published version); the published CSV flagged 'below' beside a withheld rate."""
    import csv
    import io

    from tests.audits.helpers import hold
    from tests.meetings.helpers import schedule

    world = audit_world.world
    # housing, invited once and absent: a rate from a count under 5, withheld when published
    meeting = schedule(
        world,
        audit_world.icpcs[0]["concern_ids"][0],
        "strategy_discussion",
        "2026-03-02T10:00:00+00:00",
        added=[{"agency_id": world.agencies["housing"], "reason": "Tenancy at risk"}],
    ).json
    hold(app, world, meeting, {"housing": "did_not_attend"})
    audit = audit_world.manager.post(
        "/api/v1/audits/attendance/",
        json={"period_start": "2026-01-01", "period_end": "2026-06-30"},
    ).json

    def links(page: str) -> list[str]:
        listed = page[page.index('id="downloads"') :]
        return re.findall(r'href="([^"]+)"', listed[: listed.index("</ul>")])

    auth.as_role(Role.SAFEGUARDING_MANAGER)
    manager = links(client.get(f"/audits/attendance/{audit['id']}").get_data(as_text=True))
    names = {client.get(h.replace("&amp;", "&")).headers["Content-Disposition"] for h in manager}
    assert len(manager) == len(names) == 4
    auth.sign_out()
    auth.as_role(Role.BOARD_MEMBER)
    board = links(client.get(f"/audits/attendance/{audit['id']}").get_data(as_text=True))
    names = {client.get(h.replace("&amp;", "&")).headers["Content-Disposition"] for h in board}
    assert len(board) == len(names) == 2 and all("published" in n for n in names)

    exact = audit_world.manager.get(f"/api/v1/audits/attendance/{audit['id']}?format=csv")
    published = audit_world.manager.get(
        f"/api/v1/audits/attendance/{audit['id']}?format=csv&published=true"
    )
    exact_rows = list(csv.DictReader(io.StringIO(exact.get_data(as_text=True))))
    published_rows = list(csv.DictReader(io.StringIO(published.get_data(as_text=True))))
    hidden = [
        (before, after)
        for before, after in zip(exact_rows, published_rows, strict=True)
        if after["attendance_rate"] == "[c]"
    ]
    assert any(before["below_threshold"] == "true" for before, _ in hidden), "a case to test"
    assert all(after["below_threshold"] == "[c]" for _, after in hidden)
    assert all(
        after["below_threshold"] in ("true", "false")
        for after in published_rows
        if after["attendance_rate"] != "[c]"
    )
