"""Contact follow-ups: the safeguarding team's, of its council's cases not deleted (a
follow-up is its case's council's). Partner agencies,
the board and auditors read none (the board reads the monthly figures only)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.concerns.models import Concern
from core.followups.models import ContactFollowUp
from core.policy.cases import is_case_team, own_council
from core.policy.resources import Resource, declare, from_query


def visible_follow_ups(user: Any) -> sa.Select[tuple[ContactFollowUp]]:
    query = (
        sa.select(ContactFollowUp)
        .join(Concern, Concern.id == ContactFollowUp.concern_id)
        .where(Concern.deleted_at.is_(None))
    )
    return query.where(own_council(user)) if is_case_team(user) else query.where(sa.false())


FOLLOW_UP = declare(
    Resource(
        "follow_up",
        "follow_up_id",
        from_query(visible_follow_ups, ContactFollowUp),
        model=ContactFollowUp,
        api_endpoint="follow_ups_api.get_follow_up",
        url_ids=lambda follow_up: {"follow_up_id": follow_up.id},
    )
)
