"""Section 42 and other enquiries: started by the screening decision, recorded per enquiry
(Making Safeguarding Personal, capacity and advocacy, several locations and sources of
risk, the outcome) while open, concluded on their own date, with the SAC's rules refused
clearly on the page and in the API; and a case with an enquiry not concluded closes only
with a manager's reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.auth.roles import Role
from core.concerns.models import CaseEvent, SafeguardingEnquiry
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import csrf_token
from tests.support.clock import set_now
from tests.support.enquiries import conclude_enquiry

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def team(app, factory):
    set_now(NOW)
    council = factory.agency(name="Northshire Council", type="local_authority")
    clients = {}
    for role in (Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER, Role.AGENCY_PRACTITIONER):
        user = factory.user(role=role, email=f"{role.value}@example.org", agency_id=council)
        clients[role] = ApiClient(app.test_client(), make_token(app, user))
    return clients


def _case(api, decision="section_42_enquiry", **intake):
    body = concern_body(**({"msp_asked": "not_asked", "lacked_capacity": "no"} | intake))
    concern = api.post("/api/v1/concerns/", json=body).json
    decided = api.post(
        f"/api/v1/concerns/{concern['id']}/decision",
        json={"decision": decision, "reason": "Care and support needs"},
    )
    assert decided.status_code == 200, decided.json
    return concern["id"]


def _patch(api, concern_id, body):
    url = f"/api/v1/concerns/{concern_id}/enquiry"
    etag = api.get(url).headers["ETag"]
    return api.patch(url, json=body, headers={"If-Match": etag})


def test_the_decision_starts_the_enquiry_seeded_from_the_intake(team):
    officer = team[Role.SAFEGUARDING_OFFICER]
    concern_id = _case(officer, location="care_home_nursing", source_of_risk="service_provider")
    enquiry = officer.get(f"/api/v1/concerns/{concern_id}/enquiry")
    assert enquiry.status_code == 200
    assert enquiry.json | {"id": 0, "concern_id": 0} == {
        "id": 0,
        "concern_id": 0,
        "kind": "section_42_enquiry",
        "started_on": "2026-11-25",
        "concluded_on": None,
        "locations": ["care_home_nursing"],
        "sources": ["service_provider"],
        "msp_asked": "not_asked",
        "outcomes_expressed": None,
        "msp_achieved": None,
        "lacked_capacity": "no",
        "advocacy": None,
        "risk_outcome": None,
        "risk_after_action": None,
    }
    other = _case(officer, decision="other_enquiry")
    assert officer.get(f"/api/v1/concerns/{other}/enquiry").json["kind"] == "other_enquiry"
    none = _case(officer, decision="no_further_action")
    assert officer.get(f"/api/v1/concerns/{none}/enquiry").status_code == 404
    # the enquiry's answers are the safeguarding team's
    partner = team[Role.AGENCY_PRACTITIONER]
    assert partner.get(f"/api/v1/concerns/{concern_id}/enquiry").status_code == 403


def test_asked_capacity_locations_and_sources_change_while_the_enquiry_is_open(team):
    officer = team[Role.SAFEGUARDING_OFFICER]
    concern_id = _case(officer)
    changed = _patch(
        officer,
        concern_id,
        {
            "msp_asked": "asked_expressed",
            "outcomes_expressed": "To stay at home and keep seeing her grandson",
            "lacked_capacity": "yes",
            "advocacy": "dont_know",
            "locations": ["own_home", "community_service"],
            "sources": ["known", "service_provider"],
        },
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["locations"] == ["community_service", "own_home"]
    assert changed.json["sources"] == ["known", "service_provider"]
    assert changed.json["msp_asked"] == "asked_expressed"
    # a change of locations alone is a new version: the old ETag is refused
    url = f"/api/v1/concerns/{concern_id}/enquiry"
    etag = officer.get(url).headers["ETag"]
    assert officer.patch(url, json={"locations": ["other"]}, headers={"If-Match": etag}).json[
        "locations"
    ] == ["other"]
    stale = officer.patch(url, json={"locations": ["own_home"]}, headers={"If-Match": etag})
    assert stale.status_code == 412


@pytest.mark.parametrize("asked", ["asked_not_expressed", "not_asked", "dont_know", "not_recorded"])
def test_an_achievement_without_expressed_outcomes_is_refused_and_nothing_is_written(
    app, team, asked
):
    officer = team[Role.SAFEGUARDING_OFFICER]
    concern_id = _case(officer)
    refused = _patch(
        officer,
        concern_id,
        {"msp_asked": asked, "msp_achieved": "fully", "locations": ["hospital_acute"]},
    )
    assert refused.status_code == 422
    assert refused.headers["Content-Type"] == "application/problem+json"
    [message] = refused.json["errors"]["msp_achieved"]
    assert "only where the person was asked and expressed the outcomes" in message
    with app.app_context():
        enquiry = db.session.scalar(sa.select(SafeguardingEnquiry))
        assert enquiry.locations[0].value == "own_home" and enquiry.msp_achieved is None


def test_concluding_asks_for_what_the_sac_rules_then_need(team):
    officer = team[Role.SAFEGUARDING_OFFICER]
    concern_id = _case(officer, msp_asked="asked_expressed", lacked_capacity="yes")
    _patch(officer, concern_id, {"msp_asked": "asked_expressed", "lacked_capacity": "yes"})
    refused = _patch(
        officer, concern_id, {"concluded_on": "2026-11-25", "risk_outcome": "identified_action"}
    )
    assert refused.status_code == 422
    assert set(refused.json["errors"]) == {"msp_achieved", "advocacy", "risk_after_action"}
    assert "fully, partially or not achieved" in refused.json["errors"]["msp_achieved"][0]
    # no risk identified and action taken has no result to record
    no_risk = _patch(
        officer,
        concern_id,
        {"risk_outcome": "none_action", "risk_after_action": "removed"},
    )
    assert no_risk.status_code == 422
    assert "only where a risk was identified" in no_risk.json["errors"]["risk_after_action"][0]
    # advocacy only where the person lacked capacity
    refused = _patch(officer, concern_id, {"lacked_capacity": "no", "advocacy": "yes"})
    assert "only where the person lacked capacity" in refused.json["errors"]["advocacy"][0]
    late = _patch(
        officer, concern_id, {"concluded_on": "2026-11-26", "risk_outcome": "ceased_at_request"}
    )
    assert "must not be in the future" in late.json["errors"]["concluded_on"][0]
    concluded = _patch(
        officer,
        concern_id,
        {
            "concluded_on": "2026-11-25",
            "risk_outcome": "identified_action",
            "risk_after_action": "reduced",
            "msp_achieved": "partially",
            "advocacy": "yes",
        },
    )
    assert concluded.status_code == 200, concluded.json
    assert concluded.json["concluded_on"] == "2026-11-25"
    again = _patch(officer, concern_id, {"msp_asked": "not_recorded"})
    assert again.status_code == 422
    assert "concluded on 25 November 2026" in again.json["errors"]["enquiry"][0]


def test_the_page_refuses_an_achievement_without_expressed_outcomes_and_concludes(app, team, auth):
    officer = team[Role.SAFEGUARDING_OFFICER]
    concern_id = _case(officer)
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    url = f"/concerns/{concern_id}/enquiry"
    form = {
        "csrf_token": csrf_token(auth.client, url),
        "started_on": ["25", "11", "2026"],
        "locations": ["own_home", "care_home_residential"],
        "sources": ["known"],
        "msp_asked": "not_asked",
        "msp_achieved": "fully",
        "lacked_capacity": "no",
        "risk_outcome": "none_no_action",
    }  # fmt: skip
    page = auth.client.post(url, data=form)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "There is a problem" in html
    assert "only where the person was asked and expressed the outcomes" in html
    done = auth.client.post(
        url,
        data=form | {"msp_achieved": "", "conclude": "y"} | {"concluded_on": ["25", "11", "2026"]},
    )
    assert done.status_code == 302, done.get_data(as_text=True)
    with app.app_context():
        enquiry = db.session.scalar(sa.select(SafeguardingEnquiry))
        assert [place.value for place in enquiry.locations] == ["care_home_residential", "own_home"]
        assert enquiry.concluded_on.isoformat() == "2026-11-25"
    case_page = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "concluded 25 November 2026" in case_page


CLOSURE = {
    "risk_outcome": "none_no_action",
    "feedback_person_on": "2026-11-24",
    "feedback_person_method": "Visit",
}


def test_a_case_with_its_enquiry_not_concluded_closes_only_with_a_managers_reason(app, team):
    officer, manager = team[Role.SAFEGUARDING_OFFICER], team[Role.SAFEGUARDING_MANAGER]
    concern_id = _case(officer)
    url = f"/api/v1/concerns/{concern_id}/closure"
    refused = officer.post(url, json=CLOSURE)
    assert refused.status_code == 422
    [message] = refused.json["errors"]["override_reason"]
    assert "a section 42 enquiry not concluded" in message
    by_officer = officer.post(url, json=CLOSURE | {"override_reason": "Moved away"})
    assert "Only a safeguarding manager" in by_officer.json["errors"]["override_reason"][0]
    closed = manager.post(url, json=CLOSURE | {"override_reason": "Moved out of the area"})
    assert closed.status_code == 200, closed.json
    with app.app_context():
        summaries = db.session.scalars(
            sa.select(CaseEvent.summary).where(CaseEvent.kind == "concern.close_override")
        ).all()
    assert summaries == [
        "Closed by a manager with open work (a section 42 enquiry not concluded): "
        "Moved out of the area"
    ]
    # concluded: the case closes without an override
    second = _case(officer)
    assert conclude_enquiry(officer, second).status_code == 200
    assert officer.post(f"/api/v1/concerns/{second}/closure", json=CLOSURE).status_code == 200


def test_a_decision_sent_back_takes_its_enquiry_with_it(app_factory, factory):
    set_now(NOW)
    app = app_factory(SCREENING_SIGN_OFF=["section_42_enquiry"])
    factory = type(factory)(app)
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    manager = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_MANAGER))
    )
    concern_id = _case(officer)
    assert officer.get(f"/api/v1/concerns/{concern_id}/enquiry").status_code == 200
    sent_back = manager.post(
        f"/api/v1/concerns/{concern_id}/decision/sign-off",
        json={"outcome": "sent_back", "reason": "Not enough information"},
    )
    assert sent_back.status_code == 200, sent_back.json
    assert officer.get(f"/api/v1/concerns/{concern_id}/enquiry").status_code == 404


def test_the_migration_moves_each_adult_enquiry_out_of_its_concern(app, team):
    """Concerns decided before the enquiry record existed get one: the decision's day as
    its start, the closure's as its conclusion, the concern's location, source and
    answers, without the answers the SAC's rules leave out."""
    from flask_migrate import downgrade, upgrade

    from core.concerns.models import Concern
    from core.people.models import Person

    officer = team[Role.SAFEGUARDING_OFFICER]
    concern_id = _case(officer, location="hospital_acute", source_of_risk="unknown")
    undecided = officer.post("/api/v1/concerns/", json=concern_body()).json["id"]
    with app.app_context():
        concern = db.session.get(Concern, concern_id)
        concern.status = concern.status.CLOSED
        # 23:30 UTC on 30 November is 30 November in London (GMT)
        concern.closed_at = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
        concern.risk_outcome = concern.risk_outcome or "none_action"
        concern.risk_after_action = "removed"  # "no risk identified": no result to keep
        concern.msp_achieved = "fully"  # the person was not asked: nothing to keep
        concern.lacked_capacity = "yes"
        db.session.get(Person, concern.person_id).advocate = "Northshire Advocacy"
        db.session.commit()
        downgrade(revision="46701bbd7c10")
        upgrade()
        db.session.remove()
        [enquiry] = db.session.scalars(sa.select(SafeguardingEnquiry)).all()
        assert enquiry.concern_id == concern_id != undecided
        assert (enquiry.kind.value, str(enquiry.started_on), str(enquiry.concluded_on)) == (
            "section_42_enquiry",
            "2026-11-25",
            "2026-11-30",
        )
        assert [place.value for place in enquiry.locations] == ["hospital_acute"]
        assert [source.value for source in enquiry.sources] == ["unknown"]
        assert enquiry.risk_outcome.value == "none_action" and enquiry.risk_after_action is None
        assert enquiry.msp_asked.value == "not_asked" and enquiry.msp_achieved is None
        assert (enquiry.lacked_capacity.value, enquiry.advocacy.value) == ("yes", "yes")


def test_a_case_without_an_enquiry_answers_404_and_the_read_is_logged_refused(app, team):
    officer = team[Role.SAFEGUARDING_OFFICER]
    signposted = _case(officer, decision="signposted")
    assert officer.get(f"/api/v1/concerns/{signposted}/enquiry").status_code == 404
    with app.app_context():
        denied = db.session.scalars(
            sa.select(AccessLogEntry.object_id).where(
                AccessLogEntry.action == "enquiry.view", AccessLogEntry.outcome == "denied"
            )
        ).all()
    assert denied == [str(signposted)]
