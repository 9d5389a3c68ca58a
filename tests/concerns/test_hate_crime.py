"""Hate and mate crime (issue 25, item 2; Dudley's plan, 4.9): a concern records that it is
a hate or mate crime and the monitored strands of the hostility, at intake or later, and
the board reads the figures by period, strand and type of risk, with police involvement
and outcome, and no case named."""

from __future__ import annotations

import html

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, record_concern
from tests.support.pages import page_errors


def test_a_concern_records_a_hate_or_mate_crime_and_what_is_wrong_is_said(app, factory, auth):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    mate = record_concern(world, child=False, hate_crime="mate", hate_strands=["disability"])
    read = officer.get(f"/api/v1/concerns/{mate}").json
    assert (read["hate_crime"], read["hate_strands"]) == ("mate", ["disability"])

    base = {
        "received_at": "2026-11-20T10:15:00+00:00",
        "person": {"given_name": "Ada", "family_name": "Lane", "date_of_birth": "1938-02-02"},
        "is_child": False,
        "types_of_risk": ["psychological"],
        "location": "own_home",
        "source_of_risk": "unknown",
        "description": "Shouted at in the street.",
    }
    unsaid = officer.post("/api/v1/concerns/", json=base | {"hate_crime": "hate"})
    assert unsaid.status_code == 422, unsaid.json
    assert unsaid.json["errors"].get("hate_strands") == [
        "Select the characteristic the hostility was towards"
    ]
    stray = officer.post("/api/v1/concerns/", json=base | {"hate_strands": ["race"]})
    assert stray.status_code == 422 and "hate_strands" in stray.json["errors"]
    odd = officer.post("/api/v1/concerns/", json=base | {"hate_crime": "spite"})
    assert odd.status_code == 422 and "hate_crime" in odd.json["errors"]

    # corrected later, on the case's timeline; the concern's version moves
    before = officer.get(f"/api/v1/concerns/{mate}").headers["ETag"]
    changed = officer.put(
        f"/api/v1/concerns/{mate}/hate-crime",
        json={"hate_crime": "mate", "hate_strands": ["disability", "race"]},
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["hate_strands"] == ["race", "disability"]
    assert officer.get(f"/api/v1/concerns/{mate}").headers["ETag"] != before
    timeline = officer.get(f"/api/v1/concerns/{mate}/timeline").json
    assert any("Hate crime recorded: Mate crime" in e["summary"] for e in timeline)

    # the page: the summary says so, and the form says what is missing
    auth.sign_in("officer@example.org")
    page = html.unescape(auth.client.get(f"/concerns/{mate}").get_data(as_text=True))
    assert "hostility towards race or ethnicity, disability" in page
    url = f"/concerns/{mate}/hate-crime"
    refused = auth.client.post(
        url, data={"csrf_token": csrf_token(auth.client, url), "hate_crime": "hate"}
    )
    title, summary, _ = page_errors(refused.get_data(as_text=True))
    assert title.startswith("Error:")
    assert summary == ["Select the characteristic the hostility was towards"]


def test_the_board_reads_the_figures_by_strand_type_police_and_outcome(app, factory, auth):
    world = build_world(app, factory)
    record_concern(world, child=False, hate_crime="mate", hate_strands=["disability"])
    record_concern(
        world,
        child=False,
        hate_crime="hate",
        hate_strands=["race", "religion"],
        types_of_risk=["physical", "psychological"],
        referrer_agency_id=world.agencies["police"],  # the police are involved
    )
    record_concern(world, child=False)  # neither
    board = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.BOARD_MEMBER)))
    report = board.get("/api/v1/returns/hate-crime?from=2026-11-01&to=2026-11-30").json
    assert report["concerns"] == 3
    assert (report["total"]["hate"], report["total"]["mate"]) == (1, 1)
    strands = {line["label"]: (line["hate"], line["mate"]) for line in report["by_strand"]}
    assert strands == {
        "Race or ethnicity": (1, 0),
        "Religion or beliefs": (1, 0),
        "Sexual orientation": (0, 0),
        "Disability": (0, 1),
        "Transgender identity": (0, 0),
    }
    types = {line["label"]: line["total"] for line in report["by_type"]}
    assert types == {
        "Physical Abuse": 1,
        "Neglect and Acts of Omission": 1,
        "Psychological Abuse": 1,
    }
    assert (report["police_involved"]["hate"], report["police_involved"]["mate"]) == (1, 0)
    assert report["not_closed"]["total"] == 2 and report["outcomes"] == []
    assert board.get("/api/v1/returns/hate-crime?from=2026-12-01&to=2026-11-01").status_code == 422
    # a start after the default end (today) is refused as the dashboard's is
    assert board.get("/api/v1/returns/hate-crime?from=2030-01-01").status_code == 422

    auth.as_role(Role.BOARD_MEMBER)
    page = html.unescape(
        auth.client.get("/returns/hate-crime?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    )
    assert "of which 2 recorded as hate or mate crimes (1 hate, 1 mate)" in page
    assert "SG-2026" not in page, "figures only"
