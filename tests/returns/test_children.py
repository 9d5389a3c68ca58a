"""The children's figures: s47 enquiry start to ICPC in working-day bands (bank holidays
off) with the median, plans by category, and reviews held on time."""

from __future__ import annotations

import uuid
from datetime import date

from core.auth.roles import Role
from core.concerns.models import Assessment, Concern
from core.extensions import db
from core.meetings.models import (
    DecisionKind,
    Meeting,
    MeetingDecision,
    MeetingStatus,
    meeting_concerns,
)
from core.plans.models import Plan, PlanKind, PlanReview, ReviewDecision
from core.reference import PlanCategory
from core.returns.children import children_figures, median
from tests.returns.helpers import at, concern, person


def _held(
    user: int, concern_id: int, kind: str, day: str, decided: DecisionKind | None = None
) -> None:
    meeting = Meeting(
        type=kind,
        starts_at=at(day),
        held_at=at(day),
        status=MeetingStatus.HELD,
        uid=str(uuid.uuid4()),
        created_by_id=user,
    )
    if decided is not None:
        meeting.decisions.append(MeetingDecision(kind=decided))
    db.session.add(meeting)
    db.session.flush()
    db.session.execute(
        meeting_concerns.insert().values(meeting_id=meeting.id, concern_id=concern_id)
    )


def _child(user: int, start: str, icpc: str, earlier: str | None = None) -> int:
    """A child's case: a strategy discussion starting the s47 enquiry on ``start`` (after
    one on ``earlier`` that decided something else), and the ICPC on ``icpc``."""
    received = earlier or start
    case = concern(
        user, received=received, is_child=True, who=person(date_of_birth=date(2015, 1, 1))
    )
    if earlier:
        _held(user, case.id, "strategy_discussion", earlier, decided=DecisionKind.OTHER)
    _held(user, case.id, "strategy_discussion", start, decided=DecisionKind.SECTION_47)
    _held(user, case.id, "initial_child_protection_conference", icpc)
    return case.id


def test_icpc_timeliness_bands_median_plans_and_reviews(app, factory):
    user = factory.user()
    with app.app_context():
        _child(user, "2026-06-01", "2026-06-22", earlier="2026-05-01")  # 15 working days
        _child(user, "2026-06-01", "2026-07-01")  # 22 working days
        # Friday, then the August bank holiday Monday: Tuesday is 1 working day later
        planned = _child(user, "2026-08-28", "2026-09-01")
        _child(user, "2026-01-05", "2026-02-01")  # ICPC before the year: not counted
        plan = Plan(
            kind=PlanKind.CHILD,
            person_id=db.session.get(Concern, planned).person_id,
            concern_id=planned,
            category=PlanCategory.NEG,
            initial_category=PlanCategory.NEG,
            started_on=date(2026, 6, 22),
            created_by_id=user,
        )
        db.session.add(plan)
        db.session.flush()
        for day in (date(2026, 9, 22), date(2027, 3, 23)):  # on time; a day late
            db.session.add(
                PlanReview(
                    plan_id=plan.id,
                    reviewed_on=day,
                    decision=ReviewDecision.CONTINUE,
                    recorded_by_id=user,
                )
            )
        db.session.commit()
        figures = children_figures(2026)
    assert [(b.label, b.count) for b in figures.bands] == [
        ("0–10", 1),
        ("11–15", 1),
        ("16–20", 0),
        ("21+", 1),
    ]
    assert figures.median == 15
    assert ("Neglect", 1, 1) in figures.plans
    assert (figures.reviews_held, figures.reviews_on_time) == (2, 1)


def test_the_enquiry_starts_at_the_discussion_that_started_it_not_the_first(app, factory):
    """One discussion decides "other" on 18 December 2025, a second starts the s47 on
    5 January 2026, the ICPC is held on 19 January: 10 working days, band 0–10 (counted
    from the first discussion it would be 20 and 16–20), and the ICPC was due by
    26 January, 15 working days after 5 January (Christmas and New Year off)."""
    user = factory.user()
    with app.app_context():
        case = _child(user, "2026-01-05", "2026-01-19", earlier="2025-12-18")
        db.session.commit()
        figures = children_figures(2025)
        from core.meetings.clocks import due_dates, meetings_of

        concern_row = db.session.get(Concern, case)
        without_icpc = [
            m for m in meetings_of([case])[case] if m.type != "initial_child_protection_conference"
        ]
        due = due_dates(concern_row, without_icpc)
    assert [(b.label, b.count) for b in figures.bands][:3] == [
        ("0–10", 1),
        ("11–15", 0),
        ("16–20", 0),
    ]
    assert due["initial_child_protection_conference"] == date(2026, 1, 26)


