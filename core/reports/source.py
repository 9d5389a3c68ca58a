"""The platform's side of ``plugins.reports.ReportQuery``: the records a report may read,
limited to what the user may see, handed to the plugin as plain frozen records."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app

from core.agency_forms.models import FormSubmission
from core.auth.models import Agency
from core.clocks import to_local
from core.concerns.models import Concern
from core.db import utcnow
from core.extensions import db
from core.people.models import Establishment
from core.policy.cases import visible_concerns
from core.policy.forms import readable_submissions
from plugins.reports import AgencyRecord, ConcernRecord, EstablishmentRecord, SubmissionRecord
from plugins.types import Report, ReportTable


@dataclass
class PlatformReportQuery:
    """``plugins.reports.ReportQuery`` for one user."""

    user: Any
    today: date
    config: Mapping[str, Any]

    @classmethod
    def for_user(cls, user: Any) -> PlatformReportQuery:
        return cls(user=user, today=to_local(utcnow()).date(), config=dict(current_app.config))

    def submissions(
        self, form_name: str, *, every_agency: bool = False
    ) -> tuple[SubmissionRecord, ...]:
        if every_agency:
            query = sa.select(FormSubmission).where(
                FormSubmission.form_name == form_name, FormSubmission.subject_type == "agency"
            )
        else:
            query = readable_submissions(self.user).where(FormSubmission.form_name == form_name)
        rows = db.session.execute(
            query.with_only_columns(FormSubmission, Agency.name)
            .join(Agency, Agency.id == FormSubmission.agency_id)
            .order_by(FormSubmission.id)
        )
        return tuple(
            SubmissionRecord(
                id=row.id,
                form_name=row.form_name,
                agency_id=row.agency_id,
                agency_name=agency_name,
                subject_type=row.subject_type,
                subject_id=row.subject_id,
                concern_id=row.concern_id,
                answers=dict(row.data),
                updated_at=row.updated_at,
            )
            for row, agency_name in rows
        )

    def concerns(self) -> tuple[ConcernRecord, ...]:
        visible = visible_concerns(self.user).order_by(Concern.received_at, Concern.id)
        concerns = list(db.session.scalars(visible))
        forms: dict[int, set[str]] = defaultdict(set)
        ids = visible.with_only_columns(Concern.id).scalar_subquery()
        for concern_id, form_name in db.session.execute(
            sa.select(FormSubmission.concern_id, FormSubmission.form_name)
            .where(FormSubmission.concern_id.in_(ids))
            .distinct()
        ):
            forms[concern_id].add(form_name)
        return tuple(
            ConcernRecord(
                id=concern.id,
                reference=concern.reference,
                received_at=concern.received_at,
                status=str(concern.status.value),
                crime_suspected=bool(concern.crime_suspected),
                establishment_id=concern.establishment_id,
                forms=frozenset(forms.get(concern.id, ())),
            )
            for concern in concerns
        )

    def establishments(self) -> tuple[EstablishmentRecord, ...]:
        rows = db.session.execute(
            sa.select(
                Establishment.id, Establishment.name, Establishment.provider_agency_id
            ).order_by(Establishment.name, Establishment.id)
        )
        return tuple(EstablishmentRecord(*row) for row in rows)

    def agencies(self, type: str | None = None) -> tuple[AgencyRecord, ...]:
        query = sa.select(Agency.id, Agency.name, Agency.type).order_by(Agency.name, Agency.id)
        if type is not None:
            query = query.where(Agency.type == type)
        return tuple(AgencyRecord(*row) for row in db.session.execute(query))


def run_report(report: Report, user: Any) -> ReportTable:
    """Run a plugin's report for ``user`` (who may run it: the route's record rule)."""
    return report.run(PlatformReportQuery.for_user(user))
