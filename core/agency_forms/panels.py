"""The core's own case page panel: the agency forms about the case the user may read,
and the forms their agency can fill in."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import url_for

from core.agency_forms import operations
from core.agency_forms.models import FormSubmission, FormVersion
from core.clocks import to_local
from core.extensions import db
from core.policy.forms import can_write_form, readable_submissions
from plugins.forms import Answers
from plugins.types import CasePanel, CaseSummary, PanelRow


class CaseFormsReader:
    """``plugins.forms.CaseForms`` for one case and one user: what ``case_panels``
    receives, so that a plugin's panel reads only what the user may read."""

    def __init__(self, concern_id: int, user: Any) -> None:
        self.concern_id = concern_id
        self.user = user

    def readable(self, form_name: str) -> list[Answers]:
        rows = db.session.scalars(
            readable_submissions(self.user)
            .where(
                FormSubmission.form_name == form_name,
                FormSubmission.concern_id == self.concern_id,
            )
            .order_by(FormSubmission.updated_at.desc(), FormSubmission.id.desc())
        )
        return [
            Answers(
                row.id,
                row.form_name,
                row.agency_id,
                row.version,
                dict(row.data),
                url_for("agency_forms.show", submission_id=row.id),
            )
            for row in rows
        ]

    def history(self, form_name: str) -> list[Answers]:
        readable = readable_submissions(self.user).where(
            FormSubmission.form_name == form_name,
            FormSubmission.concern_id == self.concern_id,
        )
        submissions = readable.subquery()
        rows = db.session.execute(
            sa.select(FormVersion, submissions.c.agency_id)
            .join(submissions, submissions.c.id == FormVersion.submission_id)
            .order_by(FormVersion.saved_at, FormVersion.submission_id, FormVersion.number)
        )
        return [
            Answers(
                version.submission_id,
                form_name,
                agency_id,
                version.number,
                dict(version.data),
                url_for("agency_forms.show", submission_id=version.submission_id),
            )
            for version, agency_id in rows
        ]


def agency_forms_panel(concern: CaseSummary, user: Any) -> CasePanel:
    rows = tuple(
        PanelRow(
            row["title"],
            (f"Restricted: {row['restriction'].label}. " if row["restriction"] else "")
            + f"{row['agency_name']}, version {row['version']}. {row['summary']}",
            url_for("agency_forms.show", submission_id=row["id"]),
        )
        if row["readable"]
        else PanelRow(
            "Restricted entry", f"{to_local(row['created_at']):%-d %B %Y}, {row['agency_name']}"
        )
        for row in operations.case_forms(concern, user)
    )
    forms = operations.definitions()
    links = tuple(
        (
            f"Fill in: {d.title}",
            url_for("agency_forms.new", form_name=d.name, subject_id=concern.id),
        )
        for d in forms.values()
        if d.attaches_to == "concern"
        and concern.status == "open"
        and d.serves_case(concern.is_child)
        and can_write_form(user, d)
    )
    return CasePanel(
        "Agency forms", rows, links, empty="No agency form you can read is recorded.", order=10
    )
