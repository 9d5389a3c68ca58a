"""Agency form pages: fill in, read with its version history, change, share."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField

from core.agency_forms import operations
from core.agency_forms.models import FormShare, FormSubmission
from core.agency_forms.registry import page_data, page_form_class, raw_from_page
from core.auth.models import Agency
from core.db import record_id, whole_number
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import HubForm, apply_errors, choices
from core.pagination import paginate
from core.pipeline import logged, record
from core.policy.forms import (
    can_change,
    can_share,
    can_write_form,
    readable_submissions,
)
from core.policy.routes import requires
from plugins.forms import FormDefinition, display, label_of


class ShareForm(HubForm):
    agency_id = SelectField("Share with", widget=GovSelect(), coerce=str)


@requires("forms.view")
@logged("form.list", object_type="form_submission")
def index() -> ResponseReturnValue:
    """The forms the user's agency sends as returns, and the submissions they may read."""
    forms = operations.definitions()
    returns = [
        d for d in forms.values() if d.attaches_to == "agency" and can_write_form(current_user, d)
    ]
    page = paginate(
        readable_submissions(current_user)
        .where(FormSubmission.form_name.in_(list(forms)))
        .options(sa.orm.selectinload(FormSubmission.agency))
        .order_by(FormSubmission.updated_at.desc(), FormSubmission.id.desc())
    )
    return render_template(
        "agency_forms/index.html",
        returns=returns,
        about_places=operations.establishment_forms(current_user),
        page=page,
        forms=forms,
        subject_label=operations.subject_label,
        summary_of=operations.summary_of,
    )


def _save_page(
    definition: FormDefinition, submission: FormSubmission | None, subject: int | None
) -> ResponseReturnValue:
    form_class = page_form_class(definition)
    if request.method == "POST":
        form = form_class()
        raw = raw_from_page(definition, request.form)
        restriction = request.form.get("restriction") or None
        try:
            if submission is None:
                submission = operations.create(definition, subject, raw, current_user, restriction)
            else:
                base = request.form.get("base_version", "")
                operations.update(
                    definition,
                    submission,
                    raw,
                    current_user,
                    base_version=whole_number(base),
                    restriction=restriction,
                )
        except ValidationFailed as failed:
            db.session.rollback()
            apply_errors(form, failed)
        else:
            flash(f"{definition.title} saved as version {submission.version}.", "success")
            return redirect(url_for("agency_forms.show", submission_id=submission.id))
    elif submission is not None:
        form = form_class(formdata=None, data=page_data(definition, submission.data))
        form.base_version.data = str(submission.version)
        form.restriction.data = submission.restriction.value if submission.restriction else ""
    else:
        form = form_class(formdata=None)
    widgets = {name: field.metadata["widget"] for name, field in definition.schema().fields.items()}
    return render_template(
        "agency_forms/form.html",
        form=form,
        definition=definition,
        submission=submission,
        widgets=widgets,
        about=operations.subject_label(submission) if submission else None,
    )


@requires("forms.write")
@record("form", "create")
def new(form: FormDefinition, subject_id: int | None = None) -> ResponseReturnValue:
    subject = operations.subject_offered(form, subject_id, current_user)
    return _save_page(form, None, subject)


@requires("forms.view")
@record("form_submission", argument="submission")
@logged("form.view", object_type="form_submission", object_id="form_submission")
def show(submission: FormSubmission) -> ResponseReturnValue:
    definition = operations.definition_of(submission.form_name)
    schema = definition.schema()
    answers = [
        (label_of(schema, name), display(schema, name, submission.data.get(name)) or "Not answered")
        for name in schema.fields
    ]
    share_form = None
    if can_share(current_user, definition, submission):
        share_form = ShareForm()
        share_form.agency_id.choices = _share_choices(submission)
    return render_template(
        "agency_forms/show.html",
        definition=definition,
        submission=submission,
        answers=answers,
        versions=operations.versions_of(submission),
        shares=operations.shares_of(submission),
        share_form=share_form,
        can_change=can_change(current_user, definition, submission),
        about=operations.subject_label(submission),
    )


def _share_choices(submission: FormSubmission) -> list[Any]:
    rows = db.session.execute(
        sa.select(Agency.id, Agency.name)
        .where(Agency.active.is_(True), Agency.id != submission.agency_id)
        .order_by(Agency.name)
    ).all()
    return choices([("", "Choose an agency"), *[(str(row.id), row.name) for row in rows]])


@requires("forms.write")
@record("form_submission", "update", argument="submission")
def edit(submission: FormSubmission) -> ResponseReturnValue:
    return _save_page(operations.definition_of(submission.form_name), submission, None)


@requires("forms.share")
@record("form_submission", argument="submission")
def share(submission: FormSubmission) -> ResponseReturnValue:
    definition = operations.definition_of(submission.form_name)
    raw = request.form.get("agency_id", "")
    try:
        shared = operations.share(definition, submission, record_id(raw), current_user)
    except ValidationFailed as failed:
        db.session.rollback()
        flash(" ".join(m for ms in failed.errors.values() for m in ms), "error")
    else:
        flash(f"Shared with {shared.agency.name}.", "success")
    return redirect(url_for("agency_forms.show", submission_id=submission.id))


@requires("forms.share")
@record("form_submission", argument="submission")
@record("form_share", argument="shared")
def withdraw(submission: FormSubmission, shared: FormShare) -> ResponseReturnValue:
    definition = operations.definition_of(submission.form_name)
    try:
        operations.withdraw_share(definition, submission, shared, current_user)
    except ValidationFailed as failed:
        db.session.rollback()
        flash(" ".join(m for ms in failed.errors.values() for m in ms), "error")
    else:
        flash(f"No longer shared with {shared.agency.name}.", "success")
    return redirect(url_for("agency_forms.show", submission_id=submission.id))
