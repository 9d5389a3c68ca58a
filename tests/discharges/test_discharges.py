"""Out-of-hours hospital discharges (issue 25, item 6; Newport Emergency Duty Service
plan, action 6: "Monitoring of 'out of hours' hospital discharges"): a trust notifies a
discharge with no concern; out of hours is worked out from the time by the council's
core hours; the safeguarding team records the follow-up; a monthly report lists them
for the team and counts them for the board; no other agency reads them."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, record_concern
from tests.support.pages import page_errors

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # Monday 23 November 2026, noon
PERSON = {"given_name": "Arthur", "family_name": "Penrose", "date_of_birth": "1939-05-14"}


def discharge(at: str, **overrides: object) -> dict[str, object]:
    return {
        "person": PERSON,
        "discharged_at": at,
        "discharged_from": "Northshire General, Ward 7",
        "discharged_to": "Own home",
        "care_in_place": False,
    } | overrides


def test_a_discharge_with_no_concern_is_accepted_and_out_of_hours_is_worked_out(
    app, factory, clock
):
    clock.set(NOW)
    world = build_world(app, factory)
    nhs = world.clients["nhs"]
    # November is GMT: UK time is UTC
    times = {
        "2026-11-20T19:30:00+00:00": True,  # a Friday evening
        "2026-11-20T14:15:00+00:00": False,  # a Friday afternoon
        "2026-11-21T11:00:00+00:00": True,  # a Saturday morning
        "2026-08-31T10:00:00+00:00": True,  # 11:00 BST on the summer bank holiday (Monday)
        "2026-12-25T12:00:00+00:00": None,  # the future: refused
    }
    for at, out_of_hours in times.items():
        made = nhs.post("/api/v1/discharges/", json=discharge(at))
        if out_of_hours is None:
            assert made.status_code == 422
            assert made.json["errors"] == {
                "discharged_at": ["The date and time of the discharge must be now or in the past"]
            }
            continue
        assert made.status_code == 201, made.json
        assert made.json["out_of_hours"] is out_of_hours, at
        assert made.json["followed_up"] is False and made.json["concern_id"] is None
        assert made.json["person"]["family_name"] == "Penrose"
    # out of hours is never typed
    typed = nhs.post(
        "/api/v1/discharges/", json=discharge("2026-11-20T14:15:00+00:00", out_of_hours=True)
    )
    assert typed.status_code == 422 and "out_of_hours" in typed.json["errors"]
    # every problem at once, the person's with the discharge's
    wrong = nhs.post(
        "/api/v1/discharges/",
        json=discharge(
            "2026-11-20T14:15:00+00:00",
            person={"given_name": "Arthur", "family_name": " ", "nhs_number": "123"},
            discharged_to=" ",
        ),
    )
    assert wrong.status_code == 422
    assert set(wrong.json["errors"]) >= {"family_name", "nhs_number", "discharged_to"}
    # only a trust notifies
    assert (
        world.clients["police"]
        .post("/api/v1/discharges/", json=discharge("2026-11-20T14:15:00+00:00"))
        .status_code
        == 403
    )


def test_the_trust_notifies_on_a_page_and_reads_only_its_own(app, factory, auth, clock):
    clock.set(NOW)
    world = build_world(app, factory)
    auth.sign_in("nhs@example.org")
    url = "/discharges/new"
    refused = auth.client.post(url, data={"csrf_token": csrf_token(auth.client, url)})
    title, summary, _ = page_errors(refused.get_data(as_text=True))
    assert title.startswith("Error:")
    assert "Enter the person's first name" in summary
    assert "Enter the time of the discharge" in summary
    posted = auth.client.post(
        url,
        data={
            "csrf_token": csrf_token(auth.client, url),
            "given_name": "Mabel",
            "family_name": "Quirke",
            "discharged_on": ["21", "11", "2026"],
            "discharged_time": "22:40",
            "discharged_from": "Northshire General, Ward 3",
            "discharged_to": "Her daughter's home",
            "care_in_place": "no",
        },
    )
    assert posted.status_code == 302, posted.get_data(as_text=True)
    shown = html.unescape(auth.client.get(posted.headers["Location"]).get_data(as_text=True))
    assert "Discharge notified: out of hours." in shown
    assert "Saturday 21 November 2026 at 22:40" in shown and "Mabel Quirke" in shown
    discharge_id = int(posted.headers["Location"].rsplit("/", 1)[1])
    assert world.clients["nhs"].get(f"/api/v1/discharges/{discharge_id}").status_code == 200
    # another trust's user of the same role, and other agencies, read none of it
    other_trust = factory.agency(name="Southshire NHS Trust", type="nhs_trust")
    other = ApiClient(
        app.test_client(),
        make_token(app, factory.user(role=Role.AGENCY_PRACTITIONER, agency_id=other_trust)),
    )
    for reader in (other, world.clients["police"], world.clients["housing"]):
        assert reader.get(f"/api/v1/discharges/{discharge_id}").status_code == 404
        assert reader.get("/api/v1/discharges/").json["items"] == []
    board = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.BOARD_MEMBER)))
    assert board.get(f"/api/v1/discharges/{discharge_id}").status_code == 404
    assert board.get("/api/v1/discharges/").status_code == 403


def test_the_team_records_the_follow_up_with_validation_and_links_the_concern(
    app, factory, auth, clock
):
    clock.set(NOW)
    world = build_world(app, factory)
    officer = world.clients["officer"]
    made = (
        world.clients["nhs"]
        .post("/api/v1/discharges/", json=discharge("2026-11-20T19:30:00+00:00"))
        .json
    )
    url = f"/api/v1/discharges/{made['id']}/follow-up"
    etag = officer.get(f"/api/v1/discharges/{made['id']}").headers["ETag"]
    # waiting on the team's home page, the count the list behind its link gives
    task = next(t for t in officer.get("/api/v1/me/work").json if t["key"] == "discharges")
    assert task["count"] == 1 and task["link"] == "/discharges/?waiting=true"
    assert officer.get("/api/v1/discharges/?waiting=true").json["total"] == 1
    follow = {
        "followed_up_by": "Sam Patel, Emergency Duty Team",
        "followed_up_at": "2026-11-20T21:00:00+00:00",
        "follow_up_action": "Rang him at home: no carer had arrived; arranged a visit.",
        "concern_raised": False,
    }
    assert officer.put(url, json=follow).status_code == 428  # If-Match
    early = officer.put(
        url,
        json=follow | {"followed_up_at": "2026-11-20T18:00:00+00:00"},
        headers={"If-Match": etag},
    )
    assert early.json["errors"] == {"followed_up_at": ["The follow-up must be after the discharge"]}
    stray = officer.put(
        url, json=follow | {"concern_reference": "SG-2026-00001"}, headers={"If-Match": etag}
    )
    assert stray.json["errors"] == {
        "concern_reference": ["Give a concern only when a concern was raised"]
    }
    done = officer.put(url, json=follow, headers={"If-Match": etag})
    assert done.status_code == 200, done.json
    assert done.json["hours_to_follow_up"] == 1.5 and done.json["followed_up"] is True
    assert officer.get("/api/v1/discharges/?waiting=true").json["total"] == 0
    # a concern raised later about someone else is refused; about the same record, linked
    other = record_concern(world, child=False)
    reference = officer.get(f"/api/v1/concerns/{other}").json["reference"]
    etag = done.headers["ETag"]
    raised = follow | {"concern_raised": True, "concern_reference": reference}
    wrong = officer.put(url, json=raised, headers={"If-Match": etag})
    assert "is about someone else" in wrong.json["errors"]["concern_reference"][0]
    same = record_concern(world, child=False, person=None, person_id=made["person"]["id"])
    reference = officer.get(f"/api/v1/concerns/{same}").json["reference"]
    linked = officer.put(
        url, json=raised | {"concern_reference": reference}, headers={"If-Match": etag}
    )
    assert linked.status_code == 200, linked.json
    assert linked.json["concern_id"] == same and linked.json["concern_reference"] == reference
    timeline = officer.get(f"/api/v1/concerns/{same}/timeline").json
    assert any("Hospital discharge of 20 November 2026 at 19:30" in e["summary"] for e in timeline)
    # the trust cannot record a follow-up
    assert world.clients["nhs"].put(url, json=follow, headers={"If-Match": etag}).status_code == 403

    # the page says what is missing
    auth.sign_in("officer@example.org")
    # the same person notified again: a new record, which the team is offered to merge
    again = (
        world.clients["nhs"]
        .post("/api/v1/discharges/", json=discharge("2026-11-22T20:00:00+00:00"))
        .json
    )
    shown = html.unescape(auth.client.get(f"/discharges/{again['id']}").get_data(as_text=True))
    assert "Other records that may be this person" in shown
    assert f"/people/{made['person']['id']}" in shown
    person_page = html.unescape(
        auth.client.get(f"/people/{made['person']['id']}").get_data(as_text=True)
    )
    assert "Discharged 20 November 2026 at 19:30</a> (out of hours): followed up" in person_page
    page_url = f"/discharges/{made['id']}/follow-up"
    refused = auth.client.post(
        page_url,
        data={"csrf_token": csrf_token(auth.client, page_url), "followed_up_time": "25:00"},
    )
    title, summary, _ = page_errors(refused.get_data(as_text=True))
    assert title.startswith("Error:")
    assert "Enter who followed it up" in summary
    assert "Enter the time as hours and minutes, like 14:30" in summary


def test_the_monthly_report_lists_for_the_team_and_counts_for_the_board(app, factory, auth, clock):
    clock.set(NOW)
    world = build_world(app, factory)
    nhs, officer = world.clients["nhs"], world.clients["officer"]
    evening = nhs.post("/api/v1/discharges/", json=discharge("2026-11-20T19:30:00+00:00")).json
    nhs.post("/api/v1/discharges/", json=discharge("2026-11-20T14:15:00+00:00"))
    nhs.post("/api/v1/discharges/", json=discharge("2026-10-31T23:30:00+00:00"))  # October
    etag = officer.get(f"/api/v1/discharges/{evening['id']}").headers["ETag"]
    officer.put(
        f"/api/v1/discharges/{evening['id']}/follow-up",
        json={
            "followed_up_by": "Sam Patel",
            "followed_up_at": "2026-11-21T09:30:00+00:00",
            "follow_up_action": "Visited.",
            "concern_raised": True,
        },
        headers={"If-Match": etag},
    )
    report = officer.get("/api/v1/discharges/monitoring?month=2026-11").json
    assert report["counts"] == {
        "discharges": 2,
        "out_of_hours": 1,
        "without_care": 2,
        "followed_up": 1,
        "awaiting_follow_up": 1,
        "out_of_hours_awaiting": 0,
        "concerns_raised": 1,
    }
    assert report["median_hours_to_follow_up"] == 14.0
    assert [d["hours_to_follow_up"] for d in report["discharges"]] == [None, 14.0]
    assert officer.get("/api/v1/discharges/monitoring?month=2026-13").status_code == 422

    board = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.BOARD_MEMBER)))
    figures = board.get("/api/v1/discharges/monitoring?month=2026-11").json
    assert figures["counts"] == report["counts"] and figures["discharges"] is None
    assert world.clients["nhs"].get("/api/v1/discharges/monitoring").status_code == 403

    auth.sign_in("officer@example.org")
    returns = auth.client.get("/returns/").get_data(as_text=True)
    assert "/discharges/monitoring" in returns
    page = auth.client.get("/discharges/monitoring?month-month=11&month-year=2026")
    text = html.unescape(page.get_data(as_text=True))
    assert "Hospital discharge monitoring: November 2026" in text and "Penrose" in text
    wrong = auth.client.get("/discharges/monitoring?month-month=13&month-year=2026")
    assert wrong.status_code == 400
    assert page_errors(wrong.get_data(as_text=True))[1] == [
        "Enter a real month and year, like 11 2026"
    ]
    auth.sign_out()
    auth.as_role(Role.BOARD_MEMBER)
    board_page = auth.client.get("/discharges/monitoring?month-month=11&month-year=2026")
    text = html.unescape(board_page.get_data(as_text=True))
    assert board_page.status_code == 200 and "Figures only: no person is named." in text
    assert "Penrose" not in text


def _trust_client(council):
    """An NHS trust practitioner's API client, beside the council of the retention tests."""
    app = council.app
    trust = council.factory.agency(name="Northshire NHS Trust", type="nhs_trust")
    user = council.factory.user(role=Role.AGENCY_PRACTITIONER, agency_id=trust)
    return ApiClient(app.test_client(), make_token(app, user))


