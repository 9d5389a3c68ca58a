"""The access matrix inside a case: what a practitioner gets at each involvement level of
its agency (full, contributor, implicated) from the routes of the case's sections, each
refusal logged (issue 19). Restricted entries and confidential parts of minutes are
content, not answers: tests/concerns/test_need_to_know.py and the state machine
(tests/safety/test_agency_views_state_machine.py) check them.

Its own module: the access matrix's records live for the whole of its module, in the
database every test of a worker uses on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from core.extensions import db
from tests.meetings.helpers import build_world, record_concern, schedule

OK = 200
MOVED = 302

# What a practitioner gets at each level of its agency's involvement (issue 19):
#   path (with {concern}, {meeting}, {plan}), then full, contributor, implicated
LEVELS = ("full", "contributor", "implicated")
LEVEL_MATRIX: tuple[tuple[str, int, int, int], ...] = (
    ("/api/v1/concerns/{concern}", OK, OK, OK),
    ("/api/v1/concerns/{concern}/notes", OK, 403, 403),
    ("/api/v1/concerns/{concern}/timeline", OK, 403, 403),
    ("/api/v1/concerns/{concern}/supervisions", OK, 403, 403),
    ("/api/v1/concerns/{concern}/body-map", OK, 403, 403),
    # the person alleged to have caused harm and the people around the person at risk
    ("/api/v1/concerns/{concern}/alleged-people", OK, 403, 403),
    ("/api/v1/concerns/{concern}/relationships", OK, 403, 403),
    ("/api/v1/forms/cases/{concern}", OK, OK, OK),
    # every level reads the chronology; each event only where its level shows the section
    ("/api/v1/concerns/{concern}/chronology", OK, OK, OK),
    ("/concerns/{concern}/chronology", OK, OK, OK),
    ("/api/v1/meetings/{meeting}", OK, OK, OK),  # its own invitation; records withheld
    ("/api/v1/plans/{plan}", OK, OK, OK),  # its own actions
    ("/concerns/{concern}", OK, OK, OK),
    ("/meetings/{meeting}", MOVED, MOVED, MOVED),  # an agency's part is its portal page
    ("/plans/{plan}", OK, OK, OK),
)
# Which parts of what it may open each level shows: the meeting's minutes and the
# plan's person, on the API; the minutes on the agency's portal page for the meeting
LEVEL_SHOWS = {
    "minutes": (True, False, False),
    "plan_person": (True, True, False),
    "portal_minutes": (True, False, False),
}
MINUTES = "Agreed to interview the carer"


def test_each_involvement_level_opens_what_the_design_says_and_logs_each_refusal(
    app: Flask, factory: Any, auth: Any
) -> None:
    """The police, involved and invited, at each level in turn: the answer to every
    route of the case's sections, each refusal in the access log, and the meeting's
    minutes and the plan's person shown only where the level shows them."""
    world = build_world(app, factory)
    officer, police = world.clients["officer"], world.clients["police"]
    concern = record_concern(world, child=False)
    involvement = officer.post(
        f"/api/v1/concerns/{concern}/involvements",
        json={"agency_id": world.agencies["police"], "note": "Criminal investigation"},
    ).json["id"]
    invited = {"agency_id": world.agencies["police"], "reason": "Criminal investigation"}
    scheduled = schedule(
        world, concern, "strategy_discussion", "2026-12-01T10:00:00+00:00", added=[invited]
    ).json
    meeting = scheduled["id"]
    portal = "/portal/invitations/{}".format(
        next(i["id"] for i in scheduled["invitations"] if i["agency_id"] == invited["agency_id"])
    )
    with app.app_context():
        from core.meetings.models import Meeting

        db.session.get(Meeting, meeting).minutes = MINUTES
        db.session.commit()
    plan = officer.post("/api/v1/plans/", json={"concern_id": concern}).json["id"]
    ids = {"concern": concern, "meeting": meeting, "plan": plan}
    auth.sign_in("police@example.org")
    problems = []
    with app.app_context():
        counter = sa.create_engine(db.engine.url)

    def denied() -> int:
        from core.accesslog.models import AccessLogEntry

        query = sa.select(sa.func.count()).where(AccessLogEntry.outcome == "denied")
        with counter.connect() as connection:
            return int(connection.execute(query).scalar_one())

    for index, level in enumerate(LEVELS):
        changed = officer.patch(
            f"/api/v1/concerns/{concern}/involvements/{involvement}",
            json={"level": level, "reason": "The access matrix"},
        )
        assert changed.status_code == OK or level == "full", changed.json
        for path, *answers in LEVEL_MATRIX:
            url = path.format(**ids)
            before = denied()
            if url.startswith("/api/"):
                got = police.get(url).status_code
            else:
                got = auth.client.get(url).status_code
            expected = answers[index]
            if got != expected:
                problems.append(f"{url} at {level}: expected {expected}, got {got}")
            if expected >= 400 and denied() == before:
                problems.append(f"{url} at {level}: refused but not logged")
        shown = {
            "minutes": police.get(f"/api/v1/meetings/{meeting}").json["minutes"] is not None,
            "plan_person": police.get(f"/api/v1/plans/{plan}").json["person_id"] is not None,
            "portal_minutes": MINUTES in auth.client.get(portal).get_data(as_text=True),
        }
        for part, expected_shown in LEVEL_SHOWS.items():
            if shown[part] != expected_shown[index]:
                problems.append(f"{part} at {level}: shown {shown[part]}")
    counter.dispose()
    assert not problems, "\n".join(problems)
