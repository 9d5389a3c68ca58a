"""A stand-in for an installed third-party plugin (loaded through an entry point)."""

from plugins import AgencyType, hookimpl


@hookimpl
def register_agency_types() -> list[AgencyType]:
    return [AgencyType("probation_service", "Probation service (example plugin)")]
