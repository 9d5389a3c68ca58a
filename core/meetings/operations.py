"""Scheduling meetings, inviting agencies, answers and reports, recording what happened.

Each change writes its case timeline entries and its access log entry, and queues the
emails it causes, in the same transaction as the change itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from core.accesslog import operations as access_log
from core.agencies.operations import named_agencies
from core.auth.models import Agency, User
from core.clocks import LOCAL_ZONE, to_local
from core.concerns.models import (
    Concern,
    ConcernStatus,
    Involvement,
    InvolvementLevel,
    InvolvementReason,
)
from core.concerns.operations import add_event, cluster_settings, ensure_involved, restricted_to
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.meetings import notices
from core.meetings.models import (
    ATTENDED,
    ActionStatus,
    DecisionKind,
    Invitation,
    Meeting,
    MeetingAction,
    MeetingDecision,
    MeetingStatus,
    OtherAttendee,
    Outcome,
    PlanCategory,
    Response,
    StandardInvitee,
    meeting_concerns,
)
from core.meetings.types import meeting_type, meeting_types, report_deadline, type_label
from core.pdf import is_pdf
from core.people.models import Establishment
from core.plans.operations import start_from_conference
from core.platform import current_platform
from core.policy.cases import implicated_agency, visible_concerns
from core.policy.meetings import may_be_invitee, may_chair
from core.reference import SourceOfRisk
from plugins.types import (
    EstablishmentInfo,
    HeldMeeting,
    InvitationContext,
    NotProposed,
    ProposedInvitee,
    QuorumRule,
)

MAX_REPORT_BYTES = 5 * 1024 * 1024


# --- Meeting types and the standard invitation list ---------------------------------------


def quorum_rule(code: str) -> QuorumRule | None:
    """The type's rule, unless the council configured its own in ``QUORUM_RULES``:
    ``{"initial_child_protection_conference": {"required": ["childrens_social_care"],
    "others": 2}}``."""
    configured = (current_app.config.get("QUORUM_RULES") or {}).get(code)
    if configured is not None:
        return QuorumRule(
            frozenset(configured.get("required", ())), int(configured.get("others", 0))
        )
    found = meeting_type(code)
    return found.quorum if found else None


@dataclass
class Proposal:
    """One agency on the proposed invitation list, with every reason it is there."""

    agency: Agency
    reasons: list[str] = field(default_factory=list)
    standard: bool = False

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class ProposedList:
    invitees: list[Proposal]
    # agency types a rule asked for but no active agency has
    missing_types: list[str]
    # agencies a rule kept off the list, with why
    excluded: list[Proposal] = field(default_factory=list)


def invitation_context(code: str, concerns: list[Concern]) -> InvitationContext:
    establishment_ids = {c.establishment_id for c in concerns if c.establishment_id}
    establishments: list[EstablishmentInfo] = []
    if establishment_ids:
        rows = db.session.execute(
            sa.select(Establishment, Agency.type)
            .outerjoin(Agency, Agency.id == Establishment.provider_agency_id)
            .where(Establishment.id.in_(establishment_ids))
            .order_by(Establishment.id)
        ).all()
        establishments = [
            EstablishmentInfo(
                id=place.id,
                name=place.name,
                location=place.kind.value,
                provider_agency_id=place.provider_agency_id,
                provider_agency_type=agency_type,
                provider_is_source_of_risk=any(
                    c.establishment_id == place.id
                    and c.source_of_risk == SourceOfRisk.SERVICE_PROVIDER
                    for c in concerns
                ),
            )
            for place, agency_type in rows
        ]
    involved = db.session.execute(
        sa.select(Agency.id, Agency.type)
        .join(Involvement, Involvement.agency_id == Agency.id)
        .where(
            Involvement.concern_id.in_([c.id for c in concerns]),
            Involvement.removed_at.is_(None),
        )
        .distinct()
    ).all()
    return InvitationContext(
        meeting_type=code,
        is_child=any(c.is_child for c in concerns),
        concern_ids=tuple(c.id for c in concerns),
        establishment_ids=tuple(sorted(establishment_ids)),
        location_codes=tuple(sorted({c.location.value for c in concerns})),
        referrer_agency_ids=tuple(
            sorted({c.referrer_agency_id for c in concerns if c.referrer_agency_id})
        ),
        provider_agency_ids=tuple(
            sorted({e.provider_agency_id for e in establishments if e.provider_agency_id})
        ),
        source_of_risk_codes=tuple(sorted({c.source_of_risk.value for c in concerns})),
        crime_suspected=any(c.crime_suspected for c in concerns),
        involved_agency_ids=tuple(sorted({row.id for row in involved})),
        involved_agency_types=tuple(sorted({row.type for row in involved})),
        establishments=tuple(establishments),
    )


IMPLICATED_NOT_PROPOSED = (
    "Implicated in the case: it is, or employs, the alleged source of risk, and sees only "
    "what it submitted and the actions it owns"
)


def propose_invitees(code: str, concerns: list[Concern]) -> ProposedList:
    """The standard list for the meeting: every plugin's rules (the core's own
    included) and the administrators' entries, each agency once with all its reasons."""
    context = invitation_context(code, concerns)
    answers = [
        p
        for proposals in current_platform().hook.invitation_rules(context=context)
        for p in proposals or ()
    ]
    exclusions = [a for a in answers if isinstance(a, NotProposed)]
    # An implicated agency is never proposed (issue 19, item 6), whether the team set the
    # level or the case implicates it (the provider that is the source of risk), involved
    # yet or not; the officer sees why.
    implicated = set(
        db.session.scalars(
            sa.select(Involvement.agency_id).where(
                Involvement.concern_id.in_(context.concern_ids),
                Involvement.removed_at.is_(None),
                Involvement.level == InvolvementLevel.IMPLICATED,
            )
        )
    ) | {agency_id for c in concerns if (agency_id := implicated_agency(c)) is not None}
    exclusions += [
        NotProposed(IMPLICATED_NOT_PROPOSED, agency_id) for agency_id in sorted(implicated)
    ]
    rules = [a for a in answers if isinstance(a, ProposedInvitee)]
    audience = "child" if context.is_child else "adult"
    for entry in db.session.scalars(
        sa.select(StandardInvitee)
        .where(
            StandardInvitee.meeting_type == code,
            StandardInvitee.audience.in_([audience, "any"]),
        )
        .order_by(StandardInvitee.id)
    ):
        rules.append(
            ProposedInvitee(entry.reason, agency_id=entry.agency_id, agency_type=entry.agency_type)
        )
    involved = set(
        db.session.scalars(
            sa.select(Involvement.agency_id).where(
                Involvement.concern_id.in_(context.concern_ids),
                Involvement.removed_at.is_(None),
            )
        )
    )
    by_agency: dict[int, Proposal] = {}
    missing: list[str] = []
    for rule in rules:
        agencies = _agencies_for(rule.agency_id, rule.agency_type, involved)
        if not agencies and rule.agency_type and rule.standard:
            missing.append(rule.agency_type)  # only the standard list's gaps are told
        for agency in agencies:
            proposal = by_agency.setdefault(agency.id, Proposal(agency))
            if rule.reason not in proposal.reasons:
                proposal.reasons.append(rule.reason)
            proposal.standard = proposal.standard or rule.standard
    excluded: list[Proposal] = []
    for exclusion in exclusions:
        agency = db.session.get(Agency, exclusion.agency_id)
        if agency is None:
            continue
        by_agency.pop(agency.id, None)
        found = next((e for e in excluded if e.agency.id == agency.id), None)
        if found is None:
            excluded.append(Proposal(agency, [exclusion.reason]))
        elif exclusion.reason not in found.reasons:
            found.reasons.append(exclusion.reason)
    invitees = sorted(by_agency.values(), key=lambda p: (not p.standard, p.agency.name))
    return ProposedList(invitees, sorted(set(missing)), excluded)


