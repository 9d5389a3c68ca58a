"""Care providers: provider details on establishments (the CQC register), provider alerts
with CQC regulation 18 notification tracking, their reports, and the provider's place on
strategy meeting invitation lists."""

from __future__ import annotations

from flask import Flask

from agencies.care_home import reports
from agencies.care_home.forms import (
    PROVIDER_ALERT,
    PROVIDER_DETAILS,
)
from plugins import (
    AgencyType,
    InvitationContext,
    NotProposed,
    ProposedInvitee,
    Report,
    Role,
    hookimpl,
)
from plugins.forms import FormDefinition

CASE_TEAM = frozenset({Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER})
# The organisational strategy meeting keeps the core's rule (the provider is invited to
# answer for its service); this rule is about strategy meetings on individual concerns.
STRATEGY_MEETINGS = frozenset({"strategy_discussion"})


@hookimpl
def configure_app(app: Flask) -> None:
    # regulation 18 asks for notification "without delay": days allowed before it is late
    app.config.setdefault("CQC_NOTIFICATION_DAYS", 1)


@hookimpl
def register_agency_types() -> list[AgencyType]:
    return [
        AgencyType(
            "care_provider",
            "Care provider",
            "A registered provider of care homes or care at home.",
        ),
        AgencyType(
            "care_regulator",
            "Care regulator (CQC)",
            "The Care Quality Commission's local inspection team.",
        ),
        AgencyType(
            "commissioning",
            "Commissioning",
            "The council's or ICB's contracts and quality team for care services.",
        ),
    ]


@hookimpl
def register_forms() -> list[FormDefinition]:
    return [PROVIDER_DETAILS, PROVIDER_ALERT]


@hookimpl
def register_reports() -> list[Report]:
    providers = frozenset({"care_provider"})
    return [
        Report(
            "care_home.late_or_incomplete_alerts",
            "Late or incomplete provider alerts",
            "Provider alerts where CQC was notified late (or not yet, past the limit), or "
            "required items are missing.",
            CASE_TEAM | {Role.AGENCY_PRACTITIONER},
            reports.late_or_incomplete_alerts,
            agency_types=providers,
        ),
        Report(
            "care_home.provider_safeguarding",
            "Provider safeguarding report",
            "For each care provider: concerns at its establishments, establishments with a "
            "cluster of concerns, and late provider alerts.",
            CASE_TEAM,
            reports.provider_safeguarding,
        ),
    ]


@hookimpl
def invitation_rules(context: InvitationContext) -> list[ProposedInvitee | NotProposed]:
    """The care provider to strategy meetings about concerns at its establishment, unless
    it is the source of risk: then commissioning and CQC liaison instead."""
    if context.meeting_type not in STRATEGY_MEETINGS:
        return []
    proposed: list[ProposedInvitee | NotProposed] = []
    for place in context.establishments:
        if place.provider_agency_type != "care_provider" or place.provider_agency_id is None:
            continue
        if place.provider_is_source_of_risk:
            proposed += [
                NotProposed(
                    f"the provider of {place.name} is the source of risk, so it is not "
                    "invited; commissioning and CQC liaison are proposed instead",
                    place.provider_agency_id,
                ),
                ProposedInvitee(
                    f"Commissioning: the provider of {place.name} is the source of risk",
                    agency_type="commissioning",
                ),
                ProposedInvitee(
                    f"CQC liaison: the provider of {place.name} is the source of risk",
                    agency_type="care_regulator",
                ),
            ]
        else:
            proposed.append(
                ProposedInvitee(
                    f"Care provider: runs {place.name}, where the concern is located",
                    agency_id=place.provider_agency_id,
                )
            )
    return proposed
