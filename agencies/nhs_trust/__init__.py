"""NHS trusts and other NHS bodies: patient safety incidents with a safeguarding element
(PSIRF), out-of-hours hospital discharge notifications, staff safeguarding training
returns, their reports, and health's place on invitation lists."""

from __future__ import annotations

from flask import Flask

from agencies.nhs_trust import reports
from agencies.nhs_trust.forms import (
    DISCHARGE,
    INCIDENT,
    TRAINING,
    TRUSTS,
)
from plugins import AgencyType, InvitationContext, ProposedInvitee, Report, Role, hookimpl
from plugins.forms import (
    FormDefinition,
)

CASE_TEAM = frozenset({Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER})
CHILD_MEETINGS = frozenset(
    {
        "strategy_discussion",
        "initial_child_protection_conference",
        "review_child_protection_conference",
    }
)


@hookimpl
def configure_app(app: Flask) -> None:
    app.config.setdefault("NHS_TRAINING_TARGET_PERCENT", 90)


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


@hookimpl
def register_forms() -> list[FormDefinition]:
    return [INCIDENT, DISCHARGE, TRAINING]


@hookimpl
def register_reports() -> list[Report]:
    return [
        Report(
            "nhs_trust.discharge_monitoring",
            "Hospital discharges on open cases",
            "Discharges notified on open cases: out of hours, and without care in place.",
            CASE_TEAM | {Role.AGENCY_PRACTITIONER},
            reports.discharge_monitoring,
            agency_types=TRUSTS,
        ),
        Report(
            "nhs_trust.training_compliance",
            "Safeguarding training compliance",
            "Each trust's latest quarterly return: the share of staff in scope trained at "
            "each level, against the target.",
            CASE_TEAM | {Role.AGENCY_PRACTITIONER, Role.BOARD_MEMBER},
            reports.training_compliance,
            agency_types=TRUSTS,
        ),
    ]


@hookimpl
def invitation_rules(context: InvitationContext) -> list[ProposedInvitee]:
    """Health at every child strategy discussion and conference (Working Together 2023)
    and at every adult protection conference;
    the trust that runs the hospital where a concern is located; a trust involved in the
    case."""
    proposed: list[ProposedInvitee] = []
    if context.meeting_type == "adult_protection_conference":
        proposed.append(
            ProposedInvitee(
                "Health: a standing member of the adult protection conference",
                agency_type="nhs_trust",
            )
        )
    if context.is_child and context.meeting_type in CHILD_MEETINGS:
        proposed.append(
            ProposedInvitee(
                "Health: statutory partner in every child strategy discussion and conference",
                agency_type="nhs_trust",
            )
        )
    proposed += [
        ProposedInvitee(
            f"NHS trust: runs {place.name}, the hospital where the concern is located",
            agency_id=place.provider_agency_id,
        )
        for place in context.establishments
        if place.location.startswith("hospital_")
        and place.provider_agency_type == "nhs_trust"
        and place.provider_agency_id is not None
    ]
    if "nhs_trust" in context.involved_agency_types:
        proposed.append(
            ProposedInvitee(
                "NHS trust: health is involved in the case", agency_type="nhs_trust", standard=False
            )
        )
    return proposed
