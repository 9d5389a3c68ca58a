"""Restricted reports to a meeting (issue 19, items 2 and 3): an agency's report is a
meeting record, read by the team and the invited agencies involved in full; a restricted
one only by the team, its agency and the agencies it names; the others see "Restricted
entry, <date>, <agency>" and nothing more, on the portal page and in the API, and the
PDF answers them 404, logged. An agency not involved in full is told of its own report
only."""

from __future__ import annotations

import base64
from typing import Any

import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.extensions import db
from tests.conftest import Auth, Factory, csrf_token
from tests.meetings.helpers import World, build_world, record_concern, schedule
from tests.support.files import one_page_pdf

SECRET = "Suspect is subject to a covert police operation"
OPEN = "Seen at the emergency department twice this month"


def _conference(world: World) -> tuple[int, int, dict[str, int]]:
    """A concern and an initial child protection conference about it; the invitation
    of each agency invited."""
    concern_id = record_concern(world)
    meeting = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-16T10:00:00+00:00"
    ).json
    invited = {name: agency for name, agency in world.agencies.items()}
    invitations = {
        name: next(i["id"] for i in meeting["invitations"] if i["agency_id"] == agency)
        for name, agency in invited.items()
        if any(i["agency_id"] == agency for i in meeting["invitations"])
    }
    return concern_id, meeting["id"], invitations


def _report_url(meeting_id: int, invitation_id: int) -> str:
    return f"/api/v1/meetings/{meeting_id}/invitations/{invitation_id}/report"


def _reports(world: World, who: str, meeting_id: int) -> dict[int, Any]:
    meeting = world.clients[who].get(f"/api/v1/meetings/{meeting_id}")
    assert meeting.status_code == 200, meeting.json
    return {i["agency_id"]: i["report"] for i in meeting.json["invitations"]}


def _portal(app: Any, email: str, invitation_id: int) -> str:
    client = app.test_client()
    Auth(client, Factory(app)).sign_in(email)
    return client.get(f"/portal/invitations/{invitation_id}").get_data(as_text=True)


def test_a_report_restricted_to_the_police_shows_the_others_only_that_it_exists(app, factory):
    world = build_world(app, factory)
    _, meeting_id, invitations = _conference(world)
    assert {"police", "nhs"} <= set(invitations)
    police, nhs = world.clients["police"], world.clients["nhs"]
    police_report = _report_url(meeting_id, invitations["police"])
    pdf = one_page_pdf()
    sent = police.post(
        police_report,
        json={
            "text": SECRET,
            "pdf": base64.b64encode(pdf).decode(),
            "filename": "police.pdf",
            "restriction": "police_sensitive",
        },
    )
    assert sent.status_code == 200, sent.json
    assert sent.json["report"]["restriction"] == "police_sensitive"
    opened = nhs.post(_report_url(meeting_id, invitations["nhs"]), json={"text": OPEN})
    assert opened.status_code == 200, opened.json

    # the NHS trust: the police report exists, its date and agency, nothing more
    police_agency, nhs_agency = world.agencies["police"], world.agencies["nhs"]
    seen_by_nhs = _reports(world, "nhs", meeting_id)
    assert seen_by_nhs[police_agency]["readable"] is False
    assert seen_by_nhs[police_agency]["text"] is None
    assert seen_by_nhs[police_agency]["filename"] is None
    assert seen_by_nhs[police_agency]["restriction"] is None
    assert seen_by_nhs[nhs_agency]["text"] == OPEN
    assert nhs.get(police_report).status_code == 404
    page = _portal(app, "nhs@example.org", invitations["nhs"])
    assert "Restricted entry, 23 November 2026, Northshire Police" in page
    assert SECRET not in page and "police.pdf" not in page and "Police sensitive" not in page
    web = app.test_client()
    Auth(web, Factory(app)).sign_in("nhs@example.org")
    pdf_page = f"/meetings/{meeting_id}/invitations/{invitations['police']}/report.pdf"
    assert web.get(pdf_page).status_code == 404
    with app.app_context():
        denied = db.session.scalars(
            sa.select(AccessLogEntry.action).where(
                AccessLogEntry.outcome == "denied",
                AccessLogEntry.object_id == str(invitations["police"]),
            )
        ).all()
    assert len(denied) == 2, denied  # the API and the page

    # the police read the NHS trust's open report; the team reads both
    seen_by_police = _reports(world, "police", meeting_id)
    assert seen_by_police[nhs_agency]["text"] == OPEN
    assert seen_by_police[police_agency]["text"] == SECRET
    assert OPEN in _portal(app, "police@example.org", invitations["police"])
    seen_by_team = _reports(world, "officer", meeting_id)
    assert seen_by_team[police_agency]["readable"] is True
    assert world.clients["officer"].get(police_report).data == pdf
    team_page = app.test_client()
    Auth(team_page, Factory(app)).sign_in("officer@example.org")
    text = team_page.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert SECRET in text and "Restricted: police sensitive" in text


