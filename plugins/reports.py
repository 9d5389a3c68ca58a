"""What a report's ``run`` function receives, and the few query helpers it may use.

A report is a SQL query over what the user may see, aggregated in the database::

    def run(query: ReportQuery) -> ReportTable:
        status = answer("status")
        rows = query.rows(
            sa.select(status, sa.func.count())
            .select_from(query.submissions("police.investigation").subquery())
            .group_by(status)
        )
        return ReportTable(("Status", "Investigations"), rows)

The record classes below are exposed **for reading in reports only**; write through the
platform (forms), never to these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from core.agency_forms.models import FormSubmission as Submission
from core.auth.models import Agency
from core.concerns.models import Concern
from core.people.models import Establishment

__all__ = [
    "Agency",
    "Concern",
    "Establishment",
    "ReportQuery",
    "Submission",
    "answer",
    "answer_bool",
    "answer_int",
    "days_between",
]


@dataclass
class ReportQuery:
    """The user running the report, today's date, the settings, and queries limited to
    what the user may see."""

    user: Any
    today: date
    config: dict[str, Any]

    def submissions(
        self, form_name: str, *, every_agency: bool = False
    ) -> sa.Select[tuple[Submission]]:
        """The submissions of ``form_name`` the user may read.

        ``every_agency=True`` gives every agency's submissions whoever runs the report: only
        for agency returns about the agency itself (staff training figures), never about
        people, and only in reports that show aggregates.
        """
        from core.policy.forms import readable_submissions

        if every_agency:
            return sa.select(Submission).where(
                Submission.form_name == form_name, Submission.subject_type == "agency"
            )
        return readable_submissions(self.user).where(Submission.form_name == form_name)

    def concerns(self) -> sa.Select[tuple[Concern]]:
        """The concerns the user may see (not deleted)."""
        from core.policy.cases import visible_concerns

        return visible_concerns(self.user)

    def establishments(self) -> sa.Select[tuple[Establishment]]:
        return sa.select(Establishment)

    def rows(self, query: sa.Select[Any] | Any) -> list[tuple[Any, ...]]:
        from core.extensions import db

        return [tuple(row) for row in db.session.execute(query)]


def answer(name: str, source: Any = None) -> sa.ColumnElement[Any]:
    """One answer of a submission's latest version, as text (dates as ``YYYY-MM-DD``,
    times in UTC ISO 8601, so they sort and compare as text). ``source`` is the
    submission table or a subquery of it; the table by default."""
    data = source.c.data if source is not None and hasattr(source, "c") else Submission.data
    element: sa.ColumnElement[Any] = data[name].as_string()
    return element


def answer_int(name: str, source: Any = None) -> sa.ColumnElement[Any]:
    data = source.c.data if source is not None and hasattr(source, "c") else Submission.data
    element: sa.ColumnElement[Any] = data[name].as_integer()
    return element


def answer_bool(name: str, source: Any = None) -> sa.ColumnElement[Any]:
    data = source.c.data if source is not None and hasattr(source, "c") else Submission.data
    element: sa.ColumnElement[Any] = data[name].as_boolean()
    return element


class days_between(FunctionElement[float]):
    """Days from the first date or time (text) to the second, in SQL on either database."""

    type = sa.Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    later, earlier = compiler.process(second, **kw), compiler.process(first, **kw)
    return f"(julianday({later}) - julianday({earlier}))"


@compiles(days_between, "postgresql")
def _days_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return (
        f"(EXTRACT(EPOCH FROM (CAST({compiler.process(second, **kw)} AS TIMESTAMPTZ) - "
        f"CAST({compiler.process(first, **kw)} AS TIMESTAMPTZ))) / 86400.0)"
    )
