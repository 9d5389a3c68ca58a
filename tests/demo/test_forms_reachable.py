"""Every form reachable by clicking (issue 22, item 4): the provider alert was linked from
nowhere. The forms page offers each establishment form for the places the user may use,
and the establishment's page links the forms that apply there."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import sqlalchemy as sa

from core.extensions import db
from tests.conftest import Auth, Factory

NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)


def _signed_in(app, email: str):
    client = app.test_client()
    assert Auth(client, Factory(app)).sign_in(email, "demo-safeguarding").status_code == 302
    return client


def _places(app) -> dict[str, int]:
    from core.people.models import Establishment

    with app.app_context():
        return dict(db.session.execute(sa.select(Establishment.name, Establishment.id)).all())


def test_a_provider_reaches_its_alert_form_by_clicking(app, runner, clock):
    clock.set(NOW)
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    places = _places(app)
    carehome = _signed_in(app, "carehome@demo.example")

    forms = html.unescape(carehome.get("/forms/").get_data(as_text=True))
    alert = f"/forms/care_home.provider_alert/new/{places['Meadowbank House']}"
    assert f'href="{alert}"' in forms
    assert "Riverside Court" not in forms, "another provider's home"
    page = carehome.get(alert)
    assert page.status_code == 200 and "Provider alert" in page.get_data(as_text=True)
    other = f"/forms/care_home.provider_alert/new/{places['Riverside Court']}"
    assert carehome.get(other).status_code == 404

    here = html.unescape(
        carehome.get(f"/establishments/{places['Meadowbank House']}").get_data(as_text=True)
    )
    assert f'href="{alert}"' in here

    officer = _signed_in(app, "officer@demo.example")
    team = html.unescape(officer.get("/forms/").get_data(as_text=True))
    details = re.findall(r'href="(/forms/care_home\.provider_details/new/\d+)"', team)
    confirmed = {n: i for n, i in places.items() if n != "Meadowbank Lodge"}  # proposed
    assert len(details) == len(confirmed), "the team keeps every confirmed home's details"
    assert f"/forms/care_home.provider_details/new/{places['Meadowbank Lodge']}" not in team
    assert "/forms/care_home.provider_alert/" not in team, "alerts are the provider's to send"
