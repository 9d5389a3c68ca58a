"""A case's and a person's chronology (issue 24, item 1): the significant events drawn from
the record, the plugins' (the police investigation's changes of status) and those written
by hand, filtered, exported as CSV and PDF, each reader seeing only what they may read.

Acceptance: a chronology for a demo case lists its events in order from at least three
agencies, exports to PDF and CSV, and leaves out restricted entries for a reader who may
not see them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import sqlalchemy as sa

from core.extensions import db
from tests.agencies.helpers import Demo, error_messages, load_demo, post_form
from tests.api.conftest import ApiClient, make_token

NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
POLICE = "Northshire Police"
NHS = "Northshire Hospitals NHS Foundation Trust"
INTELLIGENCE = "Intelligence: the son has two earlier call-outs"


def _api(app, email: str) -> ApiClient:
    from core.auth.models import User

    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.email == email))
    return ApiClient(app.test_client(), make_token(app, user_id, days=365))


def _demo_case(app) -> tuple[int, int]:
    """The demo's conference case, the one with entries written by hand: (concern, person)."""
    from core.chronology.models import ChronologyEntry
    from core.concerns.models import Concern

    with app.app_context():
        concern_id = db.session.scalar(sa.select(ChronologyEntry.concern_id).limit(1))
        person_id = db.session.get(Concern, concern_id).person_id
    return concern_id, person_id


def test_a_demo_case_chronology_in_order_from_three_agencies_exported_and_need_to_know(
    app, runner, clock
):
    clock.set(NOW)
    loaded = runner.invoke(args=["demo", "load"])
    assert loaded.exit_code == 0, loaded.output
    concern_id, person_id = _demo_case(app)
    officer, nhs = _api(app, "officer@demo.example"), _api(app, "nhs@demo.example")

    answer = officer.get(f"/api/v1/concerns/{concern_id}/chronology")
    assert answer.status_code == 200, answer.json
    events = answer.json["events"]
    days = [e["occurred_on"] for e in events]
    assert days == sorted(days), "oldest first"
    agencies = {e["agency"] for e in events}
    assert {POLICE, NHS, "Northshire County Council Safeguarding Team"} <= agencies
    kinds = [e["kind"] for e in events]
    assert kinds[0] == "concern" and events[0]["agency"] == NHS, "the trust referred it"
    assert {"decision", "meeting", "plan", "police.investigation", "entry"} <= set(kinds)
    police = [e["summary"] for e in events if e["kind"] == "police.investigation"]
    assert len(police) == 2 and "Under investigation" in police[0] and "Charged" in police[1]
    key = [e for e in events if e["significance"] == "key"]
    assert any("moved out of the family home" in e["summary"] for e in key), "hand-written key"
    assert any(e["kind"] == "police.investigation" for e in key), "the charge is a key event"
    assert any(INTELLIGENCE in e["summary"] for e in events), "the team reads it all"

    # the trust referred the case and reads it in full, but not the police's restricted
    # entry nor the investigation the police did not share with it
    seen = nhs.get(f"/api/v1/concerns/{concern_id}/chronology").json["events"]
    assert not any(INTELLIGENCE in e["summary"] for e in seen)
    assert not any(e["kind"] == "police.investigation" for e in seen)
    assert any(e["kind"] == "entry" and e["agency"] == NHS for e in seen)
    assert len(seen) < len(events)

    # filters: agency, kind, significance (at least), dates; a bad one is a 422
    police_id = next(e["agency_id"] for e in events if e["agency"] == POLICE)
    only_police = officer.get(
        f"/api/v1/concerns/{concern_id}/chronology?agency_id={police_id}"
    ).json["events"]
    assert only_police and {e["agency"] for e in only_police} == {POLICE}
    keys = officer.get(f"/api/v1/concerns/{concern_id}/chronology?significance=key").json
    assert {e["significance"] for e in keys["events"]} == {"key"}
    first = days[0]
    dated = officer.get(f"/api/v1/concerns/{concern_id}/chronology?from={first}&to={first}")
    assert {e["occurred_on"] for e in dated.json["events"]} == {first}
    plans = officer.get(f"/api/v1/concerns/{concern_id}/chronology?kind=plan").json["events"]
    assert plans and {e["kind"] for e in plans} == {"plan"}
    wrong = officer.get(f"/api/v1/concerns/{concern_id}/chronology?from=2026-03-02&to=2026-03-01")
    assert wrong.status_code == 422

    # CSV and PDF for a review, through the API and the pages, the same rules
    exported = officer.get(f"/api/v1/concerns/{concern_id}/chronology.csv")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0] == ["Date", "Case", "Source agency", "Kind", "What happened", "Significance"]
    assert len(rows) == len(events) + 1
    assert [r[0] for r in rows[1:]] == days
    nhs_csv = nhs.get(f"/api/v1/concerns/{concern_id}/chronology.csv").get_data(as_text=True)
    assert INTELLIGENCE not in nhs_csv and "moved out of the family home" in nhs_csv
    pdf = officer.get(f"/api/v1/concerns/{concern_id}/chronology.pdf?significance=high")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")

    demo = Demo(app, {}, {}, officer)  # pages: real sign-ins
    page = demo.page("nhs@demo.example")
    text = page.get(f"/concerns/{concern_id}/chronology").get_data(as_text=True)
    assert "Chronology" in text and "moved out of the family home" in text
    assert INTELLIGENCE not in text
    assert page.get(f"/concerns/{concern_id}/chronology.pdf").data.startswith(b"%PDF")
    case_page = page.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert f"/concerns/{concern_id}/chronology" in case_page and 'href="#chronology"' in case_page
    assert f"/people/{person_id}/chronology" in page.get(f"/people/{person_id}").get_data(
        as_text=True
    )
    person = page.get(f"/people/{person_id}/chronology").get_data(as_text=True)
    assert "moved out of the family home" in person and INTELLIGENCE not in person
    query = "from-day=31&from-month=2&from-year=2026"
    bad = page.get(f"/concerns/{concern_id}/chronology?{query}")
    assert bad.status_code == 400 and "Error:" in bad.get_data(as_text=True)
    back = page.get(f"/concerns/{concern_id}/chronology.csv?{query}")
    assert back.status_code == 302 and f"/concerns/{concern_id}/chronology?" in back.location

    # a discharge the trust notified with no case is in the person's chronology
    from core.discharges.models import HospitalDischarge

    with app.app_context():
        discharged = db.session.scalar(
            sa.select(HospitalDischarge.person_id).where(HospitalDischarge.concern_id.is_(None))
        )
    alone = officer.get(f"/api/v1/people/{discharged}/chronology").json["events"]
    assert [(e["kind"], e["case"], e["agency"]) for e in alone] == [("discharge", "No case", NHS)]

    person_api = officer.get(f"/api/v1/people/{person_id}/chronology").json["events"]
    assert [e["summary"] for e in person_api] == [e["summary"] for e in events]
    assert officer.get(f"/api/v1/people/{person_id}/chronology.csv").status_code == 200
    assert officer.get(f"/api/v1/people/{person_id}/chronology.pdf").data.startswith(b"%PDF")