def test_a_discussion_that_did_not_start_an_enquiry_starts_no_icpc_clock(app, factory):
    user = factory.user()
    with app.app_context():
        case = concern(
            user, received="2026-06-01", is_child=True, who=person(date_of_birth=date(2015, 1, 1))
        )
        _held(user, case.id, "strategy_discussion", "2026-06-01", decided=DecisionKind.OTHER)
        _held(user, case.id, "initial_child_protection_conference", "2026-06-10")
        db.session.commit()
        figures = children_figures(2026)
    assert figures.icpcs == 0


def test_median_of_grouped_values():
    assert median({}) is None
    assert median({3: 1}) == 3
    assert median({1: 1, 4: 1}) == 2.5
    assert median({1: 3, 9: 1}) == 1


def test_the_board_opens_the_children_page_and_api(auth, api_as):
    auth.as_role(Role.BOARD_MEMBER)
    page = auth.client.get("/returns/children?year=2026")
    assert page.status_code == 200
    assert "Section 47 enquiry start to initial child protection conference" in page.get_data(
        as_text=True
    )
    assert auth.client.get("/returns/children?year=x").status_code == 400
    body = api_as(Role.BOARD_MEMBER).get("/api/v1/returns/children?year=2026").json
    assert [b["label"] for b in body["icpc_timeliness"]] == ["0–10", "11–15", "16–20", "21+"]
    assert body["icpc_median_working_days"] is None


def test_a_review_due_in_the_year_and_never_held_counts_as_late(app, factory):
    user = factory.user()
    with app.app_context():
        planned = _child(user, "2026-05-01", "2026-05-20")
        case = db.session.get(Concern, planned)
        for started, ended in ((date(2026, 5, 20), None), (date(2026, 6, 1), date(2026, 8, 1))):
            db.session.add(
                Plan(
                    kind=PlanKind.CHILD,
                    person_id=case.person_id,
                    concern_id=planned,
                    category=PlanCategory.NEG,
                    initial_category=PlanCategory.NEG,
                    started_on=started,
                    ended_on=ended,
                    created_by_id=user,
                )
            )
        db.session.commit()
        # the open plan's first review fell due on 20 August 2026 and was never held; the
        # other plan ended before its review fell due
        during = children_figures(2026, today=date(2026, 8, 20))
        after = children_figures(2026, today=date(2026, 8, 21))
        later = children_figures(2026, today=date(2027, 6, 1))
    assert (during.reviews_held, during.reviews_missed) == (0, 0)  # due today: not late yet
    assert (after.reviews_held, after.reviews_on_time, after.reviews_missed) == (0, 0, 1)
    assert later.reviews_missed == 1


def test_assessments_concluded_in_the_year_and_within_45_working_days(app, factory, api_as):
    """Three assessments concluded in 2026-27 (one a day late, one on its last day, one
    early) and one concluded in the year before: 2 of 3 on time."""
    user = factory.user()
    with app.app_context():
        for authorised, due in (
            ("2026-06-02", "2026-06-01"),  # a day late
            ("2026-07-01", "2026-07-01"),  # on its last day
            ("2027-03-31", "2027-05-01"),  # early, on the year's last day
            ("2026-03-31", "2026-04-30"),  # the year before
        ):
            case = concern(user, received="2026-01-05", is_child=True)
            db.session.add(
                Assessment(
                    concern_id=case.id,
                    started_on=date(2026, 1, 6),
                    due_on=date.fromisoformat(due),
                    authorised_on=date.fromisoformat(authorised),
                    started_by_id=user,
                )
            )
        db.session.commit()
        figures = children_figures(2026)
    assert (figures.assessments_concluded, figures.assessments_on_time) == (3, 2)
    body = api_as(Role.BOARD_MEMBER).get("/api/v1/returns/children?year=2026").json
    assert (body["assessments_concluded"], body["assessments_on_time"]) == (3, 2)
