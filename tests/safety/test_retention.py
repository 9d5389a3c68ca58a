"""Retention: `flask retention run --dry-run` lists exactly the closed case records past
their retention period and not under a legal hold; `flask retention run` purges them and
their dependent rows, leaving a tombstone in the access log."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from core.accesslog.models import AccessLogEntry
from core.auth.models import User
from core.auth.roles import Role
from core.concerns import operations
from core.concerns.models import CaseEvent, CaseNote, Concern, ConcernRiskType, Involvement
from core.config import ConfigurationError
from core.extensions import db
from core.people.models import Person
from core.retention import DEFAULT_RETENTION, keep_until
from tests.api.conftest import ApiClient, make_token
from tests.concerns.test_concerns_api import PERSON, concern_body
from tests.conftest import Factory

TODAY = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CLOSURE = {
    "risk_outcome": "identified_action",
    "risk_after_action": "reduced",
    "msp_achieved": "partially",
    "feedback_person_on": "2015-01-20",
    "feedback_person_method": "Home visit",
    "feedback_referrer_on": "2015-01-20",
    "feedback_referrer_method": "Phone",
}


class Council:
    def __init__(self, app):
        self.app = app
        factory = Factory(app)
        self.council = factory.agency(name="Northshire Council")
        self.police = factory.agency(name="Northshire Police", type="police")
        self.officer_id = factory.user(role=Role.SAFEGUARDING_OFFICER, agency_id=self.council)
        self.api = ApiClient(app.test_client(), make_token(app, self.officer_id))

    def case(self, name, *, received, closed=None, child=False, born=None, hold=None):
        """A concern received (and closed) on the given dates, with a note and an
        involved agency, made through the API and the real operations."""
        self.app.config["FIXED_NOW"] = received
        person = PERSON | {"given_name": name, "nhs_number": None}
        if born is not None:
            person["date_of_birth"] = born
        body = concern_body(
            person=person,
            received_at=received.isoformat(),
            is_child=child,
            msp_asked="asked_expressed",
            referrer_name="A neighbour",
        )
        created = self.api.post("/api/v1/concerns/", json=body)
        assert created.status_code == 201, created.json
        concern_id = created.json["id"]
        with self.app.app_context():
            concern = db.session.get(Concern, concern_id)
            officer = db.session.get(User, self.officer_id)
            operations.add_note(concern, "Spoke to the GP.", False, officer)
            operations.add_involvement(concern, self.police, "Police enquiry", officer)
            if hold:
                operations.set_legal_hold(concern, hold, officer)
            db.session.commit()
        if closed is not None:
            self.app.config["FIXED_NOW"] = closed
            feedback_on = closed.date().isoformat()
            closure = CLOSURE | {
                "feedback_person_on": feedback_on,
                "feedback_referrer_on": feedback_on,
            }
            response = self.api.post(f"/api/v1/concerns/{concern_id}/closure", json=closure)
            assert response.status_code == 200, response.json
        self.app.config["FIXED_NOW"] = TODAY
        return created.json["reference"], concern_id


def _at(year, month=1, day=10):
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


@pytest.fixture
def council(app_factory):
    return Council(app_factory(FIXED_NOW=TODAY))


def _listed(output):
    return sorted(line.split("\t")[1] for line in output.splitlines() if "\t" in line)


def test_dry_run_lists_exactly_the_records_past_retention_and_not_held(council):
    app = council.app
    due_adult, due_adult_id = council.case("Ada", received=_at(2015), closed=_at(2019, 3))
    kept_adult, _ = council.case("Bea", received=_at(2020), closed=_at(2021, 6))  # until 2027
    held, _ = council.case(
        "Cas", received=_at(2014), closed=_at(2015), hold="Claim against the council, 2026"
    )
    still_open, _ = council.case("Dot", received=_at(2012))  # still open: never due
    # a child born 2001 whose case closed in 2009: kept to the 25th birthday (2026-02-01)
    due_child, due_child_id = council.case(
        "Eve", received=_at(2008), closed=_at(2009), child=True, born="2001-02-01"
    )
    # a child born 2008 whose case closed in 2015: kept to the 25th birthday, in 2033
    kept_child, _ = council.case(
        "Fay", received=_at(2014), closed=_at(2015), child=True, born="2008-05-05"
    )
    # a 17-year-old whose case closed in 2021: 6 years after closure is later (2027)
    kept_teen, _ = council.case(
        "Gil", received=_at(2021), closed=_at(2021, 2), child=True, born="2003-06-01"
    )

    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert _listed(dry.output) == sorted([due_adult, due_child])
    assert "2 case record(s) past retention and not under a legal hold would be purged" in (
        dry.output
    )
    assert "1 kept by a legal hold" in dry.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Concern)) == 7

    purged = runner.invoke(args=["retention", "run"])
    assert purged.exit_code == 0, purged.output
    assert _listed(purged.output) == sorted([due_adult, due_child])
    with app.app_context():
        left = set(db.session.scalars(sa.select(Concern.reference)))
        assert left == {kept_adult, held, still_open, kept_child, kept_teen}
        for model in (ConcernRiskType, Involvement, CaseEvent, CaseNote):
            assert not db.session.scalar(
                sa.select(sa.func.count())
                .select_from(model)
                .where(model.concern_id.in_([due_adult_id, due_child_id]))
            ), model
        names = set(db.session.scalars(sa.select(Person.given_name)))
        assert {"Ada", "Eve"}.isdisjoint(names) and {"Bea", "Cas", "Fay"} <= names
        tombstones = db.session.scalars(
            sa.select(AccessLogEntry).where(AccessLogEntry.action == "retention.purge")
        ).all()
        assert sorted(t.object_id for t in tombstones) == sorted(
            [str(due_adult_id), str(due_child_id)]
        )
        for tombstone in tombstones:  # no personal data: the case's id and nothing else
            assert (tombstone.object_type, tombstone.user_id) == ("concern", None)
    assert runner.invoke(args=["access-log", "verify"]).exit_code == 0
    again = runner.invoke(args=["retention", "run", "--dry-run"])
    assert _listed(again.output) == []


def test_periods_are_configurable_and_checked(app_factory):
    app = app_factory(FIXED_NOW=TODAY, RETENTION={"adult_years_after_closure": 3})
    council = Council(app)
    reference, _ = council.case("Ann", received=_at(2022), closed=_at(2023, 1))  # until 2026
    dry = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert _listed(dry.output) == [reference]
    with pytest.raises(ConfigurationError):
        app_factory(RETENTION={"adults": 6})
    with pytest.raises(ConfigurationError):
        app_factory(RETENTION={"child_until_age": "25"})


def test_keep_until_for_a_child_with_no_date_of_birth():
    concern = Concern(status="closed", closed_at=_at(2010), is_child=True)
    concern.person = Person(given_name="X", family_name="Y", date_of_birth=None)
    assert keep_until(concern, DEFAULT_RETENTION) == date(2035, 1, 10)
