"""The clocks as settings: the screening clock, core hours and the council's closure days
come from settings, a setting that cannot be right stops the start, and administrators
see the clocks in force on a page and through the API."""

from __future__ import annotations

from datetime import date, time

import pytest

from core import create_app
from core.auth.roles import Role
from core.config import ConfigurationError
from tests.concerns.test_concerns_api import concern_body
from tests.support.database import base_config

# Friday 20 November 2026, 10:15: in core hours
RECEIVED = "2026-11-20T10:15:00+00:00"


def test_the_screening_clock_and_closure_days_come_from_settings(app_factory):
    from tests.api.conftest import ApiClient, make_token
    from tests.conftest import Factory

    default_app = app_factory()
    factory = Factory(default_app)  # both apps share the test's database
    officer = ApiClient(
        default_app.test_client(),
        make_token(default_app, factory.user(role=Role.SAFEGUARDING_OFFICER)),
    )
    made = officer.post("/api/v1/concerns/", json=concern_body(received_at=RECEIVED)).json
    assert made["screening_due"] == "2026-11-23"  # 1 working day: the Monday

    local = app_factory(CLOCK_DAYS={"screening": 2}, LOCAL_CLOSURE_DAYS=[date(2026, 11, 24)])
    officer = ApiClient(
        local.test_client(), make_token(local, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    made = officer.post("/api/v1/concerns/", json=concern_body(received_at=RECEIVED)).json
    assert made["screening_due"] == "2026-11-25"  # Monday, then Tuesday closed: Wednesday


def test_core_hours_come_from_settings(app_factory):
    from tests.api.conftest import ApiClient, make_token
    from tests.conftest import Factory

    app = app_factory(CORE_HOURS_START=time(11, 0), CORE_HOURS_END=time(16, 0))
    officer = ApiClient(
        app.test_client(), make_token(app, Factory(app).user(role=Role.SAFEGUARDING_OFFICER))
    )
    made = officer.post("/api/v1/concerns/", json=concern_body(received_at=RECEIVED)).json
    assert made["out_of_hours"] is True  # 10:15 is before the council's 11:00


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"CLOCK_DAYS": {"screning": 2}}, "screning is not a clock"),
        ({"CLOCK_DAYS": {"screening": -1}}, "whole number of working days from 0 to 365"),
        ({"CLOCK_DAYS": {"core_group": "ten"}}, "whole number of working days"),
        (
            {"CORE_HOURS_START": time(17, 0), "CORE_HOURS_END": time(9, 0)},
            "CORE_HOURS_START must be before CORE_HOURS_END",
        ),
    ],
)
def test_clock_settings_that_cannot_be_right_stop_the_start(settings, message):
    with pytest.raises(ConfigurationError, match=message):
        create_app(base_config() | settings)


def test_administrators_see_the_clocks_in_force(app_factory):
    from tests.api.conftest import ApiClient, make_token
    from tests.conftest import Auth, Factory

    app = app_factory(
        CLOCK_DAYS={"strategy_discussion": 3}, LOCAL_CLOSURE_DAYS=[date(2026, 12, 29)]
    )
    factory = Factory(app)
    api = ApiClient(app.test_client(), make_token(app, factory.user(role=Role.ADMINISTRATOR)))
    auth = Auth(app.test_client(), factory)
    auth.as_role(Role.ADMINISTRATOR)
    page = auth.client.get("/admin/clocks").get_data(as_text=True)
    assert "Clocks in force" in page and 'href="/admin/clocks"' in page  # in the navigation
    assert "Tuesday 29 December 2026" in page and "local: default 5" in page
    assert "Working Together to Safeguard Children 2023" in page
    body = api.get("/api/v1/clocks/").json
    by_name = {clock["name"]: clock for clock in body["clocks"]}
    assert by_name["strategy_discussion"]["days"] == 3
    assert by_name["strategy_discussion"]["default_days"] == 5
    assert by_name["screening"]["days"] == 1
    assert body["closure_days"] == ["2026-12-29"]
    assert body["core_start"] == "08:30:00" and body["core_end"] == "17:00:00"
