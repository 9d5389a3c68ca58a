"""Case file sampling as the teams run it (issue 25, item 7; Dudley's plan 5.1, Newport's
out-of-hours sampling): managers and officers the audit's owner chose review cases that
are not their own; a sample limited to a team, an area, out-of-hours cases and a case
type; quarters of the council's financial year unless set otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.auth.councils import default_council_id
from core.auth.models import Locality, Team, User
from core.auth.roles import Role
from core.concerns.models import Concern, Decision
from core.config import ConfigurationError
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.conftest import csrf_token
from tests.returns.helpers import concern
from tests.support.clock import set_now

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
AUDITS = "/api/v1/casefile-audits/"


@pytest.fixture
def app(app_factory):
    set_now(NOW)
    return app_factory()


def _named(app, model, name: str) -> int:
    with app.app_context():
        made = model(name=name, active=True, council_id=default_council_id())
        db.session.add(made)
        db.session.commit()
        return made.id


def _in_team(app, user_id: int, team_id: int) -> None:
    with app.app_context():
        db.session.get(User, user_id).team_id = team_id
        db.session.commit()


def _api(app, client, user_id: int) -> ApiClient:
    return ApiClient(client, make_token(app, user_id))


def _assign(api: ApiClient, audit: dict, review_id: int, reviewer: int):
    return api.client.put(
        f"{AUDITS}{audit['id']}/cases/{review_id}/assignment",
        json={"auditor_id": reviewer},
        headers=api.headers(),
    )


def test_a_manager_reviews_a_case_not_theirs_and_is_refused_their_own(app, factory, auth):
    adults, duty = _named(app, Team, "Adult safeguarding team"), _named(app, Team, "EDT")
    manager = auth.as_role(Role.SAFEGUARDING_MANAGER)  # signed in: the audit's owner
    _in_team(app, manager, adults)
    officer, other_manager = factory.user(), factory.user(Role.SAFEGUARDING_MANAGER)
    _in_team(app, officer, duty)
    colleague = factory.user()
    with app.app_context():
        cases = {
            "free": concern(colleague, received="2026-08-01", team_id=duty).id,
            "recorded": concern(manager, received="2026-08-01").id,
            "decided": concern(colleague, received="2026-08-01", decided_by_id=manager).id,
            "closed": concern(colleague, received="2026-08-01", closed_by_id=manager).id,
            "team": concern(colleague, received="2026-08-01", team_id=adults).id,
        }
        db.session.commit()
    owner = _api(app, auth.client, manager)
    audit = owner.post(AUDITS, json={"year": 2026, "quarter": 2, "seed": 3}).json
    review = {c["concern_id"]: c["id"] for c in audit["cases"]}
    assert set(review) == set(cases.values())

    # their own cases (recorded, decided, closed, held by their team) are refused, named
    for why in ("recorded", "decided", "closed", "team"):
        refused = _assign(owner, audit, review[cases[why]], manager)
        assert refused.status_code == 422, why
        message = refused.json["errors"]["auditor_id"][0]
        assert "nobody reviews their own case" in message and why[:4] in message, message
    # an officer in the duty team does not review the duty team's case, but another team's
    assert _assign(owner, audit, review[cases["free"]], officer).status_code == 422
    # only the audit's owner chooses managers and officers; any manager assigns an auditor
    by_other = _assign(_api(app, auth.client, other_manager), audit, review[cases["team"]], officer)
    assert by_other.status_code == 422
    assert "Only the manager who drew this audit" in by_other.json["errors"]["auditor_id"][0]
    assert _assign(owner, audit, review[cases["team"]], officer).status_code == 200
    assert _assign(owner, audit, review[cases["free"]], manager).status_code == 200

    # the manager's home page lists the review to do; the other manager has none
    work = {t["key"]: t["count"] for t in owner.get("/api/v1/me/work").json}
    assert work["casefile_reviews"] == 1
    other_work = _api(app, auth.client, other_manager).get("/api/v1/me/work").json
    assert "casefile_reviews" not in {t["key"] for t in other_work}
    # the manager reviews on the page: the audit page links their case; findings saved
    page = auth.client.get(f"/casefile-audits/{audit['id']}").get_data(as_text=True)
    url = f"/casefile-audits/{audit['id']}/reviews/{review[cases['free']]}"
    assert url in page and "Reviewer" in page
    assert url in auth.client.get("/casefile-audits/").get_data(as_text=True)
    items = [item["id"] for item in audit["checklist"]]
    saved = auth.client.post(
        url,
        data={f"item_{i}": "yes" for i in items}
        | {"grade": "good", "csrf_token": csrf_token(auth.client, url)},
    )
    assert saved.status_code == 302
    # a case assigned to the officer answers 404 to the manager
    other = f"/casefile-audits/{audit['id']}/reviews/{review[cases['team']]}"
    assert auth.client.get(other).status_code == 404
    # the page's assignment refuses their own case with the same message
    token = csrf_token(auth.client, f"/casefile-audits/{audit['id']}")
    refused = auth.client.post(
        f"/casefile-audits/{audit['id']}/assign",
        data={"csrf_token": token, "review_id": review[cases["recorded"]], "auditor_id": manager},
        follow_redirects=True,
    )
    assert "nobody reviews their own case" in refused.get_data(as_text=True)

    # a case that became the officer's since (they closed it) is refused at the findings
    with app.app_context():
        db.session.get(Concern, cases["team"]).closed_by_id = officer
        db.session.commit()
    answers = [{"item_id": i, "answer": "yes"} for i in items]
    late = _api(app, auth.client, officer).client.put(
        f"{AUDITS}{audit['id']}/cases/{review[cases['team']]}/findings",
        json={"answers": answers, "grade": "good"},
        headers=_api(app, auth.client, officer).headers(),
    )
    assert late.status_code == 422
    assert "nobody reviews their own case" in late.json["errors"]["auditor_id"][0]
    report = owner.get(f"{AUDITS}{audit['id']}/report").json
    assert report["completed"] == 1


def test_a_limited_sample_draws_only_such_cases_and_shows_its_limits(app, factory, auth):
    adults, duty = _named(app, Team, "Adult safeguarding team"), _named(app, Team, "EDT")
    north, south = _named(app, Locality, "Brackenmoor"), _named(app, Locality, "South Wold")
    user = factory.user()
    kinds = {}
    with app.app_context():
        for team in (adults, duty):
            for area in (north, south):
                for night in (False, True):
                    for child in (False, True):
                        made = concern(
                            user,
                            received="2026-07-10",
                            team_id=team,
                            locality_id=area,
                            out_of_hours=night,
                            is_child=child,
                        )
                        kinds[made.id] = (team, area, night, child)
        concern(user, received="2026-10-05", team_id=duty, out_of_hours=True)  # after Q2
        db.session.commit()
    manager = auth.as_role(Role.SAFEGUARDING_MANAGER)
    api = _api(app, auth.client, manager)
    quarter = {"year": 2026, "quarter": 2}

    def drawn(**limits) -> set[int]:
        answer = api.post(AUDITS, json=quarter | limits)
        assert answer.status_code == 201, answer.json
        assert answer.json["limits"] == {
            "team_id": None, "locality_id": None, "out_of_hours": None, "case_type": None,
        } | limits  # fmt: skip
        return {c["concern_id"] for c in answer.json["cases"]}

    def cases(test) -> set[int]:
        return {cid for cid, kind in kinds.items() if test(*kind)}

    assert drawn(team_id=duty) == cases(lambda t, a, n, c: t == duty)
    assert drawn(locality_id=north) == cases(lambda t, a, n, c: a == north)
    assert drawn(out_of_hours=True) == cases(lambda t, a, n, c: n)
    assert drawn(out_of_hours=False) == cases(lambda t, a, n, c: not n)
    assert drawn(case_type="child") == cases(lambda t, a, n, c: c)
    assert drawn(team_id=adults, locality_id=south, out_of_hours=True, case_type="adult") == cases(
        lambda t, a, n, c: t == adults and a == south and n and not c
    )
    bad = api.post(AUDITS, json=quarter | {"team_id": 999, "locality_id": 999})
    assert bad.status_code == 422
    assert set(bad.json["errors"]) == {"team_id", "locality_id"}

    # the page draws with the same limits and shows them
    form = "/casefile-audits/new"
    page = auth.client.get(form).get_data(as_text=True)
    assert "Only out-of-hours cases" in page and "EDT" in page and "Brackenmoor" in page
    made = auth.client.post(
        form,
        data={
            "csrf_token": csrf_token(auth.client, form),
            "year": "2026",
            "quarter": "2",
            "team_id": str(duty),
            "out_of_hours": "yes",
            "case_type": "child",
            "sample_size": "20",
        },
    )
    assert made.status_code == 302, made.get_data(as_text=True)
    shown = auth.client.get(made.headers["Location"]).get_data(as_text=True)
    assert "Team: EDT" in shown and "Out-of-hours cases" in shown
    assert "Case type: Children" in shown and "Area:" not in shown
    listing = auth.client.get("/casefile-audits/").get_data(as_text=True)
    assert "Team: EDT; Out-of-hours cases; Case type: Children" in listing
    refused = auth.client.post(
        form,
        data={
            "csrf_token": csrf_token(auth.client, form),
            "year": "2026",
            "quarter": "2",
            "team_id": "999",
        },
    )
    assert refused.status_code == 200 and "Choose a team from the list" in refused.get_data(
        as_text=True
    )


def test_quarters_follow_the_financial_year_unless_set_to_calendar(app, app_factory, factory, auth):
    user = factory.user()
    with app.app_context():
        february = concern(
            user, received="2026-02-10", decision=Decision.SECTION_42, closed="2026-03-20"
        ).id
        may = concern(user, received="2026-05-10").id
        db.session.commit()
    manager = auth.as_role(Role.SAFEGUARDING_MANAGER)
    api = _api(app, auth.client, manager)
    first = api.post(AUDITS, json={"year": 2026, "quarter": 1}).json
    assert {c["concern_id"] for c in first["cases"]} >= {may}
    assert february not in {c["concern_id"] for c in first["cases"]}
    assert first["quarter_label"] == "Q1 2026/27 (April to June 2026)"
    assert first["year_starts"] == 4
    # Q4 2026/27 is January to March 2027: not started on 23 November 2026
    future = api.post(AUDITS, json={"year": 2026, "quarter": 4})
    assert future.status_code == 422
    pages = auth.client
    shown = pages.get(f"/casefile-audits/{first['id']}").get_data(as_text=True)
    assert "Q1 2026/27 (April to June 2026)" in shown
    assert "Q1: April to June" in pages.get("/casefile-audits/new").get_data(as_text=True)

    # a council on calendar quarters; the audit drawn before keeps its meaning
    calendar = app_factory(AUDIT_YEAR_STARTS="1")
    api = ApiClient(calendar.test_client(), make_token(calendar, manager))
    second = api.post(AUDITS, json={"year": 2026, "quarter": 1}).json
    assert {c["concern_id"] for c in second["cases"]} == {february}
    assert second["quarter_label"] == "Q1 2026 (January to March 2026)"
    kept = api.get(f"{AUDITS}{first['id']}").json
    assert kept["quarter_label"] == "Q1 2026/27 (April to June 2026)"
    assert [c["concern_id"] for c in kept["cases"]] == [c["concern_id"] for c in first["cases"]]
    with pytest.raises(ConfigurationError, match="AUDIT_YEAR_STARTS"):
        app_factory(AUDIT_YEAR_STARTS="13")
