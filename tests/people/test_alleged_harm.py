"""The people around a case and the person alleged to have caused harm (issue 24 item 2;
issue 25 item 3; Dudley's plan 2.8 and 4.11): relationships between person records, read
from either side; the person alleged to have caused harm per concern, seen by the team
and agencies involved in full only, with their history across concerns for the team,
whether they were told, and the support offered for their own needs, counted for the
board without names."""

from __future__ import annotations

import html

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.auth.helpers import sign_in
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.meetings.helpers import build_world, record_concern
from tests.support.pages import page_errors

GARY = {"given_name": "Gary", "family_name": "Pike", "date_of_birth": "1979-06-14"}
NOT_TOLD = {"informed": "not_informed", "not_informed_reason": "It would put her at risk"}


def _involve(world, concern: int, agency: str, level: str) -> None:
    officer = world.clients["officer"]
    added = officer.post(
        f"/api/v1/concerns/{concern}/involvements",
        json={"agency_id": world.agencies[agency], "note": "Works with the family"},
    )
    assert added.status_code == 201, added.json
    if level != "full":
        changed = officer.patch(
            f"/api/v1/concerns/{concern}/involvements/{added.json['id']}",
            json={"level": level, "reason": "Its part in the case"},
        )
        assert changed.status_code == 200, changed.json


def _signed_in(app, email: str):
    client = app.test_client()
    sign_in(client, email, TEST_PASSWORD)
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def test_the_same_person_in_two_concerns_is_seen_by_the_team_and_no_one_less_involved(
    app, factory, auth
):
    """The same person alleged to have caused harm in two concerns shows 'named in 1
    other concern' to the team and nothing to a contributor agency; an implicated agency
    sees nothing of it; an agency involved in full reads them without the history."""
    world = build_world(app, factory)
    officer = world.clients["officer"]
    first = record_concern(world, child=False)
    second = record_concern(
        world,
        child=False,
        person={"given_name": "Joan", "family_name": "Reed", "date_of_birth": "1950-01-01"},
    )
    named = officer.post(
        f"/api/v1/concerns/{first}/alleged-people",
        json={"person": GARY, "relationship_kind": "partner"} | NOT_TOLD,
    )
    assert named.status_code == 201, named.json
    again = officer.post(
        f"/api/v1/concerns/{second}/alleged-people",
        json={
            "person": GARY,  # the same name and date of birth: the same record
            "relationship_kind": "carer",
            "informed": "informed",
            "informed_on": "2026-11-21",
            "has_care_needs": True,
            "support": "accepted",
        },
    )
    assert again.status_code == 201, again.json
    assert again.json["person_id"] == named.json["person_id"]
    assert again.json["other_concern_ids"] == [first]
    listed = officer.get(f"/api/v1/concerns/{first}/alleged-people").json
    assert [(a["person_name"], a["other_concern_ids"]) for a in listed] == [("Gary Pike", [second])]
    # his household: a child, shown from both sides and on the case page of the first
    gary = named.json["person_id"]
    person = officer.get(f"/api/v1/concerns/{first}").json["person"]["id"]
    link = officer.post(
        f"/api/v1/people/{person}/relationships",
        json={"person_id": gary, "kind": "partner"},
    )
    assert link.status_code == 201, link.json
    child = officer.post(
        f"/api/v1/people/{gary}/relationships",
        json={"other": {"given_name": "Tom", "family_name": "Pike"}, "kind": "parent"},
    )
    assert child.json["relationship"] == "Parent of", child.json
    toms = officer.get(f"/api/v1/people/{child.json['other_person_id']}/relationships").json
    assert [(r["relationship"], r["other_person_name"]) for r in toms] == [
        ("Child of", "Gary Pike")
    ]
    ended = officer.client.delete(
        f"/api/v1/people/{gary}/relationships/{child.json['id']}?reason=Moved+out",
        headers=officer.headers(),
    )
    assert ended.status_code == 204
    assert officer.get(f"/api/v1/people/{gary}/relationships").json[-1]["end_reason"] == "Moved out"
    assert [
        r["other_person_name"] for r in officer.get(f"/api/v1/concerns/{first}/relationships").json
    ] == ["Gary Pike"]

    auth.sign_in("officer@example.org")
    team_page = _page(auth.client, f"/concerns/{first}")
    assert "Named in 1 other concern:" in team_page
    assert f'href="/concerns/{second}"' in team_page
    assert "Not informed: It would put her at risk" in team_page
    assert "Partner of Gary Pike" in team_page  # the people around her
    person_page = _page(auth.client, f"/people/{gary}")
    assert "Named as alleged to have caused harm" in person_page
    assert "Parent of" in person_page and "Ended" in person_page

    # police: a contributor; housing: implicated; the NHS trust: involved in full
    _involve(world, first, "police", "contributor")
    _involve(world, first, "housing", "implicated")
    _involve(world, first, "nhs", "full")
    for agency in ("police", "housing"):
        client = world.clients[agency]
        assert client.get(f"/api/v1/concerns/{first}/alleged-people").status_code == 403
        assert client.get(f"/api/v1/concerns/{first}/relationships").status_code == 403
        assert (
            client.get(f"/api/v1/concerns/{first}/alleged-people/{named.json['id']}").status_code
            == 403
        )
        assert "Pike" not in str(client.get(f"/api/v1/concerns/{first}").json)
        assert "Pike" not in str(client.get(f"/api/v1/concerns/{first}/timeline").json)
        partner_page = _page(_signed_in(app, f"{agency}@example.org"), f"/concerns/{first}")
        assert "Pike" not in partner_page and "other concern" not in partner_page
        assert "alleged to have caused harm" not in partner_page
    full = world.clients["nhs"].get(f"/api/v1/concerns/{first}/alleged-people").json
    assert [(a["person_name"], a["other_concern_ids"]) for a in full] == [("Gary Pike", None)]
    nhs_page = _page(_signed_in(app, "nhs@example.org"), f"/concerns/{first}")
    assert "Gary Pike" in nhs_page and "other concern" not in nhs_page
    assert (
        world.clients["nhs"]
        .post(f"/api/v1/concerns/{first}/alleged-people", json={"person": GARY})
        .status_code
        == 403
    )


