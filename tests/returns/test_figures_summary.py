"""The dashboard's summary tables give exactly the figures counted from the records, for
any period, on SQLite and PostgreSQL; a change is in them once the figures job has run;
behind or missing, the dashboard counts from the records and says so."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from faker import Faker

from core.auth.councils import default_council_id
from core.auth.models import Locality, Team, User
from core.auth.roles import Role
from core.concerns.models import ADULT_DECISIONS, Concern, ConcernStatus, Decision, SignOff
from core.db import utcnow
from core.extensions import db
from core.people.models import AllegedPerson, RelationshipKind, SupportOffer
from core.people.operations import merge_people
from core.reference import FamilyOutcome, RiskOutcome
from core.returns import summary
from core.returns.dashboard import dashboard, summary_dashboard
from core.returns.models import FiguresPending, FiguresReceived
from core.returns.periods import Period
from core.returns.repeats import repeat_report
from core.teams import operations as teams
from tests.returns.helpers import concern, person

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
PERIODS = [
    Period(date(2025, 12, 1), date(2026, 11, 30)),  # the default: twelve months to today
    Period(date(2026, 3, 1), date(2026, 3, 31)),  # the clocks go forward on the 29th
    Period(date(2025, 10, 26), date(2025, 10, 26)),  # ... and back: one day
    Period(date(2026, 4, 15), date(2026, 7, 2)),
    Period(date(2024, 6, 1), date(2026, 12, 31)),
]


def _moment(fake: Faker, rng: random.Random) -> datetime:
    """A time in the last 20 months, often near local midnight, where days split."""
    day = fake.date_between(date(2025, 4, 1), date(2026, 11, 29))
    clock = rng.choice([time(0, 30), time(23, 30), time(23, 59), time(1, 0)])
    if rng.random() < 0.5:
        clock = fake.time_object()
    return datetime.combine(day, clock, UTC)


def _world(user_id: int, seed: int = 23) -> list[Concern]:
    """Concerns in every state the dashboard counts, drawn with a fixed seed."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    council = default_council_id()
    crews = [teams.create(Team, council, name=f"{fake.city()} team {n}") for n in range(3)]
    areas = [teams.create(Locality, council, name=f"{fake.county()} {n}") for n in range(2)]
    people = [person(given_name=fake.first_name(), family_name=fake.last_name()) for _ in range(25)]
    made = []
    for _ in range(90):
        child = rng.random() < 0.4
        received = _moment(fake, rng)
        decision = rng.choice(
            [None, Decision.STRATEGY_DISCUSSION]
            if child
            else [None, *ADULT_DECISIONS, Decision.STRATEGY_DISCUSSION]
        )
        record = concern(
            user_id,
            received=received.date().isoformat(),
            who=rng.choice(people),
            is_child=child,
            decision=decision,
            screening_due=received.date() + timedelta(days=rng.choice([-40, 0, 1, 2, 35])),
            out_of_hours=rng.random() < 0.3,
            team_id=rng.choice([None, *(c.id for c in crews)]),
            locality_id=rng.choice([None, *(a.id for a in areas)]),
        )
        record.received_at = received
        if decision is not None:
            record.decided_at = received + timedelta(hours=rng.choice([1, 20, 30, 80]))
            record.sign_off = rng.choice([None, None, SignOff.PENDING, SignOff.SIGNED_OFF])
            if record.sign_off == SignOff.SIGNED_OFF:
                record.signed_off_at = record.decided_at + timedelta(hours=rng.choice([2, 40]))
        if rng.random() < 0.45:
            record.closed_at = received + timedelta(days=rng.choice([0, 3, 60, 200]))
            record.status = ConcernStatus.CLOSED if rng.random() < 0.9 else ConcernStatus.OPEN
            if child:
                record.family_outcome = rng.choice([None, *FamilyOutcome])
            else:
                record.risk_outcome = rng.choice([None, *RiskOutcome])
        if rng.random() < 0.05:
            record.deleted_at = received + timedelta(days=1)
        for _ in range(rng.choice([0, 0, 1, 2])):
            db.session.add(
                AllegedPerson(
                    concern_id=record.id,
                    person_id=rng.choice(people).id,
                    relationship_kind=RelationshipKind.HOUSEHOLD,
                    has_care_needs=rng.choice([None, False, True, True]),
                    support=rng.choice([None, *SupportOffer]),
                    removed_at=received if rng.random() < 0.1 else None,
                )
            )
        made.append(record)
    db.session.commit()
    return made


def _same_as_counted() -> None:
    for period in PERIODS:
        assert summary_dashboard(period) == dashboard(period), period
        read = repeat_report(period, with_cases=False, directly=False)
        counted = repeat_report(period, with_cases=False, directly=True)
        assert (read.concerns, read.repeats, read.by_team, read.by_area) == (
            counted.concerns,
            counted.repeats,
            counted.by_team,
            counted.by_area,
        )


