"""Complaints and compliments (issue 25, item 10; the Herefordshire Joint Review): a log of
complaints, compliments and comments about a case or a person; a complaint follows its
statutory procedure with working-day clocks (bank holidays in the way), responses and
outcomes, the next stage on request, and the Ombudsman last; the report counts a period
by type, stage, outcome and timeliness. Only the safeguarding team and the council's
complaints officer (a flag on the account) read the log: partners, the board and council
staff without the flag read nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.auth.helpers import sign_in
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.meetings.helpers import build_world, record_concern
from tests.support.pages import page_errors

# Christmas 2026: Friday 25 and Monday 28 December (Boxing Day's substitute) and New
# Year's Day, Friday 1 January 2027, are bank holidays.
RECEIVED = "2026-12-22"  # a Tuesday


def _entry(client: ApiClient, **body) -> dict:
    made = client.post(
        "/api/v1/complaints/",
        json={
            "kind": "complaint",
            "made_by_name": "Dawn Turner",
            "made_by": "family_or_carer",
            "received_via": "email",
            "received_on": RECEIVED,
            "about": "Nobody called back after the strategy meeting.",
        }
        | body,
    )
    assert made.status_code == 201, made.json
    return dict(made.json)


def test_children_and_adults_timescales_escalation_and_the_ombudsman(app, factory, clock):
    clock.set(datetime(2027, 1, 4, 12, 0, tzinfo=UTC))
    world = build_world(app, factory)
    officer = world.clients["officer"]
    case = record_concern(world)

    child = _entry(officer, concern_id=case, procedure="children")
    assert child["person_name"] == "Alfie Turner" and child["case_reference"].startswith("SG-")
    # 10 working days from Tuesday 22 December, over Christmas and New Year
    assert child["stages"] == [
        child["stages"][0] | {"number": 1, "started_on": RECEIVED, "due_on": "2027-01-08"}
    ]
    assert child["acknowledgement_due_on"] is None  # no statutory acknowledgement
    adult = _entry(officer, person_id=child["person_id"], procedure="adults")
    assert adult["concern_id"] is None
    assert adult["acknowledgement_due_on"] == "2026-12-29"  # 3 working days (regulation 13)
    assert adult["stages"][0]["due_on"] == "2027-06-22"  # six months (regulation 14)

    # children's stage 1 extended once, to 20 working days
    extended = officer.post(f"/api/v1/complaints/{child['id']}/extend", json={"reason": "Away"})
    assert extended.json["stages"][0]["due_on"] == "2027-01-22"
    again = officer.post(f"/api/v1/complaints/{child['id']}/extend", json={"reason": "Again"})
    assert again.status_code == 422
    # the next stage waits for the response while the stage is in time
    early = officer.post(
        f"/api/v1/complaints/{child['id']}/escalate", json={"requested_on": "2027-01-04"}
    )
    assert early.status_code == 422 and "requested_on" in early.json["errors"]
    # an adult's complaint acknowledged late, with a response date agreed
    acknowledged = officer.post(
        f"/api/v1/complaints/{adult['id']}/acknowledge",
        json={"acknowledged_on": "2026-12-30", "response_due_on": "2027-02-26"},
    )
    assert acknowledged.json["stages"][0]["due_on"] == "2027-02-26"

    clock.set(datetime(2027, 4, 20, 12, 0, tzinfo=UTC))
    answered = officer.post(
        f"/api/v1/complaints/{child['id']}/answer",
        json={"answered_on": "2027-01-21", "outcome": "partly_upheld", "response": "Sorry"},
    )
    assert answered.json["stages"][0]["clock"] == "Met"
    # stage 2: 25 working days from the request
    stage_2 = officer.post(
        f"/api/v1/complaints/{child['id']}/escalate", json={"requested_on": "2027-01-07"}
    )
    assert stage_2.status_code == 422  # a request is made after the response it disputes
    stage_2 = officer.post(
        f"/api/v1/complaints/{child['id']}/escalate", json={"requested_on": "2027-01-25"}
    )
    assert stage_2.json["stages"][1] | {"clock": ""} == {
        "number": 2,
        "started_on": "2027-01-25",
        "due_on": "2027-03-01",
        "extension_reason": None,
        "answered_on": None,
        "outcome": None,
        "response": None,
        "clock": "",
    }
    assert stage_2.json["stages"][1]["clock"] == "Overdue"
    officer.post(
        f"/api/v1/complaints/{child['id']}/answer",
        json={"answered_on": "2027-03-03", "outcome": "not_upheld"},
    )
    # stage 3: the review panel within 30 working days (Good Friday and Easter Monday)
    stage_3 = officer.post(
        f"/api/v1/complaints/{child['id']}/escalate", json={"requested_on": "2027-03-08"}
    )
    assert stage_3.json["stages"][2]["due_on"] == "2027-04-21"
    officer.post(
        f"/api/v1/complaints/{child['id']}/answer",
        json={"answered_on": "2027-04-14", "outcome": "not_upheld"},
    )
    assert (
        officer.post(
            f"/api/v1/complaints/{child['id']}/escalate", json={"requested_on": "2027-04-15"}
        ).status_code
        == 422
    )  # no stage 4: the Ombudsman is next
    referred = officer.post(
        f"/api/v1/complaints/{child['id']}/ombudsman",
        json={"referred_on": "2027-04-16", "reference": "26 001 234"},
    )
    assert referred.json["ombudsman_referred_on"] == "2027-04-16"
    assert (
        officer.post(
            f"/api/v1/complaints/{child['id']}/ombudsman", json={"referred_on": "2027-04-16"}
        ).status_code
        == 422
    )
    # an adult's complaint answered late; one stage, then the Ombudsman
    late = officer.post(
        f"/api/v1/complaints/{adult['id']}/answer",
        json={"answered_on": "2027-03-05", "outcome": "upheld"},
    )
    assert late.json["stages"][0]["clock"] == "Met late"
    assert (
        officer.post(
            f"/api/v1/complaints/{adult['id']}/escalate", json={"requested_on": "2027-03-08"}
        ).status_code
        == 422
    )
    compliment = _entry(officer, kind="compliment", concern_id=case, received_on="2027-02-01")
    assert compliment["stages"] == [] and compliment["procedure"] is None

    # the report: received by type; responses by stage, outcome and timeliness
    report = officer.get("/api/v1/complaints/report?from=2026-12-01&to=2027-04-30").json
    assert report["received"] == {"complaint": 2, "compliment": 1, "comment": 0}
    assert report["complaints_by_procedure"] == {"adults": 1, "children": 1}
    lines = {(line["procedure"], line["stage"]): line for line in report["stages"]}
    assert [lines[("adults", 1)][n] for n in ("answered", "in_time", "late")] == [1, 0, 1]
    assert lines[("adults", 1)]["outcomes"]["upheld"] == 1
    assert [lines[("children", n)]["in_time"] for n in (1, 2, 3)] == [1, 0, 1]
    assert lines[("children", 2)]["late"] == 1
    assert lines[("children", 1)]["outcomes"]["partly_upheld"] == 1
    assert (report["acknowledged_late"], report["not_acknowledged"]) == (1, 0)
    assert report["ombudsman_referrals"] == 1
    february = officer.get("/api/v1/complaints/report?from=2027-02-01&to=2027-02-28").json
    assert february["received"] == {"complaint": 0, "compliment": 1, "comment": 0}
    assert officer.get("/api/v1/complaints/report?from=2027-03-01&to=2027-02-01").status_code == 422
    listed = officer.get(f"/api/v1/complaints/?concern_id={case}&kind=complaint").json
    assert [item["id"] for item in listed["items"]] == [child["id"]]
    by_state = {
        state: [i["id"] for i in officer.get(f"/api/v1/complaints/?state={state}").json["items"]]
        for state in ("open", "answered", "ombudsman")
    }
    assert by_state == {"open": [], "answered": [adult["id"]], "ombudsman": [child["id"]]}


def test_only_the_team_and_the_complaints_officer_read_the_log(app, factory, clock):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    case = record_concern(world)
    entry = _entry(officer, concern_id=case, procedure="children", received_on="2026-11-20")
    police = world.clients["police"]
    board = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.BOARD_MEMBER)))
    staff_id = factory.user(
        role=Role.AGENCY_PRACTITIONER, email="staff@example.org", agency_id=world.agencies["csc"]
    )
    staff = ApiClient(app.test_client(), make_token(app, staff_id))
    opened = officer.get("/api/v1/complaints/?state=open").json["items"]
    assert [item["id"] for item in opened] == [entry["id"]]
    for client in (police, board, staff):
        assert client.get(f"/api/v1/complaints/{entry['id']}").status_code == 404
        assert client.get("/api/v1/complaints/").status_code == 403
        assert client.get("/api/v1/complaints/report").status_code == 403
    # an administrator makes the council member of staff the complaints officer
    admin = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.ADMINISTRATOR)))
    user = admin.get(f"/api/v1/users/{staff_id}")
    assert user.json["complaints_officer"] is False
    made = admin.patch(
        f"/api/v1/users/{staff_id}",
        json={"complaints_officer": True},
        headers={"If-Match": user.headers["ETag"]},
    )
    assert made.status_code == 200 and made.json["complaints_officer"] is True
    assert staff.get(f"/api/v1/complaints/{entry['id']}").json["about"]
    assert staff.get("/api/v1/complaints/report").status_code == 200
    # recorded about a case the officer's own role cannot open
    assert _entry(staff, kind="comment", concern_id=case, received_on="2026-11-20")[
        "case_reference"
    ]
    # a partner agency's user cannot hold the flag
    police_user = admin.get(f"/api/v1/users/{world.users['police']}")
    refused = admin.patch(
        f"/api/v1/users/{world.users['police']}",
        json={"complaints_officer": True},
        headers={"If-Match": police_user.headers["ETag"]},
    )
    assert refused.status_code == 422 and "complaints_officer" in refused.json["errors"]
    assert police.get(f"/api/v1/complaints/{entry['id']}").status_code == 404

    # pages: the case page links the log for the team only; partners get 404 on an entry
    pages = app.test_client()
    sign_in(pages, "officer@example.org", TEST_PASSWORD)
    assert "Complaints and compliments" in pages.get(f"/concerns/{case}").get_data(as_text=True)
    assert "complaints.report" not in pages.get("/returns/").get_data(as_text=True)
    assert "/complaints/report" in pages.get("/returns/").get_data(as_text=True)
    shown = pages.get(f"/complaints/{entry['id']}").get_data(as_text=True)
    assert "Stage 1: local resolution" in shown and "regulation 14" in shown
    partner = app.test_client()
    sign_in(partner, "police@example.org", TEST_PASSWORD)
    assert "Complaints and compliments" not in partner.get(f"/concerns/{case}").get_data(
        as_text=True
    )
    assert partner.get(f"/complaints/{entry['id']}").status_code == 404
    assert partner.get("/complaints/").status_code == 403


def test_recording_and_answering_on_the_pages(app, factory, clock):
    clock.set(datetime(2027, 1, 4, 12, 0, tzinfo=UTC))
    world = build_world(app, factory)
    case = record_concern(world)
    pages = app.test_client()
    sign_in(pages, "officer@example.org", TEST_PASSWORD)
    url = f"/complaints/new?concern_id={case}"
    form = pages.get(url).get_data(as_text=True)
    assert "SG-" in form  # the case reference filled in
    empty = pages.post(url, data={"csrf_token": csrf_token(pages, url), "case_reference": ""})
    title, summary, _ = page_errors(empty.get_data(as_text=True))
    assert empty.status_code == 200 and title.startswith("Error:")
    assert "Select whether it is a complaint, a compliment or a comment" in summary
    assert any("case reference" in problem for problem in summary)
    body = {
        "csrf_token": csrf_token(pages, url),
        "kind": "complaint",
        "case_reference": "",
        "made_by_name": "Dawn Turner",
        "made_by": "family_or_carer",
        "received_via": "letter",
        "received_on": ["22", "12", "2026"],
        "about": "Not told about the conference.",
    }
    missing = pages.post(url, data=body)
    _, summary, _ = page_errors(missing.get_data(as_text=True))
    assert missing.status_code == 200 and "Select the complaints procedure" in " ".join(summary)
    made = pages.post(url, data=body | {"procedure": "adults", "case_reference": "sg-bad"})
    assert "There is no case with that reference" in made.get_data(as_text=True)
    reference = form.split('name="case_reference"')[1].split('value="')[1].split('"')[0]
    made = pages.post(url, data=body | {"procedure": "adults", "case_reference": reference})
    assert made.status_code == 302, page_errors(made.get_data(as_text=True))
    entry_url = made.headers["Location"]
    shown = pages.get(entry_url).get_data(as_text=True)
    assert "29 December 2026" in shown and "Overdue" in shown  # not acknowledged in 3 days
    acknowledge = entry_url + "/acknowledge"
    token = csrf_token(pages, entry_url)
    bad = pages.post(acknowledge, data={"csrf_token": token, "acknowledged_on-day": "40"})
    assert bad.status_code == 302
    assert "Enter a real date" in pages.get(entry_url).get_data(as_text=True)
    done = pages.post(
        acknowledge,
        data={
            "csrf_token": token,
            "acknowledged_on-day": "24",
            "acknowledged_on-month": "12",
            "acknowledged_on-year": "2026",
        },
    )
    assert done.status_code == 302
    shown = pages.get(entry_url).get_data(as_text=True)
    assert "Acknowledgement recorded" in shown and "24 December 2026" in shown
    listed = pages.get(f"/complaints/?concern_id={case}").get_data(as_text=True)
    assert "Dawn Turner" in listed
    report = pages.get("/complaints/report?from-day=1&from-month=12&from-year=2026")
    assert report.status_code == 200 and "Adults: Response to the complaint" in report.get_data(
        as_text=True
    )


def test_entries_go_with_the_case_and_the_person_when_retention_purges_them(app_factory):
    import sqlalchemy as sa

    from core.complaints.models import ComplaintEntry, ComplaintStage
    from core.extensions import db
    from tests.safety.test_retention import Council, _at

    council = Council(app_factory())
    reference, concern_id = council.case("Ada", received=_at(2010), closed=_at(2011))
    about_case = _entry(
        council.api, concern_id=concern_id, procedure="adults", received_on="2011-02-01"
    )
    _entry(
        council.api, kind="compliment", person_id=about_case["person_id"], received_on="2011-03-01"
    )
    listed = council.api.get(f"/api/v1/complaints/?person_id={about_case['person_id']}")
    assert listed.json["total"] == 2
    purged = council.app.test_cli_runner().invoke(args=["retention", "run"])
    assert purged.exit_code == 0 and reference in purged.output, purged.output
    with council.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ComplaintEntry)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ComplaintStage)) == 0
    assert council.api.get(f"/api/v1/complaints/{about_case['id']}").status_code == 404
