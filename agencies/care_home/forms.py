"""The care home plugin's forms: their questions, lists and definitions."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from plugins.forms import FormDefinition, FormSchema, choice, date, integer, text, textarea, yes_no

CQC_LOCATION = r"^1-\d{1,12}$"


class ProviderDetailsSchema(FormSchema):
    cqc_location_id = text(
        "CQC location ID",
        hint="1- followed by digits, as on the CQC register, for example 1-123456789",
        max_length=20,
        pattern=CQC_LOCATION,
        pattern_message="CQC location ID must be 1- followed by digits, like 1-123456789",
    )
    care_type = choice(
        "Type of care home", [("nursing", "Nursing"), ("residential", "Residential")]
    )
    beds = integer("Registered beds", minimum=1, maximum=1000)
    provider = text("Registered provider", hint="The provider's name on the CQC register")


class ProviderAlertSchema(FormSchema):
    incident_on = date("Date of the incident")
    what_happened = textarea("What happened", hint="No names: say 'resident A', 'staff member B'")
    people_affected = integer("People affected", minimum=1, maximum=500, required=False)
    immediate_actions = textarea(
        "Immediate actions taken", required=False, hint="Needed for the alert to be complete"
    )
    family_informed = yes_no(
        "Has the family or representative been told?",
        required=False,
        hint="Needed for the alert to be complete",
    )
    cqc_notified_on = date(
        "Date CQC was notified",
        required=False,
        hint="Regulation 18 notification. Leave blank until it is sent",
    )

    @ma.validates_schema(skip_on_field_errors=False)  # beside the answers' own checks
    def _notified_after_incident(self, data: dict[str, Any], **kwargs: Any) -> None:
        notified, incident = data.get("cqc_notified_on"), data.get("incident_on")
        if notified is not None and incident is not None and notified < incident:
            raise ma.ValidationError(
                "Date CQC was notified must be the same as or after the date of the incident",
                "cqc_notified_on",
            )


# what a complete alert has beyond the answers every alert must give
ALERT_REQUIRED_ITEMS = ("immediate_actions", "family_informed", "cqc_notified_on")

PROVIDER_DETAILS = FormDefinition(
    "care_home.provider_details",
    "Care home provider details",
    ProviderDetailsSchema,
    attaches_to="establishment",
    writers=frozenset({"care_provider", "local_authority"}),
    description="The care home's entry on the CQC register.",
    summary=("cqc_location_id", "care_type"),
)
PROVIDER_ALERT = FormDefinition(
    "care_home.provider_alert",
    "Provider alert",
    ProviderAlertSchema,
    attaches_to="establishment",
    writers=frozenset({"care_provider"}),
    description="An incident at the care home, and its CQC regulation 18 notification.",
    summary=("incident_on", "cqc_notified_on"),
)
