"""Records for the people and establishment tests, made through the real operations with
synthetic (Faker en_GB) details."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from faker import Faker
from flask import Flask

from core.auth.roles import Role
from core.extensions import db
from tests.api.conftest import api_as
from tests.conftest import Factory

fake = Faker("en_GB")


def nhs_number(seed: int) -> str:
    """A valid NHS number (modulus 11 check digit) made from ``seed``."""
    while True:
        first = f"{seed:09d}"[-9:]
        total = sum(int(d) * w for d, w in zip(first, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            return first + str(check)
        seed += 1


class Records:
    def __init__(self, app: Flask, factory: Factory):
        self.app = app
        self.factory = factory
        self._recorder: int | None = None

    def person(self, **values: Any) -> int:
        from core.people.operations import create_person

        values = {"given_name": fake.first_name(), "family_name": fake.last_name()} | values
        with self.app.app_context():
            person = create_person(values)
            db.session.commit()
            return person.id

    def establishment(self, **values: Any) -> int:
        from core.people.operations import create_establishment

        values = {"name": f"{fake.last_name()} House", "kind": "care_home_residential"} | values
        with self.app.app_context():
            place = create_establishment(values)
            db.session.commit()
            return place.id

    def concern(self, person_id: int, **values: Any) -> int:
        from core.auth.models import User
        from core.concerns.operations import record_concern
        from core.people.models import Person

        if self._recorder is None:
            self._recorder = self.factory.user(Role.SAFEGUARDING_OFFICER)
        values = {
            "received_at": datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
            "types_of_risk": ["neglect"],
            "location": "care_home_residential",
            "source_of_risk": "service_provider",
            "description": fake.paragraph(),
        } | values
        with self.app.app_context():
            concern = record_concern(
                values,
                db.session.get(Person, person_id),
                db.session.get(User, self._recorder),
            )
            db.session.commit()
            return concern.id

    def scalar(self, statement: str, **params: Any) -> Any:
        with self.app.app_context():
            return db.session.scalar(sa.text(statement), params)

    def event_kinds(self, concern_id: int) -> list[str]:
        """The kinds of a case's timeline entries, oldest first."""
        with self.app.app_context():
            return list(
                db.session.scalars(
                    sa.text("SELECT kind FROM case_events WHERE concern_id = :id ORDER BY id"),
                    {"id": concern_id},
                )
            )

    def log_entries(self, action: str) -> list[tuple[str | None, str]]:
        """(object id, outcome) of each access log entry with ``action``, oldest first."""
        with self.app.app_context():
            rows = db.session.execute(
                sa.text(
                    "SELECT object_id, outcome FROM access_log WHERE action = :action ORDER BY id"
                ),
                {"action": action},
            )
            return [(row[0], row[1]) for row in rows]


@pytest.fixture
def records(app: Flask, factory: Factory) -> Records:
    return Records(app, factory)


BIRTHDAY = date(1941, 6, 3)


__all__ = ["api_as"]
