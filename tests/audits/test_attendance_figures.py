"""The attendance audit's figures beside a straightforward count in Python over varied
meetings of two councils: withdrawn standard invitations (once, twice, renewed or not),
withdrawn added invitations, agencies invited again, cancelled and still scheduled
meetings, meetings held just either side of the period's local midnights, and meetings
about both councils' cases. Quoracy is counted with the meeting page's own rule
(``core.meetings.operations.quoracy``), with no verdict stored on the meetings, with every
held meeting's stored by ``store_quoracy`` (checked against the rule one meeting at a time),
and with some stored."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from core.audits.attendance import period_bounds, quorate_by_todays_rule
from core.auth.roles import Role
from core.extensions import db
from core.meetings.models import (
    ATTENDED,
    Invitation,
    Meeting,
    MeetingStatus,
    Outcome,
    meeting_concerns,
)
from core.meetings.operations import apply_quorum_rule, quoracy, quorum_rule
from core.meetings.quorum import store_quoracy
from tests.api.conftest import ApiClient, make_token
from tests.audits.test_attendance_audit import H1_2026
from tests.concerns.test_concerns_api import PERSON, concern_body
from tests.conftest import Factory
from tests.support.clock import set_now

TYPES = (
    "strategy_discussion",
    "adult_protection_conference",
    "initial_child_protection_conference",
    "review_child_protection_conference",
    "core_group",
    "organisational_strategy_meeting",
)
AGENCY_TYPES = (
    "childrens_social_care",
    "local_authority",
    "police",
    "nhs_trust",
    "education",
    "probation",
    "housing",
)
# each agency's invitations to one meeting: (standard, withdrawn) in the order made
SHAPES = {
    "live standard": [(True, False)],
    "live added": [(False, False)],
    "left off": [(True, True)],
    "left off twice": [(True, True), (True, True)],
    "left off, invited again": [(True, True), (False, False)],
    "withdrawn twice, invited again": [(True, True), (True, True), (True, False)],
    "added, withdrawn": [(False, True)],
}
OUTCOMES = [*Outcome, None]  # mostly attended, so that some conferences are quorate
# held just either side of the period's ends (local midnight: GMT in January, BST in July)
EDGES = [
    datetime(2025, 12, 31, 23, 59, tzinfo=UTC),
    datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
    datetime(2026, 6, 30, 22, 59, tzinfo=UTC),
    datetime(2026, 6, 30, 23, 0, tzinfo=UTC),
]


def _client(app, user_id):
    return ApiClient(app.test_client(), make_token(app, user_id))


def _make_meetings(app, agencies, concerns, created_by_id, count=90):
    """``count`` meetings of every type, each about council A's case, B's or both, with
    a random mix of invitation shapes and outcomes (seeded: the same every run)."""
    chance = random.Random(23)
    with app.app_context():
        for n in range(count):
            status = chance.choices(list(MeetingStatus), weights=(1, 8, 1))[0]
            when = (
                EDGES[n]
                if n < len(EDGES)
                else datetime(2025, 12, 1, 10, tzinfo=UTC)
                + timedelta(hours=chance.randrange(24 * 240))
            )
            meeting = Meeting(
                type=chance.choice(TYPES),
                starts_at=when,
                status=status,
                uid=f"audit-figures-{n}",
                held_at=when if status == MeetingStatus.HELD else None,
                cancelled_at=when if status == MeetingStatus.CANCELLED else None,
                created_by_id=created_by_id,
            )
            db.session.add(meeting)
            db.session.flush()
            for concern_id in chance.choice([[concerns[0]], [concerns[1]], concerns]):
                db.session.execute(
                    sa.insert(meeting_concerns).values(meeting_id=meeting.id, concern_id=concern_id)
                )
            # every ninth meeting with nobody invited at all
            invited = 0 if n % 9 == 8 else chance.randrange(1, len(agencies) + 1)
            for agency_id in chance.sample(agencies, invited):
                for standard, withdrawn in SHAPES[chance.choice(list(SHAPES))]:
                    db.session.add(
                        Invitation(
                            meeting_id=meeting.id,
                            agency_id=agency_id,
                            reason="Test",
                            standard=standard,
                            invited_by_id=created_by_id,
                            outcome=None
                            if withdrawn or status != MeetingStatus.HELD
                            else chance.choices(OUTCOMES, weights=(5, 3, 1, 1, 1, 1))[0],
                            removed_at=when if withdrawn else None,
                            removal_reason="Not needed" if withdrawn else None,
                        )
                    )
                    # the withdrawal is written before the agency is invited again
                    db.session.flush()
        db.session.commit()


def _expected(app, council_id):
    """The audit's figures, counted one meeting and one invitation at a time."""
    begin, finish = period_bounds(*(datetime.fromisoformat(d).date() for d in H1_2026.values()))
    counts: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    held: Counter[str] = Counter()
    quorate: Counter[str] = Counter()
    with app.app_context():
        for meeting in db.session.scalars(sa.select(Meeting)):
            if not (
                meeting.status == MeetingStatus.HELD
                and begin <= meeting.held_at < finish
                and any(concern.council_id == council_id for concern in meeting.concerns)
            ):
                continue
            held[meeting.type] += 1
            found = quoracy(meeting)
            if found.applies and found.quorate:
                quorate[meeting.type] += 1
            live = {i.agency_id for i in meeting.invitations if i.removed_at is None}
            for invitation in meeting.invitations:
                for key in ((invitation.agency_id, meeting.type), (invitation.agency_id, "all")):
                    figures = counts[key]  # made here: an agency only withdrawn has a row
                    if invitation.removed_at is None:
                        figures["invited"] += 1
                        outcome = invitation.outcome
                        if outcome in ATTENDED:
                            figures["attended"] += 1
                        elif outcome is not None:
                            figures[outcome.value] += 1
                    elif invitation.standard and invitation.agency_id not in live:
                        figures["omitted_invitations"] += 1
        conferences = {t: n for t, n in held.items() if quorum_rule(t) is not None}
    names = (
        "invited",
        "attended",
        "apologies_with_report",
        "apologies_without_report",
        "did_not_attend",
        "omitted_invitations",
    )
    rows = {key: tuple(figures[n] for n in names) for key, figures in counts.items()}
    shares = {t: (n, quorate[t]) for t, n in conferences.items()}
    if shares:
        shares["all"] = (sum(n for n, _ in shares.values()), sum(q for _, q in shares.values()))
    return sum(held.values()), rows, shares


