"""Who may see which meeting: the safeguarding team; and an agency's practitioners while
their agency is invited to it (not removed from its invitation list) and may see one of its
concerns. A meeting's records (minutes, decisions, actions, attendees, reports) are need to
know: an agency removed from the invitation list loses the meeting at once, and an agency
involved in the case but not invited never sees it (Working Together 2023; Care Act
statutory guidance, 14: information shared on a need-to-know basis).

The involvement rule itself lives in ``core.policy.cases``. Out-of-scope meetings answer
404 like missing ones, and the attempt is logged.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from core.auth.models import Agency, User
from core.auth.roles import Role
from core.concerns.models import Concern, InvolvementLevel
from core.extensions import db
from core.meetings.models import (
    ActionStatus,
    Invitation,
    Meeting,
    MeetingAction,
    MeetingStatus,
    StandardInvitee,
    meeting_concerns,
)
from core.policy.cases import (
    agency_level,
    is_case_team,
    own_council,
    visible_among,
    visible_concerns,
)
from core.policy.records import load_visible
from core.policy.resources import Resource, declare, from_query
from core.policy.routes import user_can

# Who is sent an agency's meeting emails (invitations, changes, cancellations, withdrawals,
# reminders): the roles that act on them. Board members, auditors and administrators
# never are, whatever their agency: an email about a case goes only to who must act on it.
INVITATION_RECIPIENTS = frozenset(
    {Role.AGENCY_PRACTITIONER, Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER}
)


def visible_meetings(user: Any) -> sa.Select[tuple[Meeting]]:
    query = sa.select(Meeting)
    if is_case_team(user):
        # the team's council's meetings: one of its cases is about it, or (never so far)
        # it is about none
        about = sa.select(meeting_concerns.c.concern_id).where(
            meeting_concerns.c.meeting_id == Meeting.id
        )
        return query.where(
            sa.or_(
                ~about.exists(),
                sa.exists().where(
                    meeting_concerns.c.meeting_id == Meeting.id,
                    Concern.id == meeting_concerns.c.concern_id,
                    own_council(user),
                ),
            )
        )
    visible_ids = visible_concerns(user).with_only_columns(Concern.id)
    return query.where(
        sa.exists().where(
            meeting_concerns.c.meeting_id == Meeting.id,
            meeting_concerns.c.concern_id.in_(visible_ids.scalar_subquery()),
        ),
        sa.exists().where(
            Invitation.meeting_id == Meeting.id,
            Invitation.agency_id == user.agency_id,
            Invitation.removed_at.is_(None),
        ),
    )


def sees_records(user: Any, meeting: Meeting) -> bool:
    """May ``user`` read the meeting's records (minutes, decisions, actions, attendees,
    the other agencies' invitations and reports)? The safeguarding team; and an agency
    invited to it while involved in full in each of its cases the agency sees."""
    if is_case_team(user):
        return True
    if not any(i.agency_id == user.agency_id for i in meeting.active_invitations):
        return False
    return all(
        agency_level(user.agency_id, concern.id) == InvolvementLevel.FULL
        for concern in visible_among(user, meeting.concerns)
    )


def own_part(user: Any, meeting: Meeting) -> tuple[list[Invitation], list[MeetingAction]]:
    """What an invited agency that does not read the meeting's records (``sees_records``)
    reads of them: its own invitation and the actions it owns."""
    agency_id = user.agency_id
    return (
        [i for i in meeting.active_invitations if i.agency_id == agency_id],
        [a for a in meeting.actions if a.owner_agency_id == agency_id],
    )


def may_read_confidential(user: Any, meeting: Meeting) -> bool:
    """The confidential part of a meeting's minutes: the safeguarding team, and the
    agencies named for it among those that read the meeting's records."""
    if is_case_team(user):
        return True
    named = any(a.id == user.agency_id for a in meeting.confidential_readers)
    return named and sees_records(user, meeting)


