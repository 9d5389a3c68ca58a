"""The quarterly findings: the rate per checklist item and the grade distribution,
counted in SQL."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from core.casefile.models import Answer, CaseFileAnswer, CaseFileAudit, CaseFileReview, Grade
from core.extensions import db


@dataclass(frozen=True)
class ItemFinding:
    text: str
    yes: int
    no: int
    not_applicable: int

    @property
    def rate(self) -> float | None:
        """Met where it applied: yes / (yes + no)."""
        applicable = self.yes + self.no
        return self.yes / applicable if applicable else None


@dataclass(frozen=True)
class Findings:
    audit: CaseFileAudit
    sampled: int
    completed: int
    items: list[ItemFinding]
    grades: list[tuple[str, int]]


def findings(audit: CaseFileAudit) -> Findings:
    def answered(value: Answer) -> sa.ColumnElement[int]:
        return sa.func.count(sa.case((CaseFileAnswer.answer == value, 1)))

    per_item = {
        item_id: (int(yes), int(no), int(na))
        for item_id, yes, no, na in db.session.execute(
            sa.select(
                CaseFileAnswer.item_id,
                answered(Answer.YES),
                answered(Answer.NO),
                answered(Answer.NOT_APPLICABLE),
            )
            .join(CaseFileReview, CaseFileReview.id == CaseFileAnswer.review_id)
            .where(CaseFileReview.audit_id == audit.id, CaseFileReview.completed_at.is_not(None))
            .group_by(CaseFileAnswer.item_id)
        )
    }
    grades = {
        grade: count
        for grade, count in db.session.execute(
            sa.select(CaseFileReview.grade, sa.func.count())
            .where(CaseFileReview.audit_id == audit.id, CaseFileReview.grade.is_not(None))
            .group_by(CaseFileReview.grade)
        )
    }
    sampled, completed = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(CaseFileReview.completed_at)).where(
            CaseFileReview.audit_id == audit.id
        )
    ).one()
    return Findings(
        audit,
        int(sampled),
        int(completed),
        [ItemFinding(item.text, *per_item.get(item.id, (0, 0, 0))) for item in audit.items],
        [(grade.label, int(grades.get(grade, 0))) for grade in Grade],
    )
