"""Police forces: investigation tracking on concerns, missing looked-after children
under the joint foster care and police protocol, their reports, and the police's place
on strategy discussion invitation lists."""

from __future__ import annotations

from agencies.police import reports
from agencies.police.forms import (
    INVESTIGATION,
    MISSING_CHILD,
    InvestigationSchema,
)
from plugins import (
    AgencyType,
    CasePanel,
    CaseSummary,
    InvitationContext,
    PanelRow,
    ProposedInvitee,
    Report,
    Role,
    hookimpl,
)
from plugins.forms import (
    CaseForms,
    FormDefinition,
    display,
)

CASE_TEAM = frozenset({Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER})


@hookimpl
def register_agency_types() -> list[AgencyType]:
    return [
        AgencyType("police", "Police", "A territorial police force or its public protection unit.")
    ]


@hookimpl
def register_forms() -> list[FormDefinition]:
    return [INVESTIGATION, MISSING_CHILD]


@hookimpl
def register_reports() -> list[Report]:
    police = frozenset({"police"})
    return [
        Report(
            "police.open_investigations",
            "Open police investigations by status and age",
            "Investigations reported, under investigation or charged, by how long ago the "
            "crime was reported to the police.",
            CASE_TEAM | {Role.AGENCY_PRACTITIONER},
            reports.open_investigations,
            agency_types=police,
        ),
        Report(
            "police.crime_without_investigation",
            "Crime suspected, no police investigation recorded",
            "Open concerns where a crime is suspected and no police investigation is recorded.",
            CASE_TEAM | {Role.AGENCY_PRACTITIONER},
            reports.crime_without_investigation,
            agency_types=police,
        ),
        Report(
            "police.missing_children",
            "Missing looked-after children",
            "Missing episodes: who is still missing, and whether the return home interview "
            "was held within 72 hours.",
            CASE_TEAM | {Role.AGENCY_PRACTITIONER},
            reports.missing_children,
            agency_types=police | {"childrens_social_care"},
        ),
    ]


STRATEGY_MEETINGS = frozenset({"strategy_discussion", "organisational_strategy_meeting"})


@hookimpl
def invitation_rules(context: InvitationContext) -> list[ProposedInvitee]:
    """Working Together 2023: the police at every child strategy discussion and initial
    child protection conference; at adult strategy meetings where a crime is suspected;
    at every adult protection conference."""
    if context.is_child and context.meeting_type in {
        "strategy_discussion",
        "initial_child_protection_conference",
    }:
        return [
            ProposedInvitee(
                "Police: statutory partner in every child strategy discussion and initial "
                "child protection conference",
                agency_type="police",
            )
        ]
    if (
        not context.is_child
        and context.crime_suspected
        and context.meeting_type in STRATEGY_MEETINGS
    ):
        return [ProposedInvitee("Police: a crime is suspected", agency_type="police")]
    if context.meeting_type == "adult_protection_conference":
        # the conference's quorum asks for two agencies besides the council: police and
        # health are its standing members (issue 22, item 5)
        reason = "a crime is suspected" if context.crime_suspected else "a standing member"
        return [ProposedInvitee(f"Police: {reason} of the conference", agency_type="police")]
    return []


@hookimpl
def case_panels(concern: CaseSummary, forms: CaseForms) -> list[CasePanel]:
    """The investigation's status, for those who may read it."""
    schema = InvestigationSchema()
    rows = tuple(
        PanelRow(
            display(schema, "status", answers.data.get("status")),
            f"since {display(schema, 'status_on', answers.data.get('status_on'))}; crime "
            f"reference {answers.data.get('crime_reference')}; officer in charge "
            f"{answers.data.get('officer_in_charge')}",
            answers.href,
        )
        for answers in forms.readable(INVESTIGATION.name)
    )
    if not rows and not concern.crime_suspected:
        return []
    empty = (
        "A crime is suspected and no police investigation is recorded, or none is shared with you."
    )
    return [CasePanel("Police investigation", rows, empty=empty, order=20)]
