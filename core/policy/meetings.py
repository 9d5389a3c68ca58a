"""Who may see which meeting: exactly those who may see one of its concerns.

The involvement rule itself lives in ``core.policy.cases``; a meeting adds nothing to
it. Out-of-scope meetings answer 404 like missing ones, and the attempt is logged.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.auth.models import User
from core.auth.roles import Role
from core.concerns.models import Concern
from core.extensions import db
from core.meetings.models import Invitation, Meeting, meeting_concerns
from core.policy.cases import is_case_team, visible_concerns
from core.policy.records import load_visible
from core.policy.routes import user_can


def visible_meetings(user: Any) -> sa.Select[tuple[Meeting]]:
    query = sa.select(Meeting)
    if is_case_team(user):
        return query
    visible_ids = visible_concerns(user).with_only_columns(Concern.id)
    return query.where(
        sa.exists().where(
            meeting_concerns.c.meeting_id == Meeting.id,
            meeting_concerns.c.concern_id.in_(visible_ids.scalar_subquery()),
        )
    )


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


def load_own_invitation(user: Any, invitation_id: int) -> Invitation | None:
    """An invitation addressed to the user's own agency, of a meeting they may see."""
    invitation = db.session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.agency_id != user.agency_id
        or invitation.removed_at is not None
    ):
        access_log.record_denied(
            "invitation.view", object_type="invitation", object_id=invitation_id
        )
        return None
    if load_visible_meeting(user, invitation.meeting_id) is None:
        return None
    return invitation


def can_read_report(user: Any, invitation: Invitation) -> bool:
    """An agency's report to a meeting is for the safeguarding team and that agency."""
    return user_can(user, "meetings.schedule") or invitation.agency_id == user.agency_id


def load_readable_report(user: Any, meeting: Meeting, invitation_id: int) -> Invitation | None:
    """The written report an agency uploaded to one of the meeting's invitations, if there
    is one and the user may read it (can_read_report); None with the refusal logged."""
    invitation = db.session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.meeting_id != meeting.id
        or invitation.report_pdf is None
        or not can_read_report(user, invitation)
    ):
        access_log.record_denied("invitation.report", object_type="meeting", object_id=meeting.id)
        return None
    return invitation
