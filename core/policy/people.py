"""Which people a user may see. A person is visible wherever one of their concerns is:
the safeguarding team sees everyone, an agency practitioner only the people in cases
their agency is involved in (the rule itself is in core/policy/cases.py)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.concerns.models import Concern
from core.extensions import db
from core.people.models import Person
from core.people.operations import survivor_of
from core.policy.cases import is_case_team, visible_concerns


def visible_people(user: Any) -> sa.Select[tuple[Person]]:
    """Every current (not merged) record ``user`` may see, to filter, sort and page."""
    query = sa.select(Person).where(Person.merged_into_id.is_(None))
    if is_case_team(user):
        return query
    return query.where(Person.id.in_(visible_concerns(user).with_only_columns(Concern.person_id)))


def load_visible_person(user: Any, person_id: int) -> Person | None:
    """The record if ``user`` may see it (a merged record when they may see the one it
    was merged into); otherwise None, with the refusal logged, exactly like a missing one."""
    person = db.session.get(Person, person_id)
    if person is not None:
        kept = survivor_of(person)
        if db.session.scalar(visible_people(user).where(Person.id == kept.id)) is not None:
            return person
    access_log.record_denied("person.view", object_type="person", object_id=person_id)
    return None
