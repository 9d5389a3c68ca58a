"""Council areas (issue 23, item 1): an instance serving two councils. Each council's staff
see only its cases (another's answer 404, as out of scope); a partner agency involved
across the boundary sees the case; administrators keep the councils and say whose users
and agencies are whose. A single-council instance is the rest of the suite."""

from __future__ import annotations

import sqlalchemy as sa

from core.auth.models import Agency, User
from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.audits.helpers import build_audit_world
from tests.audits.test_attendance_audit import H1_2026
from tests.concerns.test_concerns_api import PERSON, concern_body
from tests.conftest import csrf_token


def _client(app, user_id):
    return ApiClient(app.test_client(), make_token(app, user_id))


def _two_councils(app, factory):
    """Council A (the instance's first) and B, an officer of each, the police serving A."""
    admin_id = factory.user(role=Role.ADMINISTRATOR)
    admin = _client(app, admin_id)
    councils = admin.get("/api/v1/councils/").json
    assert [c["name"] for c in councils] == ["The council"]  # made for a single council
    made = admin.post("/api/v1/councils/", json={"name": "Southshire County Council"})
    assert made.status_code == 201
    assert admin.post("/api/v1/councils/", json={"name": "southshire county council"}).json[
        "errors"
    ]["name"] == ["A council with this name already exists"]
    a, b = councils[0]["id"], made.json["id"]
    police = admin.post("/api/v1/agencies/", json={"name": "Northshire Police", "type": "police"})
    assert police.json["council_ids"] == [a]  # the administrator's own council
    team_b = factory.agency(name="Southshire Council", type="local_authority", council_ids=[b])
    users = {
        "officer_a": factory.user(),
        "officer_b": factory.user(agency_id=team_b, council_id=b),
        "police": factory.user(role=Role.AGENCY_PRACTITIONER, agency_id=police.json["id"]),
    }
    clients = {name: _client(app, user_id) for name, user_id in users.items()}
    return admin, clients, a, b, police.json["id"], users


def test_staff_see_their_own_councils_cases_and_involved_agencies_cross_the_boundary(
    app, auth, client, factory
):
    _, clients, _, b, police, users = _two_councils(app, factory)
    case_a = clients["officer_a"].post("/api/v1/concerns/", json=concern_body()).json
    other = PERSON | {"given_name": "Olwen", "family_name": "Pryce", "nhs_number": None}
    case_b = clients["officer_b"].post("/api/v1/concerns/", json=concern_body(person=other)).json
    for officer, own, theirs in (("officer_a", case_a, case_b), ("officer_b", case_b, case_a)):
        api = clients[officer]
        assert [c["id"] for c in api.get("/api/v1/concerns/").json["items"]] == [own["id"]]
        assert api.get(f"/api/v1/concerns/{theirs['id']}").status_code == 404
        assert api.get(f"/api/v1/people/{theirs['person']['id']}").status_code == 404
        found = api.get(f"/api/v1/people/?name={theirs['person']['family_name']}").json
        assert found["total"] == 0
    with app.app_context():
        assert (
            db.session.scalar(
                sa.text("SELECT council_id FROM concerns WHERE id = :id"), {"id": case_b["id"]}
            )
            == b
        )
    # the police serve council A only, yet once council B involves them they see its case
    police_api = clients["police"]
    assert police_api.get(f"/api/v1/concerns/{case_b['id']}").status_code == 404
    involved = clients["officer_b"].post(
        f"/api/v1/concerns/{case_b['id']}/involvements",
        json={"agency_id": police, "note": "The person was placed from Northshire"},
    )
    assert involved.status_code == 201
    assert police_api.get(f"/api/v1/concerns/{case_b['id']}").status_code == 200
    assert case_b["id"] in [c["id"] for c in police_api.get("/api/v1/concerns/").json["items"]]
    # ...and council A's staff still do not: the police's involvement is not theirs
    assert clients["officer_a"].get(f"/api/v1/concerns/{case_b['id']}").status_code == 404
    # the pages too: the case list and the case page of another council's case
    auth.sign_in(_email(app, users["officer_a"]))
    assert client.get(f"/concerns/{case_b['id']}").status_code == 404
    listed = client.get("/concerns/").get_data(as_text=True)
    assert case_a["reference"] in listed and case_b["reference"] not in listed
    # the agency pickers offer the case's council's agencies; the others are found by the
    # picker's search (tests/agencies/test_pickers.py)
    page = client.get(f"/concerns/{case_a['id']}/involve").get_data(as_text=True)
    assert ">Northshire Police<" in page and "Southshire Council" not in page