def test_a_discharge_is_kept_six_years_and_its_person_goes_with_it(app_factory):
    """Retention (``discharge_years_after``, 6): a discharge notification is purged the
    year after its last day with its follow-up, and the person's record with it when
    nothing else refers to it; a child's is kept to the 25th birthday; one linked to a
    kept case is kept with the case, and one linked to a case purged goes with it. The dry
    run lists exactly what the run purges, and each purge leaves a tombstone."""
    import sqlalchemy as sa

    from core.accesslog.models import AccessLogEntry
    from core.auth.models import User
    from core.concerns.models import Concern
    from core.discharges.models import HospitalDischarge
    from core.extensions import db
    from core.people.models import Person, PersonRelationship
    from tests.safety.test_retention import TODAY, Council, _at
    from tests.support.clock import set_now

    council = Council(app_factory())
    app = council.app
    nhs = _trust_client(council)

    def notified(name, at, born="1950-05-14"):
        person = {"given_name": name, "family_name": "Penrose", "date_of_birth": born}
        made = nhs.post("/api/v1/discharges/", json=discharge(at.isoformat(), person=person))
        assert made.status_code == 201, made.json
        return made.json["id"], made.json["person"]["id"]

    due, due_person = notified("Ann", _at(2020, 11, 22))  # kept until 22 November 2026
    kept, _ = notified("Bea", _at(2020, 11, 23))  # its last day is today
    child, _ = notified("Cal", _at(2015), born="2005-03-01")  # to 1 March 2030
    linked, linked_person = notified("Dot", _at(2012))
    _, open_case = council.open_case("Dot", received=_at(2012, 2))
    with_case, with_case_person = notified("Eli", _at(2013))
    old_case_ref, old_case = council.case("Fay", received=_at(2010), closed=_at(2011))
    goes_with_case, _ = notified("Fay", _at(2010, 1, 5))
    related, related_person = notified("Gus", _at(2018))
    with app.app_context():
        db.session.get(HospitalDischarge, linked).concern_id = open_case
        db.session.get(HospitalDischarge, goes_with_case).concern_id = old_case
        # Eli also has a case of his own: his record stays when his discharge goes
        db.session.get(Concern, open_case).person_id = with_case_person
        # Gus is Dot's carer, named around her case: his record stays with it
        db.session.add(
            PersonRelationship(person_id=related_person, other_id=linked_person, kind="carer")
        )
        db.session.commit()
    set_now(TODAY)

    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    listed = sorted(line.split("\t")[1] for line in dry.output.splitlines() if "\t" in line)
    going = (due, with_case, goes_with_case, related)
    expected = sorted([old_case_ref] + [f"discharge {i}" for i in going])
    assert listed == expected, dry.output
    assert "4 hospital discharge(s) past retention would be purged." in dry.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(HospitalDischarge)) == 7

    run = runner.invoke(args=["retention", "run"])
    assert run.exit_code == 0, run.output
    assert (
        sorted(line.split("\t")[1] for line in run.output.splitlines() if "\t" in line) == expected
    )
    with app.app_context():
        left = set(db.session.scalars(sa.select(HospitalDischarge.id)))
        assert left == {kept, child, linked}
        names = set(db.session.scalars(sa.select(Person.given_name)))
        # Ann's and Fay's records went with their discharges (and Fay's case); Eli's,
        # Dot's and Gus's stay (a case, a discharge kept, named around a case)
        assert {"Ann", "Fay"}.isdisjoint(names) and {"Bea", "Cal", "Dot", "Eli", "Gus"} <= names
        assert db.session.get(Person, due_person) is None
        assert db.session.get(Person, linked_person) is not None
        assert db.session.get(Person, related_person) is not None
        tombstones = db.session.scalars(
            sa.select(AccessLogEntry).where(
                AccessLogEntry.action == "retention.purge",
                AccessLogEntry.object_type == "discharge",
            )
        ).all()
        assert sorted(int(t.object_id) for t in tombstones) == sorted(going)
        assert db.session.get(User, council.officer_id) is not None
    assert runner.invoke(args=["access-log", "verify"]).exit_code == 0
    again = runner.invoke(args=["retention", "run", "--dry-run"])
    assert "0 hospital discharge(s) past retention would be purged." in again.output


