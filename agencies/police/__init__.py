"""Police forces: agency type now; investigation tracking and missing-person forms later."""

from plugins import AgencyType, hookimpl


@hookimpl
def register_agency_types() -> list[AgencyType]:
    return [
        AgencyType("police", "Police", "A territorial police force or its public protection unit.")
    ]