# the default rules, then rules a council configured: two required agency types, and one
# that asks for nobody (so a core group nobody attended, or nobody was invited to, is
# quorate)
RULES = [
    None,
    {
        "initial_child_protection_conference": {
            "required": ["childrens_social_care", "police"],
            "others": 1,
        },
        "core_group": {"required": [], "others": 0},
    },
]


@pytest.mark.parametrize("rules", RULES, ids=["default rules", "configured rules"])
def test_the_figures_match_a_count_of_each_meeting_in_two_councils(app_factory, rules):
    app = app_factory(**({"QUORUM_RULES": rules} if rules else {}))
    factory = Factory(app)
    set_now(datetime(2026, 7, 10, 12, 0, tzinfo=UTC))
    admin = _client(app, factory.user(role=Role.ADMINISTRATOR))
    a = admin.get("/api/v1/councils/").json[0]["id"]
    b = admin.post("/api/v1/councils/", json={"name": "Southshire County Council"}).json["id"]
    agencies = [
        factory.agency(name=f"Agency {n} ({kind})", type=kind, council_ids=[a, b])
        for n, kind in enumerate(AGENCY_TYPES * 2)
    ]
    officers, managers, concerns = {}, {}, []
    for council, person in ((a, PERSON), (b, PERSON | {"given_name": "Olwen", "nhs_number": None})):
        officers[council] = factory.user(agency_id=agencies[0], council_id=council)
        managers[council] = _client(
            app,
            factory.user(role=Role.SAFEGUARDING_MANAGER, agency_id=agencies[0], council_id=council),
        )
        made = _client(app, officers[council]).post(
            "/api/v1/concerns/",
            json=concern_body(person=person, received_at="2025-11-20T10:00:00+00:00"),
        )
        assert made.status_code == 201, made.json
        concerns.append(made.json["id"])
    _make_meetings(app, agencies, concerns, officers[a])

    # made without the app's operations: no verdict stored, the audit works each out
    _check_audits(app, managers, (a, b), rules)
    # the verdicts stored set-based (``flask audits requorate``), as the rule decides
    with app.app_context():
        assert store_quoracy() > 20
        db.session.commit()
        for meeting in db.session.scalars(sa.select(Meeting)):
            held = meeting.status == MeetingStatus.HELD
            assert meeting.quorate == (apply_quorum_rule(meeting).quorate if held else None)
    _check_audits(app, managers, (a, b), rules)
    # some stored, some not: the audit adds both up
    with app.app_context():
        db.session.execute(sa.update(Meeting).where(Meeting.id % 3 == 0).values(quorate=None))
        db.session.commit()
    _check_audits(app, managers, (a, b), rules)


def _check_audits(app, managers, councils, rules):
    for council in councils:
        meetings_held, rows, shares = _expected(app, council)
        audit = managers[council].post("/api/v1/audits/attendance/", json=H1_2026)
        assert audit.status_code == 201, audit.json
        found = {
            (r["agency_id"], r["meeting_type"]): tuple(
                r[n]
                for n in (
                    "invited",
                    "attended",
                    "apologies_with_report",
                    "apologies_without_report",
                    "did_not_attend",
                    "omitted_invitations",
                )
            )
            for r in audit.json["rows"]
        }
        assert found == rows
        assert audit.json["meetings_held"] == meetings_held
        assert {
            q["meeting_type"]: (q["conferences"], q["quorate"]) for q in audit.json["quoracy"]
        } == shares
        with app.app_context():  # what the benchmark checks the stored verdicts by
            start, end = (datetime.fromisoformat(d).date() for d in H1_2026.values())
            assert quorate_by_todays_rule(start, end, council) == {
                t: q for t, (_, q) in shares.items() if t != "all"
            }
        # the data is varied enough to test something
        assert meetings_held > 20 and len(rows) > 40
        assert sum(r[5] for key, r in rows.items() if key[1] == "all") > 5
        assert 0 < shares["all"][1] < shares["all"][0], shares
        if rules:
            assert shares["core_group"][0] == shares["core_group"][1] > 0
