"""A child's case as Working Together 2023 and the CIN census define it: the referral's
source, the assessment and its 45-working-day clock, the strategy discussion that starts
the section 47 enquiry, the conference and its plan, child in need plans, and closure with
the census reason; through the API and the pages. A child's whole journey, recorded
through the API, makes a census file the DfE's validator accepts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

import pytest

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.auth.helpers import sign_in
from tests.conftest import TEST_PASSWORD, csrf_token
from tests.meetings.helpers import World, build_world, record_concern, schedule
from tests.plans.test_plans import _hold
from tests.support.cin_validator import validate
from tests.support.clock import set_now

RECEIVED = "2026-11-20T10:15:00+00:00"  # a Friday (record_concern's default)


@pytest.fixture
def world(app, factory) -> World:
    world = build_world(app, factory)
    manager = factory.user(
        role=Role.SAFEGUARDING_MANAGER,
        email="manager@example.org",
        agency_id=world.agencies["council"],
    )
    world.users["manager"] = manager
    world.clients["manager"] = ApiClient(app.test_client(), make_token(app, manager, days=365))
    return world


def _decide(world: World, concern_id: int, decision: str) -> None:
    decided = world.clients["officer"].post(
        f"/api/v1/concerns/{concern_id}/decision",
        json={"decision": decision, "reason": "Threshold met on what the school saw"},
    )
    assert decided.status_code == 200, decided.json


def _start(world: World, concern_id: int, started_on: str = "2026-11-23") -> Any:
    return world.clients["officer"].post(
        f"/api/v1/concerns/{concern_id}/assessments", json={"started_on": started_on}
    )


def _conclude(world: World, concern_id: int, assessment_id: int, **body: Any) -> Any:
    values = {"authorised_on": "2026-11-23", "factors": ["16A", "3B"], "primary_need": "N1"}
    return world.clients["manager"].post(
        f"/api/v1/concerns/{concern_id}/assessments/{assessment_id}/conclusion",
        json=values | body,
    )


def test_a_childs_referral_needs_its_census_source(world):
    officer = world.clients["officer"]
    body = {
        "received_at": RECEIVED,
        "person": {"given_name": "Ivy", "family_name": "Lowe", "date_of_birth": "2016-03-03"},
        "is_child": True,
        "types_of_risk": ["neglect"],
        "location": "own_home",
        "source_of_risk": "known",
        "description": "School reports the child arrives hungry.",
    }
    refused = officer.post("/api/v1/concerns/", json=body)
    assert refused.status_code == 422
    assert refused.json["errors"]["referral_source"] == [
        "Select who referred the child (the referral source)"
    ]
    assert officer.post("/api/v1/concerns/", json=body | {"referral_source": "2Z"}).status_code == (
        422
    )
    adult = body | {"is_child": False, "referral_source": "2A"}
    adult["person"] = adult["person"] | {"date_of_birth": "1950-01-01"}
    assert officer.post("/api/v1/concerns/", json=adult).json["errors"]["referral_source"] == [
        "The referral source is recorded for children only"
    ]
    created = officer.post("/api/v1/concerns/", json=body | {"referral_source": "2A"})
    assert created.status_code == 201, created.json
    assert created.json["referral_source"] == "2A"


def test_a_childs_concern_takes_the_categories_of_abuse_not_the_adults_questions(world, auth):
    officer = world.clients["officer"]
    refused = officer.post(
        "/api/v1/concerns/",
        json={
            "received_at": RECEIVED,
            "person": {"given_name": "Ivy", "family_name": "Lowe", "date_of_birth": "2016-03-03"},
            "is_child": True,
            "referral_source": "6",
            "types_of_risk": ["domestic", "neglect"],
            "location": "own_home",
            "source_of_risk": "known",
            "description": "Police attended a domestic incident; the child was there.",
            "msp_asked": "asked_expressed",
        },
    )
    assert refused.status_code == 422
    assert refused.json["errors"]["types_of_risk"] == [
        "For a child, choose physical abuse, emotional abuse, sexual abuse or neglect"
    ]
    assert refused.json["errors"]["msp_asked"] == [
        "Asked about adults only: leave it out for a child"
    ]
    concern_id = record_concern(world, types_of_risk=["psychological", "neglect"])
    auth.sign_in("officer@example.org")
    case = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Neglect, Emotional abuse" in case
    # the page: a child's concern reads the children's categories, not the adults' types
    url = "/concerns/new"
    page = auth.client.post(
        url,
        data={
            "csrf_token": csrf_token(auth.client, url),
            "given_name": "Ivy",
            "family_name": "Lowe",
            "date_of_birth": ["3", "3", "2016"],
            "is_child": "child",
            "received_on": ["20", "11", "2026"],
            "received_time": "10:15",
            "route": "phone",
            "types_of_risk": ["domestic"],
            "location": "own_home",
            "source_of_risk": "known",
            "description": "Police attended a domestic incident; the child was there.",
            "referral_source": "6",
        },
    )
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'id="child_categories-error"' in text and "Select at least one type of risk" in text


def test_an_assessment_is_due_45_working_days_after_the_referral(world):
    concern_id = record_concern(world)
    _decide(world, concern_id, "child_in_need")
    started = _start(world, concern_id)
    assert started.status_code == 201, started.json
    # from Friday 20 November 2026: Christmas Day, Boxing Day's substitute (Monday 28
    # December) and New Year's Day are not working days
    assert started.json["due_on"] == "2027-01-27"
    assert started.json["authorised_on"] is None
    listed = world.clients["officer"].get(f"/api/v1/concerns/{concern_id}/assessments").json
    assert [a["id"] for a in listed] == [started.json["id"]]
    again = _start(world, concern_id)
    assert again.status_code == 422
    assert again.json["errors"]["started_on"] == [
        "An assessment of this case is already open: conclude it first"
    ]


@pytest.mark.parametrize(
    ("started_on", "message"),
    [
        ("2026-11-19", "An assessment cannot start before the referral was received"),
        ("2026-11-24", "The date must not be in the future"),
        ("1850-01-01", "Enter a date from 1900 to 2100"),
    ],
)
def test_an_assessment_start_date_is_checked(world, started_on, message):
    concern_id = record_concern(world)
    _decide(world, concern_id, "child_in_need")
    refused = _start(world, concern_id, started_on)
    assert refused.status_code == 422
    assert message in refused.json["errors"]["started_on"][0]


def test_no_assessment_on_an_adults_case_or_a_referral_that_went_no_further(world):
    adult = record_concern(world, child=False)
    assert _start(world, adult).status_code == 404
    assert world.clients["officer"].get(f"/api/v1/concerns/{adult}/assessments").status_code == (
        404
    )
    child = record_concern(world)
    _decide(world, child, "no_further_action")
    refused = _start(world, child)
    assert refused.status_code == 422
    assert "no further action" in refused.json["errors"]["concern_id"][0]


def test_a_manager_concludes_the_assessment_with_its_factors_and_the_primary_need(world):
    concern_id = record_concern(world)
    _decide(world, concern_id, "child_in_need")
    assessment = _start(world, concern_id).json
    officer_try = world.clients["officer"].post(
        f"/api/v1/concerns/{concern_id}/assessments/{assessment['id']}/conclusion",
        json={"authorised_on": "2026-11-23", "factors": ["21"], "primary_need": "N1"},
    )
    assert officer_try.status_code == 403
    alone = _conclude(world, concern_id, assessment["id"], factors=["21", "16A"])
    assert alone.status_code == 422
    assert "cannot be chosen with other factors" in alone.json["errors"]["factors"][0]
    none = _conclude(world, concern_id, assessment["id"], factors=[])
    assert none.status_code == 422 and "factors" in none.json["errors"]
    unknown = _conclude(world, concern_id, assessment["id"], factors=["18A"])
    assert unknown.status_code == 422  # no longer a census code (query 8945Q)
    early = _conclude(world, concern_id, assessment["id"], authorised_on="2026-11-22")
    assert early.json["errors"]["authorised_on"] == [
        "An assessment cannot conclude before it started"
    ]
    concluded = _conclude(world, concern_id, assessment["id"])
    assert concluded.status_code == 200, concluded.json
    assert concluded.json["factors"] == ["16A", "3B"]
    concern = world.clients["officer"].get(f"/api/v1/concerns/{concern_id}").json
    assert concern["primary_need"] == "N1"
    twice = _conclude(world, concern_id, assessment["id"])
    assert twice.json["errors"]["authorised_on"] == ["This assessment is already concluded"]


def _conference_on_1_december(app: Any, world: World, concern_id: int, category: str) -> None:
    """The child's ICPC, held on 1 December 2026, decides a child protection plan."""
    icpc = schedule(
        world, concern_id, "initial_child_protection_conference", "2026-12-01T10:00:00+00:00"
    ).json
    decision = {"kind": "child_protection_plan", "plan_category": category}
    _hold(app, world, icpc, datetime(2026, 12, 1, 13, 0, tzinfo=UTC), [decision])


