"""The police plugin's forms: their questions, lists and definitions."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from plugins.forms import (
    FormDefinition,
    FormSchema,
    choice,
    date,
    datetime,
    text,
    textarea,
)

STATUSES = [
    ("reported", "Reported"),
    ("under_investigation", "Under investigation"),
    ("charged", "Charged"),
    ("cautioned", "Cautioned"),
    ("no_further_action", "No further action"),
    ("court_outcome", "Court outcome"),
]
OPEN_STATUSES = ("reported", "under_investigation", "charged")
OFFENCES = [
    ("violence", "Violence against the person"),
    ("sexual", "Sexual offences"),
    ("ill_treatment", "Ill-treatment or wilful neglect"),
    ("theft", "Theft"),
    ("fraud", "Fraud and financial abuse"),
    ("domestic_abuse", "Domestic abuse related"),
    ("modern_slavery", "Modern slavery"),
    ("criminal_damage", "Criminal damage"),
    ("other", "Other"),
]


class InvestigationSchema(FormSchema):
    crime_reference = text(
        "Crime reference number",
        hint="As on the force's crime system, for example NP/26/012345",
        max_length=40,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9/\-]{3,39}$",
        pattern_message="Crime reference number must be 4 to 40 letters, numbers, "
        "slashes or hyphens",
    )
    officer_in_charge = text("Officer in charge", hint="Rank, name and collar number")
    offence_category = choice("Offence category", OFFENCES, widget="select")
    reported_on = date("Date reported to the police")
    status = choice("Status", STATUSES)
    status_on = date("Date of this status")
    court_outcome = textarea(
        "Court outcome", required=False, hint="Only when the status is court outcome"
    )

    @ma.validates_schema(skip_on_field_errors=False)  # beside the answers' own checks
    def _status_fits(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        if data.get("status") == "court_outcome" and not data.get("court_outcome"):
            errors["court_outcome"] = ["Enter the court outcome"]
        if data.get("status") != "court_outcome" and data.get("court_outcome"):
            errors["court_outcome"] = ["Only give a court outcome when the status is court outcome"]
        status_on, reported_on = data.get("status_on"), data.get("reported_on")
        if status_on is not None and reported_on is not None and status_on < reported_on:
            errors["status_on"] = [
                "Date of this status must be the same as or after the date reported to the police"
            ]
        if errors:
            raise ma.ValidationError(errors)


PLACEMENTS = [
    ("foster_care", "Foster care"),
    ("childrens_home", "Children's home"),
    ("supported_accommodation", "Supported accommodation"),
    ("other", "Other placement"),
]


class MissingChildSchema(FormSchema):
    missing_from = text("Missing from", hint="The placement the child went missing from")
    placement = choice("Type of placement", PLACEMENTS)
    missing_at = datetime("Went missing")
    reported_at = datetime("Reported missing to the police")
    risk = choice(
        "Police risk assessment", [("high", "High"), ("medium", "Medium"), ("low", "Low")]
    )
    returned_at = datetime(
        "Returned", required=False, hint="Leave blank while the child is missing"
    )
    interview_at = datetime(
        "Return home interview held",
        required=False,
        hint="The protocol asks for it within 72 hours of the return",
    )

    @ma.validates_schema(skip_on_field_errors=False)  # beside the answers' own checks
    def _in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        missing, reported = data.get("missing_at"), data.get("reported_at")
        if missing is not None and reported is not None and reported < missing:
            errors["reported_at"] = ["Reported missing must be the same as or after went missing"]
        returned, interview = data.get("returned_at"), data.get("interview_at")
        if returned is not None and missing is not None and returned < missing:
            errors["returned_at"] = ["Returned must be after went missing"]
        if interview is not None and returned is None:
            errors["interview_at"] = ["Give the time the child returned before the interview"]
        elif interview is not None and returned is not None and interview < returned:
            errors["interview_at"] = ["Return home interview must be after the return"]
        if errors:
            raise ma.ValidationError(errors)


INVESTIGATION = FormDefinition(
    "police.investigation",
    "Police investigation",
    InvestigationSchema,
    attaches_to="concern",
    writers=frozenset({"police"}),
    description="The police investigation of this concern. Each change of status is kept "
    "as a new version, so the history shows every status with its date.",
    summary=("status", "crime_reference"),
)
MISSING_CHILD = FormDefinition(
    "police.missing_child",
    "Missing looked-after child",
    MissingChildSchema,
    attaches_to="concern",
    writers=frozenset({"police"}),
    description="A looked-after child missing from placement, under the joint foster care "
    "and police protocol.",
    serves="children",
    summary=("missing_at", "returned_at"),
)
