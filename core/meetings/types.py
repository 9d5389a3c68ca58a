"""Meeting types as the platform registers them (the core's six and the plugins'), their
labels, and when reports are due for a meeting of a type."""

from __future__ import annotations

from datetime import date

from flask import current_app

from core.clocks import to_local
from core.concerns.models import Concern
from core.concerns.operations import calendar
from core.meetings.models import Meeting
from core.platform import current_platform
from plugins.types import MeetingType


def meeting_types() -> dict[str, MeetingType]:
    return current_platform().meeting_types


def meeting_type(code: str) -> MeetingType | None:
    return meeting_types().get(code)


def type_label(code: str) -> str:
    found = meeting_type(code)
    return found.label if found else code


def report_deadline(meeting: Meeting) -> date:
    """Reports are due a number of working days before conferences (configurable per
    type in ``REPORT_DEADLINE_DAYS``), otherwise by the day of the meeting."""
    kind = meeting_type(meeting.type)
    configured = current_app.config.get("REPORT_DEADLINE_DAYS") or {}
    days = configured.get(meeting.type, kind.report_days_before if kind else None)
    day = to_local(meeting.starts_at).date()
    return calendar().subtract_working_days(day, days) if days else day


def chosen_type(types: list[MeetingType], asked: str | None, establishment_id: int | None) -> str:
    """The type asked for if it is one of ``types``; else the usual first meeting (the
    organisational one about an establishment), else the first of ``types``."""
    usual = "organisational_strategy_meeting" if establishment_id else "strategy_discussion"
    codes = [t.code for t in types]
    return next(code for code in (asked, usual, codes[0]) if code in codes)


def types_for(concerns: list[Concern], establishment_id: int | None) -> list[MeetingType]:
    """The meeting types a meeting about ``concerns`` may be: children's or adults' (or
    either), and the organisational meeting only about an establishment's cluster."""
    is_child = any(c.is_child for c in concerns)
    return [
        kind
        for kind in meeting_types().values()
        if (kind.code != "organisational_strategy_meeting" or establishment_id is not None)
        and (kind.audience == "any" or (kind.audience == "child") == is_child)
    ]