CLOSURE = {
    "feedback_person_on": "2026-11-23",
    "feedback_person_method": "Home visit",
    "family_outcome": "maintained_at_home",
}


def _close(world: World, concern_id: int, **body: Any) -> Any:
    return world.clients["officer"].post(
        f"/api/v1/concerns/{concern_id}/closure",
        json=CLOSURE | {"feedback_referrer_on": None} | body,
    )


def test_a_childs_case_closes_with_the_census_reason_not_the_adults_outcome(world):
    concern_id = record_concern(world)
    _decide(world, concern_id, "child_in_need")
    refused = _close(world, concern_id, risk_outcome="none_no_action")
    assert refused.status_code == 422
    errors = refused.json["errors"]
    assert errors["risk_outcome"] == ["The risk outcome is recorded for adults' enquiries only"]
    assert errors["closure_reason"] == ["Select the reason for closure"]
    assert errors["primary_need"] == ["Select the child's primary need"]
    assessment = _start(world, concern_id).json
    open_assessment = _close(world, concern_id, closure_reason="RC7", primary_need="N4")
    assert open_assessment.json["errors"]["assessment"] == [
        "Conclude the assessment started on 23 November 2026 first: a child's case cannot "
        "close while its assessment is open"
    ]
    _conclude(world, concern_id, assessment["id"])
    closed = _close(world, concern_id, closure_reason="RC8")  # the need found at assessment
    assert closed.status_code == 200, closed.json
    assert (closed.json["closure_reason"], closed.json["primary_need"]) == ("RC8", "N1")
    assert closed.json["risk_outcome"] is None
    assert closed.json["family_outcome"] == "maintained_at_home"