def test_whether_they_were_told_and_their_support_are_checked(app, factory, auth):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    concern = record_concern(world, child=False)
    url = f"/api/v1/concerns/{concern}/alleged-people"
    base = {"person": GARY, "relationship_kind": "household"}
    for body, field, message in (
        ({"informed": "informed"}, "informed_on", "Enter the day they were told of the concern"),
        ({"informed": "not_informed"}, "not_informed_reason", None),
        ({"informed_on": "2026-11-20"}, "informed_on", None),  # not yet decided: no day
        ({"informed": "informed", "informed_on": "2027-06-01"}, "informed_on", None),
        ({"has_care_needs": True}, "support", None),
        ({"has_care_needs": True, "support": "not_offered"}, "support_not_offered_reason", None),
        ({"has_care_needs": False, "support": "accepted"}, "support", None),
        ({"relationship_kind": "other"}, "relationship_detail", None),
    ):
        refused = officer.post(url, json=base | body)
        assert refused.status_code == 422, body
        assert field in refused.json["errors"], (body, refused.json)
        if message:
            assert refused.json["errors"][field] == [message]
    assert officer.get(url).json == [], "nothing saved"

    # the page says every problem, and saves nothing
    auth.sign_in("officer@example.org")
    page_url = f"/concerns/{concern}/alleged/new"
    refused = auth.client.post(
        page_url,
        data={
            "csrf_token": csrf_token(auth.client, page_url),
            "informed": "informed",
            "has_care_needs": "yes",
        },
    )
    title, summary, _ = page_errors(refused.get_data(as_text=True))
    assert title.startswith("Error:")
    assert "Select the relationship" in summary
    assert "Enter the day they were told of the concern" in summary
    assert "Select whether support was offered for their own needs" in summary
    assert any("first name" in problem for problem in summary), summary
    assert officer.get(url).json == []
    saved = auth.client.post(
        page_url,
        data={
            "csrf_token": csrf_token(auth.client, page_url),
            "given_name": "Gary",
            "family_name": "Pike",
            "relationship_kind": "household",
            "informed": "not_yet",
            "has_care_needs": "yes",
            "support": "offered",
        },
    )
    assert saved.status_code == 302, page_errors(saved.get_data(as_text=True))
    alleged = officer.get(url).json[0]
    # told later: a change needs the version read
    item = f"{url}/{alleged['id']}"
    etag = officer.get(item).headers["ETag"]
    told = officer.patch(
        item, json={"informed": "informed", "informed_on": "2026-11-22"}, headers={"If-Match": etag}
    )
    assert told.status_code == 200, told.json
    assert (told.json["informed"], told.json["support"]) == ("informed", "offered")
    gone = officer.client.delete(f"{item}?reason=Named+in+error", headers=officer.headers())
    assert gone.status_code == 204
    assert officer.get(url).json == []
    assert officer.get(item).status_code == 404


