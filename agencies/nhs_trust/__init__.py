"""NHS trusts and other NHS bodies: agency types now; incident and training forms later."""

from plugins import AgencyType, hookimpl


@hookimpl
def register_agency_types() -> list[AgencyType]:
    return [
        AgencyType("nhs_trust", "NHS trust", "An acute, mental health or community NHS trust."),
        AgencyType(
            "nhs_icb",
            "NHS integrated care board",
            "The integrated care board that commissions local NHS services.",
        ),
        AgencyType("gp_practice", "GP practice", "A general practice."),
    ]
