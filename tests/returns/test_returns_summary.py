"""The statutory returns kept by the figures job (``core/returns/snapshots.py``) give
exactly the figures counted from the records: the SAC and the children's figures of each
financial year and council, over varied data (two councils, people with several
concerns, enquiries and plans across year boundaries), after every kind of change once
the job has run, and after ``flask figures rebuild``; missing or behind, they are counted
from the records, and the pages, API and exports say when and how they were counted."""

from __future__ import annotations

import csv
import io
import random
import uuid
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from openpyxl import load_workbook

from core.auth.models import Council, User
from core.auth.roles import Role
from core.concerns.models import (
    Assessment,
    Concern,
    ConcernRiskType,
    Decision,
    EnquiryLocation,
)
from core.db import utcnow
from core.extensions import db
from core.meetings.models import DecisionKind, Meeting, MeetingDecision, MeetingStatus
from core.people.models import Person
from core.plans.models import Plan, PlanKind, PlanReview, ReviewDecision
from core.reference import (
    Ethnicity,
    LackedCapacity,
    LocationOfRisk,
    MspAchieved,
    MspAsked,
    PlanCategory,
    PrimarySupportReason,
    Sex,
    SourceOfRisk,
    TypeOfRisk,
)
from core.returns import snapshots, summary
from core.returns.children import children_figures
from core.returns.models import FiguresReturn, FiguresReturnPending
from core.returns.sac import collection
from tests.returns.helpers import at, concern, person

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # 2026 to 2027 running, 2025 to 2026 done
YEARS = (2024, 2025, 2026)
DECISIONS = [None, Decision.SECTION_42, Decision.SECTION_42, Decision.OTHER_ENQUIRY]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _adults(user_id: int, councils: list[int], rng: random.Random) -> list[Concern]:
    """Adults' concerns in both councils, most people with several, enquiries started and
    concluded on either side of 1 April."""
    people = [
        person(
            date_of_birth=rng.choice([None, date(1930, 4, 1), date(1958, 3, 31), date(2007, 6, 1)]),
            estimated_age=rng.choice([None, 70]),
            sex=rng.choice(list(Sex)),
            ethnicity=rng.choice(list(Ethnicity)),
            primary_support_reason=rng.choice(list(PrimarySupportReason)),
        )
        for _ in range(14)
    ]
    made = []
    for _ in range(60):
        received = _day(rng, date(2024, 3, 1), date(2026, 11, 29))
        decision = rng.choice(DECISIONS)
        decided = received + timedelta(days=rng.choice([0, 3, 40]))
        concluded = rng.choice([None, decided + timedelta(days=rng.choice([5, 90, 300]))])
        if concluded is not None and concluded >= NOW.date():
            concluded = None
        asked = rng.choice(list(MspAsked))
        made.append(
            concern(
                user_id,
                received=received.isoformat(),
                who=rng.choice(people),
                council_id=rng.choice(councils),
                decision=decision,
                decided=decided.isoformat(),
                concluded=concluded.isoformat() if concluded else None,
                types=tuple(rng.sample(list(TypeOfRisk), rng.choice([1, 2]))),
                locations=tuple(rng.sample(list(LocationOfRisk), rng.choice([1, 2]))),
                sources=tuple(rng.sample(list(SourceOfRisk), rng.choice([1, 2]))),
                msp_asked=asked,
                msp_achieved=rng.choice(list(MspAchieved)) if asked == MspAsked.EXPRESSED else None,
                lacked_capacity=rng.choice(list(LackedCapacity)),
                advocacy=rng.choice([None, *LackedCapacity]),
                deleted_at=at("2026-11-01") if rng.random() < 0.05 else None,
            )
        )
    return made


def _meeting(user_id: int, case: Concern, kind: str, day: date, starts_s47: bool) -> Meeting:
    meeting = Meeting(
        type=kind,
        starts_at=at(day.isoformat()),
        held_at=at(day.isoformat()),
        status=MeetingStatus.HELD,
        uid=str(uuid.uuid4()),
        created_by_id=user_id,
        concerns=[case],
    )
    if starts_s47:
        meeting.decisions.append(MeetingDecision(kind=DecisionKind.SECTION_47))
    db.session.add(meeting)
    return meeting


