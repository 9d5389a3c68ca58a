"""Numbers a page's form or link gives are read one way (``core.db.whole_number`` and
``record_id``): only the digits 0 to 9, and an id only from 1 to the database's largest.
``str.isdigit`` takes "²" and "①", which ``int`` refuses (a 500), and a number past
PostgreSQL's integer made the database refuse the query (a 500 there, not on SQLite)."""

from __future__ import annotations

import pytest

from core.db import MAX_ID, record_id, whole_number
from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, record_concern, schedule

NOT_A_NUMBER = ["²", "①", "١٢", "-3", "1.5", "", " ", "12a"]
TOO_LARGE = str(MAX_ID + 1)


@pytest.mark.tooling
def test_a_whole_number_is_written_in_the_digits_0_to_9():
    assert [whole_number(t) for t in ("12", " 7 ", "0", "2026")] == [12, 7, 0, 2026]
    assert [whole_number(t) for t in NOT_A_NUMBER] == [None] * len(NOT_A_NUMBER)
    assert whole_number(None) is None


@pytest.mark.tooling
def test_a_record_id_is_between_1_and_the_largest_the_database_holds():
    assert record_id("1") == 1 and record_id(str(MAX_ID)) == MAX_ID and record_id(42) == 42
    assert [record_id(t) for t in ("0", TOO_LARGE, "99999999999999999999", *NOT_A_NUMBER)] == [
        None
    ] * (3 + len(NOT_A_NUMBER))


@pytest.mark.parametrize("odd", ["²", TOO_LARGE])
def test_odd_numbers_in_links_and_forms_get_an_answer_not_a_server_error(
    app, auth, client, factory, odd
):
    world = build_world(app, factory)
    concern_id = record_concern(world, child=False)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-10T10:00:00+00:00").json
    auth.sign_in("officer@example.org")
    asked = {
        f"/returns/sac?year={odd}": 400,
        f"/returns/children?year={odd}": 400,
        f"/discharges/monitoring?month-month={odd}&month-year=2026": 400,
        f"/concerns/new?person_id={odd}": 200,  # no such person: the form starts empty
    }
    for path, status in asked.items():
        assert client.get(path).status_code == status, path
    # the meeting record's action owner, posted as its picker would not: the owner is asked
    record = f"/meetings/{meeting['id']}/record"
    posted = {
        "csrf_token": csrf_token(client, record),
        "action-0-description": "Visit the family",
        "action-0-owner": odd,
        "action-0-due-day": "20",
        "action-0-due-month": "12",
        "action-0-due-year": "2026",
    }
    answered = client.post(record, data=posted)
    assert answered.status_code in (200, 400), answered.status_code
