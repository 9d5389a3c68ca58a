"""Schemas of the returns API: figures only."""

from __future__ import annotations

import marshmallow as ma

from core.fields import Day, Moment
from core.returns.views import EARLIEST, FIRST_YEAR, LAST_YEAR, LATEST

DATE_RANGE = f"Give a day from {EARLIEST} to {LATEST}"


class StrictSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class YearArgs(StrictSchema):
    year = ma.fields.Integer(
        validate=ma.validate.Range(
            min=FIRST_YEAR, max=LAST_YEAR, error=f"Give a year from {FIRST_YEAR} to {LAST_YEAR}"
        ),
        metadata={
            "description": "the financial year starting in April of this year; "
            "default the last complete one"
        },
    )


class RowSchema(ma.Schema):
    label = ma.fields.String(required=True)
    values = ma.fields.List(ma.fields.Integer(), required=True)


class TableSchema(ma.Schema):
    code = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    counts = ma.fields.String(required=True, metadata={"description": "what is counted"})
    row_heading = ma.fields.String(required=True)
    columns = ma.fields.List(ma.fields.String(), required=True)
    rows = ma.fields.List(ma.fields.Nested(RowSchema), required=True)


class CountedSchema(ma.Schema):
    """When the figures were counted and how: one pair of fields for the dashboard, the
    returns and repeat referrals."""

    counted_at = Moment(
        required=True,
        metadata={"description": "When the figures were counted: changes after it are not in them"},
    )
    counted_directly = ma.fields.Boolean(
        required=True,
        metadata={
            "description": "Counted from the records at this request, rather than read from "
            "the summary tables the figures job keeps: because those were missing or behind "
            "(or, for repeat referrals with the cases, always, so that the list and the "
            "figures agree)"
        },
    )


class SacSchema(CountedSchema):
    year = ma.fields.Integer(required=True)
    period_start = Day(required=True)
    period_end = Day(required=True)
    tables = ma.fields.List(ma.fields.Nested(TableSchema), required=True)


class BandSchema(ma.Schema):
    label = ma.fields.String(required=True)
    count = ma.fields.Integer(required=True)


class PlanCategoryCountSchema(ma.Schema):
    category = ma.fields.String(required=True)
    started = ma.fields.Integer(required=True)
    open_at_end = ma.fields.Integer(required=True)


class ChildrenSchema(CountedSchema):
    year = ma.fields.Integer(required=True)
    period_start = Day(required=True)
    period_end = Day(required=True)
    icpc_timeliness = ma.fields.List(ma.fields.Nested(BandSchema), required=True)
    icpc_median_working_days = ma.fields.Float(allow_none=True, required=True)
    plans_by_category = ma.fields.List(ma.fields.Nested(PlanCategoryCountSchema), required=True)
    reviews_held = ma.fields.Integer(required=True)
    reviews_on_time = ma.fields.Integer(required=True)
    reviews_missed = ma.fields.Integer(
        required=True,
        metadata={"description": "Reviews due in the year (to date) and never held: late"},
    )
    assessments_concluded = ma.fields.Integer(
        required=True, metadata={"description": "Assessments concluded in the year"}
    )
    assessments_on_time = ma.fields.Integer(
        required=True,
        metadata={"description": "Of those, concluded within 45 working days of the referral"},
    )


class DashboardArgs(StrictSchema):
    from_ = Day(
        data_key="from",
        validate=ma.validate.Range(min=EARLIEST, max=LATEST, error=DATE_RANGE),
        metadata={"description": "first day; default 12 months ago"},
    )
    to = Day(
        validate=ma.validate.Range(min=EARLIEST, max=LATEST, error=DATE_RANGE),
        metadata={"description": "last day; default today"},
    )

    @ma.validates_schema
    def ordered(self, data: dict[str, object], **kwargs: object) -> None:
        first, last = data.get("from_"), data.get("to")
        if first and last and last < first:  # type: ignore[operator]
            raise ma.ValidationError("The end must not be before the start", "to")
        if first and last and (last - first).days > 3660:  # type: ignore[operator]
            raise ma.ValidationError("Choose a period of at most ten years", "from")


class MonthSchema(ma.Schema):
    month = ma.fields.String(required=True)
    concerns = ma.fields.Integer(required=True)
    out_of_hours = ma.fields.Integer(required=True)


class HoldingSchema(ma.Schema):
    """The cases of one team or area; id null: "Not recorded"."""

    id = ma.fields.Integer(allow_none=True, required=True)
    name = ma.fields.String(required=True, attribute="label")
    open_at_end = ma.fields.Integer(required=True)
    received = ma.fields.Integer(required=True)
    closed = ma.fields.Integer(required=True)
    repeats = ma.fields.Integer(required=True)
    repeat_rate = ma.fields.Float(allow_none=True, required=True)


class ClosureOutcomeSchema(ma.Schema):
    outcome = ma.fields.String(
        allow_none=True,
        required=True,
        attribute="code",
        metadata={"description": "null: not recorded"},
    )
    label = ma.fields.String(required=True)
    closed = ma.fields.Integer(required=True)


