"""The case page in sections (issue 22, item 2): the clocks at the top, then one section at
a time (summary, people and agencies, meetings, plans, tasks, forms, notes, timeline), each
offered only where the reader's involvement level shows it."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.conftest import csrf_token
from tests.meetings.helpers import build_world, record_concern, schedule

TEAM_TABS = [
    ("summary", "Summary"),
    ("people", "People and agencies"),
    ("meetings", "Meetings"),
    ("plans", "Plans"),
    ("tasks", "Tasks"),
    ("forms", "Forms"),
    ("notes", "Notes"),
    ("timeline", "Timeline"),
    ("chronology", "Chronology"),
]


class _Tabs(HTMLParser):
    """The tabs' links, the panels' ids and where the clocks and the tabs start."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.panels: list[str] = []
        self.order: list[str] = []
        self._href: str | None = None
        self._heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if "govuk-tabs__tab" in classes:
            self._href = found["href"]
        if "govuk-tabs__panel" in classes:
            self.panels.append(found["id"] or "")
        if "govuk-tabs" in classes:
            self.order.append("tabs")
        self._heading = tag == "h2"

    def handle_data(self, data: str) -> None:
        if self._href is not None and data.strip():
            self.links.append((self._href.lstrip("#"), data.strip()))
            self._href = None
        if self._heading and data.strip() == "Clocks":
            self.order.append("clocks")
        self._heading = False


def _tabs(page: str) -> _Tabs:
    parser = _Tabs()
    parser.feed(page)
    return parser


def test_the_team_sees_the_clocks_then_every_section_one_at_a_time(app, factory, auth):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    meeting = schedule(world, concern_id, "strategy_discussion", "2026-12-08T10:00:00+00:00")
    assert meeting.status_code == 201, meeting.json
    auth.sign_in("officer@example.org")
    page = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    tabs = _tabs(page)
    assert tabs.links == TEAM_TABS
    assert tabs.panels == [name for name, _ in TEAM_TABS]
    assert tabs.order == ["clocks", "tabs"]  # the clocks stay above whichever section is open
    # the first section is open, the others wait for their tab
    assert 'class="govuk-tabs__panel" id="summary"' in page
    assert 'class="govuk-tabs__panel govuk-tabs__panel--hidden" id="notes"' in page
    meetings = page.split('id="meetings"')[1].split('id="plans"')[0]
    assert "Strategy discussion" in meetings
    assert "Schedule a meeting" in meetings

    # a note added from the notes section comes back to it
    added = auth.client.post(
        f"/concerns/{concern_id}/notes",
        data={
            "csrf_token": csrf_token(auth.client, f"/concerns/{concern_id}"),
            "text": "Spoke to the school nurse.",
        },
    )
    assert added.status_code == 302
    assert added.headers["Location"].endswith(f"/concerns/{concern_id}#notes")
    notes = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    assert "Spoke to the school nurse." in notes.split('id="notes"')[1].split('id="timeline"')[0]


def test_a_partner_is_offered_only_the_sections_its_level_shows(app, factory, auth):
    world = build_world(app, factory)
    concern_id = record_concern(world)
    officer = world.clients["officer"]
    involved = officer.post(
        f"/api/v1/concerns/{concern_id}/involvements",
        json={"agency_id": world.agencies["police"], "note": "Investigating the assault"},
    )
    assert involved.status_code == 201, involved.json
    level = officer.patch(
        f"/api/v1/concerns/{concern_id}/involvements/{involved.json['id']}",
        json={"level": "contributor", "reason": "Its investigation only"},
    )
    assert level.status_code == 200, level.json
    auth.sign_in("police@example.org")
    page = auth.client.get(f"/concerns/{concern_id}").get_data(as_text=True)
    tabs = _tabs(page)
    # contributor: its part (and the tasks for it), never the notes or the timeline; the
    # chronology, of what its level shows
    assert [name for name, _ in tabs.links] == [
        "summary",
        "people",
        "meetings",
        "plans",
        "tasks",
        "forms",
        "chronology",
    ]
    assert tabs.panels == [name for name, _ in tabs.links]
    assert "Timeline" not in page
    assert "Case notes" not in page