def test_closed_after_assessment_needs_an_assessment(world):
    concern_id = record_concern(world)
    _decide(world, concern_id, "child_in_need")
    refused = _close(world, concern_id, closure_reason="RC9", primary_need="N5")
    assert refused.json["errors"]["closure_reason"] == [
        "RC9 closes a case after its assessment: this case has no concluded assessment"
    ]
    nfa = record_concern(world)
    _decide(world, nfa, "no_further_action")
    closed = _close(world, nfa, closure_reason="RC7")  # no primary need: it went no further
    assert closed.status_code == 200, closed.json
    assert closed.json["primary_need"] is None


def test_a_child_in_need_plan_gives_way_to_a_child_protection_plan(app, world):
    officer = world.clients["officer"]
    concern_id = record_concern(world)
    _decide(world, concern_id, "child_in_need")
    category = officer.post(
        "/api/v1/plans/",
        json={"concern_id": concern_id, "kind": "child_in_need", "category": "NEG"},
    )
    assert category.json["errors"]["category"] == ["Only child protection plans have a category"]
    started = officer.post(
        "/api/v1/plans/",
        json={"concern_id": concern_id, "kind": "child_in_need", "started_on": "2026-11-23"},
    )
    assert started.status_code == 201, started.json
    cin = started.json
    assert (cin["kind"], cin["next_review_due"]) == ("child_in_need", "2027-02-23")
    review = officer.post(
        f"/api/v1/plans/{cin['id']}/reviews",
        json={"reviewed_on": "2026-11-23", "decision": "continue"},
    )
    assert review.json["errors"]["attendees"] == ["List who took part in the review"]
    _conference_on_1_december(app, world, concern_id, "EMO")
    plans = {
        p["kind"]: p for p in officer.get(f"/api/v1/plans/?concern_id={concern_id}").json["items"]
    }
    assert plans["child_protection"]["status"] == "open"
    assert (plans["child_in_need"]["status"], plans["child_in_need"]["ended_on"]) == (
        "ended",
        "2026-12-01",
    )
    again = officer.post("/api/v1/plans/", json={"concern_id": concern_id, "kind": "child_in_need"})
    assert "open child protection plan" in again.json["errors"]["kind"][0]


