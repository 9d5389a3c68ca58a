"""The children in need census file: the demo county's and a generated county's pass the
DfE's own validator (csc-validator-be-cin, rules for 2025-26) with no errors, and a record
broken on purpose is caught by the rule it breaks; the file from the command line, the
page and the API are the same file."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from core.auth.roles import Role
from core.concerns.models import Concern, ConcernStatus
from core.db import utcnow
from core.demo.operations import DEMO_CHILDREN, add_caseload, load_caseload, load_demo
from core.extensions import db
from core.plans.models import Plan
from core.reference import ClosureReason
from core.returns import cin_census
from tests.support.cin_validator import validate

YEAR = cin_census.CensusYear.parse("2025-26")
# the day the census is made: after the year, as a council makes it
MADE = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


def _census(app: Flask) -> cin_census.Census:
    with app.app_context():
        return cin_census.build(YEAR, utcnow())


@pytest.fixture
def demo(app: Flask, clock) -> Flask:
    clock.set(MADE)
    with app.app_context():
        load_demo()
        load_caseload(DEMO_CHILDREN)
    return app


@pytest.fixture
def county(app: Flask, clock) -> Flask:
    """A generated county: 400 children referred over the 18 months to the day it is made."""
    clock.set(MADE)
    with app.app_context():
        load_demo()
        add_caseload(400, MADE.date(), seed=11)
    return app


def test_the_demo_countys_census_file_passes_the_dfe_validator(demo):
    census = _census(demo)
    assert census.children >= 20, "the demo has children's cases in the year"
    verdict = validate(census.xml)
    assert verdict.rules_run > 100
    assert verdict.errors == [], verdict.describe()


def test_a_generated_countys_census_file_passes_the_dfe_validator(county):
    census = _census(county)
    root = ET.fromstring(census.xml)  # noqa: S314 - the file we made
    # every part of the file is there: assessments, enquiries, both kinds of plan, reviews
    for tag in (
        "Assessments",
        "FactorsIdentifiedAtAssessment",
        "Section47",
        "DateOfInitialCPC",
        "ChildProtectionPlans",
        "Reviews",
        "CINPlanDates",
        "CINclosureDate",
        "ReasonForClosure",
    ):
        assert root.find(f".//{tag}") is not None, tag
    assert {e.text for e in root.iter("ReferralNFA")} == {"true", "false"}
    verdict = validate(census.xml)
    assert verdict.errors == [], verdict.describe()


def _break(xml: bytes, change: Callable[[ET.Element], str]) -> tuple[bytes, str]:
    root = ET.fromstring(xml)  # noqa: S314 - the file we made
    child_id = change(root)
    assert child_id
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), child_id


def test_a_record_broken_on_purpose_is_caught_by_the_rule_it_breaks(demo):
    """The check can fail: an ICPC dated before its section 47 enquiry started is rule
    8615, a referral without its source is 8866, and nothing else changed is reported."""
    xml = _census(demo).xml

    def icpc_before_enquiry(root: ET.Element) -> str:
        for child in root.iter("Child"):
            for enquiry in child.iter("Section47"):
                icpc = enquiry.find("DateOfInitialCPC")
                if icpc is not None:
                    start = date.fromisoformat(enquiry.findtext("S47ActualStartDate"))
                    icpc.text = date.fromordinal(start.toordinal() - 1).isoformat()
                    return child.findtext("ChildIdentifiers/LAchildID")
        return ""

    broken, child_id = _break(xml, icpc_before_enquiry)
    verdict = validate(broken)
    assert "8615" in verdict.error_rules, verdict.describe()
    assert {issue.child for issue in verdict.errors} == {child_id}

    def no_source(root: ET.Element) -> str:
        child = next(root.iter("Child"))
        details = child.find("CINdetails")
        details.remove(details.find("ReferralSource"))
        return child.findtext("ChildIdentifiers/LAchildID")

    broken, child_id = _break(xml, no_source)
    verdict = validate(broken)
    assert verdict.error_rules == {"8866"}, verdict.describe()
    assert {issue.child for issue in verdict.errors} == {child_id}


def test_the_file_is_as_things_stood_on_the_reference_date(demo):
    """What happened after 31 March is not in the file, whenever it is made: here every
    case and plan still open is closed and ended in May, after the census's year."""
    early = _census(demo)
    with demo.app_context():
        open_cases = db.session.scalars(
            sa.select(Concern).where(Concern.is_child, Concern.status == ConcernStatus.OPEN)
        ).all()
        assert open_cases
        for concern in open_cases:
            concern.status = ConcernStatus.CLOSED
            concern.closed_at = datetime(2026, 5, 5, 15, 0, tzinfo=UTC)
            concern.closure_reason = ClosureReason.RC7
        for plan in db.session.scalars(sa.select(Plan).where(Plan.ended_on.is_(None))):
            plan.ended_on = date(2026, 5, 1)
        db.session.commit()
    later = _census(demo)
    assert later.children == early.children
    strip = re.compile(rb"<DateTime>[^<]*</DateTime>")
    assert strip.sub(b"", later.xml) == strip.sub(b"", early.xml)


