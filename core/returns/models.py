"""The dashboard's summary tables: its figures counted once per local day (and team, area
and the few values a figure splits by), kept current by the figures job
(``core/returns/summary.py``), so that a year's dashboard adds up a few thousand rows
instead of reading every concern of the year. Nobody is named in them: counts only."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from core.db import UTCDateTime, utcnow
from core.extensions import db


class DailyFigures:
    """What every per-day summary table holds first: the local day counted and the council
    whose figures they are. A council's page reads its days of a period through
    (council_id, day) (on a hosted instance of 150 councils the day alone led to every
    council's rows); the job counts days again for every council through the day."""

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, index=True)
    council_id: Mapped[int] = mapped_column()

    @declared_attr.directive
    def __table_args__(cls) -> tuple[sa.Index]:
        return (sa.Index(f"ix_{cls.__tablename__}_council_id_day", "council_id", "day"),)


class FiguresReceived(DailyFigures, db.Model):
    """Live concerns by the local day received, of the council that received them."""

    __tablename__ = "figures_received"

    team_id: Mapped[int | None] = mapped_column()  # the team holding them (None: not recorded)
    locality_id: Mapped[int | None] = mapped_column()  # their area (None: not recorded)
    out_of_hours: Mapped[bool] = mapped_column()
    # another live concern about the person came within the repeat window before
    repeat: Mapped[bool] = mapped_column()
    concerns: Mapped[int] = mapped_column()


class FiguresClosed(DailyFigures, db.Model):
    """Live concerns by the local day closed, of the council that received them."""

    __tablename__ = "figures_closed"

    # the later of the days received and closed: the last day of a period that counts it
    through: Mapped[date] = mapped_column(sa.Date)
    team_id: Mapped[int | None] = mapped_column()
    locality_id: Mapped[int | None] = mapped_column()
    is_child: Mapped[bool] = mapped_column()
    closed: Mapped[bool] = mapped_column()  # the status is closed (not only a closing time)
    # a child's outcome for the family, an adult's the SAC risk outcome (None: not recorded)
    outcome: Mapped[str | None] = mapped_column(sa.String(40))
    cases: Mapped[int] = mapped_column()


class FiguresDecided(DailyFigures, db.Model):
    """Adults' screening decisions (section 42, other enquiry, no further action) by the
    local day decided."""

    __tablename__ = "figures_decided"

    decision: Mapped[str] = mapped_column(sa.String(40))
    decisions: Mapped[int] = mapped_column()


class FiguresScreening(DailyFigures, db.Model):
    """Final screening decisions by the local day they became final and the day due."""

    __tablename__ = "figures_screening"

    due: Mapped[date] = mapped_column(sa.Date)
    decisions: Mapped[int] = mapped_column()


class FiguresAlleged(DailyFigures, db.Model):
    """People alleged to have caused harm (not removed) in live concerns, by the local day
    the concern was received."""

    __tablename__ = "figures_alleged"

    care_needs: Mapped[bool] = mapped_column()  # has care and support needs (recorded yes)
    support: Mapped[str | None] = mapped_column(sa.String(40))  # the support offer's code
    people: Mapped[int] = mapped_column()


class FiguresPending(db.Model):
    """Local days whose figures a change made wrong, written in the change's own
    transaction; the figures job counts them again and deletes the row."""

    __tablename__ = "figures_pending"

    id: Mapped[int] = mapped_column(primary_key=True)
    first: Mapped[date] = mapped_column(sa.Date)
    last: Mapped[date] = mapped_column(sa.Date)
    noted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class FiguresState(db.Model):
    """One row: when the summary tables were last brought up to date (every change
    committed before then is counted) and last rebuilt whole."""

    __tablename__ = "figures_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rebuilt_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FiguresReturn(db.Model):
    """A statutory return of one financial year and council as last counted by the figures
    job (``core/returns/snapshots.py``): the SAC's tables or the children's figures, with
    the very functions that count them from the records, kept as JSON. A year is the
    unit because their figures count distinct people and cases, which per-day rows cannot
    add up. Counts only: nobody is named."""

    __tablename__ = "figures_returns"
    __table_args__ = (sa.UniqueConstraint("kind", "year", "council_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # "sac" or "children"
    year: Mapped[int] = mapped_column()  # the financial year starting in April of it
    council_id: Mapped[int | None] = mapped_column()  # None: every council's
    figures: Mapped[dict[str, object]] = mapped_column(sa.JSON)
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # every council's returns (council_id None) are counted again on the figures job's
    # periodic run, not after each change: since when a change is not in them
    behind_since: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FiguresReturnPending(db.Model):
    """A council's returns a change made wrong, from a financial year on (None: every
    council's, every year), written in the change's own transaction like
    ``FiguresPending``; the figures job counts those returns again and deletes the row."""

    __tablename__ = "figures_returns_pending"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int | None] = mapped_column()
    first_year: Mapped[int | None] = mapped_column()
    noted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