def meetings_shown(user: Any, meetings: list[Meeting]) -> list[Meeting]:
    """Of a case's meetings, those ``user`` may see (the case page's list)."""
    if is_case_team(user):
        return meetings
    return [
        meeting
        for meeting in meetings
        if any(i.agency_id == user.agency_id for i in meeting.active_invitations)
    ]


CHAIRS = frozenset({Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER})


def may_chair(user: Any) -> bool:
    """Meetings are chaired by the safeguarding team."""
    return bool(user.active and user.role in CHAIRS)


def possible_chairs() -> sa.Select[tuple[int, str]]:
    """The active members of the safeguarding team, by name."""
    return (
        sa.select(User.id, User.name)
        .where(User.active.is_(True), User.role.in_(CHAIRS))
        .order_by(User.name)
    )


def load_visible_meeting(user: Any, meeting_id: int) -> Meeting | None:
    return load_visible(visible_meetings(user), Meeting, meeting_id, "meeting")


def own_invitations(user: Any) -> sa.Select[tuple[Invitation]]:
    """The invitations to the user's agency to scheduled meetings they may see, soonest
    first (the agency portal's lists)."""
    return (
        sa.select(Invitation)
        .join(Meeting, Meeting.id == Invitation.meeting_id)
        .where(
            Invitation.agency_id == user.agency_id,
            Invitation.removed_at.is_(None),
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.id.in_(visible_meetings(user).with_only_columns(Meeting.id)),
        )
        .options(selectinload(Invitation.meeting).selectinload(Meeting.concerns))
        .order_by(Meeting.starts_at, Invitation.id)
    )


def own_open_meeting_actions(user: Any) -> sa.Select[tuple[MeetingAction]]:
    """The open actions the user's agency owns from the meetings it may see, soonest due
    first (the agency portal's list of its actions, beside its plan actions)."""
    return (
        sa.select(MeetingAction)
        .where(
            MeetingAction.owner_agency_id == user.agency_id,
            MeetingAction.status == ActionStatus.OPEN,
            MeetingAction.meeting_id.in_(visible_meetings(user).with_only_columns(Meeting.id)),
        )
        .options(selectinload(MeetingAction.meeting).selectinload(Meeting.concerns))
        .order_by(MeetingAction.due_on, MeetingAction.id)
    )


def own_invitation(user: Any, invitation_id: int) -> Invitation | None:
    """An invitation addressed to the user's own agency, of a meeting they may see."""
    invitation = db.session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.agency_id != user.agency_id
        or invitation.removed_at is not None
        or MEETING.load(user, invitation.meeting_id, {}) is None
    ):
        return None
    return invitation


def can_read_report(user: Any, invitation: Invitation) -> bool:
    """An agency's report to a meeting is a meeting record: read by the safeguarding team,
    the agency that sent it and the agencies that read the meeting's records
    (``sees_records``). A restricted report (``report_restriction``), of those agencies,
    only by the ones named on it (``report_readers``)."""
    if is_case_team(user) or invitation.agency_id == user.agency_id:
        return True
    if invitation.report_restriction is not None and not any(
        a.id == user.agency_id for a in invitation.report_readers
    ):
        return False
    return sees_records(user, invitation.meeting)


def reports_shown(user: Any, meeting: Meeting) -> list[tuple[Invitation, bool]]:
    """The reports sent to a meeting that ``user`` is told of, each with whether they may
    read it: all of them for the team and for the agencies that read the meeting's
    records (a restricted one not for them shows as "Restricted entry, <date>, <agency>");
    an agency that does not read them is told of its own report only."""
    return [
        (i, can_read_report(user, i)) for i in meeting.active_invitations if told_of_report(user, i)
    ]


def told_of_report(user: Any, invitation: Invitation) -> bool:
    """Is ``user`` told that the invited agency sent a report (``reports_shown``)?"""
    return invitation.report_submitted_at is not None and (
        invitation.agency_id == user.agency_id or sees_records(user, invitation.meeting)
    )


# --- Record types (core/policy/resources.py) ------------------------------------------------


