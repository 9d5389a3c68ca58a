"""Eleven wrong passwords within a minute: ten normal refusals, then 429.

The refusals are in the access log under the account's id, but neither the password
typed nor the email appears in the access log, and the password is in no log record.
"""

from __future__ import annotations

import logging

from core.auth.roles import Role
from tests.auth.helpers import (
    GENERIC_FAILURE,
    heading,
    log_entries,
    post_form,
    row_text,
    sign_in,
    without_volatile,
)
from tests.conftest import TEST_PASSWORD, Factory

TARGET = "target.person@example.org"
TYPED = "Typed-Wrong-Passw0rd-8812"


def _eleven_wrong(client, email=TARGET, password=TYPED):
    return [sign_in(client, email, password) for _ in range(11)]


def test_ten_refusals_then_429(app, client, factory, caplog):
    user_id = factory.user(role=Role.SAFEGUARDING_OFFICER, email=TARGET)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")  # every statement too

    responses = _eleven_wrong(client)

    for number, response in enumerate(responses[:10], start=1):
        html = response.get_data(as_text=True)
        assert response.status_code == 200, f"attempt {number}"
        assert heading(response) == "Sign in to Safeguarding Hub"
        assert GENERIC_FAILURE in html and "There is a problem" in html
        assert TYPED not in html  # the password is never sent back
    limited = responses[10]
    assert limited.status_code == 429
    body = limited.get_data(as_text=True)
    assert heading(limited) == "Too many attempts"
    assert "Wait a minute" in body
    assert TARGET not in body and GENERIC_FAILURE not in body

    # Logging was live at DEBUG (the limiter reports the breach) and nothing logged
    # carries the password, in the message or in its arguments.
    assert any(r.name == "flask-limiter" for r in caplog.records), "capture is not live"
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)
    for record in caplog.records:
        assert TYPED not in record.getMessage()
        assert TYPED not in repr(record.args)
        assert TYPED not in str(record.msg)

    denied = log_entries(app, action="sign_in", outcome="denied")
    assert len(denied) == 10
    assert {entry.user_id for entry in denied} == {user_id}
    assert {entry.object_id for entry in denied} == {str(user_id)}
    assert log_entries(app, action="rate_limited", outcome="denied")
    for entry in log_entries(app):
        text = row_text(entry)
        assert TYPED not in text
        assert TARGET not in text and "target.person" not in text


def test_the_right_password_waits_out_the_minute_too(client, factory):
    factory.user(email=TARGET)
    _eleven_wrong(client)
    assert sign_in(client, TARGET, TEST_PASSWORD).status_code == 429
    assert client.get("/").status_code == 302  # still not signed in


def test_the_email_is_matched_whatever_its_case(client, factory):
    factory.user(email=TARGET)
    for _ in range(10):
        assert sign_in(client, TARGET.upper(), TYPED).status_code == 200
    assert sign_in(client, f"  {TARGET}  ", TYPED).status_code == 429


def test_429_gives_no_hint_whether_the_account_exists(app_factory):
    app = app_factory()
    Factory(app).user(email=TARGET)
    real = _eleven_wrong(app.test_client(), TARGET)
    unknown = _eleven_wrong(app.test_client(), "nobody.here@example.org")

    assert [r.status_code for r in real] == [r.status_code for r in unknown]
    assert real[10].status_code == 429
    for mine, theirs in zip(real, unknown, strict=True):
        assert without_volatile(mine.get_data(as_text=True)).replace(
            TARGET, "EMAIL"
        ) == without_volatile(theirs.get_data(as_text=True)).replace(
            "nobody.here@example.org", "EMAIL"
        )
    # The unknown account's refusals are logged too, naming nobody.
    unknown_rows = [entry for entry in log_entries(app, action="sign_in") if entry.user_id is None]
    assert len(unknown_rows) == 10
    assert all(entry.outcome == "denied" for entry in unknown_rows)


def test_another_account_signs_in_while_one_is_limited(app, client, factory):
    factory.user(email=TARGET)
    other_id = factory.user(email="colleague@example.org")
    assert _eleven_wrong(client)[10].status_code == 429

    response = sign_in(client, "colleague@example.org", TEST_PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    allowed = log_entries(app, action="sign_in", outcome="allowed")
    assert [entry.user_id for entry in allowed] == [other_id]


def test_successful_sign_ins_do_not_count_towards_the_limit(client, factory):
    factory.user(email=TARGET)
    for _ in range(12):
        assert sign_in(client, TARGET, TEST_PASSWORD).status_code == 302
        assert post_form(client, "/sign-out", {}, form_page="/").status_code == 302
