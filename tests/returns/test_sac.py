"""The Safeguarding Adults Collection: what each table counts, its labels (the national
labels, as copied in tests/reference/national_lists.json), the pages, the CSV, the workbook
and the API."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from core.auth.roles import Role
from core.concerns.models import Decision
from core.extensions import db
from core.reference import (
    LackedCapacity,
    LocationOfRisk,
    MspAchieved,
    MspAsked,
    RiskAfterAction,
    RiskOutcome,
    SourceOfRisk,
    TypeOfRisk,
)
from core.returns import sac
from tests.auth.helpers import log_entries
from tests.reference.test_reference_lists import PUBLISHED
from tests.returns.helpers import concern, person

CODES = PUBLISHED["sac_tables"]["codes"]


def _figures(app, build) -> sac.Collection:
    with app.app_context():
        build()
        db.session.commit()
        return sac.collection(2026)


def _rows(table: sac.Table) -> dict[str, list[int]]:
    return {row.label: row.values for row in table.rows}


def test_an_enquiry_with_two_types_of_risk_counts_once_in_each_type_in_sg2a(app, factory):
    user = factory.user()
    s42, other = Decision.SECTION_42, Decision.OTHER_ENQUIRY

    def build():
        two = (TypeOfRisk.PHYSICAL, TypeOfRisk.FINANCIAL)
        concern(user, decision=s42, types=two, closed="2026-09-01")
        concern(user, decision=s42, types=(TypeOfRisk.PHYSICAL,), closed="2027-03-30")
        concern(user, decision=other, types=(TypeOfRisk.NEGLECT,), closed="2026-06-01")
        # not counted: concluded before the year, still open, a child, deleted, no enquiry
        concern(user, decision=s42, types=two, closed="2026-03-30")
        concern(user, decision=s42, types=two)
        concern(user, decision=s42, types=two, closed="2026-09-01", is_child=True)
        concern(user, decision=s42, types=two, closed="2026-09-01", deleted_at=datetime.now(UTC))
        concern(user, decision=Decision.NO_FURTHER_ACTION, types=two, closed="2026-09-01")

    rows = _rows(_figures(app, build).table("SG2a"))
    assert rows["Physical Abuse"] == [2, 0]
    assert rows["Financial or Material Abuse"] == [1, 0]
    assert rows["Neglect and Acts of Omission"] == [0, 1]
    assert rows["Self-Neglect"] == [0, 0]
    assert list(rows) == [t.label for t in TypeOfRisk]


def test_sg1_counts_each_adult_once_and_each_case_and_judges_the_year_in_local_time(app, factory):
    user = factory.user()

    def build():
        ada = person(date_of_birth=date(1950, 4, 1), sex="female")  # 76 on 31 March 2027
        concern(user, received="2026-05-01", who=ada, decision=Decision.SECTION_42)
        concern(user, received="2026-06-01", who=ada, decision=Decision.SECTION_42)
        young = person(date_of_birth=date(1990, 1, 1), sex="male")
        concern(user, received="2026-07-01", who=young, decision=Decision.OTHER_ENQUIRY)
        unknown = person()
        late = concern(user, received="2026-04-01", who=unknown)
        # 00:30 on 1 April in London is 23:30 on 31 March in UTC: in the year
        late.received_at = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
        early = concern(user, received="2027-03-31", who=person(estimated_age=30))
        # 00:30 on 1 April 2027 in London: the next year
        early.received_at = datetime(2027, 3, 31, 23, 30, tzinfo=UTC)

    figures = _figures(app, build)
    ages = _rows(figures.table("SG1a"))
    assert ages["75–84"] == [1, 1, 0]
    assert ages["18–64"] == [1, 0, 1]
    assert ages["unknown"] == [1, 0, 0]
    assert sum(v[0] for v in ages.values()) == 3
    cases = _rows(figures.table("SG1d"))
    assert cases["75–84"] == [2, 2, 0]
    sexes = _rows(figures.table("SG1b"))
    assert sexes["Female"] == [1, 1, 0]
    assert sexes["Male"] == [1, 0, 1]
    assert sexes["Not known"] == [1, 0, 0]


def test_outcome_capacity_and_msp_tables(app, factory):
    user = factory.user()

    def build():
        # supported by an advocate in this enquiry; whether the person record names an
        # advocate does not count
        concern(
            user,
            who=person(date_of_birth=date(1940, 1, 1)),
            advocacy=LackedCapacity.YES,
            decision=Decision.SECTION_42,
            closed="2026-10-01",
            risk_outcome=RiskOutcome.IDENTIFIED_ACTION,
            risk_after_action=RiskAfterAction.REMOVED,
            lacked_capacity=LackedCapacity.YES,
            msp_asked=MspAsked.EXPRESSED,
            msp_achieved=MspAchieved.PARTIALLY,
            location=LocationOfRisk.CARE_HOME_NURSING,
            source_of_risk=SourceOfRisk.SERVICE_PROVIDER,
        )
        concern(
            user,
            decision=Decision.SECTION_42,
            closed="2026-10-02",
            risk_outcome=RiskOutcome.NONE_NO_ACTION,
            lacked_capacity=LackedCapacity.NO,
            msp_asked=MspAsked.NOT_ASKED,
        )
        # no risk identified, action taken: there is no risk whose result SG2e counts,
        # even where an older record holds one
        concern(
            user,
            decision=Decision.SECTION_42,
            closed="2026-10-03",
            risk_outcome=RiskOutcome.NONE_ACTION,
            risk_after_action=RiskAfterAction.REMOVED,
            lacked_capacity=LackedCapacity.NO,
            msp_asked=MspAsked.NOT_ASKED,
        )
        concern(
            user,
            who=person(advocate="An advocate named on the person record"),
            decision=Decision.SECTION_42,
            closed="2026-10-04",
            risk_outcome=RiskOutcome.IDENTIFIED_NO_ACTION,
            lacked_capacity=LackedCapacity.YES,
            advocacy=LackedCapacity.NO,
            msp_asked=MspAsked.NOT_EXPRESSED,
        )

    figures = _figures(app, build)
    assert _rows(figures.table("SG2b"))["Care Home – Nursing"] == [1, 0, 0]
    assert _rows(figures.table("SG2b"))["Own Home"] == [0, 3, 0]
    assert _rows(figures.table("SG2c"))["Risk identified and action taken"] == [1, 0]
    assert _rows(figures.table("SG2c"))["No risk identified and no action taken"] == [1, 0]
    assert _rows(figures.table("SG2e")) == {
        "Risk remained": [0, 0],
        "Risk reduced": [0, 0],
        "Risk removed": [1, 0],
    }
    assert _rows(figures.table("SG3a"))["Yes"] == [2, 1]
    assert _rows(figures.table("SG3a"))["No"] == [2, 0]
    msp = _rows(figures.table("SG4a"))
    assert msp["Yes, they were asked and outcomes were expressed"] == [1, 0, 1, 0]
    assert msp["No"] == [2, 0, 0, 0]
    assert msp["Yes, they were asked but no outcomes were expressed"] == [1, 0, 0, 0]


def test_an_enquiry_with_two_locations_and_two_sources_counts_in_each_row_and_column(app, factory):
    user = factory.user()
    home, nursing = LocationOfRisk.OWN_HOME, LocationOfRisk.CARE_HOME_NURSING
    provider, known = SourceOfRisk.SERVICE_PROVIDER, SourceOfRisk.KNOWN

    def build():
        both = dict(locations=(home, nursing), sources=(provider, known))
        concern(user, decision=Decision.SECTION_42, closed="2026-09-01", **both)
        concern(user, decision=Decision.SECTION_42, closed="2026-09-02", locations=(home,))
        concern(user, decision=Decision.OTHER_ENQUIRY, closed="2026-09-03", **both)

    figures = _figures(app, build)
    s42 = _rows(figures.table("SG2b"))
    assert s42["Own Home"] == [1, 2, 0]
    assert s42["Care Home – Nursing"] == [1, 1, 0]
    other = _rows(figures.table("SG2d"))
    assert other["Own Home"] == [1, 1, 0] and other["Care Home – Nursing"] == [1, 1, 0]
    assert figures.table("SG2d").row_heading == "Location of risk"


def test_enquiries_start_and_conclude_on_their_own_dates_not_the_case_s(app, factory):
    user = factory.user()

    def build():
        # decided and started in March 2026, before the year: not counted
        concern(user, received="2026-03-20", decision=Decision.SECTION_42, decided="2026-03-25")
        # decided in March, its enquiry started in April: counted
        late = concern(user, received="2026-03-20", decision=Decision.SECTION_42)
        late.enquiry.started_on = date(2026, 4, 2)
        # concluded in the year, case still open: counted
        concern(user, decision=Decision.SECTION_42, concluded="2026-12-01")
        # case closed in the year, enquiry concluded the year before: not counted
        concern(
            user,
            received="2025-12-01",
            decision=Decision.SECTION_42,
            concluded="2026-03-30",
            closed="2026-05-01",
        )
        # case closed in the year, enquiry still open: not counted
        open_one = concern(user, decision=Decision.SECTION_42, closed="2026-05-01")
        open_one.enquiry.concluded_on = None

    figures = _figures(app, build)
    assert sum(row.values[1] for row in figures.table("SG1d").rows) == 3
    assert sum(row.values[0] for row in figures.table("SG2a").rows) == 1


# --- Row labels are the national labels ------------------------------------------------------


def test_every_row_label_of_every_table_is_a_national_label(app):
    """Every row of every table is labelled from the copy of the published lists."""
    national = {
        label
        for entry in PUBLISHED.values()
        if isinstance(entry, dict)
        for label in entry.get("labels", ())
    }
    with app.app_context():
        figures = sac.collection(2026)
    assert [t.code for t in figures.tables] == CODES
    for table in figures.tables:
        for row in table.rows:
            assert row.label in national, (table.code, row.label)


# --- Pages, exports and the API ---------------------------------------------------------------


def _board_data(app, factory):
    user = factory.user()
    with app.app_context():
        for _ in range(6):
            concern(user, decision=Decision.SECTION_42, closed="2026-09-01")
        concern(user, decision=Decision.SECTION_42, types=(TypeOfRisk.SEXUAL,), closed="2026-09-01")
        db.session.commit()


def test_the_workbook_opens_with_openpyxl_with_one_sheet_per_table(app, factory, auth):
    _board_data(app, factory)
    auth.as_role(Role.BOARD_MEMBER)
    response = auth.client.get("/returns/sac.xlsx?year=2026")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Sign Off", *CODES]
    assert [row[0] for row in book["Sign Off"].iter_rows(min_row=3, values_only=True)] == [
        "Local authority",
        "Name of the person signing off",
        "Job title",
        "Email address",
        "Date signed off",
    ]
    sheet = book["SG2a"]
    cells = {row[0]: row[1:] for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert cells["Neglect and Acts of Omission"][0] == 6
    assert cells["Sexual Abuse"][0] == "*"  # a count under 5, suppressed for the board
    # section 42 counts are mandatory (white), other enquiries voluntary (blue)
    assert sheet["B6"].fill.fill_type is None
    assert sheet["C6"].fill.start_color.rgb.endswith("DDEBF7")
    sg1a = book["SG1a"]
    assert [sg1a.cell(6, column).fill.fill_type for column in (2, 3, 4)] == [
        "solid",
        None,
        "solid",
    ]


def test_pages_and_csv_for_the_board_and_the_team(app, factory, auth):
    _board_data(app, factory)
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    page = auth.client.get("/returns/sac?year=2026")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "SG2a: Concluded enquiries by type of risk" in html
    assert "Making Safeguarding Personal" in html
    table = auth.client.get("/returns/sac/sg2a.csv?year=2026")
    rows = list(csv.reader(io.StringIO(table.get_data(as_text=True))))
    assert rows[0] == ["Type of risk", *sac.CONCLUDED]
    assert ["Sexual Abuse", "1", "0"] in rows  # the team's export is not suppressed
    assert auth.client.get("/returns/sac/sg9z?year=2026").status_code == 404
    auth.sign_out()
    auth.as_role(Role.BOARD_MEMBER)
    for url in ("/returns/", "/returns/sac?year=2026", "/returns/sac/sg4a?year=2026"):
        assert auth.client.get(url).status_code == 200, url
    rows = list(
        csv.reader(
            io.StringIO(auth.client.get("/returns/sac/sg2a.csv?year=2026").get_data(as_text=True))
        )
    )
    assert ["Sexual Abuse", "*", "0"] in rows


def test_a_bad_year_gets_an_error_summary_not_a_500(auth):
    auth.as_role(Role.BOARD_MEMBER)
    page = auth.client.get("/returns/sac?year=twenty")
    assert page.status_code == 400
    assert "There is a problem" in page.get_data(as_text=True)
    assert auth.client.get("/returns/sac.xlsx?year=99999").status_code == 400


def test_practitioners_and_auditors_cannot_see_the_returns(auth):
    auth.as_role(Role.AGENCY_PRACTITIONER)
    assert auth.client.get("/returns/sac").status_code == 403


def test_the_api_gives_the_tables(app, factory, api_as):
    _board_data(app, factory)
    board = api_as(Role.BOARD_MEMBER)
    response = board.get("/api/v1/returns/sac?year=2026")
    assert response.status_code == 200
    body = response.json
    assert body["period_start"] == "2026-04-01" and body["period_end"] == "2027-03-31"
    assert [t["code"] for t in body["tables"]] == CODES
    sg2a = next(t for t in body["tables"] if t["code"] == "SG2a")
    assert {"label": "Sexual Abuse", "values": [1, 0]} in sg2a["rows"]
    assert board.get("/api/v1/returns/sac?year=1066").status_code == 422
    assert api_as(Role.AGENCY_PRACTITIONER).get("/api/v1/returns/sac").status_code == 403


def test_the_table_codes_a_page_may_name_are_the_collections(app):
    with app.app_context():
        figures = sac.collection(2026)
    assert sorted(t.code for t in figures.tables) == sorted(sac.TABLE_CODES)


def test_a_tables_read_and_export_are_logged_by_its_code_and_the_workbook_as_such(app, auth):
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    for path in ("/returns/sac/sg2a?year=2026&sac_table=x", "/returns/sac/SG2A.csv?year=2026"):
        assert auth.client.get(path).status_code == 200, path
    assert auth.client.get("/returns/sac.xlsx?year=2026").status_code == 200
    assert auth.client.get("/returns/sac/sg9z?year=2026").status_code == 404
    entries = [
        (e.action, e.object_id, e.outcome)
        for e in log_entries(app, object_type="return")
        if e.action != "returns.sac.list"
    ]
    assert entries == [
        ("returns.sac.view", "SG2a", "allowed"),
        ("returns.sac.export", "SG2a", "allowed"),
        ("returns.sac.export", "workbook", "allowed"),
        ("returns.sac.view", "sg9z", "denied"),
    ]