def _of_meeting(model: Any) -> Any:
    """A loader for a record of the meeting loaded before it from the URL."""

    def load(_: Any, record_id: int, loaded: Any) -> Any:
        found = db.session.get(model, record_id)
        return found if found is not None and found.meeting_id == loaded["meeting"].id else None

    return load


def may_answer(user: Any, invitation: Invitation) -> bool:
    """An invitation is answered (and its report marked) by the invited agency or the
    safeguarding team."""
    return is_case_team(user) or (
        invitation.agency_id == user.agency_id and user_can(user, "meetings.respond")
    )


MEETING = declare(
    Resource(
        "meeting",
        "meeting_id",
        from_query(visible_meetings, Meeting),
        model=Meeting,
        api_endpoint="meetings_api.get_meeting",
        url_ids=lambda meeting: {"meeting_id": meeting.id},
    )
)
INVITATION = declare(
    Resource(
        "invitation",
        "invitation_id",
        _of_meeting(Invitation),
        model=Invitation,
        rules={
            "update": may_answer,
            "outcome": lambda user, _: user_can(user, "meetings.record"),
        },
        api_endpoint="meetings_api.get_invitation",
        url_ids=lambda i: {"meeting_id": i.meeting_id, "invitation_id": i.id},
    )
)
MEETING_ACTION = declare(
    Resource("meeting_action", "action_id", _of_meeting(MeetingAction), model=MeetingAction)
)
# An invitation addressed to the user's own agency, from the agency portal.
OWN_INVITATION = declare(
    Resource(
        "own_invitation",
        "invitation_id",
        lambda user, invitation_id, _: own_invitation(user, invitation_id),
        denied="invitation.view",
        object_type="invitation",
    )
)


def _report(user: Any, invitation_id: int, loaded: Any) -> Invitation | None:
    invitation = _of_meeting(Invitation)(user, invitation_id, loaded)
    if invitation is None or invitation.report_pdf is None:
        return None
    return invitation if can_read_report(user, invitation) else None


# An agency's uploaded report to a meeting, for those who may read it (``can_read_report``).
INVITATION_REPORT = declare(
    Resource("invitation_report", "invitation_id", _report, denied="invitation.report")
)
# An entry of a standard invitation list (administrators: every entry).
STANDARD_INVITEE = declare(
    Resource(
        "standard_invitee",
        "entry_id",
        lambda _, entry_id, __: db.session.get(StandardInvitee, entry_id),
        model=StandardInvitee,
    )
)


def possible_invitees(agency_id: int) -> list[User]:
    """The users the agency may name to attend a meeting (``may_be_invitee``), by name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.agency_id == agency_id,
                User.active.is_(True),
                User.role.in_(sorted(INVITATION_RECIPIENTS)),
            )
            .order_by(User.name, User.id)
        )
    )


def may_be_invitee(user: Any, agency_id: int) -> bool:
    """Whether ``user`` may be named to attend for the agency: an active user of it whose
    role acts on invitations (never a board member, an auditor or an administrator)."""
    return bool(
        user is not None
        and user.active
        and user.agency_id == agency_id
        and user.role in INVITATION_RECIPIENTS
    )


def invitation_recipients(agency_id: int, invitee: Any = None) -> list[str]:
    """The addresses an agency's case emails go to (invitations, changes, reminders): the
    person named to attend (``invitee``) while they may be; else its named safeguarding
    contacts (active users whose role acts on invitations, INVITATION_RECIPIENTS) and its
    team mailbox; never every user of the agency, and never its board members, auditors
    or administrators. None: the agency reads its invitations in the portal only (the
    meeting page says so)."""
    if may_be_invitee(invitee, agency_id):
        return [invitee.email]
    contacts = db.session.scalars(
        sa.select(User.email)
        .where(
            User.agency_id == agency_id,
            User.active.is_(True),
            User.safeguarding_contact.is_(True),
            User.role.in_(sorted(INVITATION_RECIPIENTS)),
        )
        .order_by(User.email)
    )
    mailbox = db.session.scalar(sa.select(Agency.team_mailbox).where(Agency.id == agency_id))
    return list(dict.fromkeys([*contacts, *([mailbox] if mailbox else [])]))
