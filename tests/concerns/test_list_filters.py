"""The concerns list: every filter and sort order on the page, in the CSV export and in
the API, and clear errors (page) or 422 (API) for values that cannot be used."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from html import unescape

import pytest

from core.auth.roles import Role
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import concern_body
from tests.conftest import Auth, Factory
from tests.support.clock import set_now
from tests.support.enquiries import conclude_enquiry

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # Wednesday
CLOSURE = {
    "risk_outcome": "none_no_action",
    "msp_achieved": "fully",
    "feedback_person_on": "2026-11-24",
    "feedback_person_method": "Phone",
    "feedback_referrer_on": "2026-11-24",
    "feedback_referrer_method": "Email",
}


@pytest.fixture
def world(app_factory):
    """Three concerns, recorded out of date order so that reference and received order
    differ:

    - A: received Wed 25 Nov 09:00 (in hours), physical, referred by the NHS trust, police
      involved later, undecided, due Thu 26 (not overdue);
    - B: received Fri 20 Nov 10:15 (in hours), neglect, referred by the police, at Meadowbank,
      section 42 decision, closed, due Mon 23;
    - C: received Sat 21 Nov 12:00 (out of hours), financial, no referrer, undecided, due Mon 23
      (overdue).
    """
    set_now(NOW)
    app = app_factory()
    factory = Factory(app)
    police = factory.agency(name="Northshire Police", type="police")
    nhs = factory.agency(name="Northshire Hospitals NHS Foundation Trust", type="nhs_trust")
    officer = ApiClient(
        app.test_client(), make_token(app, factory.user(role=Role.SAFEGUARDING_OFFICER))
    )
    home = officer.post(
        "/api/v1/establishments/", json={"name": "Meadowbank", "kind": "care_home_residential"}
    ).json
    a = officer.post(
        "/api/v1/concerns/",
        json=concern_body(
            received_at="2026-11-25T09:00:00+00:00",
            types_of_risk=["physical"],
            referrer_agency_id=nhs,
            referrer_name="Ward sister",
        ),
    ).json
    b = officer.post(
        "/api/v1/concerns/",
        json=concern_body(
            received_at="2026-11-20T10:15:00+00:00",
            types_of_risk=["neglect"],
            referrer_agency_id=police,
            referrer_name="PC Jones",
            location="care_home_residential",
            establishment_id=home["id"],
            msp_asked="asked_expressed",
        ),
    ).json
    c = officer.post(
        "/api/v1/concerns/",
        json=concern_body(received_at="2026-11-21T12:00:00+00:00", types_of_risk=["financial"]),
    ).json
    officer.post(
        f"/api/v1/concerns/{a['id']}/involvements", json={"agency_id": police, "note": "Crime"}
    )
    decided = officer.post(
        f"/api/v1/concerns/{b['id']}/decision",
        json={"decision": "section_42_enquiry", "reason": "Care home neglect"},
    )
    assert decided.status_code == 200, decided.json
    assert conclude_enquiry(officer, b["id"]).status_code == 200
    closed = officer.post(f"/api/v1/concerns/{b['id']}/closure", json=CLOSURE)
    assert closed.status_code == 200, closed.json
    client = app.test_client()
    Auth(client, factory).as_role(Role.SAFEGUARDING_OFFICER)
    refs = {name: concern["reference"] for name, concern in zip("ABC", (a, b, c), strict=True)}
    assert refs == {"A": "SG-2026-000001", "B": "SG-2026-000002", "C": "SG-2026-000003"}
    return {
        "app": app,
        "api": officer,
        "page": client,
        "refs": refs,
        "police": police,
        "nhs": nhs,
        "home": home["id"],
    }


def _api(world, query):
    response = world["api"].get(f"/api/v1/concerns/?{query}")
    assert response.status_code == 200, response.json
    names = {ref: name for name, ref in world["refs"].items()}
    return "".join(names[item["reference"]] for item in response.json["items"])


def _page(world, query):
    response = world["page"].get(f"/concerns/?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    names = {ref: name for name, ref in world["refs"].items()}
    body = response.get_data(as_text=True)
    table = body[body.index("<table") :] if "<table" in body else ""
    return "".join(names[ref] for ref in re.findall(r"SG-2026-\d{6}", table))


FILTERS = [
    ("", "ACB"),
    ("status=open", "AC"),
    ("status=closed", "B"),
    ("decision=section_42_enquiry", "B"),
    ("decision=signposted", ""),
    ("undecided=1", "AC"),
    ("overdue=1", "C"),
    ("out_of_hours=1", "C"),
    ("type_of_risk=neglect", "B"),
    ("received_from=2026-11-21", "AC"),
    ("received_to=2026-11-21", "CB"),
    ("received_from=21/11/2026&received_to=21/11/2026", "C"),
    ("status=open&type_of_risk=financial&out_of_hours=1", "C"),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_each_filter_on_the_page_and_the_api(world, query, expected):
    assert _page(world, query) == expected
    assert _api(world, query) == expected


def test_establishment_and_agency_filters(world):
    police, nhs, home = world["police"], world["nhs"], world["home"]
    for query, expected in (
        (f"establishment_id={home}", "B"),
        (f"agency_id={police}", "AB"),  # involved: referred B, added to A
        (f"agency_id={police}&agency_as=involved", "AB"),
        (f"agency_id={police}&agency_as=referrer", "B"),
        (f"agency_id={nhs}&agency_as=referrer", "A"),
        (f"agency_id={nhs}&status=closed", ""),
    ):
        assert _page(world, query) == expected, query
        assert _api(world, query) == expected, query
    page = world["page"].get("/concerns/").get_data(as_text=True)
    assert "referred the concern" in page and "is involved now" in page
    assert f'<option value="{home}" >Meadowbank</option>' in page


SORTS = [
    ("sort=received", "ACB"),  # newest first by default
    ("sort=received&order=asc", "BCA"),
    ("sort=reference", "ABC"),
    ("sort=reference&order=desc", "CBA"),
    ("sort=decision_due", "CBA"),  # B and C both due Mon 23: newest received first
    ("sort=decision_due&order=desc", "ACB"),
    ("sort=status", "ACB"),  # open first
    ("sort=status&order=desc", "BAC"),
    ("sort=reference&order=desc&status=open", "CA"),
]


@pytest.mark.parametrize(("query", "expected"), SORTS)
def test_each_sort_order_on_the_page_and_the_api(world, query, expected):
    assert _page(world, query) == expected
    assert _api(world, query) == expected


def test_sortable_headers_keep_the_filters_and_show_the_order(world):
    page = unescape(
        world["page"].get("/concerns/?status=open&type_of_risk=&sort=reference").get_data(True)
    )
    header = re.search(r'<th [^>]*aria-sort="ascending">\s*<a [^>]*href="([^"]+)"', page)
    assert header, "the sorted column says so"
    assert header.group(1) == "/concerns/?sort=reference&order=desc&status=open"
    received = re.search(r'href="(/concerns/\?sort=received[^"]*)"', page).group(1)
    assert received == "/concerns/?sort=received&order=desc&status=open"
    assert '<input type="hidden" name="sort" value="reference">' in page


def test_pagination_keeps_the_filters_and_the_sort(world):
    page = unescape(
        world["page"]
        .get("/concerns/?status=open&sort=reference&order=desc&per_page=1")
        .get_data(True)
    )
    assert "Page 1 of 2" in page
    next_link = re.search(r'href="(/concerns/\?page=2[^"]*)"', page).group(1)
    for part in ("status=open", "sort=reference", "order=desc", "per_page=1"):
        assert part in next_link
    second = unescape(world["page"].get(next_link).get_data(True))
    assert world["refs"]["A"] in second and world["refs"]["C"] not in second


def test_csv_export_follows_the_filters_and_the_sort(world):
    response = world["page"].get("/concerns/export.csv?status=open&sort=reference&order=desc")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert [row[0] for row in rows[1:]] == [world["refs"]["C"], world["refs"]["A"]]
    bad = world["page"].get("/concerns/export.csv?sort=colour")
    assert bad.status_code == 302 and bad.headers["Location"] == "/concerns/?sort=colour"


BAD_DATE = "Enter a real date, like 2026-11-20 or 20/11/2026"
BAD_VALUES = [
    ("sort=colour", "sort", "Sort by received, reference, decision_due or status"),
    ("order=sideways", "order", "Choose ascending (asc) or descending (desc) order"),
    ("received_from=31/02/2026", "received_from", BAD_DATE),
    ("received_to=yesterday", "received_to", BAD_DATE),
    (
        "received_from=2026-11-22&received_to=2026-11-21",
        "received_to",
        "The 'received to' date must be the same as or after the 'received from' date",
    ),
    ("status=pending", "status", "Choose open or closed"),
    ("sign_off=maybe", "sign_off", "Choose pending or signed_off"),
    ("decision=maybe", "decision", "Choose a screening decision from the list"),
    ("type_of_risk=gossip", "type_of_risk", "Choose a type of risk from the list"),
    ("agency_id=abc", "agency_id", "Choose an agency from the list"),
    ("agency_id=99999999999", "agency_id", "Choose an agency from the list"),
    ("establishment_id=0", "establishment_id", "Choose an establishment from the list"),
    (
        "agency_as=friend",
        "agency_as",
        "Choose whether the agency referred the concern or is involved in it",
    ),
]


@pytest.mark.parametrize(("query", "field", "message"), BAD_VALUES)
def test_bad_values_give_a_clear_error_on_the_page_and_422_in_the_api(world, query, field, message):
    page = world["page"].get(f"/concerns/?{query}")
    assert page.status_code == 400
    body = unescape(page.get_data(as_text=True))
    assert "<title>Error: Concerns" in body
    assert "There is a problem with the filters" in body
    assert f'href="#filter-{field}' in body and message in body
    assert "<table" not in body  # nothing listed under filters that were not applied
    response = world["api"].get(f"/api/v1/concerns/?{query}")
    assert response.status_code == 422
    assert response.json["errors"] == {field: [message]}


def test_practitioners_filter_only_the_concerns_they_may_see(world):
    police_client = world["app"].test_client()
    Auth(police_client, Factory(world["app"])).as_role(
        Role.AGENCY_PRACTITIONER, agency_id=world["police"], email="pc@example.org"
    )
    page = police_client.get("/concerns/?sort=reference").get_data(as_text=True)
    table = page[page.index("<table") :]
    assert re.findall(r"SG-2026-\d{6}", table) == [world["refs"]["A"], world["refs"]["B"]]