def test_a_merge_moves_the_discharge_to_the_record_kept(app_factory):
    import sqlalchemy as sa

    from core.auth.models import User
    from core.discharges.models import HospitalDischarge
    from core.extensions import db
    from core.people.operations import create_person, merge_people
    from tests.safety.test_retention import Council

    council = Council(app_factory())
    app = council.app
    nhs = _trust_client(council)
    made = nhs.post("/api/v1/discharges/", json=discharge("2026-11-20T19:30:00+00:00"))
    assert made.status_code == 201, made.json
    with app.app_context():
        kept = db.session.get(HospitalDischarge, made.json["id"])
        other = create_person({"given_name": "Arthur", "family_name": "Penrose"})
        officer = db.session.get(User, council.officer_id)
        merge_people(other, kept.person, "The same person", officer)
        db.session.commit()
        assert db.session.scalars(sa.select(HospitalDischarge)).one().person_id == other.id


def test_a_person_named_by_a_table_retention_does_not_know_stays(app_factory):
    """A plugin's own table naming the person (no hook deletes it for a discharge): the
    discharge is purged and the person's record kept, without failing the run."""
    import sqlalchemy as sa

    from core.discharges.models import HospitalDischarge
    from core.extensions import db
    from core.people.models import Person
    from tests.safety.test_retention import TODAY, Council, _at
    from tests.support.clock import set_now

    council = Council(app_factory())
    app = council.app
    nhs = _trust_client(council)
    made = nhs.post("/api/v1/discharges/", json=discharge(_at(2019).isoformat()))
    assert made.status_code == 201, made.json
    person_id = made.json["person"]["id"]
    set_now(TODAY)
    with app.app_context():
        db.session.execute(
            sa.text(
                "CREATE TABLE visits_of_a_plugin (id INTEGER PRIMARY KEY, "
                "person_id INTEGER NOT NULL REFERENCES people (id))"
            )
        )
        visit = sa.text("INSERT INTO visits_of_a_plugin VALUES (1, :person)")
        db.session.execute(visit, {"person": person_id})
        db.session.commit()
    try:
        run = app.test_cli_runner().invoke(args=["retention", "run"])
        assert run.exit_code == 0, run.output
        assert "1 hospital discharge(s) past retention purged." in run.output
        with app.app_context():
            assert db.session.get(HospitalDischarge, made.json["id"]) is None
            assert db.session.get(Person, person_id) is not None
    finally:
        with app.app_context():
            db.session.execute(sa.text("DROP TABLE visits_of_a_plugin"))
            db.session.commit()
