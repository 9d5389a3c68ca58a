"""CSV export of the concerns list, streamed in batches: the concerns the reader may see
(a partner's practitioners: the cases their agency is involved in)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from sqlalchemy.orm import selectinload

from core.clocks import to_local
from core.concerns.models import Concern
from core.extensions import db
from core.policy.cases import case_sections

COLUMNS = (
    "reference",
    "received",
    "out_of_hours",
    "route",
    "person",
    "adult_or_child",
    "types_of_risk",
    "location",
    "source_of_risk",
    "urgent",
    "screening_due",
    "decision",
    "decision_sign_off",
    "status",
    "risk_outcome",
    "referrer_agency",
    "team",
    "area",
)


# The columns a section of the case holds: empty where the reader's involvement level
# does not show the section (core/policy/cases.py), as on the case page.
COLUMN_SECTIONS = {
    "out_of_hours": "summary",
    "route": "summary",
    "types_of_risk": "summary",
    "location": "summary",
    "source_of_risk": "summary",
    "urgent": "summary",
    "referrer_agency": "summary",
    "screening_due": "clocks",
    "decision": "decision",
    "decision_sign_off": "decision",
    "risk_outcome": "decision",
    "team": "summary",
    "area": "summary",
}


def _row(concern: Concern, user: Any) -> list[str]:
    shown = case_sections(user, concern)
    return [
        str(value) if COLUMN_SECTIONS.get(column) in shown or column not in COLUMN_SECTIONS else ""
        for column, value in zip(
            COLUMNS,
            (
                concern.reference,
                to_local(concern.received_at).strftime("%Y-%m-%d %H:%M"),
                "yes" if concern.out_of_hours else "no",
                concern.route.label,
                concern.person.full_name,
                "child" if concern.is_child else "adult",
                "; ".join(concern.risk_labels),
                concern.location.label,
                concern.source_of_risk.label,
                "yes" if concern.urgent else "no",
                concern.screening_due.isoformat(),
                concern.decision.label if concern.decision else "",
                concern.sign_off.label if concern.sign_off else "",
                concern.status.value,
                concern.risk_outcome.label if concern.risk_outcome else "",
                concern.referrer_agency.name if concern.referrer_agency else "",
                concern.team.name if concern.team else "",
                concern.locality.name if concern.locality else "",
            ),
            strict=True,
        )
    ]


def csv_rows(query: Any, user: Any, batch: int = 500) -> Iterator[Iterable[Any]]:
    """The heading and a row per concern the query selects, read in batches."""
    query = query.options(
        selectinload(Concern.referrer_agency),
        selectinload(Concern.team),
        selectinload(Concern.locality),
    )
    concerns = db.session.execute(query.execution_options(yield_per=batch)).scalars()
    yield from chain([COLUMNS], (_row(concern, user) for concern in concerns))
