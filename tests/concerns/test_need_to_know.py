"""Need to know inside a case: the implicated provider (issue 19).

A care provider refers a concern about a resident; the source of risk is one of its own
staff ("Service Provider"). The provider is implicated at once: through the pages and
the API it reads only its own referral and the action it owns, never the decision,
notes, minutes, other agencies' actions or who else is involved; each refusal is
logged; the officer is told; and a change of level takes effect on the next request.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, schedule
from tests.support.clock import set_now

REFERRAL = "Resident says a night carer pulled her arm and shouted at her."
SECRET_DECISION = "Allegation against a named member of staff"
SECRET_NOTE = "Police to interview the night carer under caution"
SECRET_MINUTES = "Staff member suspended pending the police investigation"
POLICE_ACTION = "Interview staff member under caution"
OWN_ACTION = "Send the staff rota for November"


def _hold(officer: ApiClient, meeting: dict, actions: dict[int, str], due_on: str) -> None:
    """The officer records the meeting held, everyone there, with the secret minutes and
    an action for each agency given."""
    held = officer.post(
        f"/api/v1/meetings/{meeting['id']}/held",
        json={
            "outcomes": [
                {"invitation_id": i["id"], "outcome": "attended_in_person"}
                for i in meeting["invitations"]
            ],
            "minutes": SECRET_MINUTES,
            "actions": [
                {"description": text, "owner_agency_id": owner, "due_on": due_on}
                for owner, text in actions.items()
            ],
        },
    )
    assert held.status_code == 200, held.json


def _provider(app, factory) -> tuple[int, int, ApiClient]:
    """The care provider, and its manager's user and API client."""
    provider = factory.agency(name="Meadowbank Care Ltd", type="care_provider")
    carer_id = factory.user(
        role=Role.AGENCY_PRACTITIONER, email="manager@meadowbank.example", agency_id=provider
    )
    return provider, carer_id, ApiClient(app.test_client(), make_token(app, carer_id))


def _refer(carer: ApiClient, home: int, risk: str, description: str) -> int:
    """The provider's manager refers a concern about a resident of ``home``, the source
    of risk a service provider."""
    referred = carer.post(
        "/api/v1/concerns/",
        json={
            "received_at": "2026-11-20T10:15:00+00:00",
            "person": {"given_name": "Edna", "family_name": "Ward", "date_of_birth": "1938-04-01"},
            "types_of_risk": [risk],
            "location": "care_home_residential",
            "establishment_id": home,
            "source_of_risk": "service_provider",
            "description": description,
            "route": "email",
        },
    )
    assert referred.status_code == 201, referred.json
    return int(referred.json["id"])