def _email(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).email


def test_administrators_keep_councils_and_assign_users_and_agencies(app, auth, client, factory):
    admin, clients, a, b, police, users = _two_councils(app, factory)
    # an agency serving both councils; none at all is refused, and so is an unknown one
    get = admin.get(f"/api/v1/agencies/{police}")
    changed = admin.patch(
        f"/api/v1/agencies/{police}",
        json={"council_ids": [a, b]},
        headers={"If-Match": get.headers["ETag"]},
    )
    assert changed.status_code == 200 and changed.headers["ETag"] != get.headers["ETag"]
    assert sorted(changed.json["council_ids"]) == sorted([a, b])
    etag = changed.headers["ETag"]
    for wrong in ([], [a, 2**31 - 1], [2**63]):
        refused = admin.patch(
            f"/api/v1/agencies/{police}", json={"council_ids": wrong}, headers={"If-Match": etag}
        )
        assert refused.status_code == 422 and "council_ids" in refused.json["errors"]
    serving_b = admin.get(f"/api/v1/agencies/?council_id={b}").json["items"]
    assert {x["name"] for x in serving_b} == {"Northshire Police", "Southshire Council"}
    # a user moved to council B sees B's cases from their next request
    case_b = clients["officer_b"].post("/api/v1/concerns/", json=concern_body()).json
    user = admin.get(f"/api/v1/users/{users['officer_a']}")
    assert user.json["council_id"] == a
    bad = admin.patch(
        f"/api/v1/users/{users['officer_a']}",
        json={"council_id": 2**31 - 1},
        headers={"If-Match": user.headers["ETag"]},
    )
    assert bad.status_code == 422 and "council_id" in bad.json["errors"]
    moved = admin.patch(
        f"/api/v1/users/{users['officer_a']}",
        json={"council_id": b},
        headers={"If-Match": user.headers["ETag"]},
    )
    assert moved.status_code == 200 and moved.json["council_id"] == b
    assert clients["officer_a"].get(f"/api/v1/concerns/{case_b['id']}").status_code == 200
    # the administrators' pages: the councils with their open cases and users
    auth.as_role(Role.ADMINISTRATOR)
    page = client.get("/admin/councils/").get_data(as_text=True)
    assert "Southshire County Council" in page and "The council" in page
    token = csrf_token(client, "/admin/councils/new")
    added = client.post("/admin/councils/new", data={"csrf_token": token, "name": "Westshire"})
    assert added.status_code == 302
    form = client.get(f"/admin/agencies/{police}").get_data(as_text=True)
    assert "Councils it serves" in form and "Westshire" in form
    with app.app_context():
        agency = db.session.get(Agency, police)
        assert {c.name for c in agency.councils} == {"The council", "Southshire County Council"}