def test_entries_written_by_hand_restrictions_levels_and_the_page_form(app, runner, clock):
    clock.set(LATER)
    demo = load_demo(app, runner)
    concern = demo.concern()
    url = f"/api/v1/concerns/{concern['id']}/chronology"
    police_id, nhs_id = demo.agencies[POLICE], demo.agencies[NHS]
    demo.involve(concern["id"], POLICE)
    demo.involve(concern["id"], NHS)
    police = demo.api("police@demo.example")

    # every problem named, nothing saved
    refused = demo.officer.post(url, json={"occurred_on": "2026-11-26", "source_agency_id": 1})
    assert refused.status_code == 422
    wrong = police.post(
        url,
        json={
            "occurred_on": "2026-11-26",
            "source_agency_id": nhs_id,
            "summary": "Seen at the station",
            "significance": "high",
        },
    )
    assert wrong.status_code == 422
    assert set(wrong.json["errors"]) == {"occurred_on", "source_agency_id"}
    made = police.post(
        url,
        json={
            "occurred_on": "2026-11-24",
            "source_agency_id": police_id,
            "summary": "Officers attended after a call from a neighbour",
            "significance": "high",
        },
    )
    assert made.status_code == 201, made.json
    restricted = police.post(
        url,
        json={
            "occurred_on": "2026-11-23",
            "source_agency_id": police_id,
            "summary": "Police sensitive: an informant's account",
            "significance": "medium",
            "restriction": "police_sensitive",
        },
    )
    assert restricted.status_code == 201

    nhs = demo.api("nhs@demo.example")
    summaries = [e["summary"] for e in nhs.get(url).json["events"]]
    assert "Officers attended after a call from a neighbour" in summaries
    assert "Police sensitive: an informant's account" not in summaries
    team = [e["summary"] for e in demo.officer.get(url).json["events"]]
    assert "Police sensitive: an informant's account" in team

    # a contributor sees what its part needs: no entry of another agency's, no decision
    [involvement] = [
        i
        for i in demo.officer.get(f"/api/v1/concerns/{concern['id']}").json["involvements"]
        if i["agency_id"] == nhs_id
    ]
    level = demo.officer.patch(
        f"/api/v1/concerns/{concern['id']}/involvements/{involvement['id']}",
        json={"level": "contributor", "reason": "Only the discharge planning"},
    )
    assert level.status_code == 200, level.json
    contributor = nhs.get(url).json["events"]
    assert [e["kind"] for e in contributor] == ["concern"]

    # the page: the form names every problem, then saves; auditors and the board: no
    page = demo.page("officer@demo.example")
    form_url = f"/concerns/{concern['id']}/chronology/new"
    empty = post_form(page, form_url, {})
    assert empty.status_code == 200
    assert error_messages(empty.get_data(as_text=True)) == {
        "Enter the date it happened",
        "Select the agency the information comes from",
        "Enter what happened",
        "Select how significant it is",
    }
    saved = post_form(
        page,
        form_url,
        {
            "occurred_on": ["24", "11", "2026"],
            "source_agency_id": str(nhs_id),
            "summary": "GP surgery raised missed appointments",
            "significance": "key",
        },
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)
    shown = page.get(f"/concerns/{concern['id']}/chronology?significance=key")
    assert "GP surgery raised missed appointments" in shown.get_data(as_text=True)


def test_retention_removes_the_entries_with_the_case(app_factory):
    from core.auth.models import User
    from core.chronology.models import ChronologyEntry
    from core.chronology.operations import add_entry
    from core.concerns.models import Concern
    from tests.safety.test_retention import Council, _at

    council = Council(app_factory())
    app = council.app
    reference, concern_id = council.case("Ada", received=_at(2010), closed=_at(2011))
    with app.app_context():
        officer = db.session.get(User, council.officer_id)
        add_entry(
            db.session.get(Concern, concern_id),
            {
                "occurred_on": date(2010, 2, 1),
                "source_agency_id": council.police,
                "summary": "Arrested the lodger",
                "significance": "key",
            },
            officer,
        )
        db.session.commit()
    purged = app.test_cli_runner().invoke(args=["retention", "run"])
    assert purged.exit_code == 0 and reference in purged.output, purged.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ChronologyEntry.id))) == 0