def test_the_summary_gives_the_counted_figures_and_follows_every_change(app, factory, clock):
    clock.set(NOW)
    user_id = factory.user()
    with app.app_context():
        user = db.session.get(User, user_id)
        made = _world(user_id)
        summary.rebuild()
        figures = dashboard(PERIODS[0])
        assert figures.concerns and figures.repeats and figures.decisions  # varied data
        assert any(h.open_at_end for h in figures.by_team)
        assert figures.alleged_support.care_needs
        _same_as_counted()

        # changes, each committed, as the pages make them: then the job runs
        rng = random.Random(5)
        later = max(made, key=lambda c: c.received_at)
        backdated = concern(user_id, received="2026-01-01", who=later.person)
        backdated.received_at = later.received_at - timedelta(days=30)  # later is a repeat now
        shut = next(c for c in made if c.closed_at is None and c.deleted_at is None)
        shut.closed_at, shut.status = utcnow(), ConcernStatus.CLOSED
        gone = next(c for c in made if c.deleted_at is None and c is not later)
        gone.deleted_at = utcnow()
        moved = next(c for c in made if c.deleted_at is None and c not in (gone, shut))
        moved.team_id, moved.received_at = None, moved.received_at - timedelta(days=100)
        for alleged in db.session.scalars(sa.select(AllegedPerson).limit(3)):
            alleged.support, alleged.has_care_needs = SupportOffer.DECLINED, True
        db.session.commit()
        merged = rng.choice([c for c in made if c.person_id != later.person_id]).person
        merge_people(later.person, merged, "The same person", user)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(FiguresPending))
        assert summary_dashboard(PERIODS[0]) != dashboard(PERIODS[0])  # not counted yet

        summary.refresh()
        assert not db.session.scalar(sa.select(sa.func.count()).select_from(FiguresPending))
        _same_as_counted()
        assert dashboard(PERIODS[0]) != figures  # the changes show


def _at(answer: dict[str, object]) -> datetime:
    return datetime.fromisoformat(str(answer["counted_at"]))


def test_a_concern_recorded_shows_once_the_job_has_run_and_a_late_summary_is_not_read(
    app, factory, api_as, clock
):
    clock.set(NOW)
    user_id = factory.user()
    with app.app_context():
        summary.rebuild()
    officer = api_as(Role.SAFEGUARDING_OFFICER)
    url = "/api/v1/dashboard?from=2026-11-01&to=2026-11-30"
    before = officer.get(url).json
    assert (before["concerns"], before["counted_directly"]) == (0, False)
    assert _at(before) == NOW

    clock.advance(timedelta(minutes=3))
    recorded = officer.post(
        "/api/v1/concerns/",
        json={
            "received_at": "2026-11-20T23:30:00+00:00",
            "person": {"given_name": "Iris", "family_name": "Moss", "date_of_birth": "1941-03-03"},
            "is_child": False,
            "types_of_risk": ["neglect"],
            "location": "own_home",
            "source_of_risk": "known",
            "description": "Missed medication, no food.",
            "route": "phone",
        },
    )
    assert recorded.status_code == 201, recorded.json
    after = officer.get(url).json  # the job ran after the commit (no Redis: in the process)
    assert (after["concerns"], after["counted_directly"]) == (1, False)
    assert _at(after) == NOW + timedelta(minutes=3)
    # the board's repeat figures are read from the summary; the team's audit counts them
    repeats = "/api/v1/returns/repeats?from=2026-11-01&to=2026-11-30"
    board = api_as(Role.BOARD_MEMBER).get(repeats).json
    assert (board["concerns"], board["counted_directly"], _at(board)) == (1, False, _at(after))
    assert officer.get(repeats).json["counted_directly"] is True
    # the year's return is counted again once a JOBS_FIGURES_SECONDS, not at each concern:
    # read as kept meanwhile, saying when it was counted
    sac = officer.get("/api/v1/returns/sac?year=2026").json
    assert (_at(sac), sac["counted_directly"]) == (NOW, False)

    # a change no job counted (a command's), older than FIGURES_STALE_SECONDS: counted
    # from the records, and the answer says so
    with app.app_context():
        concern(user_id, received="2026-11-21")
        db.session.commit()
    assert officer.get(url).json["concerns"] == 1  # the summary, as counted
    clock.advance(timedelta(seconds=app.config["FIGURES_STALE_SECONDS"] + 1))
    late = officer.get(url).json
    assert (late["concerns"], late["counted_directly"]) == (2, True)
    with app.app_context():
        summary.refresh()
    assert officer.get(url).json["counted_directly"] is False


def test_a_rebuild_leaves_postgresql_knowing_how_many_rows_it_wrote(app, factory, clock):
    """The tables a rebuild fills are analysed after it (on PostgreSQL): the planner's
    row count is the real one, not the empty tables' of a database loaded just before."""
    from tests.support.database import using_postgres

    if not using_postgres():
        pytest.skip("PostgreSQL's statistics")
    clock.set(NOW)
    user_id = factory.user()
    with app.app_context():
        for day in range(1, 6):
            concern(user_id, received=f"2026-11-0{day}")
        db.session.commit()
        summary.rebuild()
        rows = db.session.scalar(sa.select(sa.func.count()).select_from(FiguresReceived))
        planned = db.session.scalar(
            sa.text("SELECT reltuples FROM pg_class WHERE relname = 'figures_received'")
        )
    assert rows == planned > 0
    assert {statement.split()[-1] for statement in summary.VACUUM_REBUILT} == {
        model.__tablename__ for model, _, _ in summary.TABLES
    }
