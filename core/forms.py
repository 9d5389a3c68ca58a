"""Helpers shared by every page form."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import marshmallow as ma
from flask import flash, redirect, render_template
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from core.clocks import OUT_OF_RANGE, in_range
from core.errors import ValidationFailed
from core.extensions import db


def apply_errors(
    form: FlaskForm, failed: ValidationFailed, aliases: dict[str, str] | None = None
) -> None:
    """Show an operation's validation messages against the matching form fields.

    ``aliases`` names the field that shows a message about several fields (``feedback``);
    a message for no field at all goes on the first visible field.
    """
    for name, messages in failed.errors.items():
        field = getattr(form, (aliases or {}).get(name, name), None)
        if field is None:
            field = next(f for f in form if f.name != "csrf_token")
        field.errors = list(field.errors) + list(messages)
    form._errors = None  # recomputed from the fields on next access


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the choice objects WTForms wants."""
    return [SelectChoice(value, label) for value, label in pairs]


class DateInput(GovDateInput):
    """GOV.UK day, month and year inputs that survive a post with the fields missing
    (the library's widget expects exactly three values and fails otherwise)."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> Any:
        if field.raw_data is not None and len(field.raw_data) != 3:
            field.raw_data = [*list(field.raw_data)[:3], "", "", ""][:3]
        return super().map_gov_params(field, **kwargs)


class DayField(DateField):
    """A date on a page, in the years the hub takes (``core.clocks``), as the API's."""

    def pre_validate(self, form: Any) -> None:
        super().pre_validate(form)
        if self.data is not None and not in_range(self.data):
            raise StopValidation(OUT_OF_RANGE)


def form_values(form: FlaskForm, *names: str) -> dict[str, Any]:
    """What the form's fields hold, by name: the fields named, or every field but the
    CSRF token and the buttons."""
    if names:
        return {name: form[name].data for name in names}
    return {f.name: f.data for f in form if f.name != "csrf_token" and f.type != "SubmitField"}


def form_page(
    form: FlaskForm,
    operation: Callable[[], object],
    *,
    done: str | Callable[[], str],
    to: str | Callable[[], str],
    template: str,
    aliases: dict[str, str] | None = None,
    **context: Any,
) -> ResponseReturnValue:
    """The page of a form that runs one operation: when a valid submission is taken by
    the operation (see :func:`attempt`), flash ``done`` and go to ``to`` (either may be
    a function, for what the operation made); otherwise show ``template`` with the form,
    its messages and ``context``."""
    if form.validate_on_submit() and attempt(form, operation, aliases):
        flash(done() if callable(done) else done, "success")
        return redirect(to() if callable(to) else to)
    return render_template(template, form=form, **context)


def failures(operation: Callable[[], object]) -> list[str]:
    """Run an operation in a savepoint: its ValidationFailed messages, with nothing
    half-saved, or no messages if it worked."""
    try:
        with db.session.begin_nested():
            operation()
    except ValidationFailed as failed:
        return [m for ms in failed.errors.values() for m in ms]
    return []


def flashed(operation: Callable[[], object], done: str) -> bool:
    """Run an operation a small page form (a button, one field) asked for (see
    :func:`failures`): flash ``done`` if it worked, or its messages. For the pages that
    answer such a form by going back to the record's page."""
    problems = failures(operation)
    flash(" ".join(problems) if problems else done, "error" if problems else "success")
    return not problems


def attempt(
    form: FlaskForm, operation: Callable[[], object], aliases: dict[str, str] | None = None
) -> bool:
    """Run an operation for a submitted, valid form in a savepoint; on ValidationFailed
    roll back to it (so nothing is half-saved), show the messages on the form and return
    False. The request's unit of work commits (core/pipeline.py)."""

    try:
        with db.session.begin_nested():
            operation()
    except ValidationFailed as failed:
        apply_errors(form, failed, aliases)
        return False
    return True


def query_args(
    schema: ma.Schema, args: Mapping[str, str]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A page's query string read with its API twin's schema: (values, errors by field).

    Empty values (a filter left at "Any") are ignored, and so are parameters the schema
    does not know (``page``); a value that cannot be used is an error to show, never a
    guess.
    """
    given = {key: value for key, value in args.items() if value.strip()}
    try:
        return schema.load(given, unknown=ma.EXCLUDE), {}
    except ma.ValidationError as error:
        messages = error.normalized_messages()
        return {}, {field: list(texts) for field, texts in messages.items()}
