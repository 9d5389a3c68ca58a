"""The NHS trust plugin's reports, over what the user may see (``plugins.reports``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from agencies.nhs_trust.forms import DISCHARGE, TRAINING, DischargeSchema
from plugins import ReportTable
from plugins.forms import display
from plugins.reports import ReportQuery, moment, out_of_hours

LEVELS = ("level_1", "level_2", "level_3")


def discharge_monitoring(query: ReportQuery) -> ReportTable:
    """Discharges notified on open cases; out of hours by the council's core hours."""
    schema = DischargeSchema()
    discharges = sorted(
        query.submissions(DISCHARGE.name),
        key=lambda submission: submission.answers.get("discharged_at") or "",
        reverse=True,
    )
    table = [
        (
            discharge.agency_name,
            display(schema, "discharged_at", discharge.answers.get("discharged_at")),
            "Yes" if _out_of_hours(discharge.answers.get("discharged_at"), query) else "No",
            "Yes" if discharge.answers.get("care_in_place") else "No",
        )
        for discharge in discharges
    ]
    flagged = sum(1 for row in table if row[2] == "Yes" and row[3] == "No")
    return ReportTable(
        ("Trust", "Discharged", "Out of hours", "Care in place"),
        table,
        notes=(f"{flagged} out-of-hours discharge(s) without care in place.",),
    )


def _out_of_hours(stored: object, query: ReportQuery) -> bool:
    when = moment(stored)
    return when is not None and out_of_hours(when, query.config)


def _percent(part: int, whole: int) -> float:
    """``part`` of ``whole`` as a percentage to one decimal place, halves rounded up."""
    exact = Decimal(100) * Decimal(part) / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def training_compliance(query: ReportQuery) -> ReportTable:
    target = float(query.config["NHS_TRAINING_TARGET_PERCENT"])
    # staff figures per trust, no personal data: the board sees every trust's
    returns = query.submissions(TRAINING.name, every_agency=True)
    latest: dict[int, str] = {}
    for training in returns:
        quarter = training.answers.get("quarter") or ""
        latest[training.agency_id] = max(quarter, latest.get(training.agency_id, ""))
    table = []
    for training in sorted(returns, key=lambda row: row.agency_name):
        answers = training.answers
        if answers.get("quarter") != latest[training.agency_id]:
            continue
        scope = int(answers["staff_in_scope"])
        levels = [_percent(int(answers[level]), scope) for level in LEVELS]
        table.append(
            (
                training.agency_name,
                answers["quarter"],
                scope,
                *levels,
                "Yes" if min(levels) >= target else "No",
            )
        )
    return ReportTable(
        (
            "Trust",
            "Quarter",
            "Staff in scope",
            "Level 1 %",
            "Level 2 %",
            "Level 3 %",
            "Meets target",
        ),
        table,
        notes=(f"Target: {target:g}% trained at each level.",),
    )
