"""The NHS trust plugin's reports: SQL over what the user may see."""

from __future__ import annotations

import sqlalchemy as sa

from plugins import ReportTable
from plugins.forms import display
from plugins.reports import Agency, ReportQuery, Submission, answer, answer_bool, answer_int


def discharge_monitoring(query: ReportQuery) -> ReportTable:
    from agencies.nhs_trust import DischargeSchema

    rows = query.submissions("nhs_trust.discharge_notification").subquery()
    out_of_hours, care = answer_bool("out_of_hours", rows), answer_bool("care_in_place", rows)
    discharges = query.rows(
        sa.select(Agency.name, answer("discharged_at", rows), out_of_hours, care)
        .join(Agency, Agency.id == rows.c.agency_id)
        .order_by(answer("discharged_at", rows).desc())
    )
    schema = DischargeSchema()
    table = [
        (
            trust,
            display(schema, "discharged_at", at),
            "Yes" if ooh else "No",
            "Yes" if in_place else "No",
        )
        for trust, at, ooh, in_place in discharges
    ]
    flagged = sum(1 for row in table if row[2] == "Yes" and row[3] == "No")
    return ReportTable(
        ("Trust", "Discharged", "Out of hours", "Care in place"),
        table,
        notes=(f"{flagged} out-of-hours discharge(s) without care in place.",),
    )


def training_compliance(query: ReportQuery) -> ReportTable:
    target = float(query.config["NHS_TRAINING_TARGET_PERCENT"])
    # staff figures per trust, no personal data: the board sees every trust's
    returns = query.submissions("nhs_trust.training_return", every_agency=True).subquery()
    quarter = answer("quarter", returns)
    latest = (
        sa.select(returns.c.agency_id, sa.func.max(quarter).label("quarter"))
        .group_by(returns.c.agency_id)
        .subquery()
    )
    scope = answer_int("staff_in_scope", returns)
    rows = query.rows(
        sa.select(
            Agency.name,
            quarter,
            scope,
            *[
                sa.func.round(sa.cast(100.0 * answer_int(level, returns) / scope, sa.Numeric), 1)
                for level in ("level_1", "level_2", "level_3")
            ],
        )
        .select_from(returns)
        .join(Submission, Submission.id == returns.c.id)
        .join(Agency, Agency.id == returns.c.agency_id)
        .join(
            latest,
            sa.and_(latest.c.agency_id == returns.c.agency_id, latest.c.quarter == quarter),
        )
        .order_by(Agency.name)
    )
    table = [
        (
            trust,
            when,
            int(in_scope),
            float(l1),
            float(l2),
            float(l3),
            "Yes" if min(l1, l2, l3) >= target else "No",
        )
        for trust, when, in_scope, l1, l2, l3 in rows
    ]
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
