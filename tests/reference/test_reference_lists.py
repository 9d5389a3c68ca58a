"""The national lists in the product match the copy of the published text kept in
``national_lists.json`` beside this file, label for label and in order."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from core.reference import (
    AGE_BANDS,
    AGE_UNKNOWN,
    CHILD_CATEGORIES,
    AssessmentFactor,
    ClosureReason,
    Ethnicity,
    HateStrand,
    LackedCapacity,
    LocationOfRisk,
    MspAchieved,
    MspAsked,
    PlanCategory,
    PrimaryNeed,
    PrimarySupportReason,
    ReferralSource,
    RiskAfterAction,
    RiskOutcome,
    Sex,
    SourceOfRisk,
    TrainingLevel,
    TrustOutcome,
    TypeOfRisk,
    age_band,
    age_on,
    icpc_timeliness_band,
    valid_nhs_number,
)
from core.returns import sac

PUBLISHED = json.loads((Path(__file__).with_name("national_lists.json")).read_text("utf-8"))
LISTS = {
    "type_of_risk": TypeOfRisk,
    "location_of_risk": LocationOfRisk,
    "source_of_risk": SourceOfRisk,
    "risk_assessment_outcome": RiskOutcome,
    "risk_after_action": RiskAfterAction,
    "msp_asked": MspAsked,
    "msp_achieved": MspAchieved,
    "lacked_capacity": LackedCapacity,
    "sex": Sex,
    "ethnicity": Ethnicity,
    "primary_support_reason": PrimarySupportReason,
    "hate_crime_strands": HateStrand,
    "safeguarding_training_levels": TrainingLevel,
    "position_of_trust_outcomes": TrustOutcome,
}


# the CIN census lists, compared code and label
CODED = {
    "cp_plan_category": PlanCategory,
    "cin_referral_source": ReferralSource,
    "cin_primary_need": PrimaryNeed,
    "cin_closure_reason": ClosureReason,
    "cin_assessment_factors": AssessmentFactor,
}


def product_lists() -> dict[str, list[str]]:
    """Every national list as the product labels it."""
    lists = {name: [member.label for member in enum] for name, enum in LISTS.items()}
    lists["age_bands"] = [*AGE_BANDS, AGE_UNKNOWN]
    lists["child_categories_of_abuse"] = list(CHILD_CATEGORIES.values())
    for name, enum in CODED.items():
        lists[name] = [f"{c.value} {c.label}" for c in enum]
    return lists


def published_lists(published: dict) -> dict[str, list[str]]:
    lists = {
        name: entry["labels"]
        for name, entry in published.items()
        if isinstance(entry, dict) and "labels" in entry
    }
    for name in CODED:
        codes = published[name]["codes"]
        lists[name] = [f"{code} {label}" for code, label in codes.items()]
    return lists


def differences(product: dict[str, list[str]], published: dict[str, list[str]]) -> list[str]:
    """Each list whose labels or order differ, with the first label that does."""
    found = []
    for name in sorted(product.keys() | published.keys()):
        ours, theirs = product.get(name), published.get(name)
        if ours != theirs:
            pairs = zip(ours or [], theirs or [], strict=False)
            first = next(((a, b) for a, b in pairs if a != b), (ours, theirs))
            found.append(f"{name}: {first[0]!r} != {first[1]!r}")
    return found


def test_every_published_list_names_its_source():
    for name, entry in PUBLISHED.items():
        if not name.startswith("_"):
            assert len(entry["source"]) > 20, name


def test_the_product_lists_are_the_published_lists():
    assert differences(product_lists(), published_lists(PUBLISHED)) == []


@pytest.mark.parametrize("name", [*LISTS, "age_bands", "child_categories_of_abuse", *CODED])
def test_one_changed_label_is_caught(name):
    """The comparison above fails when the product changes a single label of any list
    (here, a copy of the product's lists with one label altered)."""
    altered = copy.deepcopy(product_lists())
    altered[name][-1] = altered[name][-1] + " (changed)"
    assert differences(altered, published_lists(PUBLISHED)) == [
        f"{name}: {altered[name][-1]!r} != {product_lists()[name][-1]!r}"
    ]


def test_a_reordered_or_missing_label_is_caught():
    published = copy.deepcopy(PUBLISHED)
    published["type_of_risk"]["labels"].reverse()
    del published["sex"]["labels"][-1]
    found = differences(product_lists(), published_lists(published))
    assert [line.split(":")[0] for line in found] == ["sex", "type_of_risk"]


def test_supported_by_an_advocate_and_the_cases_where_action_was_taken():
    assert PUBLISHED["lacked_capacity"]["supported"] == sac.SUPPORTED
    assert [o.label for o in RiskOutcome if o.action_taken] == (
        PUBLISHED["risk_assessment_outcome"]["action_taken"]
    )


def test_the_result_is_recorded_only_where_a_risk_was_identified_or_inconclusive():
    assert [o.label for o in RiskOutcome if o.result_recorded] == (
        PUBLISHED["risk_assessment_outcome"]["result_recorded"]
    )


def test_the_sac_tables_are_the_published_tables(app):
    """Codes in the published order; SG1a to SG1c count individuals, SG1d and SG1e cases."""
    published = PUBLISHED["sac_tables"]
    with app.app_context():
        tables = sac.collection(2026).tables
    assert [table.code for table in tables] == published["codes"]
    by_code = {table.code: table for table in tables}
    for code in published["individuals"]:
        assert by_code[code].columns == sac.INDIVIDUALS, code
    for code in published["cases"]:
        assert by_code[code].columns == sac.CASES, code


def test_action_taken_outcomes():
    assert {o for o in RiskOutcome if o.action_taken} == {
        RiskOutcome.IDENTIFIED_ACTION,
        RiskOutcome.INCONCLUSIVE_ACTION,
        RiskOutcome.NONE_ACTION,
    }


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, "unknown"),
        (17, "unknown"),
        (18, "18–64"),
        (64, "18–64"),
        (65, "65–74"),
        (84, "75–84"),
        (85, "85–94"),
        (94, "85–94"),
        (95, "95+"),
        (103, "95+"),
    ],
)
def test_age_bands(age, band):
    assert age_band(age) == band