def test_the_agencies_a_restricted_report_names_read_it_and_no_other(app, factory, auth):
    world = build_world(app, factory)
    _, meeting_id, invitations = _conference(world)
    third = "school"  # a third agency invited, not named
    added = world.clients["officer"].post(
        f"/api/v1/meetings/{meeting_id}/invitations",
        json={"agency_id": world.agencies[third], "reason": "The child's school"},
    )
    assert added.status_code == 201, added.json
    invitations[third] = added.json["id"]
    url = f"/portal/invitations/{invitations['police']}"
    auth.sign_in("police@example.org")
    page = auth.client.get(url).get_data(as_text=True)
    assert 'name="report-restriction"' in page and "Northshire Hospitals NHS Trust" in page
    sent = auth.client.post(
        url,
        data={
            "report-csrf_token": csrf_token(auth.client, url),
            "report-report_text": SECRET,
            "report-restriction": "third_party",
            "report-reader_agency_ids": str(world.agencies["nhs"]),
            "report-submit": "Send report",
        },
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    auth.sign_out()
    police_agency = world.agencies["police"]
    named = _reports(world, "nhs", meeting_id)[police_agency]
    assert named["text"] == SECRET and named["restriction"] == "third_party"
    assert named["reader_agency_ids"] == [world.agencies["nhs"]]
    assert SECRET in _portal(app, "nhs@example.org", invitations["nhs"])
    not_named = _reports(world, third, meeting_id)[police_agency]
    assert not_named["readable"] is False and not_named["text"] is None
    assert SECRET not in _portal(app, f"{third}@example.org", invitations[third])


def test_bad_restrictions_are_refused_and_nothing_is_written(app, factory):
    world = build_world(app, factory)
    _, meeting_id, invitations = _conference(world)
    police = world.clients["police"]
    url = _report_url(meeting_id, invitations["police"])
    assert "housing" not in invitations
    not_invited = world.agencies["housing"]
    for body, field in (
        ({"text": SECRET, "restriction": "secret"}, "restriction"),
        ({"text": SECRET, "reader_agency_ids": [world.agencies["nhs"]]}, "restriction"),
        (
            {"text": SECRET, "restriction": "health", "reader_agency_ids": [not_invited]},
            "reader_agency_ids",
        ),
        ({"text": SECRET, "restriction": "health", "reader_agency_ids": [999999]}, None),
    ):
        refused = police.post(url, json=body)
        assert refused.status_code == 422, (body, refused.json)
        if field:
            assert field in refused.json["errors"], refused.json
    invitation = police.get(url.removesuffix("/report")).json
    assert invitation["report_submitted_at"] is None and invitation["report"] is None


def test_an_agency_not_involved_in_full_is_told_of_its_own_report_only(app, factory):
    world = build_world(app, factory)
    concern_id, meeting_id, invitations = _conference(world)
    officer = world.clients["officer"]
    pdf = base64.b64encode(one_page_pdf()).decode()
    for name, text in (("police", SECRET), ("nhs", OPEN)):
        sent = world.clients[name].post(
            _report_url(meeting_id, invitations[name]), json={"text": text, "pdf": pdf}
        )
        assert sent.status_code == 200, sent.json
    involvements = officer.get(f"/api/v1/concerns/{concern_id}").json["involvements"]
    nhs_involvement = next(i for i in involvements if i["agency_id"] == world.agencies["nhs"])
    changed = officer.patch(
        f"/api/v1/concerns/{concern_id}/involvements/{nhs_involvement['id']}",
        json={"level": "contributor", "reason": "Its part only"},
    )
    assert changed.status_code == 200, changed.json
    reports = _reports(world, "nhs", meeting_id)
    assert reports.get(world.agencies["police"]) is None
    assert reports[world.agencies["nhs"]]["text"] == OPEN
    nhs = world.clients["nhs"]
    assert nhs.get(_report_url(meeting_id, invitations["police"])).status_code == 404
    assert nhs.get(_report_url(meeting_id, invitations["nhs"])).status_code == 200
    page = _portal(app, "nhs@example.org", invitations["nhs"])
    assert SECRET not in page and "Restricted entry" not in page and OPEN in page
