"""The out-of-hours handover to the day team, and the CSV export."""

from __future__ import annotations

import csv
import io

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import csrf_token


def test_day_team_accepts_the_overnight_handover(app, auth, client, factory):
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    night = officer.post(
        "/api/v1/concerns/", json=concern_body(received_at="2026-11-20T22:40:00+00:00")
    ).json
    officer.post("/api/v1/concerns/", json=concern_body(received_at="2026-11-20T11:00:00+00:00"))
    officer.post(
        f"/api/v1/concerns/{night['id']}/notes", json={"text": "Police attended overnight"}
    )

    auth.as_role(Role.SAFEGUARDING_MANAGER)
    page = client.get("/concerns/handover").get_data(as_text=True)
    assert night["reference"] in page and "Note added" in page
    assert "SG-2026-000002" not in page  # in hours: not part of the handover
    token = csrf_token(client, "/concerns/handover")
    accepted = client.post("/concerns/handover", data={"csrf_token": token})
    assert accepted.status_code == 302
    after = client.get("/concerns/handover").get_data(as_text=True)
    assert "Nothing new since the last handover" in after
    assert "accepted by Test User" in after
    case = client.get(f"/concerns/{night['id']}").get_data(as_text=True)
    assert "Handed over to the day team" in case


def test_the_handover_through_the_api(app, factory):
    officer = ApiClient(
        app.test_client(),
        make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER)),
    )
    night = officer.post(
        "/api/v1/concerns/", json=concern_body(received_at="2026-11-20T22:40:00+00:00")
    ).json
    officer.post("/api/v1/concerns/", json=concern_body(received_at="2026-11-20T11:00:00+00:00"))
    pending = officer.get("/api/v1/handover").json
    assert pending["previous"] is None
    assert [c["reference"] for c in pending["concerns"]] == [night["reference"]]
    accepted = officer.post("/api/v1/handover", headers={"Idempotency-Key": "night-1"})
    assert accepted.status_code == 201, accepted.json
    # Every create is safe to retry: the same key replays the first acceptance, and
    # does not accept a second, empty handover.
    retried = officer.post("/api/v1/handover", headers={"Idempotency-Key": "night-1"})
    assert retried.status_code == 201 and retried.json == accepted.json
    name = officer.get("/api/v1/me").json["name"]
    assert accepted.json["concern_count"] == 1 and accepted.json["accepted_by"] == name
    after = officer.get("/api/v1/handover").json
    assert after["concerns"] == [] and after["previous"]["id"] == accepted.json["id"]
    timeline = officer.get(f"/api/v1/concerns/{night['id']}/timeline").json
    assert timeline[0]["kind"] == "handover.accepted"
    assert timeline[0]["summary"] == f"Handed over to the day team ({name})"
    assert timeline[0]["by"] == name


def test_only_the_safeguarding_team_sees_the_handover(auth, client):
    auth.as_role(Role.AGENCY_PRACTITIONER)
    assert client.get("/concerns/handover").status_code == 403


def test_csv_export_for_the_safeguarding_team(app, auth, client, factory):
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    officer.post("/api/v1/concerns/", json=concern_body(types_of_risk=["neglect"]))
    officer.post(
        "/api/v1/concerns/",
        json=concern_body(
            description="x", person={"given_name": "=HYPERLINK(1)", "family_name": "Evil"}
        ),
    )
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    response = client.get("/concerns/export.csv?type_of_risk=neglect")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["reference", "received", "out_of_hours"]
    assert len(rows) == 2 and rows[1][6] == "Neglect and Acts of Omission"
    everything = list(
        csv.reader(io.StringIO(client.get("/concerns/export.csv").get_data(as_text=True)))
    )
    assert any(row[4].startswith("'=HYPERLINK") for row in everything[1:])


def test_a_practitioner_exports_only_the_cases_its_agency_is_involved_in(
    app, auth, client, factory
):
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    theirs = officer.post("/api/v1/concerns/", json=concern_body()).json
    other = officer.post("/api/v1/concerns/", json=concern_body()).json
    agency_id = factory.agency(name="Northshire Homes", type="housing")
    involved = officer.post(
        f"/api/v1/concerns/{theirs['id']}/involvements",
        json={"agency_id": agency_id, "note": "The family's landlord"},
    )
    assert involved.status_code == 201
    auth.as_role(Role.AGENCY_PRACTITIONER, agency_id=agency_id)
    assert "Download these concerns as CSV" in client.get("/concerns/").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(client.get("/concerns/export.csv").get_data(as_text=True))))
    assert [row[0] for row in rows[1:]] == [theirs["reference"]]
    assert other["reference"] not in {row[0] for row in rows}