def _children(user_id: int, councils: list[int], rng: random.Random) -> list[Plan]:
    """Children's cases: the section 47 discussion and the ICPC, a plan with reviews, an
    assessment, on either side of 1 April."""
    plans = []
    for _ in range(16):
        start = _day(rng, date(2024, 3, 1), date(2026, 10, 1))
        case = concern(
            user_id,
            received=start.isoformat(),
            who=person(date_of_birth=date(2016, 1, 1)),
            council_id=rng.choice(councils),
            is_child=True,
        )
        _meeting(user_id, case, "strategy_discussion", start, starts_s47=True)
        icpc = start + timedelta(days=rng.choice([8, 16, 30]))
        _meeting(user_id, case, "initial_child_protection_conference", icpc, starts_s47=False)
        plan = Plan(
            kind=PlanKind.CHILD,
            person_id=case.person_id,
            concern_id=case.id,
            category=rng.choice(list(PlanCategory)),
            initial_category=PlanCategory.NEG,
            started_on=icpc,
            ended_on=rng.choice([None, icpc + timedelta(days=400)]),
            created_by_id=user_id,
        )
        review = icpc + timedelta(days=rng.choice([80, 100]))
        while review < NOW.date() and rng.random() < 0.7:
            plan.reviews.append(
                PlanReview(
                    reviewed_on=review, decision=ReviewDecision.CONTINUE, recorded_by_id=user_id
                )
            )
            review += timedelta(days=rng.choice([150, 200]))
        db.session.add(plan)
        db.session.add(
            Assessment(
                concern_id=case.id,
                started_on=start,
                due_on=start + timedelta(days=63),
                authorised_on=rng.choice([None, start + timedelta(days=rng.choice([30, 90]))]),
                started_by_id=user_id,
            )
        )
        plans.append(plan)
    db.session.flush()
    return plans


def _councils(user_id: int) -> list[int]:
    other = Council(name="Southshire County Council")
    db.session.add(other)
    db.session.flush()
    return [db.session.get(User, user_id).council_id, other.id]


def _all_kept_as_counted(councils: list[int], every_council: bool = True) -> None:
    """Every kept return is the direct count, for each council and (``every_council``)
    for all of them."""
    today = NOW.date()
    whose = [*councils, None] if every_council else councils
    kept = db.session.scalars(sa.select(FiguresReturn)).all()
    assert {(k.kind, k.year, k.council_id) for k in kept} >= {
        (kind, year, council)
        for kind in snapshots.KINDS
        for year in (2025, 2026)
        for council in (None, *councils)
    }
    for record in kept:
        if record.council_id not in whose:
            continue
        read = snapshots._figures(record)
        if record.kind == snapshots.SAC:
            assert read == collection(record.year, record.council_id), record.year
        else:
            assert read == children_figures(record.year, today, record.council_id), record.year
    for council in whose:
        for year in YEARS:
            sac_read = snapshots.current_sac(year, council)
            children_read = snapshots.current_children(year, council)
            assert sac_read.figures == collection(year, council)
            assert children_read.figures == children_figures(year, today, council)


def _counted_again(councils: list[int]) -> None:
    """Commit the change: it is noted; the job after it marks the returns it touches
    behind, and once the periodic run has, every kept return is the direct count again."""
    db.session.commit()
    assert _pending()
    summary.refresh()
    assert not _pending()
    assert db.session.scalar(
        sa.select(sa.func.count()).where(FiguresReturn.behind_since.is_not(None))
    )
    summary.count_figures()
    _all_kept_as_counted(councils)


def _pending() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(FiguresReturnPending))


def _keep_years(councils: list[int]) -> None:
    """Keep 2024 too, and every council's together (not kept by default: no page reads
    them), as a request for them would have the job do."""
    for kind in snapshots.KINDS:
        for council in councils:
            summary.keep_return(kind, 2024, council)
        for year in YEARS:
            summary.keep_return(kind, year, None)


