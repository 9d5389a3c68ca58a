"""Care providers: agency type now; provider register and CQC alert tracking later."""

from plugins import AgencyType, hookimpl


@hookimpl
def register_agency_types() -> list[AgencyType]:
    return [
        AgencyType(
            "care_provider",
            "Care provider",
            "A registered provider of care homes or care at home.",
        )
    ]
