"""The Safeguarding Adults Collection (SAC) tables for a financial year.

What each table counts, and how it maps to our records, is written down in
docs/returns.md. In short:

- SG1 tables count adults (``is_child`` false) in concerns received in the year and in
  section 42 and other enquiries started in the year (the enquiry's own start date).
  "Individuals" counts each person once per column; "cases" counts concerns and enquiries.
- SG2, SG3 and SG4 count enquiries concluded in the year, by the enquiry's own
  conclusion date (not the case's closure). A concluded enquiry counts once in every
  category that applies to it (two types of risk, or two locations: once in each).

The table codes and what each holds follow the SAC guidance (NHS England, "Guidance for
completing the Safeguarding Adults Collection (SAC) 2024-25", sections SG1 to SG4, which
the DHSC's 2025 to 2026 guidance keeps unchanged): SG1a to SG1c count individuals, SG1d
and SG1e cases; SG2a to SG2e the concluded enquiries; SG3a capacity; SG4a Making
Safeguarding Personal. docs/returns.md notes where our reading of a table is unchecked.

Labels are the national ones in ``core.reference``, copied from the published SAC
guidance (each list names its source). Every figure is one GROUP BY query; no concern row
is loaded into Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from core.concerns.models import (
    Concern,
    ConcernRiskType,
    EnquiryKind,
    EnquiryLocation,
    EnquirySource,
    SafeguardingEnquiry,
)
from core.extensions import db
from core.people.models import Person
from core.reference import (
    AGE_BANDS,
    AGE_UNKNOWN,
    Ethnicity,
    LackedCapacity,
    LocationOfRisk,
    MspAchieved,
    MspAsked,
    PrimarySupportReason,
    RiskAfterAction,
    RiskOutcome,
    Sex,
    SourceOfRisk,
    TypeOfRisk,
)
from core.returns.periods import Period, financial_year

CONCERNS = "Safeguarding concerns"
SECTION_42 = "Section 42 enquiries"
OTHER = "Other enquiries"
INDIVIDUALS = (
    "Individuals involved in safeguarding concerns",
    "Individuals involved in section 42 enquiries",
    "Individuals involved in other enquiries",
)
CASES = (CONCERNS, SECTION_42, OTHER)
CONCLUDED = ("Concluded section 42 enquiries", "Concluded other enquiries")
SUPPORTED = "Supported by an advocate, family or friend"
VOLUNTARY = frozenset({INDIVIDUALS[0], INDIVIDUALS[2], CONCERNS, OTHER, CONCLUDED[1]})
AGE_ROWS = (*AGE_BANDS, AGE_UNKNOWN)


@dataclass(frozen=True)
class Row:
    label: str
    values: list[int]


@dataclass(frozen=True)
class Table:
    code: str
    title: str
    counts: str  # one sentence: what is counted
    row_heading: str
    columns: tuple[str, ...]
    rows: list[Row]
    voluntary_table: bool = False  # every cell is voluntary

    @property
    def slug(self) -> str:
        return self.code.lower()

    @property
    def voluntary(self) -> list[bool]:
        """Per column, whether the return marks it voluntary: the SAC guidance's SG1 notes
        make counts of concerns and of other enquiries voluntary and section 42 counts
        mandatory (blue and white cells of the template)."""
        return [self.voluntary_table or column in VOLUNTARY for column in self.columns]


@dataclass(frozen=True)
class Collection:
    year: int
    period: Period
    tables: list[Table]

    @property
    def label(self) -> str:
        return f"{self.year} to {self.year + 1}"

    def table(self, code: str) -> Table:
        """The table of one of the ``TABLE_CODES`` (any case)."""
        found = next((t for t in self.tables if t.slug == code.lower()), None)
        if found is None:
            raise KeyError(code)
        return found


# The tables of the collection, by code: what a page's URL may name.
TABLE_CODES = (
    "SG1a", "SG1b", "SG1c", "SG1d", "SG1e", "SG2a", "SG2b", "SG2c", "SG2d", "SG2e", "SG3a", "SG4a",
)  # fmt: skip


# --- What is counted -----------------------------------------------------------------------


def _adult(period: Period) -> sa.ColumnElement[bool]:
    """Adults' cases of the period's council."""
    return sa.and_(
        Concern.is_child.is_(False),
        Concern.deleted_at.is_(None),
        period.of_council(Concern.council_id),
    )


Enquiry = SafeguardingEnquiry


def _started(kind: EnquiryKind, period: Period) -> sa.ColumnElement[bool]:
    return sa.and_(Enquiry.kind == kind, period.holds_day(Enquiry.started_on))


def _concluded(kind: EnquiryKind, period: Period) -> sa.ColumnElement[bool]:
    return sa.and_(Enquiry.kind == kind, period.holds_day(Enquiry.concluded_on))


def _sg1_measures(period: Period) -> list[sa.ColumnElement[bool]]:
    return [
        period.holds(Concern.received_at),
        _started(EnquiryKind.SECTION_42, period),
        _started(EnquiryKind.OTHER, period),
    ]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_band_on(day: date) -> sa.ColumnElement[str]:
    """The SAC age band of the person on ``day``, in SQL: from the date of birth when
    known, otherwise from the estimated age; under 18 or not known is ``unknown``."""
    lows = (18, 65, 75, 85, 95)
    by_birth = sa.case(
        (Person.date_of_birth > _years_before(day, lows[0]), AGE_UNKNOWN),
        *(
            (Person.date_of_birth > _years_before(day, low), band)
            for low, band in zip(lows[1:], AGE_BANDS[:-1], strict=True)
        ),
        else_=AGE_BANDS[-1],
    )
    by_estimate = sa.case(
        (Person.estimated_age < lows[0], AGE_UNKNOWN),
        *(
            (Person.estimated_age < low, band)
            for low, band in zip(lows[1:], AGE_BANDS[:-1], strict=True)
        ),
        else_=AGE_BANDS[-1],
    )
    return sa.case(
        (Person.date_of_birth.is_not(None), by_birth),
        (Person.estimated_age.is_not(None), by_estimate),
        else_=AGE_UNKNOWN,
    )


def _count_people(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.count(sa.distinct(sa.case((condition, Concern.person_id))))


def _count_concerns(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.count(sa.distinct(sa.case((condition, Concern.id))))


def _grouped(
    group: sa.ColumnElement[Any],
    measures: Sequence[sa.ColumnElement[int]],
    where: sa.ColumnElement[bool],
    period: Period,
    join_person: bool = False,
    join_risk_types: bool = False,
) -> dict[Any, list[int]]:
    query = (
        sa.select(group, *measures)
        .select_from(Concern)
        .outerjoin(Enquiry, Enquiry.concern_id == Concern.id)
    )
    if join_person:
        query = query.join(Person, Person.id == Concern.person_id)
    if join_risk_types:
        query = query.join(ConcernRiskType, ConcernRiskType.concern_id == Concern.id)
    query = query.where(_adult(period), where).group_by(group)
    return {row[0]: [int(v) for v in row[1:]] for row in db.session.execute(query)}


def _rows(labels: Sequence[tuple[Any, str]], found: dict[Any, list[int]], width: int) -> list[Row]:
    def key(value: Any) -> Any:
        return value.value if hasattr(value, "value") else value

    by_key = {key(k): v for k, v in found.items()}
    return [Row(label, by_key.get(key(code), [0] * width)) for code, label in labels]


def _labelled(enum_class: Any) -> list[tuple[Any, str]]:
    return [(member, member.label) for member in enum_class]


# --- SG1: people and cases in concerns and enquiries started in the year -------------------


def _sg1(
    period: Period,
    code: str,
    title: str,
    counts: str,
    row_heading: str,
    group: sa.ColumnElement[Any],
    labels: list[tuple[Any, str]],
    people: bool,
) -> Table:
    measures = _sg1_measures(period)
    count: Callable[[sa.ColumnElement[bool]], sa.ColumnElement[int]] = (
        _count_people if people else _count_concerns
    )
    found = _grouped(
        group, [count(m) for m in measures], sa.or_(*measures), period, join_person=True
    )
    columns = INDIVIDUALS if people else CASES
    return Table(code, title, counts, row_heading, columns, _rows(labels, found, 3))


def sg1_tables(period: Period) -> list[Table]:
    age = age_band_on(period.last)
    ages = [(band, band) for band in AGE_ROWS]
    individuals = (
        "Adults, each counted once per column, in concerns received and in enquiries "
        "started in the year"
    )
    cases = "Concerns received, and section 42 and other enquiries started, in the year"
    return [
        _sg1(
            period,
            "SG1a",
            "Individuals by age band",
            individuals + " (age on 31 March)",
            "Age band",
            age,
            ages,
            people=True,
        ),
        _sg1(
            period,
            "SG1b",
            "Individuals by sex",
            individuals,
            "Sex",
            Person.sex,
            _labelled(Sex),
            people=True,
        ),
        _sg1(
            period,
            "SG1c",
            "Individuals by ethnicity",
            individuals,
            "Ethnicity",
            Person.ethnicity,
            _labelled(Ethnicity),
            people=True,
        ),
        _sg1(
            period,
            "SG1d",
            "Cases by age band",
            cases + " (age on 31 March)",
            "Age band",
            age,
            ages,
            people=False,
        ),
        _sg1(
            period,
            "SG1e",
            "Cases by primary support reason",
            cases,
            "Primary support reason",
            Person.primary_support_reason,
            _labelled(PrimarySupportReason),
            people=False,
        ),
    ]


# --- SG2 to SG4: enquiries concluded in the year --------------------------------------------


def _concluded_both(period: Period) -> tuple[sa.ColumnElement[bool], sa.ColumnElement[bool]]:
    return _concluded(EnquiryKind.SECTION_42, period), _concluded(EnquiryKind.OTHER, period)


def sg2a(period: Period) -> Table:
    s42, other = _concluded_both(period)
    found = _grouped(
        ConcernRiskType.risk_type,
        [_count_concerns(s42), _count_concerns(other)],
        sa.or_(s42, other),
        period,
        join_risk_types=True,
    )
    return Table(
        "SG2a",
        "Concluded enquiries by type of risk",
        "Enquiries concluded in the year, once in each type of risk recorded on them",
        "Type of risk",
        CONCLUDED,
        _rows(_labelled(TypeOfRisk), found, 2),
    )


def _location_by_source(concluded: sa.ColumnElement[bool], period: Period) -> list[Row]:
    """Concluded enquiries by location (rows) and type of source (columns): an enquiry
    counts once in each location and each type of source recorded on it."""
    query = (
        sa.select(
            EnquiryLocation.location,
            EnquirySource.source,
            sa.func.count(sa.distinct(Enquiry.id)),
        )
        .select_from(Enquiry)
        .join(Concern, Concern.id == Enquiry.concern_id)
        .join(EnquiryLocation, EnquiryLocation.enquiry_id == Enquiry.id)
        .join(EnquirySource, EnquirySource.enquiry_id == Enquiry.id)
        .where(_adult(period), concluded)
        .group_by(EnquiryLocation.location, EnquirySource.source)
    )
    sources = list(SourceOfRisk)
    found: dict[Any, list[int]] = {}
    for location, source, number in db.session.execute(query):
        found.setdefault(location, [0] * len(sources))[sources.index(source)] = int(number)
    return _rows(_labelled(LocationOfRisk), found, len(sources))


def sg2b(period: Period) -> Table:
    s42, _ = _concluded_both(period)
    return Table(
        "SG2b",
        "Concluded section 42 enquiries by location and source of risk",
        "Section 42 enquiries concluded in the year, by where the risk arose and who posed it: "
        "once in each location and each type of source recorded on the enquiry",
        "Location of risk",
        tuple(s.label for s in SourceOfRisk),
        _location_by_source(s42, period),
    )


def sg2d(period: Period) -> Table:
    _, other = _concluded_both(period)
    return Table(
        "SG2d",
        "Concluded other enquiries by location and source of risk",
        "Other enquiries concluded in the year, by where the risk arose and who posed it: "
        "once in each location and each type of source recorded on the enquiry",
        "Location of risk",
        tuple(s.label for s in SourceOfRisk),
        _location_by_source(other, period),
        voluntary_table=True,
    )


def sg2c(period: Period) -> Table:
    s42, other = _concluded_both(period)
    found = _grouped(
        Enquiry.risk_outcome,
        [_count_concerns(s42), _count_concerns(other)],
        sa.and_(sa.or_(s42, other), Enquiry.risk_outcome.is_not(None)),
        period,
    )
    return Table(
        "SG2c",
        "Concluded enquiries by risk assessment outcome",
        "Enquiries concluded in the year, by the outcome of the risk assessment",
        "Risk assessment outcome",
        CONCLUDED,
        _rows(_labelled(RiskOutcome), found, 2),
    )


def sg2e(period: Period) -> Table:
    s42, other = _concluded_both(period)
    taken = [o.value for o in RiskOutcome if o.result_recorded]
    found = _grouped(
        Enquiry.risk_after_action,
        [_count_concerns(s42), _count_concerns(other)],
        sa.and_(
            sa.or_(s42, other),
            Enquiry.risk_outcome.in_(taken),
            Enquiry.risk_after_action.is_not(None),
        ),
        period,
    )
    return Table(
        "SG2e",
        "Concluded enquiries where action was taken, by result",
        "Enquiries concluded in the year where a risk was identified, or the assessment was "
        "inconclusive, and action was taken, by whether the risk remained, was reduced or "
        "was removed",
        "Result",
        CONCLUDED,
        _rows(_labelled(RiskAfterAction), found, 2),
    )


def sg3a(period: Period) -> Table:
    s42, _ = _concluded_both(period)
    supported = sa.and_(
        s42,
        Enquiry.lacked_capacity == LackedCapacity.YES,
        Enquiry.advocacy == LackedCapacity.YES,
    )
    found = _grouped(
        Enquiry.lacked_capacity, [_count_concerns(s42), _count_concerns(supported)], s42, period
    )
    return Table(
        "SG3a",
        "Concluded section 42 enquiries by mental capacity",
        "Section 42 enquiries concluded in the year, by whether the person lacked capacity to "
        "make decisions about the enquiry; where they did, whether an advocate, family or "
        "friend supported them",
        "Lacked capacity",
        (SECTION_42, SUPPORTED),
        _rows(_labelled(LackedCapacity), found, 2),
    )


def sg4a(period: Period) -> Table:
    s42, _ = _concluded_both(period)
    achieved = list(MspAchieved)
    query = (
        sa.select(Enquiry.msp_asked, Enquiry.msp_achieved, sa.func.count(Enquiry.id))
        .join(Concern, Concern.id == Enquiry.concern_id)
        .where(_adult(period), s42)
        .group_by(Enquiry.msp_asked, Enquiry.msp_achieved)
    )
    found: dict[Any, list[int]] = {}
    for asked, result, number in db.session.execute(query):
        values = found.setdefault(asked, [0] * (1 + len(achieved)))
        values[0] += int(number)
        # achievement is counted only where outcomes were expressed (the SAC's rule)
        if result is not None and asked == MspAsked.EXPRESSED:
            values[1 + achieved.index(result)] += int(number)
    return Table(
        "SG4a",
        "Making Safeguarding Personal",
        "Section 42 enquiries concluded in the year, by whether the person was asked about "
        "the outcomes they wanted and, where they expressed them, whether they were achieved",
        "Asked about desired outcomes",
        (SECTION_42, *(a.label for a in achieved)),
        _rows(_labelled(MspAsked), found, 1 + len(achieved)),
    )


def collection(year: int, council_id: int | None = None) -> Collection:
    """Every SAC table for the financial year starting on 1 April ``year``, of one council
    (None: every council's)."""
    period = financial_year(year, council_id)
    tables = [
        *sg1_tables(period),
        sg2a(period),
        sg2b(period),
        sg2c(period),
        sg2d(period),
        sg2e(period),
        sg3a(period),
        sg4a(period),
    ]
    return Collection(year, period, tables)