def test_the_kept_returns_are_the_counted_ones_and_follow_every_change(app, factory, clock):
    clock.set(NOW)
    user_id = factory.user()
    rng = random.Random(31)
    with app.app_context():
        councils = _councils(user_id)
        adults = _adults(user_id, councils, rng)
        plans = _children(user_id, councils, rng)
        db.session.commit()
        summary.rebuild()
        # each council's kept, never every council's together unless asked for
        kept_for = set(db.session.scalars(sa.select(FiguresReturn.council_id)))
        assert kept_for == set(councils)
        _keep_years(councils)
        figures = collection(2025, None)
        sg1a = figures.table("SG1a").rows
        assert sum(sum(r.values) for r in sg1a) < sum(
            sum(r.values) for r in figures.table("SG1d").rows
        )  # people with several cases: individuals are fewer than cases
        assert children_figures(2025, NOW.date()).icpcs
        _all_kept_as_counted(councils)
        assert all(not snapshots.current_sac(y, c).directly for y in YEARS for c in councils)

        # changes of every kind the returns read, each committed as the pages commit them
        live = [c for c in adults if c.deleted_at is None]
        with_enquiry = [c for c in live if c.enquiry is not None]
        moved = with_enquiry[0]
        moved.council_id = councils[1] if moved.council_id == councils[0] else councils[0]
        db.session.commit()
        assert any(  # read as kept until the job runs
            snapshots.current_sac(y, c).figures != collection(y, c) for y in YEARS for c in councils
        )
        # the job after the change marks the returns it touches behind: a year of a
        # council's cases is counted again at most once a JOBS_FIGURES_SECONDS, not at each
        # change; meanwhile they are read as kept, with when they were counted
        summary.refresh()
        touched = db.session.scalars(
            sa.select(FiguresReturn.council_id).where(FiguresReturn.behind_since.is_not(None))
        ).all()
        assert set(touched) == {None, *councils}
        assert all(not snapshots.current_sac(y, c).directly for y in YEARS for c in councils)
        # the job after a change a period later counts each council's again; every
        # council's together (a national count) waits for the periodic run, read as kept
        # within FIGURES_STALE_SECONDS
        clock.advance(timedelta(seconds=app.config["JOBS_FIGURES_SECONDS"] + 1))
        summary.refresh()
        _all_kept_as_counted(councils, every_council=False)
        behind = db.session.scalars(
            sa.select(FiguresReturn).where(
                FiguresReturn.council_id.is_(None), FiguresReturn.behind_since.is_not(None)
            )
        ).all()
        assert behind
        first = behind[0]
        assert not snapshots._current(first.kind, first.year, None).directly
        clock.advance(timedelta(seconds=app.config["FIGURES_STALE_SECONDS"] + 1))
        assert snapshots._current(first.kind, first.year, None).directly
        summary.count_figures()  # the periodic run
        assert not snapshots._current(first.kind, first.year, None).directly
        _all_kept_as_counted(councils)
        with_enquiry[1].deleted_at = utcnow()
        _counted_again(councils)
        enquiry = with_enquiry[2].enquiry
        enquiry.started_on = date(2025, 3, 31)  # across 1 April, a year earlier
        enquiry.concluded_on = date(2025, 4, 1)
        _counted_again(councils)
        enquiry = with_enquiry[3].enquiry
        enquiry.location_rows.append(EnquiryLocation(location=LocationOfRisk.HOSPITAL_ACUTE))
        enquiry.lacked_capacity = LackedCapacity.YES
        _counted_again(councils)
        with_enquiry[4].risk_types.append(ConcernRiskType(risk_type=TypeOfRisk.MODERN_SLAVERY))
        _counted_again(councils)
        db.session.delete(with_enquiry[5].enquiry)
        _counted_again(councils)
        someone = db.session.get(Person, live[6].person_id)
        someone.date_of_birth, someone.sex = date(1940, 1, 1), Sex.FEMALE
        _counted_again(councils)
        live[7].person_id = live[8].person_id  # another person's now
        _counted_again(councils)
        live[9].is_child = True
        _counted_again(councils)
        concern(
            user_id, received="2025-02-10", council_id=councils[1], decision=Decision.SECTION_42
        )
        _counted_again(councils)
        plans[0].category = (
            PlanCategory.EMO if plans[0].category != PlanCategory.EMO else PlanCategory.NEG
        )
        _counted_again(councils)
        plans[1].ended_on = plans[1].started_on + timedelta(days=10)
        _counted_again(councils)
        plans[2].reviews.append(
            PlanReview(
                reviewed_on=date(2026, 11, 2),
                decision=ReviewDecision.CONTINUE,
                recorded_by_id=user_id,
            )
        )
        _counted_again(councils)
        icpc = db.session.scalars(
            sa.select(Meeting).where(Meeting.type == "initial_child_protection_conference")
        ).first()
        icpc.held_at = icpc.held_at + timedelta(days=40)
        _counted_again(councils)
        discussion = db.session.scalars(
            sa.select(Meeting).where(Meeting.type == "strategy_discussion")
        ).all()[3]
        db.session.delete(discussion.decisions[0])
        _counted_again(councils)
        assessment = db.session.scalars(
            sa.select(Assessment).where(Assessment.authorised_on.is_(None))
        ).first()
        assessment.authorised_on = date(2026, 5, 1)
        _counted_again(councils)

        # a deleted case: gone from every year's returns once counted again
        gone = with_enquiry[6]
        db.session.delete(gone)
        _counted_again(councils)

        # and the rebuild gives the same
        summary.rebuild()
        _all_kept_as_counted(councils)


