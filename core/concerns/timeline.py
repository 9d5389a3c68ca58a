"""A case's timeline as a user may read it: every entry, but an agency form's entry only
for those who may read that form (core.policy.forms). The case page and the API read it
here alike."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.agency_forms.models import FormSubmission
from core.auth.models import User
from core.concerns.models import CaseEvent, Concern
from core.extensions import db
from core.policy.forms import readable_submissions


def timeline_of(concern: Concern, user: Any) -> list[tuple[CaseEvent, str | None]]:
    """The case's entries, newest first, each with the name of who made it."""
    readable_forms = readable_submissions(user).with_only_columns(FormSubmission.id)
    return [
        (event, name)
        for event, name in db.session.execute(
            sa.select(CaseEvent, User.name)
            .outerjoin(User, User.id == CaseEvent.user_id)
            .where(
                CaseEvent.concern_id == concern.id,
                sa.or_(
                    CaseEvent.submission_id.is_(None),
                    CaseEvent.submission_id.in_(readable_forms.scalar_subquery()),
                ),
            )
            .order_by(CaseEvent.occurred_at.desc(), CaseEvent.id.desc())
        )
    ]
