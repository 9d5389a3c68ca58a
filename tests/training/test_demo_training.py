"""The demo county shows staff training records: the hospital trust's, one of its staff
overdue for refresher training, reached from the trust's home and forms pages."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import sqlalchemy as sa

from core.auth.models import User
from core.extensions import db
from tests.api.conftest import ApiClient, make_token
from tests.conftest import Auth, Factory

NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)


def test_the_trust_finds_its_records_and_who_is_overdue(app, runner, clock):
    clock.set(NOW)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    nhs = app.test_client()
    signed_in = Auth(nhs, Factory(app)).sign_in("nhs@demo.example", "demo-safeguarding")
    assert signed_in.status_code == 302

    home = html.unescape(nhs.get("/").get_data(as_text=True))
    row = re.search(r'data-task="training_overdue">(.*?)</tr>', home, re.S)
    assert row and 'href="/training/return"' in row.group(1) and ">1<" in row.group(1)
    forms = nhs.get("/forms/").get_data(as_text=True)
    assert 'href="/training/"' in forms and 'href="/training/return"' in forms

    listed = nhs.get("/training/").get_data(as_text=True)
    assert "6 records" in listed and "Expired" in listed
    figures = nhs.get("/training/return").get_data(as_text=True)
    assert "Overdue for refresher training" in figures
    assert "Adults: level 2" in figures and "Staff nurse" in figures

    with app.app_context():
        board_id = db.session.scalar(sa.select(User.id).where(User.email == "board@demo.example"))
    board = ApiClient(app.test_client(), make_token(app, board_id))
    (trust,) = board.get("/api/v1/training/return").json["agencies"]
    assert trust["staff_overdue"] == 1 and trust["overdue"] is None