def test_the_childrens_figures_of_an_earlier_day_are_counted_again(app, factory, clock):
    """A review due in the year still running is missed once its day has passed, with no
    change to any record: yesterday's count is not read, the periodic job counts it."""
    clock.set(NOW)
    user_id = factory.user()
    with app.app_context():
        case = concern(user_id, received="2026-08-01", is_child=True)
        db.session.add(
            Plan(
                kind=PlanKind.CHILD,
                person_id=case.person_id,
                concern_id=case.id,
                category=PlanCategory.NEG,
                initial_category=PlanCategory.NEG,
                started_on=date(2026, 9, 1),  # the first review is due on 1 December
                created_by_id=user_id,
            )
        )
        db.session.commit()
        summary.rebuild()
        council = case.council_id
        assert snapshots.current_children(2026, council).figures.reviews_missed == 0
        clock.advance(timedelta(days=2))
        read = snapshots.current_children(2026, council)
        assert (read.directly, read.figures.reviews_missed) == (True, 1)
        summary.count_figures()
        read = snapshots.current_children(2026, council)
        assert (read.directly, read.figures.reviews_missed) == (False, 1)
        assert read.counted_at == NOW + timedelta(days=2)
        # a new financial year: the periodic run keeps its returns
        clock.set(datetime(2027, 4, 2, 9, 0, tzinfo=UTC))
        summary.count_figures()
        kept = {(k.kind, k.year) for k in db.session.scalars(sa.select(FiguresReturn))}
        assert {("sac", 2027), ("children", 2027)} <= kept


def _at(answer: dict[str, object]) -> datetime:
    return datetime.fromisoformat(str(answer["counted_at"]))


def test_pages_api_and_exports_say_when_the_returns_were_counted(app, factory, auth, api_as, clock):
    clock.set(NOW)
    user_id = factory.user()
    with app.app_context():
        concern(user_id, received="2026-05-01", decision=Decision.SECTION_42, closed="2026-06-01")
        db.session.commit()
        summary.rebuild()
    auth.as_role(Role.SAFEGUARDING_MANAGER)
    api_client = api_as(Role.SAFEGUARDING_MANAGER)
    clock.advance(timedelta(minutes=5))

    # kept: read, with the time of the count
    api = api_client.get("/api/v1/returns/sac?year=2026").json
    assert (_at(api), api["counted_directly"]) == (NOW, False)
    page = auth.client.get("/returns/sac?year=2026").get_data(as_text=True)
    assert "Figures counted at 30 November 2026, 12:00; changes since then" in page
    table = auth.client.get("/returns/sac/sg1d.csv?year=2026").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[-1] == ["Figures counted at 30 November 2026, 12:00, from the figures summary."]
    book = load_workbook(io.BytesIO(auth.client.get("/returns/sac.xlsx?year=2026").data))
    assert "Figures counted at 30 November 2026, 12:00" in book["SG2a"]["A3"].value
    children = api_client.get("/api/v1/returns/children?year=2026").json
    assert (_at(children), children["counted_directly"]) == (NOW, False)
    page = auth.client.get("/returns/children?year=2026").get_data(as_text=True)
    assert "Figures counted at 30 November 2026, 12:00;" in page
    for url in ("/returns/sac/sg1a?year=2026",):
        assert "Figures counted at 30 November 2026, 12:00;" in auth.client.get(url).get_data(
            as_text=True
        )

    # a year not kept: counted from the records at the request, and kept from then on
    first = api_client.get("/api/v1/returns/sac?year=2019").json
    assert (_at(first), first["counted_directly"]) == (NOW + timedelta(minutes=5), True)
    page = auth.client.get("/returns/children?year=2018").get_data(as_text=True)
    assert "Figures counted at 30 November 2026, 12:05, from the records" in page
    clock.advance(timedelta(minutes=1))
    again = api_client.get("/api/v1/returns/sac?year=2019").json
    assert (_at(again), again["counted_directly"]) == (NOW + timedelta(minutes=5), False)

    # a change the job has not counted, older than FIGURES_STALE_SECONDS: from the records
    with app.app_context():
        concern(user_id, received="2026-07-01", decision=Decision.SECTION_42)  # no job ran
        db.session.commit()
    clock.advance(timedelta(seconds=app.config["FIGURES_STALE_SECONDS"] + 1))
    late = api_client.get("/api/v1/returns/sac?year=2026").json
    assert late["counted_directly"] is True
    assert _at(late) > NOW + timedelta(minutes=6)
    page = auth.client.get("/returns/sac?year=2026").get_data(as_text=True)
    assert "from the records: the summary of the figures is being brought up to date" in page
    assert api_client.get("/api/v1/returns/sac?year=2025").json["counted_directly"] is False


def test_the_hate_crime_report_says_it_was_counted_from_the_records(auth, api_as, clock):
    """Any period, so not kept: counted at the request, and the page and API say so."""
    clock.set(NOW)
    auth.as_role(Role.BOARD_MEMBER)
    page = auth.client.get("/returns/hate-crime").get_data(as_text=True)
    assert "Figures counted at 30 November 2026, 12:00, from the records." in page
    answer = api_as(Role.BOARD_MEMBER).get("/api/v1/returns/hate-crime").json
    assert (_at(answer), answer["counted_directly"]) == (NOW, True)