def test_age_on_a_day_counts_birthdays():
    assert age_on(date(1950, 6, 15), date(2026, 6, 14)) == 75
    assert age_on(date(1950, 6, 15), date(2026, 6, 15)) == 76


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (0, "0–10"),
        (10, "0–10"),
        (11, "11–15"),
        (15, "11–15"),
        (16, "16–20"),
        (20, "16–20"),
        (21, "21+"),
        (90, "21+"),
    ],
)
def test_icpc_timeliness_bands(days, band):
    assert icpc_timeliness_band(days) == band


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("943 476 5919", True),
        ("9434765919", True),
        ("943-476-5919", True),
        ("9434765918", False),
        ("943476591", False),
        ("94347659199", False),
        ("abcdefghij", False),
        ("4010232137", True),
        ("0000000000", True),
        ("1000000001", True),
        ("1000000002", False),
    ],
)
def test_nhs_number_check_digit(number, valid):
    assert valid_nhs_number(number) is valid


def test_the_complaints_timescales_are_the_regulations():
    """Each statutory complaints timescale, its length and the regulation beside it, as
    the copy of the regulations has them."""
    from core.reference import COMPLAINT_TIMESCALES

    product = [
        {
            key: value
            for key, value in (
                ("procedure", t.procedure.value),
                ("step", t.step),
                ("working_days", t.working_days),
                ("months", t.months),
                ("extended_days", t.extended_days),
            )
            if value is not None
        }
        for t in COMPLAINT_TIMESCALES
    ]
    published = PUBLISHED["complaint_timescales"]["timescales"]
    assert product == [{k: v for k, v in t.items() if k != "regulation"} for t in published]
    for timescale, copy_of in zip(COMPLAINT_TIMESCALES, published, strict=True):
        assert copy_of["regulation"] in timescale.regulation