def test_the_board_reads_the_support_figures_without_names(app, factory, auth):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    for person, facts in (
        (GARY, {"has_care_needs": True, "support": "declined"}),
        (
            {"given_name": "Lee", "family_name": "Dunn"},
            {
                "has_care_needs": True,
                "support": "not_offered",
                "support_not_offered_reason": "In prison",
            },
        ),
        ({"given_name": "Ray", "family_name": "Moss"}, {"has_care_needs": False}),
    ):
        concern = record_concern(world, child=False)
        named = officer.post(
            f"/api/v1/concerns/{concern}/alleged-people",
            json={"person": person, "relationship_kind": "household"} | facts,
        )
        assert named.status_code == 201, named.json
    board = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.BOARD_MEMBER)))
    figures = board.get("/api/v1/dashboard?from=2026-11-01&to=2026-11-30").json
    assert figures["alleged_with_care_needs"] == {
        "named": 3,
        "care_needs": 2,
        "offered": 0,
        "accepted": 0,
        "declined": 1,
        "not_offered": 1,
        "not_recorded": 0,
    }
    auth.as_role(Role.BOARD_MEMBER)
    page = _page(
        auth.client,
        "/returns/dashboard?from-day=1&from-month=11&from-year=2026&to-day=30&to-month=11&to-year=2026",
    )
    assert "Adults who are alleged to have caused harm and need support" in page
    for name in ("Pike", "Dunn", "Moss", "In prison"):
        assert name not in page


def test_retention_takes_the_people_who_go_with_a_case_and_keeps_those_named_elsewhere(
    app_factory,
):
    """Purging a case takes its person alleged to have caused harm and their household
    known only through it; a person still named in another case stays, and so does the
    record of a household member related to someone staying."""
    import sqlalchemy as sa

    from core.extensions import db
    from core.people.models import AllegedPerson, Person, PersonRelationship
    from tests.safety.test_retention import Council, _at

    council = Council(app_factory())
    app, api = council.app, council.api
    old, old_id = council.case("Ada", received=_at(2010), closed=_at(2011))
    _, kept_id = council.case("Bea", received=_at(2025))
    alone = api.post(
        f"/api/v1/concerns/{old_id}/alleged-people",
        json={
            "person": {"given_name": "Carl", "family_name": "Moss"},
            "relationship_kind": "partner",
        },
    ).json
    both = api.post(
        f"/api/v1/concerns/{old_id}/alleged-people",
        json={"person": GARY, "relationship_kind": "household"},
    ).json
    again = api.post(
        f"/api/v1/concerns/{kept_id}/alleged-people",
        json={"person": GARY, "relationship_kind": "household"},
    ).json
    assert again["person_id"] == both["person_id"]
    child = api.post(
        f"/api/v1/people/{alone['person_id']}/relationships",
        json={"other": {"given_name": "Dot", "family_name": "Moss"}, "kind": "parent"},
    ).json
    api.post(
        f"/api/v1/people/{both['person_id']}/relationships",
        json={"other": {"given_name": "Eve", "family_name": "Pike"}, "kind": "partner"},
    )
    purged = app.test_cli_runner().invoke(args=["retention", "run"])
    assert purged.exit_code == 0 and old in purged.output, purged.output
    with app.app_context():
        assert db.session.get(Person, alone["person_id"]) is None
        assert db.session.get(Person, child["other_person_id"]) is None
        assert db.session.get(Person, both["person_id"]) is not None
        names = set(db.session.scalars(sa.select(Person.given_name)))
        assert {"Gary", "Eve", "Bea"} <= names and not names & {"Ada", "Carl", "Dot"}
        assert db.session.scalars(sa.select(AllegedPerson.concern_id)).all() == [kept_id]
        assert db.session.scalar(sa.select(sa.func.count(PersonRelationship.id))) == 1
        # a merge moves the relationships to the record kept; one between the two goes
        from core.auth.models import User
        from core.people import operations

        officer = db.session.get(User, council.officer_id)
        gary = db.session.get(Person, both["person_id"])
        twin = operations.create_person({"given_name": "Gary", "family_name": "Pike"})
        operations.add_relationship(twin, {"person_id": gary.id, "kind": "sibling"}, officer)
        operations.add_relationship(
            twin,
            {"other": {"given_name": "Fay", "family_name": "Pike"}, "kind": "sibling"},
            officer,
        )
        operations.merge_people(gary, twin, "The same man", officer)
        db.session.commit()
        around = [r.seen_from(gary.id) for r in operations.relationships_of(gary.id)]
        assert sorted((words, other.given_name) for words, other in around) == [
            ("Partner of", "Eve"),
            ("Sibling of", "Fay"),
        ]
