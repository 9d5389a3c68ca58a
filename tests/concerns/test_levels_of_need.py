"""The children's levels of need are the council's threshold model, a setting (issue 25,
item 9; Herefordshire's three-band model): the four-level continuum unless the council
sets its own bands; a child steps up or down with the reasoning, on the timeline."""

from __future__ import annotations

import html

import pytest

from core.concerns.needs import FOUR_LEVELS, parse_levels
from core.config import ConfigurationError, load_settings
from tests.api.conftest import ApiClient, make_token
from tests.conftest import Auth, Factory, csrf_token
from tests.meetings.helpers import build_world, record_concern
from tests.support.pages import page_errors

THREE_BANDS = [
    "Universal",
    {"name": "Additional needs", "description": "Early help from one or more agencies"},
    "Children's social care",
]


def test_a_child_steps_up_the_four_levels_with_the_reasoning(app, factory, auth):
    world = build_world(app, factory)
    officer = world.clients["officer"]
    child = record_concern(world, level_of_need=2, threshold_reasoning="Attendance falling")
    levels = officer.get("/api/v1/levels-of-need/").json
    assert [level["label"] for level in levels] == [
        "1 Universal",
        "2 Early help",
        "3 Targeted",
        "4 Statutory",
    ]
    url = f"/api/v1/concerns/{child}/level-of-need"
    beyond = officer.put(url, json={"level_of_need": 5, "threshold_reasoning": "Worse"})
    assert beyond.status_code == 422
    assert beyond.json["errors"]["level_of_need"] == [
        "Level of need is one of the council's levels (1 Universal, 2 Early help, "
        "3 Targeted, 4 Statutory), and only for children"
    ]
    unreasoned = officer.put(url, json={"level_of_need": 3, "threshold_reasoning": " "})
    assert unreasoned.status_code == 422
    assert unreasoned.json["errors"] == {
        "threshold_reasoning": ["Say why the child's needs are at this level"]
    }
    adult = record_concern(world, child=False)
    refused = officer.put(
        f"/api/v1/concerns/{adult}/level-of-need",
        json={"level_of_need": 3, "threshold_reasoning": "An adult"},
    )
    assert refused.status_code == 404  # an adult's case has no level of need
    partner = world.clients["police"].put(
        url, json={"level_of_need": 3, "threshold_reasoning": "x"}
    )
    assert partner.status_code == 403

    stepped = officer.put(
        url, json={"level_of_need": 3, "threshold_reasoning": "Neglect now affects health"}
    )
    assert stepped.status_code == 200, stepped.json
    assert stepped.json["level_of_need"] == 3
    summaries = [e["summary"] for e in officer.get(f"/api/v1/concerns/{child}/timeline").json]
    assert "Level of need changed from 2 Early help to 3 Targeted" in summaries

    # the case page says it; the page changes it and says what is missing
    auth.sign_in("officer@example.org")
    case = html.unescape(auth.client.get(f"/concerns/{child}").get_data(as_text=True))
    assert "3 Targeted: Neglect now affects health" in case
    assert f"/concerns/{child}/level-of-need" in case
    page = f"/concerns/{child}/level-of-need"
    empty = auth.client.post(
        page, data={"csrf_token": csrf_token(auth.client, page), "level_of_need": "4"}
    )
    title, summary, _ = page_errors(empty.get_data(as_text=True))
    assert (empty.status_code, title.startswith("Error:")) == (200, True)
    assert summary == ["Say why the child's needs are at this level"]
    assert officer.get(f"/api/v1/concerns/{child}").json["level_of_need"] == 3
    down = auth.client.post(
        page,
        data={
            "csrf_token": csrf_token(auth.client, page),
            "level_of_need": "2",
            "threshold_reasoning": "Family engaging with early help",
        },
    )
    assert down.status_code == 302
    assert officer.get(f"/api/v1/concerns/{child}").json["level_of_need"] == 2


def test_a_council_sets_its_own_bands(app_factory):
    four = app_factory()
    world = build_world(four, Factory(four))
    statutory = record_concern(world, level_of_need=4)

    three = app_factory(LEVELS_OF_NEED=THREE_BANDS)  # the same database, the council's bands
    officer_id = Factory(three).user(email="bands@example.org")
    officer = ApiClient(three.test_client(), make_token(three, officer_id))
    assert [level["label"] for level in officer.get("/api/v1/levels-of-need/").json] == [
        "1 Universal",
        "2 Additional needs",
        "3 Children's social care",
    ]
    body = {
        "received_at": "2026-11-20T10:15:00+00:00",
        "person": {"given_name": "Kit", "family_name": "Moss", "date_of_birth": "2015-03-03"},
        "is_child": True,
        "referral_source": "2A",
        "types_of_risk": ["neglect"],
        "location": "own_home",
        "source_of_risk": "known",
        "description": "Left alone overnight.",
    }
    four_bands = officer.post("/api/v1/concerns/", json=body | {"level_of_need": 4})
    assert four_bands.status_code == 422
    assert "3 Children's social care" in four_bands.json["errors"]["level_of_need"][0]
    assert officer.post("/api/v1/concerns/", json=body | {"level_of_need": 3}).status_code == 201

    client = three.test_client()
    Auth(client, Factory(three)).sign_in("bands@example.org")
    form = html.unescape(client.get("/concerns/new").get_data(as_text=True))
    assert "2 Additional needs" in form and "4 Statutory" not in form
    case = html.unescape(client.get(f"/concerns/{statutory}").get_data(as_text=True))
    assert "4 (no longer in the council's levels)" in case


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        (["Only one"], "a list of 2 to 9 levels"),
        ({"name": "Universal"}, "a list of 2 to 9 levels"),
        (["Universal", ""], "level 2 needs a name"),
        (["Universal", {"name": "Early", "colour": "red"}], "level 2 may have only"),
        (["Universal", "universal"], "a name of its own"),
    ],
)
def test_a_threshold_model_that_cannot_be_right_stops_the_app(app_factory, setting, problem):
    assert problem in "; ".join(parse_levels(setting)[1])
    with pytest.raises(ConfigurationError, match="LEVELS_OF_NEED"):
        app_factory(LEVELS_OF_NEED=setting)


def test_the_setting_is_read_from_the_environment(monkeypatch):
    assert parse_levels(None) == (FOUR_LEVELS, [])
    monkeypatch.setenv("LEVELS_OF_NEED", '["Universal", "Targeted", "Specialist"]')
    levels, problems = parse_levels(load_settings()["LEVELS_OF_NEED"])
    assert ([level.label for level in levels], problems) == (
        ["1 Universal", "2 Targeted", "3 Specialist"],
        [],
    )
    monkeypatch.setenv("LEVELS_OF_NEED", "[Universal")
    with pytest.raises(ConfigurationError, match="LEVELS_OF_NEED must be JSON"):
        load_settings()