class OutcomesAtClosureSchema(ma.Schema):
    children = ma.fields.List(
        ma.fields.Nested(ClosureOutcomeSchema),
        required=True,
        metadata={"description": "Children's cases closed in the period: outcome for the family"},
    )
    adults = ma.fields.List(
        ma.fields.Nested(ClosureOutcomeSchema),
        required=True,
        metadata={"description": "Adults' cases closed in the period: the SAC risk outcome"},
    )


class DashboardSchema(CountedSchema):
    period_start = Day(required=True)
    period_end = Day(required=True)
    months = ma.fields.List(ma.fields.Nested(MonthSchema), required=True)
    section_42_conversion_rate = ma.fields.Float(allow_none=True, required=True)
    repeat_concern_rate = ma.fields.Float(allow_none=True, required=True)
    screening_on_time_rate = ma.fields.Float(allow_none=True, required=True)
    concerns = ma.fields.Integer(required=True)
    open_clusters = ma.fields.Integer(required=True)
    by_team = ma.fields.List(ma.fields.Nested(HoldingSchema), required=True)
    by_area = ma.fields.List(ma.fields.Nested(HoldingSchema), required=True)
    outcomes_at_closure = ma.fields.Nested(OutcomesAtClosureSchema, required=True)
    alleged_with_care_needs = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        required=True,
        metadata={
            "description": "People alleged to have caused harm in the period's concerns: "
            "named, care_needs (adults with care and support needs), and of those offered "
            "(no answer yet), accepted, declined, not_offered, not_recorded"
        },
    )


class RepeatCaseSchema(ma.Schema):
    concern_id = ma.fields.Integer(required=True)
    reference = ma.fields.String(required=True)
    received_at = Moment(required=True)
    person = ma.fields.String(required=True)
    adult_or_child = ma.fields.String(required=True)
    team = ma.fields.String(required=True)
    area = ma.fields.String(required=True)
    previous_concern_id = ma.fields.Integer(required=True)
    previous_reference = ma.fields.String(required=True)
    previous_received_at = Moment(required=True)
    previous_outcome = ma.fields.String(
        required=True, metadata={"description": "How the previous concern closed, or 'Still open'"}
    )
    days_between = ma.fields.Integer(required=True)


class RepeatReportSchema(CountedSchema):
    period_start = Day(required=True)
    period_end = Day(required=True)
    concerns = ma.fields.Integer(required=True, metadata={"description": "Concerns received"})
    repeats = ma.fields.Integer(required=True)
    repeat_rate = ma.fields.Float(allow_none=True, required=True)
    by_team = ma.fields.List(ma.fields.Nested(HoldingSchema), required=True)
    by_area = ma.fields.List(ma.fields.Nested(HoldingSchema), required=True)
    cases = ma.fields.List(
        ma.fields.Nested(RepeatCaseSchema),
        allow_none=True,
        required=True,
        metadata={"description": "The repeat concerns (the safeguarding team); null for the board"},
    )


class CensusYearArgs(StrictSchema):
    year = ma.fields.String(
        metadata={
            "description": "the collection year written as 2025-26 (April 2025 to March "
            "2026); default the last complete one"
        },
    )


class CensusQuerySchema(ma.Schema):
    child = ma.fields.String(metadata={"description": "The census child id (LAchildID)"})
    concern_id = ma.fields.Integer()
    reference = ma.fields.String()
    message = ma.fields.String()


class CinCensusSchema(ma.Schema):
    year = ma.fields.String()
    reference_date = Day()
    children = ma.fields.Integer()
    episodes = ma.fields.Integer()
    la_code_set = ma.fields.Boolean(
        metadata={"description": "false: LA_CODE is not set and the file's header says 000"}
    )
    queries = ma.fields.List(ma.fields.Nested(CensusQuerySchema))
    file = ma.fields.String(metadata={"description": "Where to get the XML file"})


class HateCrimeLineSchema(ma.Schema):
    label = ma.fields.String()
    hate = ma.fields.Integer(metadata={"description": "Hate crimes"})
    mate = ma.fields.Integer(metadata={"description": "Mate crimes"})
    total = ma.fields.Integer()


class HateCrimeReportSchema(CountedSchema):
    period_start = ma.fields.Date(attribute="period.first")
    period_end = ma.fields.Date(attribute="period.last")
    concerns = ma.fields.Integer(metadata={"description": "Every concern received in the period"})
    total = ma.fields.Nested(HateCrimeLineSchema)
    by_strand = ma.fields.List(
        ma.fields.Nested(HateCrimeLineSchema),
        metadata={"description": "By monitored strand (a concern under each it records)"},
    )
    by_type = ma.fields.List(ma.fields.Nested(HateCrimeLineSchema))
    police_involved = ma.fields.Nested(HateCrimeLineSchema)
    outcomes = ma.fields.List(
        ma.fields.Nested(HateCrimeLineSchema),
        metadata={"description": "The closed ones, by the outcome of the risk assessment"},
    )
    not_closed = ma.fields.Nested(HateCrimeLineSchema)
