"""Dates are entered in the GOV.UK date input (day, month and year) everywhere (issue 22,
item 3): the filters of the concerns list, the plans report and the performance
dashboard, and the due dates of a meeting's actions, as well as every form's dates. What
was typed is kept, a day that is not real is said by name, and a link's ISO day
(``?from=2026-01-01``) still works."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from core.auth.roles import Role

TEMPLATES = Path(__file__).resolve().parents[2]


@pytest.mark.tooling
def test_no_page_uses_the_browsers_own_date_picker():
    native = [
        str(path.relative_to(TEMPLATES))
        for folder in ("core", "plugins", "agencies")
        for path in (TEMPLATES / folder).rglob("*.html")
        if re.search(r'type="(date|datetime-local)"', path.read_text())
    ]
    assert native == []


def _inputs(page: str, name: str) -> tuple[str, str, str]:
    values = [
        re.search(rf'name="{name}-{part}"[^>]*value="([^"]*)"', page)
        or re.search(rf'value="([^"]*)"[^>]*name="{name}-{part}"', page)
        for part in ("day", "month", "year")
    ]
    assert all(values), f"no GOV.UK date input named {name}"
    return tuple(v.group(1) for v in values)  # type: ignore[union-attr,return-value]


def test_the_dashboard_reads_days_in_parts_and_keeps_what_was_typed(auth):
    auth.as_role(Role.BOARD_MEMBER)
    by_parts = auth.client.get(
        "/returns/dashboard?from-day=1&from-month=1&from-year=2026"
        "&to-day=30&to-month=6&to-year=2026"
    )
    assert by_parts.status_code == 200
    page = by_parts.get_data(as_text=True)
    assert _inputs(page, "from") == ("1", "1", "2026")
    assert _inputs(page, "to") == ("30", "6", "2026")
    by_link = auth.client.get("/returns/dashboard?from=2026-01-01&to=2026-06-30")
    assert _inputs(by_link.get_data(as_text=True), "to") == ("30", "6", "2026")

    wrong = auth.client.get("/returns/dashboard?from-day=31&from-month=2&from-year=2026")
    assert wrong.status_code == 400
    page = unescape(wrong.get_data(as_text=True))
    assert "<title>Error: Performance dashboard" in page
    assert '<a href="#from-day">From must be a real date, like 1 4 2026</a>' in page
    assert _inputs(page, "from") == ("31", "2", "2026")  # kept as typed


def test_the_plans_report_reads_days_in_parts_and_names_what_is_wrong(auth):
    auth.as_role(Role.SAFEGUARDING_OFFICER)
    page = auth.client.get(
        "/plans/report?from-day=1&from-month=4&from-year=2026&to-day=31&to-month=3&to-year=2027"
    ).get_data(as_text=True)
    assert "Started and ended: between 01 April 2026 and 31 March 2027" in page
    assert _inputs(page, "to") == ("31", "3", "2027")

    backwards = auth.client.get(
        "/plans/report?from-day=1&from-month=6&from-year=2026&to-day=1&to-month=1&to-year=2026"
    )
    assert backwards.status_code == 400
    text = unescape(backwards.get_data(as_text=True))
    assert "<title>Error: Plans report" in text
    assert '<a href="#to-day">To must be the same as or after From</a>' in text
    unreal = auth.client.get("/plans/report?from-day=30&from-month=2&from-year=2026")
    assert unreal.status_code == 400
    assert "From must be a real date, like 1 4 2026" in unescape(unreal.get_data(as_text=True))
    csv = auth.client.get("/plans/report.csv?from-day=30&from-month=2&from-year=2026")
    assert csv.status_code == 400


def test_the_concerns_list_filters_by_days_in_parts(app, factory, auth):
    from tests.meetings.helpers import build_world, record_concern

    world = build_world(app, factory)
    early = record_concern(world, received_at="2026-11-02T10:00:00+00:00")
    late = record_concern(world, received_at="2026-11-20T10:00:00+00:00")
    auth.sign_in("officer@example.org")
    page = auth.client.get(
        "/concerns/?received_from-day=10&received_from-month=11&received_from-year=2026"
    ).get_data(as_text=True)
    assert f'href="/concerns/{late}"' in page and f'href="/concerns/{early}"' not in page
    assert _inputs(page, "received_from") == ("10", "11", "2026")
    wrong = auth.client.get(
        "/concerns/?received_from-day=10&received_from-month=13&received_from-year=2026"
    )
    assert wrong.status_code == 400
    assert 'href="#filter-received_from-day"' in wrong.get_data(as_text=True)
