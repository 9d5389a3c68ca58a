"""Police forces: investigation tracking on concerns, missing looked-after children
under the joint foster care and police protocol, their reports, and the police's place
on strategy discussion invitation lists."""

from __future__ import annotations

from datetime import date

from agencies.police import reports
from agencies.police.forms import (
    INVESTIGATION,
    MISSING_CHILD,
    STATUSES,
    InvestigationSchema,
)
from plugins import (
    AgencyType,
    CasePanel,
    CaseSummary,
    ChronologyEntry,
    InvitationContext,
    PanelRow,
    ProposedInvitee,
    Report,
    Role,
    hookimpl,
)
from plugins.forms import (
    LOCAL_ZONE,
    CaseForms,
    FormDefinition,
    display,
)
from plugins.reports import day, moment

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


STATUS_LABELS = dict(STATUSES)


def _status_day(data: dict[str, object]) -> date:
    found = day(data.get("status_on")) or day(data.get("reported_on"))
    assert found is not None  # both are required answers
    return found


def _local_day(value: str) -> date:
    when = moment(value)
    assert when is not None
    return when.astimezone(LOCAL_ZONE).date()


# a charge or a court's outcome is what a review asks first about the police's part
KEY_STATUSES = frozenset({"charged", "court_outcome"})


@hookimpl
def chronology_entries(forms: CaseForms) -> list[ChronologyEntry]:
    """Each change of an investigation's status (a version whose status differs from the
    one before), and each missing episode: went missing, returned, as far as the reader
    may read the forms."""
    entries = []
    last: dict[int, str | None] = {}
    for version in forms.history(INVESTIGATION.name):
        status = version.data.get("status")
        if status == last.get(version.id):
            continue
        last[version.id] = status
        outcome = version.data.get("court_outcome")
        entries.append(
            ChronologyEntry(
                occurred_on=_status_day(version.data),
                agency_id=version.agency_id,
                kind="police.investigation",
                kind_label="Police investigation",
                summary=f"Police investigation {version.data.get('crime_reference')}: "
                f"{STATUS_LABELS.get(str(status), status)}" + (f" ({outcome})" if outcome else ""),
                significance="key" if status in KEY_STATUSES else "high",
                href=version.href,
            )
        )
    for episode in forms.readable(MISSING_CHILD.name):
        missing_at, returned_at = episode.data.get("missing_at"), episode.data.get("returned_at")
        where = episode.data.get("missing_from")
        if missing_at:
            entries.append(
                ChronologyEntry(
                    _local_day(missing_at),
                    episode.agency_id,
                    "police.missing",
                    "Missing episode",
                    f"Went missing from {where}",
                    "high",
                    episode.href,
                )
            )
        if returned_at:
            entries.append(
                ChronologyEntry(
                    _local_day(returned_at),
                    episode.agency_id,
                    "police.missing",
                    "Missing episode",
                    f"Returned after going missing from {where}",
                    "medium",
                    episode.href,
                )
            )
    return entries
