"""The performance dashboard: per month in local time, the rates, and access."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.auth.roles import Role
from core.concerns.models import Decision
from core.extensions import db
from core.returns.dashboard import dashboard
from core.returns.periods import Period
from tests.returns.helpers import at, concern, person
from tests.support.clock import set_now


def test_dashboard_figures(app, factory):
    user = factory.user()
    with app.app_context():
        ada = person(date_of_birth=date(1950, 1, 1))
        concern(user, received="2026-04-10", who=ada, decision=Decision.SECTION_42,
                screening_due=date(2026, 4, 10))  # fmt: skip
        late = concern(
            user,
            received="2026-05-10",
            who=ada,
            decision=Decision.NO_FURTHER_ACTION,
            decided="2026-05-12",
            screening_due=date(2026, 5, 11),
            out_of_hours=True,
        )
        assert late.decided_at == at("2026-05-12")
        # 00:30 on 1 June in London (BST) is 31 May in UTC: a June concern
        june = concern(user, received="2026-06-01")
        june.received_at = datetime(2026, 5, 31, 23, 30, tzinfo=UTC)
        concern(user, received="2026-05-20", is_child=True, decision=Decision.STRATEGY_DISCUSSION,
                screening_due=date(2026, 5, 21))  # fmt: skip
        db.session.commit()
        figures = dashboard(Period(date(2026, 4, 1), date(2026, 6, 30)))
    assert [(m.label, m.concerns, m.out_of_hours) for m in figures.months] == [
        ("Apr 2026", 1, 0),
        ("May 2026", 2, 1),
        ("Jun 2026", 1, 0),
    ]
    assert (figures.section_42, figures.adult_decisions) == (1, 2)
    assert figures.conversion_rate == 0.5
    assert (figures.repeats, figures.concerns) == (1, 4)
    assert (figures.decisions_on_time, figures.decisions) == (2, 3)
    assert figures.open_clusters == 0


def test_the_board_opens_the_dashboard_page_and_api(auth, api_as):
    auth.as_role(Role.BOARD_MEMBER)
    page = auth.client.get("/returns/dashboard?from=2026-01-01&to=2026-06-30")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<svg" in html and "Concerns per month (the charts' figures)" in html
    assert "style=" not in html.split("<main", 1)[1]  # the CSP allows no inline styles
    assert auth.client.get("/returns/dashboard?from=2026-13-01").status_code == 400
    assert auth.client.get("/returns/dashboard?to=9999-12-31").status_code == 400
    assert api_as(Role.BOARD_MEMBER).get("/api/v1/dashboard?to=9999-12-31").status_code == 422
    assert api_as(Role.BOARD_MEMBER).get("/api/v1/dashboard?from=2000-01-01").status_code == 422
    assert auth.client.get("/returns/").status_code == 200
    board = api_as(Role.BOARD_MEMBER)
    body = board.get("/api/v1/dashboard?from=2026-01-01&to=2026-03-31").json
    assert [m["month"] for m in body["months"]] == ["Jan 2026", "Feb 2026", "Mar 2026"]
    assert body["section_42_conversion_rate"] is None
    assert board.get("/api/v1/dashboard?from=2026-03-01&to=2026-01-01").status_code == 422
    assert api_as(Role.AGENCY_PRACTITIONER).get("/api/v1/dashboard").status_code == 403


def _months_table(html: str) -> str:
    return html.split("Concerns per month (the charts' figures)", 1)[1]


def test_the_dashboard_page_counts_again_once_its_figures_are_older_than_the_setting(
    app_factory,
):
    """A year's figures are counted at most every DASHBOARD_CACHE_SECONDS per period; the
    page says when they were counted. A concern recorded meanwhile shows after that."""
    from datetime import timedelta

    from tests.conftest import Auth, Factory

    now = datetime(2026, 6, 30, 9, 0, tzinfo=UTC)
    set_now(now)
    app = app_factory(DASHBOARD_CACHE_SECONDS=300)
    factory = Factory(app)
    user = factory.user()
    auth = Auth(app.test_client(), factory)
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    url = "/returns/dashboard?from=2026-06-01&to=2026-06-30"

    def june_concerns() -> str:
        html = auth.client.get(url).get_data(as_text=True)
        assert "Figures counted at 30 June 2026, " in html
        assert "from the records" in html  # no summary tables yet: counted directly
        every = "counted again at most every 5 minutes" in html
        assert every == bool(app.config["DASHBOARD_CACHE_SECONDS"])
        row = _months_table(html).split("Jun 2026", 1)[1]
        return row.split('govuk-table__cell--numeric">', 1)[1].split("<", 1)[0]

    with app.app_context():
        concern(user, received="2026-06-10")
        db.session.commit()
    assert june_concerns() == "1"
    with app.app_context():
        concern(user, received="2026-06-11")
        db.session.commit()
    set_now(now + timedelta(seconds=299))
    assert june_concerns() == "1"  # counted under five minutes ago: the same figures
    set_now(now + timedelta(seconds=300))
    assert june_concerns() == "2"
    app.config["DASHBOARD_CACHE_SECONDS"] = 0
    with app.app_context():
        concern(user, received="2026-06-12")
        db.session.commit()
    assert june_concerns() == "3"  # 0: counted at every request
