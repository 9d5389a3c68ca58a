"""Agency form pages: fill in, read with its version history, change, share."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField

from core.accesslog import operations as access_log
from core.agency_forms import operations
from core.agency_forms.models import FormShare, FormSubmission
from core.agency_forms.registry import page_data, page_form_class, raw_from_page
from core.auth.models import Agency
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import apply_errors, choices
from core.pagination import paginate
from core.pipeline import logged
from core.policy.forms import (
    can_change,
    can_share,
    can_write_form,
    load_readable,
    readable_submissions,
)
from core.policy.routes import requires
from plugins.forms import Answers, FormDefinition, display, label_of


class ShareForm(FlaskForm):
    agency_id = SelectField("Share with", widget=GovSelect(), coerce=str)


def _definition(form_name: str) -> FormDefinition:
    try:
        return operations.definition_of(form_name)
    except operations.FormNotFound:
        abort(404)


def _readable(submission_id: int) -> tuple[FormDefinition, FormSubmission]:
    submission = load_readable(current_user, submission_id)
    definition = operations.definitions().get(submission.form_name) if submission else None
    if submission is None or definition is None:
        abort(404)
    return definition, submission


def _subject_or_404(definition: FormDefinition, subject_id: int | None) -> int:
    try:
        subject, concern_ids, _ = operations.resolve_subject(definition, subject_id, current_user)
    except operations.SubjectNotFound:
        abort(404)
    if not operations.serves(definition, concern_ids):
        abort(404)  # not a form for this case: offered nowhere on it
    return subject


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
        try:
            if submission is None:
                submission = operations.create(definition, subject, raw, current_user)
            else:
                base = request.form.get("base_version", "")
                operations.update(
                    definition,
                    submission,
                    raw,
                    current_user,
                    base_version=int(base) if base.isdigit() else None,
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
def new(form_name: str, subject_id: int | None = None) -> ResponseReturnValue:
    definition = _definition(form_name)
    if not can_write_form(current_user, definition):
        access_log.record_denied("form.create", object_type="form", object_id=form_name)
        abort(403)
    if (definition.attaches_to == "agency") != (subject_id is None):
        abort(404)
    subject = _subject_or_404(definition, subject_id)
    return _save_page(definition, None, subject)


@requires("forms.view")
@logged("form.view", object_type="form_submission", object_id="submission_id")
def show(submission_id: int) -> ResponseReturnValue:
    definition, submission = _readable(submission_id)
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
def edit(submission_id: int) -> ResponseReturnValue:
    definition, submission = _readable(submission_id)
    if not can_change(current_user, definition, submission):
        access_log.record_denied(
            "form.update", object_type="form_submission", object_id=submission.id
        )
        abort(403)
    return _save_page(definition, submission, None)


@requires("forms.share")
def share(submission_id: int) -> ResponseReturnValue:
    definition, submission = _readable(submission_id)
    raw = request.form.get("agency_id", "")
    try:
        shared = operations.share(
            definition, submission, int(raw) if raw.isdigit() else None, current_user
        )
    except ValidationFailed as failed:
        db.session.rollback()
        flash(" ".join(m for ms in failed.errors.values() for m in ms), "error")
    else:
        flash(f"Shared with {shared.agency.name}.", "success")
    return redirect(url_for("agency_forms.show", submission_id=submission.id))


@requires("forms.share")
def withdraw(submission_id: int, share_id: int) -> ResponseReturnValue:
    definition, submission = _readable(submission_id)
    shared = db.session.get(FormShare, share_id)
    if shared is None or shared.submission_id != submission.id or shared.withdrawn_at:
        abort(404)
    try:
        operations.withdraw_share(definition, submission, shared, current_user)
    except ValidationFailed as failed:
        db.session.rollback()
        flash(" ".join(m for ms in failed.errors.values() for m in ms), "error")
    else:
        flash(f"No longer shared with {shared.agency.name}.", "success")
    return redirect(url_for("agency_forms.show", submission_id=submission.id))


def readable_about_concern(form_name: str, concern_id: int, user: Any) -> list[Answers]:
    """For ``plugins.forms.readable_answers``."""
    rows = db.session.scalars(
        readable_submissions(user)
        .where(FormSubmission.form_name == form_name, FormSubmission.concern_id == concern_id)
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