def test_a_childs_journey_through_the_api_makes_a_census_file_the_dfe_accepts(app, world):
    """Referral (Friday 20 November 2026), strategy discussion starting the section 47
    enquiry (24 November), assessment, ICPC with a plan (1 December), review (26 February
    2027), the plan ended and the case closed (2 March 2027); census 2026-27."""
    officer, manager = world.clients["officer"], world.clients["manager"]
    concern_id = record_concern(world)
    _decide(world, concern_id, "strategy_discussion")
    assessment = _start(world, concern_id).json
    strategy = schedule(world, concern_id, "strategy_discussion", "2026-11-24T10:00:00+00:00").json
    _hold(
        app,
        world,
        strategy,
        datetime(2026, 11, 24, 11, 0, tzinfo=UTC),
        [{"kind": "section_47_enquiry"}],
    )
    _conference_on_1_december(app, world, concern_id, "NEG")
    assert (
        _conclude(world, concern_id, assessment["id"], authorised_on="2026-12-01").status_code
        == 200
    )
    [plan] = officer.get(f"/api/v1/plans/?concern_id={concern_id}").json["items"]
    review = schedule(
        world, concern_id, "review_child_protection_conference", "2027-02-26T10:00:00+00:00"
    ).json
    _hold(app, world, review, datetime(2027, 2, 26, 13, 0, tzinfo=UTC), [])
    set_now(datetime(2027, 3, 2, 12, 0, tzinfo=UTC))
    ended = officer.post(
        f"/api/v1/plans/{plan['id']}/reviews",
        json={"meeting_id": review["id"], "decision": "end", "end_reason": "Risk reduced"},
    )
    assert ended.status_code == 201, ended.json
    closed = _close(world, concern_id, closure_reason="RC7", feedback_person_on="2027-03-02")
    assert closed.status_code == 200, closed.json

    set_now(datetime(2027, 4, 20, 9, 0, tzinfo=UTC))
    xml = manager.get("/api/v1/returns/cin-census.xml?year=2026-27")
    assert xml.status_code == 200
    root = ET.fromstring(xml.data)  # noqa: S314 - the file the product made
    [details] = root.iter("CINdetails")
    found = {element.tag: element.text for element in details.iter() if element.text.strip()}
    assert (
        found | {} == found
        and {
            "CINreferralDate": "2026-11-20",
            "ReferralSource": "2A",
            "PrimaryNeedCode": "N1",
            "CINclosureDate": "2027-03-02",
            "ReasonForClosure": "RC7",
            "ReferralNFA": "false",
            "AssessmentActualStartDate": "2026-11-23",
            "AssessmentAuthorisationDate": "2026-12-01",
            "S47ActualStartDate": "2026-11-24",
            "InitialCPCtarget": "2026-12-15",  # 15 working days after the strategy discussion
            "DateOfInitialCPC": "2026-12-01",
            "ICPCnotRequired": "false",
            "CPPstartDate": "2026-12-01",
            "CPPendDate": "2027-02-26",
            "InitialCategoryOfAbuse": "NEG",
            "LatestCategoryOfAbuse": "NEG",
            "NumberOfPreviousCPP": "0",
            "CPPreviewDate": "2027-02-26",
        }.items()
        <= found.items()
    )
    verdict = validate(xml.data, "cin2025_26")
    assert verdict.errors == [], verdict.describe()


def test_the_assessment_pages(app, world, auth):
    concern_id = record_concern(world)
    _decide(world, concern_id, "child_in_need")
    auth.sign_in("officer@example.org")
    case = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "No assessment yet." in case and "Start an assessment" in case
    url = f"/concerns/{concern_id}/assessments/new"
    page = auth.client.get(url).get_data(as_text=True)
    assert "must conclude by <strong>27 January 2027</strong>" in page
    token = csrf_token(auth.client, url)
    refused = auth.client.post(url, data={"csrf_token": token, "started_on": ["1", "1", "2026"]})
    assert refused.status_code == 200
    assert "An assessment cannot start before the referral was received" in refused.get_data(
        as_text=True
    )
    started = auth.client.post(url, data={"csrf_token": token, "started_on": ["23", "11", "2026"]})
    assert started.status_code == 302
    case = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Assessment concluded (45 working days from the referral)" in case
    assert "due by 27 January 2027" in case
    [assessment] = world.clients["officer"].get(f"/api/v1/concerns/{concern_id}/assessments").json
    conclude = f"/concerns/{concern_id}/assessments/{assessment['id']}/conclude"
    assert auth.client.get(conclude).status_code == 403  # a manager authorises it
    manager = app.test_client()
    sign_in(manager, "manager@example.org", TEST_PASSWORD)
    token = csrf_token(manager, conclude)
    done = manager.post(
        conclude,
        data={
            "csrf_token": token,
            "authorised_on": ["23", "11", "2026"],
            "factors": ["16A", "4B"],
            "primary_need": "N1",
        },
    )
    assert done.status_code == 302, done.get_data(as_text=True)
    case = manager.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "concluded 23 November 2026" in case
    assert "Abuse or neglect: neglect" in case


def test_a_child_in_need_plan_starts_from_the_case_page(world, auth):
    concern_id = record_concern(world)
    _decide(world, concern_id, "child_in_need")
    auth.sign_in("officer@example.org")
    case = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    url = f"/plans/new?concern_id={concern_id}&kind=child_in_need"
    assert url.replace("&", "&amp;") in case
    page = auth.client.get(url).get_data(as_text=True)
    assert "Start a child in need plan" in page and "Category" not in page
    started = auth.client.post(
        url, data={"csrf_token": csrf_token(auth.client, url), "started_on": ["23", "11", "2026"]}
    )
    assert started.status_code == 302, started.get_data(as_text=True)
    plan = auth.client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Child in need plan" in plan