def _agencies_for(
    agency_id: int | None, agency_type: str | None, involved: set[int]
) -> list[Agency]:
    """One named agency; or of a type, those already involved, else every active one."""
    if agency_id is not None:
        agency = db.session.get(Agency, agency_id)
        return [agency] if agency is not None and agency.active else []
    if agency_type is None:
        return []
    of_type = list(
        db.session.scalars(
            sa.select(Agency)
            .where(Agency.type == agency_type, Agency.active.is_(True))
            .order_by(Agency.name)
        )
    )
    already = [a for a in of_type if a.id in involved]
    return already or of_type


# --- Scheduling ----------------------------------------------------------------------------


def _clean_schedule(values: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    starts = values.get("starts_at")
    if not isinstance(starts, datetime) or starts.tzinfo is None:
        errors["starts_at"] = ["Enter the date and time the meeting starts"]
    elif starts.year < 2000 or starts.year > utcnow().year + 5:
        errors["starts_at"] = ["Enter a real date for the meeting"]
    cleaned["starts_at"] = starts
    duration = values.get("duration_minutes") or 60
    if not isinstance(duration, int) or not 15 <= duration <= 480:
        errors["duration_minutes"] = ["The length must be between 15 and 480 minutes"]
    cleaned["duration_minutes"] = duration
    venue = (values.get("venue") or "").strip()
    link = (values.get("video_link") or "").strip()
    if not venue and not link:
        errors["venue"] = ["Enter a venue or a video link"]
    if link and not link.startswith("https://"):
        errors["video_link"] = ["The video link must start with https://"]
    if len(venue) > 300:
        errors["venue"] = ["The venue must be 300 characters or fewer"]
    if len(link) > 500:
        errors["video_link"] = ["The video link must be 500 characters or fewer"]
    cleaned["venue"] = venue or None
    cleaned["video_link"] = link or None
    chair_id = values.get("chair_id")
    if chair_id is not None:
        chair = db.session.get(User, chair_id)
        if chair is None or not may_chair(chair):
            errors["chair_id"] = ["Select a chair from the safeguarding team"]
    cleaned["chair_id"] = chair_id
    return cleaned


@dataclass
class Removal:
    agency_id: int
    reason: str


def _check_type(code: str, concerns: list[Concern], errors: dict[str, list[str]]) -> None:
    """A meeting of type ``code`` about open ``concerns`` of the type's audience."""
    kind = meeting_type(code)
    if kind is None:
        errors["type"] = ["Select a meeting type: " + ", ".join(sorted(meeting_types()))]
    if not concerns:
        errors["concern_ids"] = ["Select the concern or concerns the meeting is about"]
    elif any(c.status == ConcernStatus.CLOSED for c in concerns):
        errors["concern_ids"] = ["A meeting cannot be scheduled for a closed concern"]
    elif kind is not None and kind.audience != "any":
        wrong = [c.reference for c in concerns if c.is_child != (kind.audience == "child")]
        if wrong:
            who = "children" if kind.audience == "child" else "adults"
            errors["type"] = [f"A {kind.label.lower()} is only for {who}: {', '.join(wrong)}"]


def proposal_for(code: str, concerns: list[Concern]) -> ProposedList:
    """Who a meeting of type ``code`` about ``concerns`` would invite, and who a rule
    leaves off (ValidationFailed for a type or concerns it cannot have)."""
    errors: dict[str, list[str]] = {}
    _check_type(code, concerns, errors)
    if errors:
        raise ValidationFailed(errors)
    return propose_invitees(code, concerns)


def schedule(
    code: str,
    concerns: list[Concern],
    values: dict[str, Any],
    user: User,
    *,
    removed: list[Removal] | None = None,
    added: list[tuple[int, str]] | None = None,
) -> Meeting:
    """Schedule a meeting with the proposed list, less ``removed`` (a standard invitee
    needs a reason) and plus ``added`` (agency id and reason); invitations are sent."""
    errors: dict[str, list[str]] = {}
    _check_type(code, concerns, errors)
    establishment_id = values.get("establishment_id")
    if code == "organisational_strategy_meeting":
        located = {c.establishment_id for c in concerns}
        if establishment_id is None and len(located) == 1:
            establishment_id = next(iter(located))
        if establishment_id is None or db.session.get(Establishment, establishment_id) is None:
            errors["establishment_id"] = ["Select the establishment the meeting is about"]
    cleaned = _clean_schedule(values, errors)
    proposal = propose_invitees(code, concerns) if meeting_type(code) and concerns else None
    removals = {r.agency_id: r for r in removed or ()}
    if proposal is not None:
        for invitee in proposal.invitees:
            removal = removals.get(invitee.agency.id)
            if removal and invitee.standard and not removal.reason.strip():
                errors.setdefault("removed", []).append(
                    f"Give a reason for not inviting {invitee.agency.name}: "
                    "it is on the standard list for this meeting"
                )
    extra = _clean_additions(added or [], errors)
    if errors:
        raise ValidationFailed(errors)
    assert proposal is not None
    meeting = Meeting(
        type=code,
        establishment_id=establishment_id,
        uid=f"{uuid.uuid4()}@safeguarding-hub",
        created_by_id=user.id,
        concerns=list(concerns),
        **cleaned,
    )
    db.session.add(meeting)
    db.session.flush()
    label = type_label(code)
    when = _when(meeting)
    for concern in concerns:
        add_event(concern, user, "meeting.scheduled", f"{label} scheduled for {when}")
    for invitee in proposal.invitees:
        removal = removals.get(invitee.agency.id)
        invitation = Invitation(
            meeting_id=meeting.id,
            agency_id=invitee.agency.id,
            reason=invitee.reason,
            standard=invitee.standard,
            invited_by_id=user.id,
        )
        if removal is not None:
            # kept, so the audit counts a standard invitee left off, and why
            invitation.removed_at = utcnow()
            invitation.removed_by_id = user.id
            invitation.removal_reason = removal.reason.strip() or "Not proposed to attend"
        meeting.invitations.append(invitation)
    for agency, reason in extra:
        if any(i.agency_id == agency.id and i.removed_at is None for i in meeting.invitations):
            continue
        meeting.invitations.append(
            Invitation(
                meeting_id=meeting.id,
                agency_id=agency.id,
                reason=reason,
                standard=False,
                invited_by_id=user.id,
            )
        )
    db.session.flush()
    for invitation in meeting.active_invitations:
        _involve_invitee(meeting, invitation.agency_id, user)
        notices.invitation(meeting, invitation)
    access_log.record("meeting.create", object_type="meeting", object_id=meeting.id)
    return meeting


def _clean_additions(
    added: list[tuple[int, str]], errors: dict[str, list[str]]
) -> list[tuple[Agency, str]]:
    result = []
    for agency_id, reason in added:
        agency = db.session.get(Agency, agency_id) if agency_id else None
        if agency is None or not agency.active:
            errors.setdefault("agency_id", []).append("Select an active agency to invite")
        elif not (reason or "").strip():
            errors.setdefault("reason", []).append(f"Say why {agency.name} is invited")
        else:
            result.append((agency, reason.strip()))
    return result


def _when(meeting: Meeting) -> str:
    local = to_local(meeting.starts_at)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def _involve(
    meeting: Meeting, agency_id: int, reason: InvolvementReason, note: str, user: User
) -> None:
    """The agency is involved in each of the meeting's concerns, once for this reason."""
    for concern in meeting.concerns:
        ensure_involved(concern, agency_id, reason, note, user)
    db.session.flush()


def _involve_invitee(meeting: Meeting, agency_id: int, user: User) -> None:
    note = f"Invited to the {type_label(meeting.type).lower()}"
    _involve(meeting, agency_id, InvolvementReason.INVITED, note, user)


def _end_invited_involvement(meeting: Meeting, agency_id: int, user: User, reason: str) -> None:
    """The agency stops being involved through invitations once no meeting of the case
    still invites it."""
    for concern in meeting.concerns:
        still_invited = db.session.scalar(
            sa.select(Invitation.id)
            .join(Meeting, Meeting.id == Invitation.meeting_id)
            .join(meeting_concerns, meeting_concerns.c.meeting_id == Meeting.id)
            .where(
                meeting_concerns.c.concern_id == concern.id,
                Invitation.agency_id == agency_id,
                Invitation.removed_at.is_(None),
                Meeting.status != MeetingStatus.CANCELLED,
            )
            .limit(1)
        )
        if still_invited is not None:
            continue
        for involvement in db.session.scalars(
            sa.select(Involvement).where(
                Involvement.concern_id == concern.id,
                Involvement.agency_id == agency_id,
                Involvement.reason == InvolvementReason.INVITED,
                Involvement.removed_at.is_(None),
            )
        ):
            involvement.removed_at = utcnow()
            involvement.removed_by_id = user.id
            involvement.removal_reason = reason


def _require_scheduled(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationFailed.single(
            "status", f"This meeting is {meeting.status.value}: it can no longer be changed"
        )


def invite(
    meeting: Meeting, agency_id: int | None, reason: str, user: User, invitee_id: int | None = None
) -> Invitation:
    """Invite another agency, naming who attends for it or not (``name_invitee``)."""
    _require_scheduled(meeting)
    added = _clean_additions([(agency_id or 0, reason)], errors := {})
    if errors:
        raise ValidationFailed(errors)
    agency, why = added[0]
    if any(i.agency_id == agency.id for i in meeting.active_invitations):
        raise ValidationFailed.single("agency_id", f"{agency.name} is already invited")
    invitee = _named_invitee(invitee_id, agency)
    invitation = Invitation(
        meeting_id=meeting.id,
        agency_id=agency.id,
        reason=why,
        standard=False,
        invited_by_id=user.id,
        invitee=invitee,
    )
    meeting.invitations.append(invitation)
    db.session.flush()
    _involve_invitee(meeting, agency.id, user)
    notices.invitation(meeting, invitation)
    for concern in meeting.concerns:
        add_event(
            concern,
            user,
            "meeting.invited",
            f"{agency.name} invited to the {type_label(meeting.type).lower()}: {why}",
        )
    access_log.record("meeting.invite", object_type="meeting", object_id=meeting.id)
    return invitation


def uninvite(invitation: Invitation, reason: str | None, user: User) -> None:
    meeting = invitation.meeting
    _require_scheduled(meeting)
    if invitation.removed_at is not None:
        raise ValidationFailed.single("invitation", "This invitation was already withdrawn")
    reason = (reason or "").strip()
    if invitation.standard and not reason:
        raise ValidationFailed.single(
            "reason",
            f"Give a reason for removing {invitation.agency.name}: "
            "it is on the standard list for this meeting",
        )
    invitation.removed_at = utcnow()
    invitation.removed_by_id = user.id
    invitation.removal_reason = reason or "Removed by the safeguarding team"
    _end_invited_involvement(meeting, invitation.agency_id, user, "Invitation withdrawn")
    meeting.sequence += 1  # the CANCEL must outrank the REQUEST the agency holds
    notices.withdrawal(meeting, invitation)
    for concern in meeting.concerns:
        add_event(
            concern,
            user,
            "meeting.uninvited",
            f"{invitation.agency.name} no longer invited: {invitation.removal_reason}",
        )
    access_log.record("meeting.uninvite", object_type="meeting", object_id=meeting.id)


def reschedule(meeting: Meeting, values: dict[str, Any], user: User) -> Meeting:
    _require_scheduled(meeting)
    errors: dict[str, list[str]] = {}
    merged = {
        "starts_at": meeting.starts_at,
        "duration_minutes": meeting.duration_minutes,
        "venue": meeting.venue,
        "video_link": meeting.video_link,
        "chair_id": meeting.chair_id,
    } | values
    cleaned = _clean_schedule(merged, errors)
    if errors:
        raise ValidationFailed(errors)
    for name, value in cleaned.items():
        setattr(meeting, name, value)
    meeting.sequence += 1
    for concern in meeting.concerns:
        add_event(
            concern,
            user,
            "meeting.rescheduled",
            f"{type_label(meeting.type)} moved to {_when(meeting)}",
        )
    for invitation in meeting.active_invitations:
        notices.invitation(meeting, invitation, update=True)
    access_log.record("meeting.update", object_type="meeting", object_id=meeting.id)
    return meeting


def cancel(meeting: Meeting, reason: str, user: User) -> Meeting:
    _require_scheduled(meeting)
    if not (reason or "").strip():
        raise ValidationFailed.single("reason", "Say why the meeting is cancelled")
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = utcnow()
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    for invitation in meeting.active_invitations:
        notices.cancellation(meeting, invitation)
    for invitation in meeting.active_invitations:
        _end_invited_involvement(meeting, invitation.agency_id, user, "Meeting cancelled")
    for concern in meeting.concerns:
        add_event(
            concern,
            user,
            "meeting.cancelled",
            f"{type_label(meeting.type)} cancelled: {reason.strip()}",
        )
    access_log.record("meeting.cancel", object_type="meeting", object_id=meeting.id)
    return meeting


# --- Answers and reports ------------------------------------------------------------------


def _named_invitee(invitee_id: int | None, agency: Agency) -> User | None:
    """The user ``invitee_id`` names, who must be one the agency may name to attend."""
    if invitee_id is None:
        return None
    invitee = db.session.get(User, invitee_id)
    if not may_be_invitee(invitee, agency.id):
        raise ValidationFailed.single(
            "invitee_id",
            f"Choose an active practitioner or officer of {agency.name} "
            "(not a board member, an auditor or an administrator)",
        )
    return invitee


def name_invitee(invitation: Invitation, invitee_id: int | None, user: User) -> Invitation:
    """Name who attends for the invited agency (None: nobody named). The meeting's emails
    go to them alone from now on; a newly named person is sent the invitation."""
    _require_scheduled(invitation.meeting)
    if invitation.removed_at is not None:
        raise ValidationFailed.single("invitation", "This invitation was withdrawn")
    invitee = _named_invitee(invitee_id, invitation.agency)
    if invitee_id == invitation.invitee_id:
        return invitation
    invitation.invitee = invitee
    invitation.invitee_id = invitee_id
    if invitee is not None:
        notices.invitation(invitation.meeting, invitation)
    access_log.record("invitation.invitee", object_type="meeting", object_id=invitation.meeting_id)
    return invitation


def respond(invitation: Invitation, response: str, user: User) -> Invitation:
    _require_scheduled(invitation.meeting)
    try:
        answer = Response(response)
    except ValueError:
        raise ValidationFailed.single("response", "Answer accepted or apologies") from None
    invitation.response = answer
    invitation.responded_at = utcnow()
    invitation.responded_by_id = user.id
    for concern in invitation.meeting.concerns:
        add_event(
            concern,
            user,
            "meeting.response",
            f"{invitation.agency.name}: {answer.label.lower()} for the "
            f"{type_label(invitation.meeting.type).lower()}",
        )
    access_log.record("invitation.respond", object_type="meeting", object_id=invitation.meeting_id)
    return invitation


def submit_report(
    invitation: Invitation,
    text: str | None,
    pdf: bytes | None,
    filename: str | None,
    user: User,
    restriction: str | None = None,
    reader_ids: Iterable[int] = (),
) -> Invitation:
    """A written report, as text or a PDF, until the deadline. A restricted one
    (``restriction``: why) is read, beside the team and the agency, only by the agencies
    ``reader_ids`` name among those invited (``core.policy.meetings.can_read_report``)."""
    meeting = invitation.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationFailed.single("report", "The meeting was cancelled")
    today = to_local(utcnow()).date()
    deadline = report_deadline(meeting)
    if today > deadline:
        raise ValidationFailed.single(
            "report",
            f"Reports for this meeting were due by {deadline:%A} {deadline.day} "
            f"{deadline:%B %Y}; send it to the chair instead",
        )
    text = (text or "").strip() or None
    if pdf is not None:
        if len(pdf) > MAX_REPORT_BYTES:
            raise ValidationFailed.single("report_file", "The file must be smaller than 5 MB")
        if not is_pdf(pdf):
            raise ValidationFailed.single(
                "report_file", "The file must be a PDF: this one could not be read as one"
            )
    if text is None and pdf is None:
        raise ValidationFailed.single("report", "Write the report or upload it as a PDF")
    if text is not None and len(text) > 50000:
        raise ValidationFailed.single("report", "The report must be 50,000 characters or fewer")
    restricted, readers, errors = restricted_to("report", restriction, reader_ids)
    others = {i.agency_id for i in meeting.active_invitations} - {invitation.agency_id}
    if not errors and any(a.id not in others for a in readers):
        errors["reader_agency_ids"] = ["Choose among the other agencies invited to this meeting"]
    if errors:
        raise ValidationFailed(errors)
    invitation.report_restriction = restricted
    invitation.report_readers = readers if restricted else []
    invitation.report_text = text
    invitation.report_pdf = pdf
    invitation.report_filename = _safe_filename(filename) if pdf is not None else None
    invitation.report_submitted_at = utcnow()
    for concern in meeting.concerns:
        add_event(
            concern,
            user,
            "meeting.report",
            f"{invitation.agency.name} sent a report for the {type_label(meeting.type).lower()}",
        )
    access_log.record("invitation.report", object_type="meeting", object_id=meeting.id)
    return invitation


def mark_report_submitted(
    invitation: Invitation, submitted_at: datetime | None, user: User
) -> Invitation:
    """Record that the agency's report arrived another way (a partner system says so)."""
    if invitation.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationFailed.single("report_submitted_at", "The meeting was cancelled")
    if submitted_at is not None and submitted_at > utcnow() + timedelta(minutes=5):
        raise ValidationFailed.single(
            "report_submitted_at", "The time a report was sent must not be in the future"
        )
    invitation.report_submitted_at = submitted_at
    access_log.record("invitation.report", object_type="meeting", object_id=invitation.meeting_id)
    return invitation


def _safe_filename(name: str | None) -> str:
    base = (name or "report.pdf").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isalnum() or ch in "._- ")[:150].strip()
    return cleaned or "report.pdf"


def set_outcome(invitation: Invitation, outcome: str | None, user: User) -> Invitation:
    meeting = invitation.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationFailed.single("status", "This meeting was cancelled")
    if invitation.removed_at is not None:
        raise ValidationFailed.single("invitation", "This invitation was withdrawn")
    if to_local(meeting.starts_at).date() > to_local(utcnow()).date():
        raise ValidationFailed.single(
            "outcome", "Attendance can be recorded from the day of the meeting"
        )
    try:
        chosen = Outcome(outcome) if outcome else None
    except ValueError:
        raise ValidationFailed.single(
            "outcome", "Choose the outcome: " + ", ".join(o.value for o in Outcome)
        ) from None
    if chosen == Outcome.APOLOGIES_WITH_REPORT and not invitation.report_submitted:
        raise ValidationFailed.single(
            "outcome",
            f"{invitation.agency.name} sent no report: record apologies without report",
        )
    invitation.outcome = chosen
    record_quoracy(meeting)
    access_log.record("invitation.outcome", object_type="meeting", object_id=meeting.id)
    return invitation


def default_outcome(invitation: Invitation) -> Outcome | None:
    """What the answers so far suggest, to pre-fill the attendance form."""
    if invitation.outcome is not None:
        return invitation.outcome
    if invitation.response == Response.APOLOGIES:
        return (
            Outcome.APOLOGIES_WITH_REPORT
            if invitation.report_submitted
            else Outcome.APOLOGIES_WITHOUT_REPORT
        )
    return None


# --- Quoracy --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quoracy:
    applies: bool
    quorate: bool | None
    failed_rule: str | None


def scheduling_warnings(meeting: Meeting) -> list[str]:
    """What the team should know of a meeting still to be held: its time has passed (it
    may be recorded, or moved), or its reports deadline has (agencies can no longer send
    a report through the hub)."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return []
    if meeting.starts_at < utcnow():
        return [
            "The meeting's time has passed: record it if it was held, or change the time "
            "and the invitees are sent the update."
        ]
    deadline = report_deadline(meeting)
    if deadline < to_local(utcnow()).date():
        return [
            f"Reports were due by {deadline:%A} {deadline.day} {deadline:%B %Y}, a day "
            "already past: agencies cannot send one through Safeguarding Hub for this "
            "meeting; ask for them at the meeting."
        ]
    return []


def apply_quorum_rule(meeting: Meeting) -> Quoracy:
    """The type's quorum rule today, applied to the recorded outcomes (never typed in)."""
    rule = quorum_rule(meeting.type)
    if rule is None:
        return Quoracy(False, None, None)
    attended = [i.agency for i in meeting.active_invitations if i.outcome in ATTENDED]
    types = current_platform().agency_types
    problems = []
    for required in sorted(rule.required_agency_types):
        if not any(a.type == required for a in attended):
            label = types[required].label if required in types else required
            problems.append(f"{label} did not attend")
    others = {a.id for a in attended if a.type not in rule.required_agency_types}
    if len(others) < rule.min_other_agencies:
        required_labels = " and ".join(
            (types[t].label if t in types else t) for t in sorted(rule.required_agency_types)
        )
        besides = f" besides {required_labels.lower()}" if required_labels else ""
        problems.append(
            f"{len(others)} other {'agency' if len(others) == 1 else 'agencies'} attended"
            f"{besides}; at least {rule.min_other_agencies} must"
        )
    return Quoracy(True, not problems, "; ".join(problems) or None)


def record_quoracy(meeting: Meeting) -> Quoracy:
    """Decide a held meeting's quoracy under the rule of the day and keep it on the meeting
    (``Meeting.quorate``, what the attendance audit counts); a meeting not held has none."""
    result = apply_quorum_rule(meeting)
    meeting.quorate = result.quorate if meeting.status == MeetingStatus.HELD else None
    return result


def quoracy(meeting: Meeting) -> Quoracy:
    """What the meeting's page and the API show, and the audit counts: for a held meeting
    the verdict of record, decided at the meeting under the rule then in force (a later
    change of the quorum rule or of an agency's type does not rewrite it, unless
    ``flask audits requorate --all``); otherwise the rule applied to the outcomes so far."""
    result = apply_quorum_rule(meeting)
    if meeting.status != MeetingStatus.HELD or meeting.quorate is None:
        return result
    if result.quorate == meeting.quorate:
        return result
    return Quoracy(
        True,
        meeting.quorate,
        None if meeting.quorate else "Not quorate under the rule in force when it was recorded",
    )


# --- Recording the meeting ------------------------------------------------------------------


def record_held(meeting: Meeting, values: dict[str, Any], user: User) -> Meeting:
    """Record that the meeting took place: every invitee's outcome, other attendees,
    minutes, decisions and actions. Refused as a whole with every problem listed."""
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationFailed.single("status", f"This meeting is already {meeting.status.value}")
    errors: dict[str, list[str]] = {}
    held_at = values.get("held_at") or meeting.starts_at
    if not isinstance(held_at, datetime) or held_at.tzinfo is None:
        errors["held_at"] = ["Enter when the meeting took place"]
    elif held_at > utcnow() + timedelta(minutes=5):
        errors["held_at"] = ["A meeting can only be recorded once it has taken place"]
    elif to_local(held_at).date() < to_local(meeting.starts_at).date():
        # brought forward: the invitees were told another day, so the meeting moves first
        errors["held_at"] = [
            f"The meeting is scheduled for {to_local(meeting.starts_at):%d %B %Y}: "
            "reschedule it first if it was brought forward"
        ]
    outcomes: dict[int, Any] = values.get("outcomes") or {}
    by_id = {i.id: i for i in meeting.active_invitations}
    for invitation_id in outcomes:
        if invitation_id not in by_id:
            errors.setdefault("outcomes", []).append(
                f"Invitation {invitation_id} is not one of this meeting's"
            )
    chosen: dict[int, Outcome] = {}
    for invitation in meeting.active_invitations:
        raw = outcomes.get(invitation.id) or (
            invitation.outcome.value if invitation.outcome else None
        )
        try:
            outcome = Outcome(raw) if raw else None
        except ValueError:
            outcome = None
        if outcome is None:
            errors.setdefault("outcomes", []).append(f"Record what {invitation.agency.name} did")
            continue
        if outcome == Outcome.APOLOGIES_WITH_REPORT and not invitation.report_submitted:
            errors.setdefault("outcomes", []).append(
                f"{invitation.agency.name} sent no report: record apologies without report"
            )
        chosen[invitation.id] = outcome
    attendees = _clean_attendees(values.get("attendees") or [], errors)
    decisions = _clean_decisions(values.get("decisions") or [], errors, decision_kinds_for(meeting))
    actions = _clean_actions(values.get("actions") or [], errors)
    minutes = (values.get("minutes") or "").strip() or None
    confidential = (values.get("confidential_minutes") or "").strip() or None
    readers = named_agencies(values.get("confidential_agency_ids") or ())
    if readers is None:
        errors["confidential_agency_ids"] = ["Choose agencies from the list"]
    elif readers and confidential is None:
        errors["confidential_minutes"] = ["Write the confidential part for the agencies chosen"]
    if errors:
        raise ValidationFailed(errors)
    for invitation in meeting.active_invitations:
        invitation.outcome = chosen[invitation.id]
    meeting.status = MeetingStatus.HELD
    meeting.held_at = held_at
    meeting.minutes = minutes
    meeting.confidential_minutes = confidential
    meeting.confidential_readers = readers or []
    meeting.attendees.extend(attendees)
    meeting.decisions.extend(decisions)
    meeting.actions.extend(actions)
    db.session.flush()
    for action in actions:
        _involve_action_owner(meeting, action, user)
    result = record_quoracy(meeting)
    label = type_label(meeting.type)
    summary = f"{label} held" + (
        "" if not result.applies else (": quorate" if result.quorate else ": not quorate")
    )
    for concern in meeting.concerns:
        add_event(concern, user, "meeting.held", summary)
        for decision in decisions:
            add_event(concern, user, "meeting.decision", f"{label}: {decision.kind.label}")
    access_log.record("meeting.held", object_type="meeting", object_id=meeting.id)

    start_from_conference(meeting, user)  # a conference's plan decision starts the plan
    current_platform().hook.meeting_held(
        meeting=HeldMeeting(
            id=meeting.id,
            type=meeting.type,
            concern_ids=tuple(c.id for c in meeting.concerns),
            held_at=held_at,
            quorate=result.quorate,
        )
    )
    return meeting


def _clean_attendees(
    rows: list[dict[str, Any]], errors: dict[str, list[str]]
) -> list[OtherAttendee]:
    result = []
    for row in rows:
        name = (row.get("name") or "").strip()
        if not name:
            errors.setdefault("attendees", []).append("Enter each other attendee's name")
            continue
        result.append(
            OtherAttendee(
                name=name[:200],
                role=(row.get("role") or "").strip()[:200] or None,
                agency_name=(row.get("agency") or "").strip()[:200] or None,
            )
        )
    return result


# The decisions each pathway's meetings can take: a child's under the Children Act 1989
# (section 47 enquiries, child protection conferences and plans; Working Together to
# Safeguard Children 2023, chapter 2), an adult's under the Care Act 2014 (section 42
# enquiries, adult protection conferences and plans).
CHILD_DECISIONS = (
    DecisionKind.SECTION_47,
    DecisionKind.CONVENE_ICPC,
    DecisionKind.CHILD_PROTECTION_PLAN,
    DecisionKind.NO_CHILD_PROTECTION_PLAN,
    DecisionKind.NO_FURTHER_ACTION,
    DecisionKind.OTHER,
)
ADULT_DECISIONS = (
    DecisionKind.SECTION_42,
    DecisionKind.CONVENE_APC,
    DecisionKind.PROTECTION_PLAN,
    DecisionKind.NO_FURTHER_ACTION,
    DecisionKind.OTHER,
)


def decision_kinds_for(meeting: Meeting) -> list[DecisionKind]:
    """The decisions this meeting can record: its cases' pathway's (both, for a meeting
    about children and adults together), in the order they are listed."""
    children = {concern.is_child for concern in meeting.concerns}
    allowed = set(CHILD_DECISIONS if True in children else ()) | set(
        ADULT_DECISIONS if False in children or not children else ()
    )
    return [kind for kind in DecisionKind if kind in allowed]


def _clean_decisions(
    rows: list[dict[str, Any]], errors: dict[str, list[str]], allowed: list[DecisionKind]
) -> list[MeetingDecision]:
    result = []
    for row in rows:
        try:
            kind = DecisionKind(row.get("kind"))
        except ValueError:
            kind = None
        if kind not in allowed:
            about = {
                (True, False): "a child",
                (False, True): "an adult",
            }.get(
                (DecisionKind.SECTION_47 in allowed, DecisionKind.SECTION_42 in allowed),
                "children and adults",
            )
            errors.setdefault("decisions", []).append(
                f"This meeting is about {about}: choose each decision from "
                + ", ".join(f"{k.value} ({k.label})" for k in allowed)
            )
            continue
        category = None
        if kind == DecisionKind.CHILD_PROTECTION_PLAN:
            try:
                category = PlanCategory(row.get("plan_category"))
            except ValueError:
                errors.setdefault("decisions", []).append(
                    "Choose the child protection plan category: "
                    + ", ".join(f"{c.value} ({c.label})" for c in PlanCategory)
                )
                continue
        result.append(
            MeetingDecision(
                kind=kind, plan_category=category, note=(row.get("note") or "").strip() or None
            )
        )
    return result


def _clean_actions(rows: list[dict[str, Any]], errors: dict[str, list[str]]) -> list[MeetingAction]:
    result = []
    for row in rows:
        description = (row.get("description") or "").strip()
        agency = db.session.get(Agency, row.get("owner_agency_id") or 0)
        due = row.get("due_on")
        if not description:
            errors.setdefault("actions", []).append("Describe each action")
        elif agency is None or not agency.active:
            errors.setdefault("actions", []).append(f"Select the agency that owns '{description}'")
        elif not isinstance(due, date):
            errors.setdefault("actions", []).append(f"Enter when '{description}' is due")
        else:
            result.append(
                MeetingAction(description=description, owner_agency_id=agency.id, due_on=due)
            )
    return result


def _involve_action_owner(meeting: Meeting, action: MeetingAction, user: User) -> None:
    # no note: the action's wording is for its owner and the team (need to know)
    _involve(meeting, action.owner_agency_id, InvolvementReason.ACTION_OWNER, "", user)


def set_action_status(action: MeetingAction, status: str, user: User) -> MeetingAction:
    try:
        chosen = ActionStatus(status)
    except ValueError:
        raise ValidationFailed.single("status", "Choose open, done or cancelled") from None
    action.status = chosen
    action.completed_on = to_local(utcnow()).date() if chosen == ActionStatus.DONE else None
    access_log.record("meeting.action", object_type="meeting", object_id=action.meeting_id)
    return action


def record_decision_letter(meeting: Meeting, sent_on: date | None, user: User) -> Meeting:
    if meeting.status != MeetingStatus.HELD:
        raise ValidationFailed.single("status", "Record the meeting as held first")
    if not isinstance(sent_on, date):
        raise ValidationFailed.single("sent_on", "Enter the date the decision letter was sent")
    if sent_on > to_local(utcnow()).date():
        raise ValidationFailed.single("sent_on", "The date must not be in the future")
    meeting.decision_letter_sent_on = sent_on
    for concern in meeting.concerns:
        add_event(concern, user, "meeting.letter", f"Decision letter sent on {sent_on:%d %B %Y}")
    access_log.record("meeting.letter", object_type="meeting", object_id=meeting.id)
    return meeting


# --- The administrators' standard invitation lists ----------------------------------------


def add_standard_invitee(values: dict[str, Any], user: User) -> StandardInvitee:
    errors: dict[str, list[str]] = {}
    code = values.get("meeting_type") or ""
    if code not in meeting_types():
        errors["meeting_type"] = ["Choose the meeting type"]
    audience = values.get("audience") or "any"
    if audience not in ("adult", "child", "any"):
        errors["audience"] = ["Choose adults, children or both"]
    agency_type = values.get("agency_type") or None
    agency_id = values.get("agency_id") or None
    if (agency_type is None) == (agency_id is None):
        errors["agency_type"] = ["Choose an agency type or one named agency, not both"]
    elif agency_type is not None and agency_type not in current_platform().agency_types:
        errors["agency_type"] = ["Choose an agency type from the list"]
    elif agency_id is not None and db.session.get(Agency, agency_id) is None:
        errors["agency_id"] = ["Choose an agency from the list"]
    reason = (values.get("reason") or "").strip()
    if not reason:
        errors["reason"] = ["Give the reason shown when it is proposed"]
    if errors:
        raise ValidationFailed(errors)
    entry = StandardInvitee(
        meeting_type=code,
        audience=audience,
        agency_type=agency_type,
        agency_id=agency_id,
        reason=reason[:2000],
    )
    db.session.add(entry)
    db.session.flush()
    access_log.record("standard_invitee.create", object_type="standard_invitee", object_id=entry.id)
    return entry


def remove_standard_invitee(entry: StandardInvitee, user: User) -> None:
    access_log.record("standard_invitee.delete", object_type="standard_invitee", object_id=entry.id)
    db.session.delete(entry)


def concerns_for_meeting(
    user: User, concern_ids: list[int], establishment_id: int | None
) -> list[Concern] | None:
    """The concerns a new meeting is for: those named (None, with the refusal logged, if
    the user may not see them all), or the open concerns of an establishment's cluster."""
    visible = visible_concerns(user)
    if establishment_id:
        since = utcnow() - timedelta(days=cluster_settings()[1])
        return list(
            db.session.scalars(
                visible.where(
                    Concern.establishment_id == establishment_id,
                    Concern.received_at >= since,
                    Concern.status == ConcernStatus.OPEN,
                ).order_by(Concern.id)
            )
        )
    ids = {i for i in concern_ids if 0 < i < 2**31}
    concerns = list(db.session.scalars(visible.where(Concern.id.in_(ids)).order_by(Concern.id)))
    if len(concerns) != len(ids):
        missing = sorted(ids - {c.id for c in concerns})
        access_log.record_denied(
            "concern.view", object_type="concern", object_id=",".join(map(str, missing))
        )
        return None
    return concerns


def standard_invitees() -> list[StandardInvitee]:
    """Every standard invitation list's entries, by meeting type."""
    return list(
        db.session.scalars(
            sa.select(StandardInvitee)
            .options(selectinload(StandardInvitee.agency))
            .order_by(StandardInvitee.meeting_type, StandardInvitee.id)
        )
    )


def filtered(query: sa.Select[Any], args: dict[str, Any]) -> sa.Select[Any]:
    """The meetings list's filters (``MeetingListArgs``), soonest first, with what each
    row shows loaded for the whole page."""
    if "status" in args:
        query = query.where(Meeting.status == args["status"])
    if "type" in args:
        query = query.where(Meeting.type == args["type"])
    if "concern_id" in args:
        query = query.where(Meeting.concerns.any(Concern.id == args["concern_id"]))
    if "starts_from" in args:
        query = query.where(
            Meeting.starts_at >= datetime.combine(args["starts_from"], time.min, LOCAL_ZONE)
        )
    if "starts_to" in args:
        query = query.where(
            Meeting.starts_at <= datetime.combine(args["starts_to"], time.max, LOCAL_ZONE)
        )
    return query.order_by(Meeting.starts_at, Meeting.id).options(
        selectinload(Meeting.concerns),
        selectinload(Meeting.invitations).selectinload(Invitation.agency),
        selectinload(Meeting.attendees),
        selectinload(Meeting.decisions),
        selectinload(Meeting.actions),
    )
