"""Whose figures a user reads on an instance of several council areas: the reports and
counts (the dashboard, returns, audits, the discharge monitoring, the complaints and
PiPoT reports, clusters) are of one council, the user's own. The one place that says so."""

from __future__ import annotations

from typing import Any


def figures_council(user: Any) -> int:
    """The council area whose figures ``user`` reads: their own."""
    return int(user.council_id)
