"""The staff training pages: the list, one record added or changed, a CSV file uploaded,
and the quarterly training return."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.auth.models import Agency
from core.downloads import download
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import flashed, submitted
from core.pagination import paginate
from core.pipeline import logged, record
from core.policy import training as _record_types  # noqa: F401  (declares "training_record")
from core.policy.cases import is_case_team
from core.policy.routes import requires, user_can
from core.policy.training import keeps, visible_training_records
from core.training import operations
from core.training.forms import DeleteTrainingRecordForm, TrainingRecordForm, TrainingUploadForm
from core.training.models import TrainingRecord
from core.training.quarterly import training_return


@requires("training.view")
@logged("training_record.list", object_type="training_record")
def index() -> ResponseReturnValue:
    """Your agency's records (the team: every agency's, or one agency's)."""
    query = visible_training_records(current_user).options(
        sa.orm.selectinload(TrainingRecord.agency)
    )
    agency_id = request.args.get("agency_id", type=int)
    team = is_case_team(current_user)
    if team and agency_id:
        query = query.where(TrainingRecord.agency_id == agency_id)
    agencies = []
    if team:
        agencies = list(
            db.session.execute(
                sa.select(Agency.id, Agency.name)
                .where(Agency.id.in_(sa.select(TrainingRecord.agency_id)))
                .order_by(Agency.name)
            )
        )
    return render_template(
        "training/index.html",
        page=paginate(query),
        team=team,
        agencies=agencies,
        agency_id=agency_id,
        today=operations.today(),
        can_keep=user_can(current_user, "training.keep"),
        keeps=lambda item: keeps(current_user, item),
    )


def _version_read(form: TrainingRecordForm) -> int:
    """The version the editor's page showed, as posted (-1 when none was: refused)."""
    raw = form.version.raw_data[0] if form.version.raw_data else ""
    return int(raw) if raw.isdecimal() else -1


@requires("training.keep")
def new() -> ResponseReturnValue:
    form = TrainingRecordForm()
    if submitted(form, lambda: operations.create_record(form.values(), current_user)):
        flash("Training record saved.", "success")
        return redirect(url_for("training.index"))
    return render_template("training/form.html", form=form, training_record=None)


@requires("training.keep")
@record("training_record", verb="change")
def edit(training_record: TrainingRecord) -> ResponseReturnValue:
    form = TrainingRecordForm(obj=training_record)
    if not form.is_submitted():
        form.level.data = training_record.level.value
    if submitted(
        form,
        lambda: operations.update_record(training_record, form.values(), _version_read(form)),
    ):
        flash("Changes saved.", "success")
        return redirect(url_for("training.index"))
    return render_template(
        "training/form.html",
        form=form,
        training_record=training_record,
        delete_form=DeleteTrainingRecordForm(formdata=None),
    )


@requires("training.keep")
@record("training_record", verb="change")
def delete(training_record: TrainingRecord) -> ResponseReturnValue:
    if DeleteTrainingRecordForm().validate_on_submit():
        if flashed(lambda: operations.delete_record(training_record), "Training record deleted."):
            return redirect(url_for("training.index"))
    else:
        flash("The record was not deleted: open it again and retry.", "error")
    return redirect(url_for("training.edit", record_id=training_record.id))


@requires("training.keep")
def upload() -> ResponseReturnValue:
    """A CSV file of records: all saved, or none with every row's problem said."""
    form = TrainingUploadForm()
    made: list[TrainingRecord] = []
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            with db.session.begin_nested():
                made.extend(operations.import_csv(form.upload(), current_user))
        except ValidationFailed as failed:
            problems = [m for ms in failed.errors.values() for m in ms]
            form.file.errors = [
                problems[0]
                if len(problems) == 1
                else f"The file has {len(problems)} problems: nothing was saved"
            ]
        else:
            flash(f"{len(made)} training record{'' if len(made) == 1 else 's'} saved.", "success")
            return redirect(url_for("training.index"))
    return render_template("training/upload.html", form=form, problems=problems)


@requires("training.keep")
def template_csv() -> ResponseReturnValue:
    """The CSV file to fill in, with its columns and an example row."""
    return download(operations.template_csv(), "text/csv", "training-records-template.csv")


def _quarter_asked(errors: list[dict[str, str]]) -> tuple[int, int]:
    year, number = operations.this_quarter()
    raw_year, raw_quarter = request.args.get("year", ""), request.args.get("quarter", "")
    if raw_year:
        if raw_year.isdecimal() and 2000 <= int(raw_year) <= 2100:
            year = int(raw_year)
        else:
            errors.append({"text": "Choose a year from the list", "href": "#year"})
    if raw_quarter:
        if raw_quarter in {"1", "2", "3", "4"}:
            number = int(raw_quarter)
        else:
            errors.append({"text": "Choose a quarter from the list", "href": "#quarter"})
    problem = operations.quarter_problem(year, number)
    if problem and not errors:
        errors.append({"text": problem, "href": "#quarter"})
    return operations.this_quarter() if errors else (year, number)


@requires("training.return")
@logged("training.return.view", object_type="return")
def quarterly() -> ResponseReturnValue:
    """The quarterly training return: figures per agency and level; who is overdue for the
    agency itself and the team."""
    errors: list[dict[str, str]] = []
    year, number = _quarter_asked(errors)
    figures = training_return(year, number, current_user)
    this_year, _ = operations.this_quarter()
    return render_template(
        "training/return.html",
        report=figures,
        errors=errors,
        years=list(range(this_year, this_year - 6, -1)),
        can_view=user_can(current_user, "training.view"),
    ), (400 if errors else 200)