def test_audits_returns_and_the_dashboard_count_each_councils_own(app, factory):
    """The audit world's conferences are all council A's (the instance's first): council
    B's attendance audit of the same half year counts none of them, and cannot open A's;
    each council's dashboard and SAC count its own concerns."""
    world = build_audit_world(app, factory)
    admin = _client(app, factory.user(role=Role.ADMINISTRATOR))
    b = admin.post("/api/v1/councils/", json={"name": "Southshire County Council"}).json["id"]
    team_b = factory.agency(name="Southshire Council", council_ids=[b])
    manager_b = _client(
        app, factory.user(role=Role.SAFEGUARDING_MANAGER, agency_id=team_b, council_id=b)
    )
    officer_b = _client(app, factory.user(agency_id=team_b, council_id=b))
    officer_b.post("/api/v1/concerns/", json=concern_body(received_at="2026-06-01T10:00:00+00:00"))
    ours = world.manager.post("/api/v1/audits/attendance/", json=H1_2026)
    theirs = manager_b.post("/api/v1/audits/attendance/", json=H1_2026)
    assert ours.status_code == theirs.status_code == 201
    assert (ours.json["meetings_held"], theirs.json["meetings_held"]) == (11, 0)
    assert theirs.json["rows"] == []
    assert manager_b.get(f"/api/v1/audits/attendance/{ours.json['id']}").status_code == 404
    listed = manager_b.get("/api/v1/audits/attendance/").json["items"]
    assert [a["id"] for a in listed] == [theirs.json["id"]]
    period = "?from=2026-01-01&to=2026-06-30"
    a_figures = world.manager.get(f"/api/v1/dashboard{period}").json
    b_figures = manager_b.get(f"/api/v1/dashboard{period}").json
    assert (a_figures["concerns"], b_figures["concerns"]) == (1, 1)
    # the same from the summary tables, once counted: each council's own
    assert app.test_cli_runner().invoke(args=["figures", "rebuild"]).exit_code == 0
    a_summed = world.manager.get(f"/api/v1/dashboard{period}").json
    b_summed = manager_b.get(f"/api/v1/dashboard{period}").json
    assert not a_summed["counted_directly"] and not b_summed["counted_directly"]
    assert (a_summed["concerns"], b_summed["concerns"]) == (1, 1)
    assert {k: v for k, v in a_summed.items() if not k.startswith("counted")} == {
        k: v for k, v in a_figures.items() if not k.startswith("counted")
    }

    def concerns_in_sg1(client):  # the first SG1 table's concerns column, summed
        table = client.get("/api/v1/returns/sac?year=2026").json["tables"][0]
        return sum(row["values"][0] for row in table["rows"])

    assert (concerns_in_sg1(world.manager), concerns_in_sg1(manager_b)) == (0, 1)


def test_councils_from_the_command_line(app, runner):
    made = runner.invoke(args=["councils", "create", "--name", "Southshire County Council"])
    assert made.exit_code == 0, made.output
    renamed = runner.invoke(
        args=["councils", "rename", "--council", "the council", "--name", "Northshire Council"]
    )
    assert renamed.exit_code == 0, renamed.output
    listed = runner.invoke(args=["councils", "list"]).output
    assert "Northshire Council" in listed and "Southshire County Council" in listed
    agency = runner.invoke(
        args=[
            *("agencies", "create", "--name", "Shires Police", "--type", "police"),
            *("--council", "Northshire Council", "--council", "southshire county council"),
        ]
    )
    assert agency.exit_code == 0, agency.output
    unknown = runner.invoke(
        args=["agencies", "create", "--name", "X", "--type", "police", "--council", "Nowhere"]
    )
    assert unknown.exit_code == 2 and "no council called 'Nowhere'" in unknown.output
    user = runner.invoke(
        args=[
            *("users", "create", "--email", "jo@example.org", "--name", "Jo Bloggs"),
            *("--agency", "Shires Police", "--role", "agency_practitioner"),
            *("--council", "Southshire County Council", "--password-stdin"),
        ],
        input="a long enough password for Jo\n",
    )
    assert user.exit_code == 0, user.output
    with app.app_context():
        police = db.session.scalar(sa.select(Agency).where(Agency.name == "Shires Police"))
        assert [c.name for c in police.councils] == [
            "Northshire Council",
            "Southshire County Council",
        ]
        jo = db.session.scalar(sa.select(User).where(User.email == "jo@example.org"))
        assert jo.council.name == "Southshire County Council"
