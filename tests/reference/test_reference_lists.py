"""The category lists match DESIGN.md section 6 exactly."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from core.reference import (
    Ethnicity,
    LocationOfRisk,
    PlanCategory,
    RiskAfterAction,
    RiskOutcome,
    Sex,
    SourceOfRisk,
    TypeOfRisk,
    age_band,
    age_on,
    icpc_timeliness_band,
    valid_nhs_number,
)

# Copied word for word from ../shared/DESIGN.md section 6 (the product design).
DESIGN_LISTS = {
    "Type of risk": "Physical Abuse; Sexual Abuse; Psychological Abuse; Financial or Material "
    "Abuse; Discriminatory Abuse; Organisational Abuse; Neglect and Acts of Omission; Domestic "
    "Abuse; Sexual Exploitation; Modern Slavery; Self-Neglect.",
    "Location of risk": "Own Home; In the Community (excluding community services); In a "
    "Community Service; Care Home – Nursing; Care Home – Residential; Hospital – Acute; "
    "Hospital – Mental Health; Hospital – Community; Other.",
    "Source of risk": "Service Provider; Other – Known to individual; Other – Unknown to "
    "individual.",
    "Risk assessment outcome": "Risk identified and action taken; Risk identified and no action "
    "taken; Risk – assessment inconclusive and action taken; Risk – assessment inconclusive and "
    "no action taken; No risk identified and action taken; No risk identified and no action "
    "taken; Enquiry ceased at individual's request and no action taken.",
}
DESIGN_FILE = Path(__file__).resolve().parents[3] / "shared" / "DESIGN.md"


def _design_list(heading: str) -> list[str]:
    return [item.strip().rstrip(".") for item in DESIGN_LISTS[heading].split(";")]


def test_the_copied_lists_are_still_those_of_the_design():
    """When the design sits beside the checkout (as in CI), check the copy above."""
    if not DESIGN_FILE.exists():
        return
    text = " ".join(DESIGN_FILE.read_text().split())
    for heading, items in DESIGN_LISTS.items():
        assert f"- {heading}: {items.rstrip('.')}" in text, heading


@pytest.mark.parametrize(
    ("heading", "enum"),
    [
        ("Type of risk", TypeOfRisk),
        ("Location of risk", LocationOfRisk),
        ("Source of risk", SourceOfRisk),
    ],
)
def test_lists_match_the_design_word_for_word(heading, enum):
    assert [member.label for member in enum] == _design_list(heading)


def test_risk_outcomes_match_the_design():
    listed = _design_list("Risk assessment outcome")
    assert [member.label for member in RiskOutcome] == listed
    assert [member.label for member in RiskAfterAction] == [
        "Risk remained",
        "Risk reduced",
        "Risk removed",
    ]


def test_ethnicity_and_sex_match_the_design():
    assert [e.label for e in Ethnicity] == [
        "White",
        "Mixed / Multiple",
        "Asian / Asian British",
        "Black / African / Caribbean / Black British",
        "Other Ethnic Group",
        "Refused",
        "Undeclared / Not Known",
    ]
    assert [s.label for s in Sex] == ["Male", "Female", "Not known"]
    assert [c.value for c in PlanCategory] == ["NEG", "PHY", "EMO", "SAB", "MUL"]


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
