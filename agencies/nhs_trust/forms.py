"""The nhs trust plugin's forms: their questions, lists and definitions."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from plugins.forms import (
    FormDefinition,
    FormSchema,
    choice,
    date,
    datetime,
    integer,
    text,
    textarea,
    yes_no,
)

SETTINGS = [
    ("emergency_department", "Emergency department"),
    ("acute_inpatient", "Acute inpatient ward"),
    ("mental_health_inpatient", "Mental health inpatient ward"),
    ("maternity", "Maternity"),
    ("outpatients", "Outpatients"),
    ("community", "Community services"),
    ("other", "Other"),
]
RESPONSES = [
    ("psii", "Patient safety incident investigation (PSII)"),
    ("after_action_review", "After action review"),
    ("swarm_huddle", "Swarm huddle"),
    ("thematic_review", "Thematic review"),
    ("none_yet", "No learning response decided yet"),
]


def _quarters() -> list[tuple[str, str]]:
    """Financial-year quarters, ``2026-27-q1``: April to June 2026."""
    return [
        (f"{year}-{str(year + 1)[2:]}-q{q}", f"{year} to {year + 1}, quarter {q}")
        for year in range(2024, 2031)
        for q in (1, 2, 3, 4)
    ]


class PatientSafetyIncidentSchema(FormSchema):
    incident_reference = text(
        "Incident reference",
        hint="The trust's reference, or the Learn from patient safety events (LFPSE) reference",
        max_length=40,
    )
    setting = choice("Setting", SETTINGS, widget="select")
    occurred_on = date("Date of the incident")
    safeguarding_element = textarea(
        "The safeguarding element",
        hint="Why this patient safety incident is also about abuse or neglect",
    )
    learning_response = choice("Learning response (PSIRF)", RESPONSES)
    referral_made = yes_no("Was a safeguarding referral made?")
    referral_made_on = date("Date the referral was made", required=False)

    @ma.validates_schema(skip_on_field_errors=False)  # beside the answers' own checks
    def _referral_date(self, data: dict[str, Any], **kwargs: Any) -> None:
        on, made = data.get("referral_made_on"), data.get("referral_made")
        if made and on is None:
            raise ma.ValidationError("Enter date the referral was made", "referral_made_on")
        if made is False and on is not None:
            raise ma.ValidationError(
                "Only give a referral date when a referral was made", "referral_made_on"
            )
        occurred = data.get("occurred_on")
        if on is not None and occurred is not None and on < occurred:
            raise ma.ValidationError(
                "Date the referral was made must be the same as or after the incident",
                "referral_made_on",
            )


class DischargeSchema(FormSchema):
    # whether it was out of hours is worked out from the time (plugins.reports.out_of_hours)
    discharged_at = datetime("Discharged")
    discharged_to = text("Discharged to", hint="Own home, care home, family…")
    care_in_place = yes_no("Was care in place on arrival?")
    notes = textarea("What was arranged", required=False)


class TrainingReturnSchema(FormSchema):
    quarter = choice("Quarter", _quarters(), widget="select")
    staff_in_scope = integer("Staff in scope", minimum=1, maximum=200_000)
    level_1 = integer("Staff trained at level 1", maximum=200_000)
    level_2 = integer("Staff trained at level 2", maximum=200_000)
    level_3 = integer("Staff trained at level 3", maximum=200_000)

    # checked beside the other answers' own checks, so a page lists every problem at once
    @ma.validates_schema(skip_on_field_errors=False)
    def _not_more_than_in_scope(self, data: dict[str, Any], **kwargs: Any) -> None:
        in_scope = data.get("staff_in_scope")
        errors = {
            level: [f"{self.fields[level].metadata['label']} must not be more than staff in scope"]
            for level in ("level_1", "level_2", "level_3")
            if in_scope is not None and data.get(level) is not None and data[level] > in_scope
        }
        if errors:
            raise ma.ValidationError(errors)


TRUSTS = frozenset({"nhs_trust"})
INCIDENT = FormDefinition(
    "nhs_trust.patient_safety_incident",
    "Patient safety incident with a safeguarding element",
    PatientSafetyIncidentSchema,
    attaches_to="agency",
    writers=TRUSTS,
    description="A patient safety incident (Patient Safety Incident Response Framework) "
    "that has a safeguarding element.",
    summary=("incident_reference", "occurred_on"),
)
DISCHARGE = FormDefinition(
    "nhs_trust.discharge_notification",
    "Hospital discharge notification",
    DischargeSchema,
    attaches_to="concern",
    writers=TRUSTS,
    description="The person, whose case is open, was discharged from hospital: when, and "
    "whether care was in place. For a person with no open case, notify the discharge under "
    "Hospital discharges.",
    summary=("discharged_at", "care_in_place"),
)
TRAINING = FormDefinition(
    "nhs_trust.training_return",
    "Safeguarding training return",
    TrainingReturnSchema,
    attaches_to="agency",
    writers=TRUSTS,
    # a trust that keeps its staff training records in the hub (core/training) has its
    # quarterly return computed from them; this typed return is for the totals of one
    # that keeps its records elsewhere
    description="Staff in scope and trained at levels 1, 2 and 3, once a quarter, typed "
    "as totals: a trust that keeps its staff training records here has its return "
    "computed from them instead.",
    one_per=("quarter",),
    summary=("quarter", "staff_in_scope"),
)
