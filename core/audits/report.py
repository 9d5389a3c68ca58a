"""Reading a stored attendance audit: its rows with rates, the change since the previous
audit, the quorate share of conferences and the board's actions.

Everything here is worked out from the stored snapshot (counts and threshold), never from
the meeting records, so an audit reads the same however often it is read.

The published version (exports for the board, or ``published=true``) suppresses small
numbers when ``AUDIT_SUPPRESS_SMALL_COUNTS`` is on: a count from 1 to 4 is withheld, and
so is every rate worked out from a withheld count (and the change in it). Suppression is
primary only: the per-type rows and the ``all`` row are not balanced against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import current_app

from core.extensions import db
from core.policy.figures import exports_are_published

from .attendance import COUNTS
from .models import (
    ALL_TYPES,
    OPEN_STATUSES,
    AttendanceAudit,
    AttendanceAuditRow,
    BoardAction,
)
from .operations import agency_names

SMALL = 5  # counts under this (and over 0) are withheld in the published version
WITHHELD = "[c]"  # how a withheld figure is printed (the GSS marker for confidential)


def rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 4)


def suppressing() -> bool:
    return bool(current_app.config.get("AUDIT_SUPPRESS_SMALL_COUNTS", True))


def _small(value: int) -> bool:
    return 0 < value < SMALL


@dataclass(frozen=True)
class Rates:
    attendance: float | None
    contribution: float | None


def _rates(counts: dict[str, int], published: bool) -> Rates:
    attendance = rate(counts["attended"], counts["invited"])
    contribution = rate(counts["attended"] + counts["apologies_with_report"], counts["invited"])
    if published:
        if any(_small(counts[n]) for n in ("invited", "attended")):
            attendance = None
        if any(_small(counts[n]) for n in ("invited", "attended", "apologies_with_report")):
            contribution = None
    return Rates(attendance, contribution)


@dataclass(frozen=True)
class Row:
    """One row of the audit as people and the API read it; None is a withheld figure (or a
    rate with nobody invited, or no figure in the previous audit)."""

    agency_id: int
    agency_name: str
    meeting_type: str
    meeting_type_label: str
    invited: int | None
    attended: int | None
    apologies_with_report: int | None
    apologies_without_report: int | None
    did_not_attend: int | None
    omitted_invitations: int | None
    attendance_rate: float | None
    contribution_rate: float | None
    # None in the published version where the attendance rate is withheld: the flag would
    # tell what the rate hides
    below_threshold: bool | None
    previous_attendance_rate: float | None
    attendance_rate_change: float | None
    previous_contribution_rate: float | None
    contribution_rate_change: float | None
    # the figures withheld in the published version
    withheld: frozenset[str]

    @property
    def is_total(self) -> bool:
        return self.meeting_type == ALL_TYPES


@dataclass(frozen=True)
class QuorateShare:
    meeting_type: str
    meeting_type_label: str
    conferences: int | None
    quorate: int | None
    share: float | None
    withheld: frozenset[str]

    @property
    def is_total(self) -> bool:
        return self.meeting_type == ALL_TYPES


@dataclass(frozen=True)
class AuditReport:
    audit: AttendanceAudit
    rows: list[Row]
    quoracy: list[QuorateShare]
    # agreed on this audit
    actions: list[BoardAction]
    # agreed on earlier audits: all of the previous audit's, and any still open
    carried_actions: list[BoardAction]
    agency_names: dict[int, str]
    published: bool

    @property
    def totals(self) -> list[Row]:
        return [row for row in self.rows if row.is_total]

    @property
    def below_threshold(self) -> list[Row]:
        return [row for row in self.totals if row.below_threshold]


def _rows(audit: AttendanceAudit, published: bool) -> list[Row]:
    # plain columns, not ORM objects: an audit has thousands of rows
    now = sa.orm.aliased(AttendanceAuditRow, name="now")
    before = sa.orm.aliased(AttendanceAuditRow, name="before")
    query = (
        sa.select(
            now.agency_id,
            now.agency_name,
            now.meeting_type,
            now.meeting_type_label,
            *[getattr(now, name) for name in COUNTS],
            before.id.label("previous_id"),
            *[getattr(before, name).label(f"previous_{name}") for name in COUNTS],
        )
        .outerjoin(
            before,
            sa.and_(
                before.audit_id == audit.previous_audit_id,
                before.agency_id == now.agency_id,
                before.meeting_type == now.meeting_type,
            ),
        )
        .where(now.audit_id == audit.id)
        .order_by(now.id)
    )
    rows = []
    for current in db.session.execute(query).mappings():
        counts = {name: current[name] for name in COUNTS}
        exact, shown_rates = _rates(counts, False), _rates(counts, published)
        before = (
            {name: current[f"previous_{name}"] for name in COUNTS}
            if current["previous_id"] is not None
            else None
        )
        exact_before = _rates(before, False) if before else Rates(None, None)
        shown_before = _rates(before, published) if before else Rates(None, None)
        values: dict[str, Any] = {
            name: (None if published and _small(value) else value) for name, value in counts.items()
        } | {
            "attendance_rate": shown_rates.attendance,
            "contribution_rate": shown_rates.contribution,
            "previous_attendance_rate": shown_before.attendance,
            "attendance_rate_change": change(shown_rates.attendance, shown_before.attendance),
            "previous_contribution_rate": shown_before.contribution,
            "contribution_rate_change": change(shown_rates.contribution, shown_before.contribution),
        }
        unsuppressed: dict[str, Any] = counts | {
            "attendance_rate": exact.attendance,
            "contribution_rate": exact.contribution,
            "previous_attendance_rate": exact_before.attendance,
            "attendance_rate_change": change(exact.attendance, exact_before.attendance),
            "previous_contribution_rate": exact_before.contribution,
            "contribution_rate_change": change(exact.contribution, exact_before.contribution),
        }
        below = counts["invited"] > 0 and counts["attended"] < audit.threshold * counts["invited"]
        rate_withheld = shown_rates.attendance is None and exact.attendance is not None
        values["below_threshold"] = None if rate_withheld else below
        unsuppressed["below_threshold"] = below
        rows.append(
            Row(
                agency_id=current["agency_id"],
                agency_name=current["agency_name"],
                meeting_type=current["meeting_type"],
                meeting_type_label=current["meeting_type_label"],
                withheld=frozenset(
                    name
                    for name, value in values.items()
                    if value is None and unsuppressed[name] is not None
                ),
                **values,
            )
        )
    return rows


def _quoracy(audit: AttendanceAudit, published: bool) -> list[QuorateShare]:
    shares = []
    for stored in audit.quoracy:
        values: dict[str, Any] = {
            "conferences": stored.conferences,
            "quorate": stored.quorate,
            "share": rate(stored.quorate, stored.conferences),
        }
        withheld = set()
        if published and (_small(stored.conferences) or _small(stored.quorate)):
            withheld = {"share"} | {
                name for name in ("conferences", "quorate") if _small(values[name])
            }
            values |= {name: None for name in withheld}
        shares.append(
            QuorateShare(
                stored.meeting_type,
                stored.meeting_type_label,
                withheld=frozenset(withheld),
                **values,
            )
        )
    shares.sort(key=lambda s: (s.meeting_type == ALL_TYPES, s.meeting_type_label))
    return shares


def board_actions(audit: AttendanceAudit) -> tuple[list[BoardAction], list[BoardAction]]:
    """The actions agreed on ``audit``, and those carried into it from earlier audits."""
    own = list(
        db.session.scalars(
            sa.select(BoardAction)
            .where(BoardAction.audit_id == audit.id)
            .order_by(BoardAction.due_on, BoardAction.id)
        )
    )
    earlier = sa.select(AttendanceAudit.id).where(
        AttendanceAudit.run_at < audit.run_at,
        AttendanceAudit.id != audit.id,
        AttendanceAudit.council_id == audit.council_id,
    )
    carried = list(
        db.session.scalars(
            sa.select(BoardAction)
            .where(
                BoardAction.audit_id != audit.id,
                sa.or_(
                    BoardAction.audit_id == audit.previous_audit_id,
                    sa.and_(
                        BoardAction.audit_id.in_(earlier),
                        BoardAction.status.in_(list(OPEN_STATUSES)),
                    ),
                ),
            )
            .order_by(BoardAction.due_on, BoardAction.id)
        )
    )
    return own, carried


def audit_report(audit: AttendanceAudit, published: bool = False) -> AuditReport:

    published = published and suppressing()
    own, carried = board_actions(audit)
    return AuditReport(
        audit=audit,
        rows=_rows(audit, published),
        quoracy=_quoracy(audit, published),
        actions=own,
        carried_actions=carried,
        agency_names=agency_names({a.agency_id for a in own + carried}),
        published=published,
    )


def shown(row: Any, name: str, as_percent: bool = False, signed: bool = False) -> str:
    """A figure of a row as pages, CSV and the board pack print it: the withheld marker,
    a dash where there is no figure (a rate with nobody invited), a percentage or a
    count."""
    if name in getattr(row, "withheld", ()):
        return WITHHELD
    value = getattr(row, name)
    if value is None:
        return "–"
    if as_percent:
        number = (f"{value * 100:+.1f}" if signed else f"{value * 100:.1f}").removesuffix(".0")
        return f"{number} points" if signed else f"{number}%"
    return str(value)


def published_version(user: Any, asked: str | None, export: bool) -> bool:
    """Whether to show the published version: when asked for (``published=true``), and
    for every export a board member takes (small counts are suppressed in exports for
    the board: ``core.policy.figures``)."""

    if (asked or "").strip().lower() in {"1", "true", "yes", "on"}:
        return True
    return export and exports_are_published(user)