def test_the_command_line_writes_the_file(demo, runner, tmp_path: Path):
    output = tmp_path / "cin.xml"
    result = runner.invoke(args=["returns", "cin-census", "--year", "2025-26", "--output", output])
    assert result.exit_code == 0, result.output
    assert "CIN census 2025-26:" in result.output
    census = _census(demo)
    assert f"{census.children} children" in result.output
    strip = re.compile(rb"<DateTime>[^<]*</DateTime>")
    assert strip.sub(b"", output.read_bytes()) == strip.sub(b"", census.xml)
    assert validate(output.read_bytes()).errors == []
    for query in census.queries[:3]:
        assert f"query\t{query.child}\t{query.reference}\t{query.message}" in result.output


@pytest.mark.parametrize("year", ["2025", "2025-27", "25-26", "2025/26", "next year"])
def test_the_command_line_refuses_a_year_it_cannot_read(app, runner, tmp_path, year):
    output = tmp_path / "cin.xml"
    result = runner.invoke(args=["returns", "cin-census", "--year", year, "--output", output])
    assert result.exit_code == 2
    assert "write it as 2025-26" in result.output
    assert not output.exists()


def test_the_page_and_the_api_give_the_same_file_and_queries(demo, auth, api_as, factory):
    manager = api_as(Role.SAFEGUARDING_MANAGER)
    summary = manager.get("/api/v1/returns/cin-census?year=2025-26")
    assert summary.status_code == 200, summary.json
    census = _census(demo)
    assert summary.json["children"] == census.children
    assert summary.json["reference_date"] == "2026-03-31"
    assert summary.json["la_code_set"] is False
    assert [q["message"] for q in summary.json["queries"]] == [q.message for q in census.queries]
    xml = manager.get(summary.json["file"])
    assert xml.status_code == 200
    assert xml.mimetype == "application/xml"
    assert 'filename="cin-census-2025-26.xml"' in xml.headers["Content-Disposition"]
    strip = re.compile(rb"<DateTime>[^<]*</DateTime>")
    assert strip.sub(b"", xml.data) == strip.sub(b"", census.xml)
    factory.user(role=Role.SAFEGUARDING_MANAGER, email="census@example.org")
    auth.sign_in("census@example.org")
    page = auth.client.get("/returns/cin-census?year=2025-26")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"{census.children} children" in text
    assert "LA_CODE" in text  # the warning: the header says 000 until it is set
    assert census.queries[0].reference in text
    download = auth.client.get("/returns/cin-census.xml?year=2025-26")
    assert strip.sub(b"", download.data) == strip.sub(b"", census.xml)


def test_a_year_that_cannot_be_read_is_a_clear_error(demo, auth, api_as, factory):
    manager = api_as(Role.SAFEGUARDING_MANAGER)
    refused = manager.get("/api/v1/returns/cin-census?year=2025")
    assert refused.status_code == 422
    assert "write it as 2025-26" in refused.json["errors"]["year"][0]
    factory.user(role=Role.SAFEGUARDING_MANAGER, email="census@example.org")
    auth.sign_in("census@example.org")
    page = auth.client.get("/returns/cin-census?year=2025")
    assert page.status_code == 400
    assert "Error: Children in need census" in page.get_data(as_text=True)
    assert auth.client.get("/returns/cin-census.xml?year=2025").status_code == 400


def test_the_header_names_the_council_by_its_la_code(app_factory, clock):
    clock.set(MADE)
    app = app_factory(LA_CODE="332")
    with app.app_context():
        made = cin_census.build(YEAR, utcnow()).xml
    header = ET.fromstring(made).find("Header")  # noqa: S314 - the file we made
    assert header.findtext("Source/LEA") == "332"
    assert header.findtext("CollectionDetails/Year") == "2026"
    assert header.findtext("CollectionDetails/ReferenceDate") == "2026-03-31"
