"""Council areas (issue 23, item 1) for the records that were the whole instance's: the
complaints log, hospital discharges, contact follow-ups, subject access requests, training
records and their return, the out-of-hours handover, establishment clusters, the PiPoT
report and the duplicate check of a person. Two councils, A (the instance's first) and B:
each council's staff list, read and count only their own; another council's record
answers 404, as a missing one."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from core.auth.roles import Role
from core.concerns.models import Concern
from core.extensions import db
from core.followups.operations import open_follow_up
from core.people.operations import possible_duplicates
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import PERSON, concern_body

OLWEN = PERSON | {"given_name": "Olwen", "family_name": "Pryce", "nhs_number": "401 023 2137"}
SATURDAY_NIGHT = "2026-11-21T22:00:00+00:00"  # out of hours; the clock is Monday noon


@dataclass
class Two:
    a: int
    b: int
    clients: dict[str, ApiClient]
    agencies: dict[str, int]
    users: dict[str, int]


def _two_councils(app, factory) -> Two:
    """Councils A and B: a manager of each (managers are of the safeguarding team and
    answer subject access requests), a board member of each, and an NHS trust for each."""
    admin = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.ADMINISTRATOR)))
    a = admin.get("/api/v1/councils/").json[0]["id"]
    b = admin.post("/api/v1/councils/", json={"name": "Southshire County Council"}).json["id"]
    agencies = {
        "team_a": factory.agency(name="Northshire Council"),
        "team_b": factory.agency(name="Southshire Council", council_ids=[b]),
        "nhs_a": factory.agency(name="Northshire NHS Trust", type="nhs_trust"),
        "nhs_b": factory.agency(name="Southshire NHS Trust", type="nhs_trust", council_ids=[b]),
    }
    users = {}
    for side, council in (("a", a), ("b", b)):
        team, nhs = agencies[f"team_{side}"], agencies[f"nhs_{side}"]
        users[f"manager_{side}"] = factory.user(
            role=Role.SAFEGUARDING_MANAGER, agency_id=team, council_id=council
        )
        users[f"board_{side}"] = factory.user(
            role=Role.BOARD_MEMBER, agency_id=team, council_id=council
        )
        users[f"nhs_{side}"] = factory.user(
            role=Role.AGENCY_PRACTITIONER, agency_id=nhs, council_id=council
        )
    clients = {
        name: ApiClient(app.test_client(), make_token(app, user_id))
        for name, user_id in users.items()
    }
    return Two(a, b, clients, agencies, users)


def _case(client: ApiClient, **body) -> dict:
    made = client.post("/api/v1/concerns/", json=concern_body(**body))
    assert made.status_code == 201, made.json
    return dict(made.json)


def _ids(answer) -> list[int]:
    assert answer.status_code == 200, answer.json
    items = answer.json["items"] if isinstance(answer.json, dict) else answer.json
    return [item["id"] for item in items]


def _ask_for_records(client: ApiClient, person_id: int):
    """A subject access request by the person herself, identity checked."""
    return client.post(
        "/api/v1/subject-access-requests/",
        json={
            "person_id": person_id,
            "requested_by": "Herself, by letter",
            "received_on": "2026-11-23",
            "identity_checked": "Passport seen at a home visit",
        },
    )


def _each_sees_its_own(
    two: Two, url: str, made: dict[str, int], reader: str = "manager", item: str = ""
) -> None:
    """``made``: the record of each side (a, b), listed at ``url`` and read at ``item``
    (``url``, by default) followed by its id."""
    for own, other in (("a", "b"), ("b", "a")):
        api = two.clients[f"{reader}_{own}"]
        assert _ids(api.get(url)) == [made[own]], url
        assert api.get(f"{item or url}{made[own]}").status_code == 200
        assert api.get(f"{item or url}{made[other]}").status_code == 404, url


def test_complaints_follow_ups_and_subject_access_are_each_councils_own(app, factory, clock):
    two = _two_councils(app, factory)
    cases = {
        "a": _case(two.clients["manager_a"]),
        "b": _case(two.clients["manager_b"], person=OLWEN),
    }
    # complaints: one about each council's case, one about a person only
    complaints = {}
    for side, case in cases.items():
        made = two.clients[f"manager_{side}"].post(
            "/api/v1/complaints/",
            json={
                "kind": "complaint",
                "procedure": "adults",
                "concern_id": case["id"],
                "made_by_name": "Dawn Turner",
                "made_by": "family_or_carer",
                "received_via": "email",
                "received_on": "2026-11-23",
                "about": "Nobody called back.",
            },
        )
        assert made.status_code == 201, made.json
        complaints[side] = made.json["id"]
    _each_sees_its_own(two, "/api/v1/complaints/", complaints)
    # B's case cannot be named in A's log either
    refused = two.clients["manager_a"].post(
        "/api/v1/complaints/",
        json={
            "kind": "compliment",
            "concern_id": cases["b"]["id"],
            "made_by_name": "Dawn Turner",
            "made_by": "family_or_carer",
            "received_via": "email",
            "received_on": "2026-11-23",
            "about": "Thank you.",
        },
    )
    assert refused.status_code == 422, refused.json
    for side in ("a", "b"):
        report = two.clients[f"manager_{side}"].get(
            "/api/v1/complaints/report?from=2026-11-01&to=2026-11-30"
        )
        assert report.json["received"]["complaint"] == 1, report.json

    # contact follow-ups: of each council's case
    with app.app_context():
        follow_ups = {}
        for side, case in cases.items():
            concern = db.session.get(Concern, case["id"])
            concern.decision = "signposted"
            follow_ups[side] = open_follow_up(concern, None).id
        db.session.commit()
    _each_sees_its_own(two, "/api/v1/contact-follow-ups/", follow_ups)
    for side in ("a", "b"):
        month = two.clients[f"board_{side}"].get(
            "/api/v1/contact-follow-ups/report?month=2026-12-01"
        )
        assert month.json["total"]["total"] == 1, month.json

    # subject access requests: recorded by each council's manager
    requests = {}
    for side, case in cases.items():
        made = _ask_for_records(two.clients[f"manager_{side}"], case["person"]["id"])
        assert made.status_code == 201, made.json
        requests[side] = made.json["id"]
    _each_sees_its_own(two, "/api/v1/subject-access-requests/", requests)


def test_discharges_and_training_are_each_councils_own(app, factory, clock):
    two = _two_councils(app, factory)
    discharges = {}
    for side in ("a", "b"):
        made = two.clients[f"nhs_{side}"].post(
            "/api/v1/discharges/",
            json={
                "person": {"given_name": "Arthur", "family_name": f"Penrose-{side}"},
                "discharged_at": "2026-11-20T19:30:00+00:00",
                "discharged_from": "General, Ward 7",
                "discharged_to": "Own home",
                "care_in_place": False,
            },
        )
        assert made.status_code == 201, made.json
        discharges[side] = made.json["id"]
    _each_sees_its_own(two, "/api/v1/discharges/", discharges)
    for reader in ("manager", "board"):
        for side in ("a", "b"):
            month = two.clients[f"{reader}_{side}"].get(
                "/api/v1/discharges/monitoring?month=2026-11"
            )
            assert month.json["counts"]["discharges"] == 1, month.json

    # training: each trust's records, read by the team of the council it serves
    records = {}
    for side in ("a", "b"):
        made = two.clients[f"nhs_{side}"].post(
            "/api/v1/training/records",
            json={
                "staff_name": f"Priya Shah {side}",
                "role": "Staff nurse",
                "level": "adults_2",
                "course": "Safeguarding adults level 2",
                "completed_on": "2026-10-05",
            },
        )
        assert made.status_code == 201, made.json
        records[side] = made.json["id"]
    _each_sees_its_own(two, "/api/v1/training/records", records, item="/api/v1/training/records/")
    for reader in ("manager", "board"):
        for side in ("a", "b"):
            figures = two.clients[f"{reader}_{side}"].get("/api/v1/training/return").json
            assert [x["agency_id"] for x in figures["agencies"]] == [two.agencies[f"nhs_{side}"]]


def test_handover_clusters_pipot_and_duplicates_are_each_councils_own(app, factory, clock):
    two = _two_councils(app, factory)
    manager_a, manager_b = two.clients["manager_a"], two.clients["manager_b"]
    night = {
        "a": _case(manager_a, received_at=SATURDAY_NIGHT),
        "b": _case(manager_b, received_at=SATURDAY_NIGHT, person=OLWEN),
    }
    for side, case in night.items():
        pending = two.clients[f"manager_{side}"].get("/api/v1/handover").json
        assert [c["id"] for c in pending["concerns"]] == [case["id"]]
    accepted = manager_a.post("/api/v1/handover")
    assert accepted.status_code == 201 and accepted.json["concern_count"] == 1
    assert manager_a.get("/api/v1/handover").json["concerns"] == []
    # A's acceptance is not B's: B's day team still has its night's concern to take
    assert [c["id"] for c in manager_b.get("/api/v1/handover").json["concerns"]] == [
        night["b"]["id"]
    ]

    # a care home on the border: two concerns from each council are no cluster of three
    home = manager_a.post(
        "/api/v1/establishments/", json={"name": "Meadowbank House", "kind": "care_home_nursing"}
    ).json["id"]
    cases = []
    for client, person in ((manager_a, PERSON), (manager_a, PERSON), (manager_b, OLWEN)):
        cases.append(
            _case(
                client,
                person=person,
                location="care_home_nursing",
                source_of_risk="service_provider",
                establishment_id=home,
            )
        )
    app.config["CLUSTER_MIN_CONCERNS"] = 2
    assert [c["concerns"] for c in manager_a.get("/api/v1/clusters/").json] == [2]
    assert manager_b.get("/api/v1/clusters/").json == []

    # the PiPoT report: a referral of a council B case is B's alone
    case_b = cases[2]["id"]
    alleged = manager_b.post(
        f"/api/v1/concerns/{case_b}/alleged-people",
        json={
            "person": {"given_name": "Carl", "family_name": "Night"},
            "relationship_kind": "other",
            "relationship_detail": "Paid carer at the home",
            "trust_capacity": "employed",
            "trust_establishment_id": home,
            "trust_role": "Night care assistant",
        },
    )
    assert alleged.status_code == 201, alleged.json
    referred = manager_b.post(
        f"/api/v1/concerns/{case_b}/trust-referrals",
        json={"alleged_id": alleged.json["id"], "referred_on": "2026-11-23", "referred_to": "LADO"},
    )
    assert referred.status_code in (200, 201), referred.json
    for client, board, count in (
        (manager_a, two.clients["board_a"], 0),
        (manager_b, two.clients["board_b"], 1),
    ):
        assert client.get("/api/v1/returns/positions-of-trust").json["open"] == count
        assert board.get("/api/v1/returns/positions-of-trust").json["open"] == count

    # the duplicate check: B's person is no candidate for A's new record, but is for B's
    with app.app_context():
        olwen = {
            "given_name": "olwen",
            "family_name": "PRYCE",
            "date_of_birth": None,
            "nhs_number": "4010232137",
        }
        assert possible_duplicates(olwen, two.a) == []
        found = {p.id for p in possible_duplicates(olwen, two.b)}
        assert found == {night["b"]["person"]["id"], cases[2]["person"]["id"]}


def test_the_migration_gives_existing_records_their_case_or_users_council(app, factory, clock):
    """Records made before their council was kept: each takes its case's council, else
    the council of the user who made it."""
    from flask_migrate import downgrade, upgrade

    from core.complaints.models import ComplaintEntry
    from core.concerns.models import Handover
    from core.discharges.models import HospitalDischarge
    from core.subject_access.models import SubjectAccessRequest

    two = _two_councils(app, factory)
    manager_b = two.clients["manager_b"]
    case = _case(manager_b, received_at=SATURDAY_NIGHT)
    entry = {
        "kind": "comment",
        "made_by_name": "Dawn Turner",
        "made_by": "family_or_carer",
        "received_via": "email",
        "received_on": "2026-11-23",
        "about": "A comment.",
    }
    for about in ({"concern_id": case["id"]}, {"person_id": case["person"]["id"]}):
        assert manager_b.post("/api/v1/complaints/", json=entry | about).status_code == 201
    made = manager_b.post(
        "/api/v1/subject-access-requests/",
        json={
            "person_id": case["person"]["id"],
            "requested_by": "Herself",
            "received_on": "2026-11-23",
            "identity_checked": "Passport seen",
        },
    )
    assert made.status_code == 201
    assert manager_b.post("/api/v1/handover").status_code == 201
    notified = two.clients["nhs_b"].post(
        "/api/v1/discharges/",
        json={
            "person": {"given_name": "Arthur", "family_name": "Penrose"},
            "discharged_at": "2026-11-20T19:30:00+00:00",
            "discharged_from": "General, Ward 7",
            "discharged_to": "Own home",
            "care_in_place": True,
        },
    )
    assert notified.status_code == 201
    with app.app_context():
        downgrade(revision="774e10b06068")
        upgrade()
        db.session.remove()
        for model in (ComplaintEntry, HospitalDischarge, SubjectAccessRequest, Handover):
            councils = db.session.scalars(sa.select(model.council_id)).all()
            assert councils and set(councils) == {two.b}, model


def test_teams_and_areas_are_each_councils_own(app, factory, clock):
    """Each council's administrators keep its teams and areas (the same name in both is
    two teams); its staff list, read and choose only its own."""
    from flask_migrate import downgrade, upgrade

    from core.auth.models import Locality, Team

    two = _two_councils(app, factory)
    admins = {
        side: ApiClient(
            app.test_client(),
            make_token(app, factory.user(role=Role.ADMINISTRATOR, council_id=council)),
        )
        for side, council in (("a", two.a), ("b", two.b))
    }
    teams, areas = {}, {}
    for side, admin in admins.items():
        made = admin.post("/api/v1/teams/", json={"name": "Adult safeguarding team"})
        assert made.status_code == 201, made.json
        teams[side] = made.json["id"]
        areas[side] = admin.post("/api/v1/areas/", json={"name": "Mendip"}).json["id"]
    twice = admins["a"].post("/api/v1/teams/", json={"name": "adult SAFEGUARDING team"})
    assert twice.status_code == 422 and "name" in twice.json["errors"]
    _each_sees_its_own(two, "/api/v1/teams/", teams)
    _each_sees_its_own(two, "/api/v1/areas/", areas)
    # another council's team or area is not on a case's list, nor on a user's
    case = _case(two.clients["manager_a"])
    ours = {"team_id": teams["a"], "locality_id": areas["a"]}
    for wrong in ({"team_id": teams["b"]}, {"locality_id": areas["b"]}):
        refused = two.clients["manager_a"].put(
            f"/api/v1/concerns/{case['id']}/team", json=ours | wrong
        )
        assert refused.status_code == 422 and set(refused.json["errors"]) == set(wrong)
    held = two.clients["manager_a"].put(
        f"/api/v1/concerns/{case['id']}/team",
        json={"team_id": teams["a"], "locality_id": areas["a"]},
    )
    assert held.status_code == 200, held.json
    # a council B manager joins B's team, never A's
    url = f"/api/v1/users/{two.users['manager_b']}"
    etag = admins["b"].get(url).headers["ETag"]
    joined = admins["b"].patch(url, json={"team_id": teams["a"]}, headers={"If-Match": etag})
    assert joined.status_code == 422 and "team_id" in joined.json["errors"]
    joined = admins["b"].patch(url, json={"team_id": teams["b"]}, headers={"If-Match": etag})
    assert joined.status_code == 200 and joined.json["team_id"] == teams["b"]
    intake = two.clients["manager_b"].post(
        "/api/v1/concerns/", json=concern_body(person=OLWEN, locality_id=areas["a"])
    )
    assert intake.status_code == 422 and "locality_id" in intake.json["errors"]
    # the migration: existing teams and areas are the instance's first council's
    with app.app_context():
        downgrade(revision="8c2d4e6f1a3b")
        upgrade()
        db.session.remove()
        for model in (Team, Locality):
            assert set(db.session.scalars(sa.select(model.council_id))) == {two.a}
            names = db.session.scalars(sa.select(model.name).order_by(model.id)).all()
            assert names[0] != names[1], "renamed apart while names were the instance's"


def _about(person_id: int) -> dict:
    """A new concern about the person of record ``person_id``."""
    return {k: v for k, v in concern_body(person_id=person_id).items() if k != "person"}


def test_another_councils_person_cannot_be_named_by_their_record_number(app, factory, clock):
    """A person known only to council B's cases is, to council A's staff, no record at all:
    not named by number in a new concern, as someone around a person or case, nor merged
    with; each answer is the one a missing record gets."""
    two = _two_councils(app, factory)
    a, b = two.clients["manager_a"], two.clients["manager_b"]
    theirs = _case(b, person=OLWEN)["person"]["id"]
    ours = _case(a, person=PERSON)
    ours_person, ours_case = ours["person"]["id"], ours["id"]
    missing = {"person_id": ["There is no person with this id"]}

    named = a.post("/api/v1/concerns/", json=_about(theirs))
    assert named.status_code == 422 and named.json["errors"] == missing, named.json
    assert a.get(f"/api/v1/people/{theirs}").status_code == 404
    related = a.post(
        f"/api/v1/people/{ours_person}/relationships",
        json={"kind": "household", "person_id": theirs},
    )
    assert related.status_code == 422, related.json
    assert "There is no person with this record number" in str(related.json["errors"])
    alleged = a.post(
        f"/api/v1/concerns/{ours_case}/alleged-people",
        json={"person_id": theirs, "relationship_kind": "household", "informed": "not_yet"},
    )
    assert alleged.status_code == 422, alleged.json
    assert "There is no person with this record number" in str(alleged.json["errors"])
    merged = a.post(
        f"/api/v1/people/{ours_person}/merge", json={"into_id": theirs, "reason": "Same person"}
    )
    assert merged.status_code == 422, merged.json
    # council B's own staff still may, and their person was not touched
    assert b.get(f"/api/v1/people/{theirs}").json["merged_into_id"] is None
    own = b.post("/api/v1/concerns/", json=_about(theirs))
    assert own.status_code == 201, own.json


def test_a_subject_access_export_holds_the_councils_own_records_only(app, factory, clock):
    """A person in cases of two councils (a partner's referral across the boundary): each
    council answers a subject access request with its own records, never the other's."""
    two = _two_councils(app, factory)
    a, b = two.clients["manager_a"], two.clients["manager_b"]
    ours = _case(a, person=PERSON)
    theirs = _case(b, person=OLWEN, description="Southshire's own account of the visit.")
    with app.app_context():  # the same person, as a cross-boundary referral makes it
        db.session.get(Concern, theirs["id"]).person_id = ours["person"]["id"]
        db.session.commit()
    made = _ask_for_records(a, ours["person"]["id"])
    assert made.status_code == 201, made.json
    produced = a.post(f"/api/v1/subject-access-requests/{made.json['id']}/produce")
    assert produced.status_code == 200, produced.json
    export = a.get(f"/api/v1/subject-access-requests/{made.json['id']}/export.json")
    assert [c["reference"] for c in export.json["concerns"]] == [ours["reference"]]
    assert "Southshire's own account" not in export.get_data(as_text=True)