def _scenario(app, factory):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    provider, carer_id, carer = _provider(app, factory)
    home = officer.post(
        "/api/v1/establishments/",
        json={
            "name": "Meadowbank House",
            "kind": "care_home_residential",
            "provider_agency_id": provider,
        },
    ).json
    concern_id = _refer(carer, home["id"], "physical", REFERRAL)
    officer.post(
        f"/api/v1/concerns/{concern_id}/decision",
        json={"decision": "section_42_enquiry", "reason": SECRET_DECISION},
    )
    officer.post(f"/api/v1/concerns/{concern_id}/notes", json={"text": SECRET_NOTE})
    officer.post(
        f"/api/v1/concerns/{concern_id}/involvements",
        json={"agency_id": world.agencies["police"], "note": "Criminal investigation"},
    )
    police = {"agency_id": world.agencies["police"], "reason": "Criminal investigation"}
    meeting = schedule(
        world, concern_id, "strategy_discussion", "2026-12-01T10:00:00+00:00", added=[police]
    )
    assert meeting.status_code == 201, meeting.json
    assert provider not in {i["agency_id"] for i in meeting.json["invitations"]}
    set_now(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    _hold(officer, meeting.json, {world.agencies["police"]: POLICE_ACTION}, "2026-12-04")
    plan = officer.post(
        "/api/v1/plans/", json={"concern_id": concern_id, "started_on": "2026-11-25"}
    )
    assert plan.status_code == 201, plan.json
    for owner, text in ((provider, OWN_ACTION), (world.agencies["police"], POLICE_ACTION)):
        added = officer.post(
            f"/api/v1/plans/{plan.json['id']}/actions",
            json={"description": text, "owner_agency_id": owner, "due_on": "2026-12-10"},
        )
        assert added.status_code == 201, added.json
    return world, provider, carer, carer_id, concern_id, meeting.json["id"], plan.json["id"]


def test_the_implicated_provider_reads_only_its_referral_and_its_own_action(app, factory, auth):
    world, provider, carer, carer_id, concern_id, meeting_id, plan_id = _scenario(app, factory)
    officer = world.clients["officer"]

    # implicated at once, and the officer is told so on the case page
    involvements = officer.get(f"/api/v1/concerns/{concern_id}").json["involvements"]
    own = next(i for i in involvements if i["agency_id"] == provider)
    assert own["level"] == "implicated" and "service provider" in own["level_reason"]
    auth.sign_in("officer@example.org")
    case_page = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Meadowbank Care Ltd is implicated" in case_page
    proposal = auth.client.get(f"/meetings/new?concern_id={concern_id}").get_data(as_text=True)
    kept_off = proposal[proposal.index("Meadowbank Care Ltd</strong> is not proposed") :]
    assert "Implicated in the case" in kept_off[: kept_off.index("</div>")]

    proposed = officer.get(
        f"/api/v1/meetings/proposal?type=strategy_discussion&concern_id={concern_id}"
    )
    assert proposed.status_code == 200, proposed.json
    assert provider not in {p["agency_id"] for p in proposed.json["invitees"]}
    [left_off] = [p for p in proposed.json["left_off"] if p["agency_id"] == provider]
    assert "Implicated in the case" in left_off["reason"]
    wrong = officer.get(f"/api/v1/meetings/proposal?type=no_such_type&concern_id={concern_id}")
    assert wrong.status_code == 422 and "type" in wrong.json["errors"]

    # the API
    concern = carer.get(f"/api/v1/concerns/{concern_id}")
    assert concern.status_code == 200
    assert concern.json["description"] == REFERRAL  # its own referral
    assert concern.json["decision"] is None and concern.json["decision_reason"] is None
    assert concern.json["involvements"] == []  # never told who else is involved
    for part in ("notes", "timeline", "supervisions", "body-map"):
        assert carer.get(f"/api/v1/concerns/{concern_id}/{part}").status_code == 403, part
    assert carer.get(f"/api/v1/meetings/{meeting_id}").status_code == 404
    assert carer.get("/api/v1/meetings/").json["items"] == []
    plan = carer.get(f"/api/v1/plans/{plan_id}").json
    assert [a["description"] for a in plan["actions"]] == [OWN_ACTION]
    assert plan["reviews"] == [] and plan["category_history"] == []
    assert plan["person_id"] is None and plan["started_on"] is None
    assert plan["next_review_due"] is None and plan["kind"] == "adult_safeguarding"
    assert officer.get(f"/api/v1/plans/{plan_id}").json["started_on"] == "2026-11-25"
    [listed_plan] = carer.get("/api/v1/plans/").json["items"]
    assert listed_plan["person_id"] is None
    assert carer.get(f"/api/v1/plans/{plan_id}/reviews").status_code == 403
    listed = carer.get("/api/v1/concerns/").json["items"]
    assert [c["decision_reason"] for c in listed] == [None]

    # the pages
    auth.sign_out()
    auth.sign_in("manager@meadowbank.example")
    page = auth.client.get(f"/concerns/{concern_id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert REFERRAL in text
    for secret in (SECRET_DECISION, SECRET_NOTE, SECRET_MINUTES, POLICE_ACTION):
        assert secret not in text, secret
    assert "Northshire Police" not in text and "Criminal investigation" not in text
    assert auth.client.get(f"/meetings/{meeting_id}").status_code == 404
    plan_page = auth.client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert OWN_ACTION in plan_page and POLICE_ACTION not in plan_page
    assert "Edna Ward" not in plan_page and "Next review due" not in plan_page
    plans_page = auth.client.get("/plans/").get_data(as_text=True)
    assert "Edna Ward" not in plans_page and "Your agency reads only its own actions" in plans_page
    export = auth.client.get("/concerns/export.csv").get_data(as_text=True)
    [row] = list(csv.DictReader(io.StringIO(export)))
    assert row["decision"] == "" and row["reference"] == concern.json["reference"]
    assert "Section 42" not in export

    # every refusal is in the access log
    with app.app_context():
        refused = set(
            db.session.scalars(
                sa.select(AccessLogEntry.action).where(
                    AccessLogEntry.user_id == carer_id, AccessLogEntry.outcome == "denied"
                )
            )
        )
    assert {"concern.notes", "concern.timeline", "plan.reviews", "meeting.view"} <= refused

    # the police, involved in full and invited, read the meeting's records
    police_view = world.clients["police"].get(f"/api/v1/meetings/{meeting_id}").json
    assert police_view["minutes"] == SECRET_MINUTES


def test_a_changed_level_takes_effect_on_the_next_request(app, factory):
    world, provider, carer, _, concern_id, _, _ = _scenario(app, factory)
    officer = world.clients["officer"]
    involvement = next(
        i
        for i in officer.get(f"/api/v1/concerns/{concern_id}").json["involvements"]
        if i["agency_id"] == provider
    )
    url = f"/api/v1/concerns/{concern_id}/involvements/{involvement['id']}"
    refused = officer.patch(url, json={"level": "everything", "reason": ""})
    assert refused.status_code == 422 and {"level", "reason"} <= set(refused.json["errors"])
    assert carer.patch(url, json={"level": "full", "reason": "Mine"}).status_code == 403
    changed = officer.patch(url, json={"level": "full", "reason": "The allegation is unfounded"})
    assert changed.status_code == 200 and changed.json["level"] == "full"
    notes = carer.get(f"/api/v1/concerns/{concern_id}/notes")
    assert notes.status_code == 200 and notes.json[0]["text"] == SECRET_NOTE
    again = officer.patch(url, json={"level": "contributor", "reason": "Its part only"})
    assert again.json["level"] == "contributor"
    assert carer.get(f"/api/v1/concerns/{concern_id}/notes").status_code == 403
    concern = carer.get(f"/api/v1/concerns/{concern_id}").json
    assert concern["description"] == REFERRAL and concern["decision"] is None
    assert {i["agency_id"] for i in concern["involvements"]} >= {provider}


def test_an_action_is_read_only_by_its_owner_and_the_team(app, factory, auth):
    """Item 8: the wording of a plan's or a meeting's action never reaches another agency,
    not even through the list of agencies involved."""
    world, _, _, _, concern_id, _, plan_id = _scenario(app, factory)
    officer = world.clients["officer"]
    officer.post(
        f"/api/v1/concerns/{concern_id}/involvements",
        json={"agency_id": world.agencies["nhs"], "note": "Treated the injury"},
    )
    nhs = world.clients["nhs"]
    concern = nhs.get(f"/api/v1/concerns/{concern_id}").json
    owners = [i for i in concern["involvements"] if i["reason"] == "action_owner"]
    assert owners and all(i["note"] is None for i in owners)
    assert OWN_ACTION not in str(concern) and POLICE_ACTION not in str(concern)
    assert nhs.get(f"/api/v1/plans/{plan_id}").json["actions"] == []
    auth.sign_in("nhs@example.org")
    page = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Treated the injury" in page  # its own involvement
    assert OWN_ACTION not in page and POLICE_ACTION not in page
    assert "Meadowbank Care Ltd" in page  # involved, at a level the team set


def _bruising_case(officer: ApiClient) -> int:
    """A case the officer records, with the police and the NHS to involve in it."""
    created = officer.post(
        "/api/v1/concerns/",
        json={
            "received_at": "2026-11-20T10:15:00+00:00",
            "person": {"given_name": "Ada", "family_name": "Moss", "date_of_birth": "1941-02-02"},
            "types_of_risk": ["physical"],
            "location": "own_home",
            "source_of_risk": "known",
            "description": "Bruising seen by the district nurse.",
            "route": "phone",
        },
    )
    assert created.status_code == 201, created.json
    return int(created.json["id"])


def test_a_restricted_note_shows_others_only_that_it_exists(app, factory, auth):
    """Item 3: a note written by the police for the police and the team; the NHS,
    involved in the same case, sees "Restricted entry, <date>, Northshire Police"."""
    world = build_world(app, factory)
    officer, police, nhs = (world.clients[n] for n in ("officer", "police", "nhs"))
    concern_id = _bruising_case(officer)
    for agency in ("police", "nhs"):
        officer.post(
            f"/api/v1/concerns/{concern_id}/involvements",
            json={"agency_id": world.agencies[agency], "note": "Working on the case"},
        )
    secret = "Intelligence links the son to two other assaults"
    refused = police.post(
        f"/api/v1/concerns/{concern_id}/notes",
        json={"text": secret, "reader_agency_ids": [world.agencies["nhs"]]},
    )
    assert refused.status_code == 422 and "restriction" in refused.json["errors"]
    written = police.post(
        f"/api/v1/concerns/{concern_id}/notes",
        json={"text": secret, "restriction": "police_sensitive"},
    )
    assert written.status_code == 201, written.json
    assert written.json["text"] == secret and written.json["readable"] is True

    [seen] = nhs.get(f"/api/v1/concerns/{concern_id}/notes").json
    assert seen["readable"] is False and seen["author_agency_name"] == "Northshire Police"
    assert seen["text"] is None and seen["author_name"] is None and seen["restriction"] is None
    assert secret not in str(nhs.get(f"/api/v1/concerns/{concern_id}/timeline").json)
    assert officer.get(f"/api/v1/concerns/{concern_id}/notes").json[0]["text"] == secret

    auth.sign_in("nhs@example.org")
    page = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Restricted entry, 23 November 2026, Northshire Police" in page
    assert secret not in page and "Police sensitive" not in page
    auth.sign_out()
    auth.sign_in("police@example.org")
    own = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert secret in own and "Police sensitive" in own
    # the note form offers as readers the agencies involved in the case, only they read it
    # (not every agency of the instance: thousands on a hosted service)
    uninvolved = factory.agency(name="Elsewhere Homes", type="housing")
    offered = {int(v) for v in _checkboxes(own, "reader_agency_ids")}
    assert offered == {world.agencies["police"], world.agencies["nhs"]}
    assert uninvolved not in offered

    shared = police.post(
        f"/api/v1/concerns/{concern_id}/notes",
        json={
            "text": "Safety plan shared with the ward",
            "restriction": "third_party",
            "reader_agency_ids": [world.agencies["nhs"]],
        },
    )
    assert shared.status_code == 201
    texts = [n["text"] for n in nhs.get(f"/api/v1/concerns/{concern_id}/notes").json]
    assert texts == ["Safety plan shared with the ward", None]


def test_a_confidential_part_of_the_minutes_is_for_the_agencies_named(app, factory, auth):
    """Item 2: a section of the minutes for named agencies only."""
    from tests.meetings.helpers import record_concern

    world = build_world(app, factory)
    officer, police, nhs = (world.clients[n] for n in ("officer", "police", "nhs"))
    concern_id = record_concern(world)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-01T10:00:00+00:00")
    invited = {i["agency_id"] for i in meeting.json["invitations"]}
    assert {world.agencies["police"], world.agencies["nhs"]} <= invited
    set_now(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    url = f"/api/v1/meetings/{meeting.json['id']}/held"
    outcomes = [
        {"invitation_id": i["id"], "outcome": "attended_in_person"}
        for i in meeting.json["invitations"]
    ]
    refused = officer.post(
        url, json={"outcomes": outcomes, "confidential_agency_ids": [world.agencies["police"]]}
    )
    assert refused.status_code == 422 and "confidential_minutes" in refused.json["errors"]
    held = officer.post(
        url,
        json={
            "outcomes": outcomes,
            "minutes": "Agreed a section 47 enquiry.",
            "confidential_minutes": "An informant has named the uncle.",
            "confidential_agency_ids": [world.agencies["police"]],
        },
    )
    assert held.status_code == 200, held.json
    assert held.json["confidential_minutes"] == "An informant has named the uncle."
    seen_by_police = police.get(f"/api/v1/meetings/{meeting.json['id']}").json
    assert seen_by_police["confidential_minutes"] == "An informant has named the uncle."
    seen_by_nhs = nhs.get(f"/api/v1/meetings/{meeting.json['id']}").json
    assert seen_by_nhs["minutes"] == "Agreed a section 47 enquiry."
    assert seen_by_nhs["confidential_minutes"] is None
    assert seen_by_nhs["confidential_agency_ids"] == []
    auth.sign_in("officer@example.org")
    page = auth.client.get(f"/meetings/{meeting.json['id']}").get_data(as_text=True)
    assert "An informant has named the uncle." in page and "Northshire Police" in page
    # the record page offers the meeting's invitees to read the confidential part
    other = schedule(world, concern_id, "strategy_discussion", "2026-12-02T10:00:00+00:00")
    factory.agency(name="Elsewhere Homes", type="housing")
    form = auth.client.get(f"/meetings/{other.json['id']}/record").get_data(as_text=True)
    offered = {int(v) for v in _checkboxes(form, "confidential_agency_ids")}
    assert offered == {i["agency_id"] for i in other.json["invitations"]}


def _checkboxes(page: str, name: str) -> list[str]:
    """The values of the checkboxes called ``name`` on a page."""
    inputs = re.findall(r"<input[^>]*>", page)
    return [
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in inputs
        if f'name="{name}"' in tag and 'type="checkbox"' in tag
    ]


INVESTIGATION = {
    "crime_reference": "NP/26/012345",
    "officer_in_charge": "DC Priya Shah 4471",
    "offence_category": "violence",
    "reported_on": "2026-11-18",
    "status": "reported",
    "status_on": "2026-11-18",
}


def test_a_restricted_form_shows_others_on_the_case_only_that_it_exists(app, factory, auth):
    """Item 3, for agency forms: the police's investigation form, marked police
    sensitive, is read by the police and the team (and, once shared, the NHS); the NHS
    and a contributor see "Restricted entry, <date>, Northshire Police" on the case page
    and through the API, nothing more; an implicated agency is told nothing of it."""
    world = build_world(app, factory)
    officer, police, nhs = (world.clients[n] for n in ("officer", "police", "nhs"))
    concern_id = _bruising_case(officer)
    involved = {}
    for agency in ("police", "nhs", "housing"):
        involved[agency] = officer.post(
            f"/api/v1/concerns/{concern_id}/involvements",
            json={"agency_id": world.agencies[agency], "note": "Working on the case"},
        ).json["id"]
    forms = "/api/v1/forms/police.investigation/submissions"
    body = {"subject_id": concern_id, "data": INVESTIGATION}
    wrong = police.post(forms, json=body | {"restriction": "secret"})
    assert wrong.status_code == 422 and "restriction" in wrong.json["errors"]
    written = police.post(forms, json=body | {"restriction": "police_sensitive"})
    assert written.status_code == 201, written.json
    assert written.json["restriction"] == "police_sensitive"
    submission = written.json["id"]

    [entry] = nhs.get(f"/api/v1/forms/cases/{concern_id}").json
    assert entry["readable"] is False and entry["agency_name"] == "Northshire Police"
    assert entry["id"] is None and entry["title"] is None and entry["restriction"] is None
    assert nhs.get(f"{forms}/{submission}").status_code == 404
    [own] = police.get(f"/api/v1/forms/cases/{concern_id}").json
    assert own["readable"] is True and own["id"] == submission
    assert own["restriction"] == "police_sensitive"
    [team] = officer.get(f"/api/v1/forms/cases/{concern_id}").json
    assert team["readable"] is True

    auth.sign_in("nhs@example.org")
    page = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Restricted entry" in page and "23 November 2026, Northshire Police" in page
    assert "NP/26/012345" not in page and "Police sensitive" not in page
    auth.sign_out()

    # a contributor is told it exists; an implicated agency is told nothing
    for agency, level in (("nhs", "contributor"), ("housing", "implicated")):
        changed = officer.patch(
            f"/api/v1/concerns/{concern_id}/involvements/{involved[agency]}",
            json={"level": level, "reason": "Need to know"},
        )
        assert changed.status_code == 200, changed.json
    assert [e["readable"] for e in nhs.get(f"/api/v1/forms/cases/{concern_id}").json] == [False]
    assert world.clients["housing"].get(f"/api/v1/forms/cases/{concern_id}").json == []

    # shared with the NHS, it reads it; the restriction is lifted through the page
    shared = police.post(f"{forms}/{submission}/shares", json={"agency_id": world.agencies["nhs"]})
    assert shared.status_code == 201
    [now_read] = nhs.get(f"/api/v1/forms/cases/{concern_id}").json
    assert now_read["readable"] is True and now_read["restriction"] == "police_sensitive"
    auth.sign_in("police@example.org")
    edit = auth.client.get(f"/forms/submissions/{submission}/edit").get_data(as_text=True)
    assert 'name="restriction"' in edit
    lifted = auth.client.post(
        f"/forms/submissions/{submission}/edit",
        data={
            "csrf_token": csrf_token(auth.client, f"/forms/submissions/{submission}/edit"),
            "base_version": "1",
            "restriction": "",
            "crime_reference": "NP/26/012345",
            "officer_in_charge": "DC Priya Shah 4471",
            "offence_category": "violence",
            "reported_on": ["18", "11", "2026"],
            "status": "reported",
            "status_on": ["18", "11", "2026"],
        },
    )
    assert lifted.status_code == 302, lifted.get_data(as_text=True)
    shown = auth.client.get(f"/forms/submissions/{submission}").get_data(as_text=True)
    assert "Restriction: Restricted: Police sensitive → Not restricted" in shown
    assert police.get(f"{forms}/{submission}").json["restriction"] is None
    etag = police.get(f"{forms}/{submission}").headers["ETag"]
    unchanged = police.client.put(
        f"{forms}/{submission}",
        json={"data": INVESTIGATION},
        headers=police.headers({"If-Match": etag}),
    )
    assert unchanged.status_code == 422  # nothing changed: the restriction stays open
    restricted = police.client.put(
        f"{forms}/{submission}",
        json={"data": INVESTIGATION, "restriction": "third_party"},
        headers=police.headers({"If-Match": etag}),
    )
    assert restricted.status_code == 200, restricted.json
    assert restricted.json["restriction"] == "third_party" and restricted.json["version"] == 3


def _provider_involvement(officer: ApiClient, concern_id: int, provider: int) -> dict:
    involvements = officer.get(f"/api/v1/concerns/{concern_id}").json["involvements"]
    return next(i for i in involvements if i["agency_id"] == provider)


def test_a_level_the_team_set_outlives_the_agencys_lapsed_involvements(app, factory):
    """The team narrows the implicated provider's view to its part; its involvement ends
    and it is involved again: it comes back at the level the team set, not in full and
    not at the level the concern would give a newcomer."""
    world, provider, carer, _, concern_id, _, _ = _scenario(app, factory)
    officer = world.clients["officer"]
    referral = _provider_involvement(officer, concern_id, provider)
    url = f"/api/v1/concerns/{concern_id}/involvements"
    changed = officer.patch(
        f"{url}/{referral['id']}", json={"level": "contributor", "reason": "Its part only"}
    )
    assert changed.status_code == 200, changed.json
    for involvement in officer.get(f"/api/v1/concerns/{concern_id}").json["involvements"]:
        if involvement["agency_id"] == provider:
            ended = officer.delete(f"{url}/{involvement['id']}?reason=Work done")
            assert ended.status_code == 204
    assert carer.get(f"/api/v1/concerns/{concern_id}").status_code == 404
    again = officer.post(url, json={"agency_id": provider, "note": "Rota for the review"})
    assert again.status_code == 201, again.json
    assert (again.json["level"], again.json["level_reason"]) == ("contributor", "Its part only")
    assert carer.get(f"/api/v1/concerns/{concern_id}/notes").status_code == 403
    assert carer.get(f"/api/v1/concerns/{concern_id}").json["description"] == REFERRAL


def test_a_provider_referring_about_another_providers_home_is_not_implicated(app, factory):
    """The source of risk is the provider of the home named, which is not a partner
    agency here: the referring provider, which runs homes of its own, is not that
    provider and is involved in full."""
    world = build_world(app, factory)
    officer = world.clients["officer"]
    provider, _, carer = _provider(app, factory)
    homes = [
        officer.post(
            "/api/v1/establishments/",
            json={"name": name, "kind": "care_home_residential", **owner},
        ).json["id"]
        for name, owner in (
            ("Meadowbank House", {"provider_agency_id": provider}),
            ("Oak Lodge", {}),
        )
    ]
    moved = "A resident moved to us from Oak Lodge with untreated pressure sores."
    concern_id = _refer(carer, homes[1], "neglect", moved)
    assert _provider_involvement(officer, concern_id, provider)["level"] == "full"
    assert carer.get(f"/api/v1/concerns/{concern_id}/timeline").status_code == 200


def test_the_implicated_provider_invited_to_a_meeting_sees_it_and_only_its_own_part(
    app, factory, auth
):
    """An officer asks the implicated provider to a meeting of its own: the meeting is on
    its case page and in its list, with its own invitation and the action it owns; the
    minutes, the other agencies and their actions stay with the team."""
    world, provider, carer, _, concern_id, first_meeting, _ = _scenario(app, factory)
    officer, police = world.clients["officer"], world.agencies["police"]
    invited = [
        {"agency_id": provider, "reason": "Provider's own review"},
        {"agency_id": police, "reason": "Criminal investigation"},
    ]
    meeting = schedule(
        world, concern_id, "strategy_discussion", "2026-12-02T14:00:00+00:00", added=invited
    )
    assert meeting.status_code == 201, meeting.json
    meeting_id = meeting.json["id"]
    set_now(datetime(2026, 12, 2, 16, 0, tzinfo=UTC))
    _hold(officer, meeting.json, {provider: OWN_ACTION, police: POLICE_ACTION}, "2026-12-09")

    assert [m["id"] for m in carer.get("/api/v1/meetings/").json["items"]] == [meeting_id]
    shown = carer.get(f"/api/v1/meetings/{meeting_id}").json
    assert shown["minutes"] is None and shown["attendees"] == [] and shown["decisions"] == []
    assert {i["agency_id"] for i in shown["invitations"]} == {provider}
    assert [a["description"] for a in shown["actions"]] == [OWN_ACTION]
    assert carer.get(f"/api/v1/meetings/{first_meeting}").status_code == 404

    auth.sign_in("manager@meadowbank.example")
    page = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert f"/meetings/{meeting_id}" in page and f'/meetings/{first_meeting}"' not in page
    for secret in (SECRET_MINUTES, POLICE_ACTION, "Northshire Police", "Criminal investigation"):
        assert secret not in page, secret
