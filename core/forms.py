"""Helpers shared by every page form."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import marshmallow as ma
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from core.clocks import OUT_OF_RANGE, in_range
from core.errors import ValidationFailed
from core.extensions import db

# A route's permission is declared with the plugin API's marker (the policy's own).
from plugins.markers import requires

# WTForms' own messages, as the GOV.UK Design System's error message guidance would word
# them: each names the field (``{label}``; ``{lower}`` is the label starting lower case)
LIBRARY_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^This field is required\.$"), "{verb} {lower}"),
    (
        re.compile(r"^Field cannot be longer than (\d+) characters?\.$"),
        "{label} must be {0} characters or fewer",
    ),
    (
        re.compile(r"^Field must be at least (\d+) characters? long\.$"),
        "{label} must be {0} characters or more",
    ),
    (
        re.compile(r"^Field must be between (\d+) and (\d+) characters long\.$"),
        "{label} must be between {0} and {1} characters",
    ),
    (
        re.compile(r"^Field must be exactly (\d+) characters long\.$"),
        "{label} must be {0} characters",
    ),
    (
        re.compile(r"^Number must be between (\S+) and (\S+)\.$"),
        "{label} must be between {0} and {1}",
    ),
    (re.compile(r"^Number must be at least (\S+)\.$"), "{label} must be {0} or more"),
    (re.compile(r"^Number must be at most (\S+)\.$"), "{label} must be {0} or less"),
    (re.compile(r"^Not a valid date value\.$"), "{label} must be a real date"),
    (re.compile(r"^Not a valid datetime value\.$"), "{label} must be a real date and time"),
    (re.compile(r"^Not a valid integer value\.$"), "{label} must be a whole number"),
    (re.compile(r"^Not a valid (decimal|float) value\.$"), "{label} must be a number"),
    (
        re.compile(
            r"^(Not a valid choice\.|'.*' is not a valid choice for this field\.|"
            r"'.*' are not valid choices for this field\.|Invalid Choice: could not coerce\.|"
            r"Invalid choice\(s\): one or more data inputs could not be coerced\.)$"
        ),
        "Select {lower} from the list",
    ),
    (
        re.compile(r"^Invalid email address\.$"),
        "Enter an email address in the correct format, like name@example.com",
    ),
    (re.compile(r"^Invalid input\.$"), "Enter {lower} in the correct format"),
    (re.compile(r"^Invalid URL\.$"), "Enter {lower} as a full web address, starting https://"),
]
CHOOSING = ("SelectField", "SelectMultipleField", "RadioField", "BooleanField", "FileField")


def govuk_message(field: Any, message: str) -> str:
    """``message`` in the house style when it is one of WTForms' defaults; else as it is."""
    label = str(field.label.text).removesuffix(" (optional)").strip() or "This"
    lower = label if label[1:2].isupper() else label[:1].lower() + label[1:]
    verb = "Select" if type(field).__name__ in CHOOSING else "Enter"
    for pattern, wording in LIBRARY_MESSAGES:
        found = pattern.match(message)
        if found:
            return wording.format(*found.groups(), label=label, lower=lower, verb=verb)
    return message


class HubForm(FlaskForm):
    """Every page's form: checked as WTForms checks it, with the library's messages
    reworded to name the field (``govuk_message``)."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field.errors, list) and all(isinstance(e, str) for e in field.errors):
                # one message a field, the first found (GOV.UK error message guidance)
                field.errors = [govuk_message(field, error) for error in field.errors[:1]]
        return valid


def apply_errors(
    form: FlaskForm, failed: ValidationFailed, aliases: dict[str, str] | None = None
) -> None:
    """Show an operation's validation messages against the matching form fields.

    ``aliases`` names the field that shows a message about several fields (``feedback``);
    a message for no field at all goes on the first field without a message. A field already
    showing a message (the page's own check) keeps it: one message a field.
    """
    for name, messages in failed.errors.items():
        field = getattr(form, (aliases or {}).get(name, name), None)
        if field is None:
            # about no one field: said on the first field with nothing to say yet (the
            # summary lists a field's first message only), else on the first field
            fields = [f for f in form if f.type not in ("CSRFTokenField", "SubmitField")]
            field = next((f for f in fields if not f.errors), fields[0])
            field.errors = list(field.errors) + [m for m in messages if m not in field.errors]
        elif not field.errors:
            field.errors = list(messages)[:1]  # one message a field; the page's comes first
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


def day_from_parts(source: Mapping[str, str], name: str) -> str | None:
    """A day entered in GOV.UK day, month and year inputs (``<name>-day``,
    ``<name>-month``, ``<name>-year``) as the ISO day the API reads, or the ISO day given
    as ``<name>`` itself (a link's query); None when neither is given. Parts that make no
    real day stay as written (``2026-2-30``), for the reader to refuse."""
    parts = [(source.get(f"{name}-{part}") or "").strip() for part in ("year", "month", "day")]
    if not any(parts):
        return (source.get(name) or "").strip() or None
    year, month, day = parts
    if month.isdigit() and day.isdigit():
        month, day = month.zfill(2), day.zfill(2)
    return f"{year}-{month}-{day}"


def with_days(source: Mapping[str, str], *names: str) -> dict[str, str]:
    """A query or posted form with each day ``names`` entered in parts put together
    (:func:`day_from_parts`), as the API twin's schema reads it."""
    folded = dict(source.items())
    for name in names:
        folded[name] = day_from_parts(source, name) or ""
    return folded


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
    if submitted(form, operation, aliases):
        flash(done() if callable(done) else done, "success")
        return redirect(to() if callable(to) else to)
    return render_template(template, form=form, **context)


Operation = Callable[..., str | tuple[str, str]]
View = Callable[..., ResponseReturnValue]
FormMaker = type[FlaskForm] | Callable[..., FlaskForm]


def _built(form: FormMaker, records: dict[str, Any]) -> Any:
    """A route's form: a form class built empty, or a function of the route's records."""
    return form() if isinstance(form, type) else form(**records)


def _next(to: Callable[..., str] | None, records: dict[str, Any], anchor: str | None = None) -> str:
    """Where a route goes once done: ``to`` given the route's first record (or nothing);
    by default that record's page, ``.show`` in the route's blueprint (as Django's views
    go to the object's ``get_absolute_url``), at ``anchor`` if given."""
    if to is not None:
        return to(*list(records.values())[:1])
    name, first = next(iter(records.items()))
    return url_for(".show", **{f"{name}_id": first.id}, _anchor=anchor)


def page_view(permission: str, template: str | None = None) -> Callable[[Callable[..., Any]], View]:
    """Declare a page that shows what the route reads, as Django's TemplateView with its
    ``get_context_data``: the permission it needs (:func:`requires`) and its template
    (by default ``<blueprint>/<view>.html``). The decorated function answers the
    template's context, beside the route's records, or that and a status (``(context,
    400)``), or a response of its own (a redirect)."""

    def decorate(show: Callable[..., Any]) -> View:
        @functools.wraps(show)
        def view(**records: Any) -> ResponseReturnValue:
            answer = show(**records)
            context, status = answer if isinstance(answer, tuple) else (answer, 200)
            if not isinstance(context, dict):
                return answer  # type: ignore[no-any-return]
            shown = template or f"{request.blueprint}/{show.__name__}.html"
            return render_template(shown, **(records | context)), status

        return requires(permission)(view)

    return decorate


def form_view(
    permission: str,
    form: FormMaker,
    template: str | None = None,
    *,
    to: Callable[..., str] | None = None,
    aliases: dict[str, str] | None = None,
    context: Callable[..., dict[str, Any]] | None = None,
    unless: Callable[..., str | None] | None = None,
) -> Callable[[Operation], View]:
    """Declare the page of a form that runs one operation, as the API declares its
    operations (``core.api.conventions``) and Django's FormView its form, template and
    success URL: the permission it needs (:func:`requires`), its form (a class, built
    empty, or a function of the route's records) and its template (by default
    ``<blueprint>/<view>.html``). The decorated ``operation(form, **records)`` runs the
    operation and returns what to flash once done (and, for a record it made, that
    record's page, as Django's CreateView goes to the new object). A valid submission the
    operation took (:func:`submitted`) flashes it and goes on (:func:`_next`); otherwise
    the template shows the form, the records and ``context(form, **records)``.
    ``unless(**records)`` may say why the record is not open to the form now: flashed as
    an error, going back."""

    def decorate(operation: Operation) -> View:
        @functools.wraps(operation)
        def view(**records: Any) -> ResponseReturnValue:
            if unless is not None and (closed := unless(**records)):
                flash(closed, "error")
                return redirect(_next(to, records))
            built = _built(form, records)
            done: list[str | tuple[str, str]] = []
            if submitted(built, lambda: done.append(operation(built, **records)), aliases):
                message, *made = done[0] if isinstance(done[0], tuple) else (done[0],)
                flash(message, "success")
                return redirect(made[0] if made else _next(to, records))
            extra = context(built, **records) if context else {}
            shown = template or f"{request.blueprint}/{operation.__name__}.html"
            return render_template(shown, form=built, **records, **extra)

        return requires(permission)(view)

    return decorate


def button_form(
    permission: str,
    form: FormMaker,
    *,
    to: Callable[..., str] | None = None,
    anchor: str | None = None,
    refused: str | None = "Check what you entered.",
    messages: bool = True,
) -> Callable[[Operation], View]:
    """Declare the route a small form on a record's page posts to (a button, a field or
    two), with the permission it needs (:func:`requires`): when valid, the decorated
    ``operation(form, **records)`` runs (:func:`flashed`) and what it answers, what was
    done, is flashed, or its messages; when refused, the form's messages are flashed
    (``refused`` if it has none; ``refused`` itself without ``messages``; nothing when
    None). Either way it goes back (:func:`_next`), to ``anchor`` on the record's page if
    given."""

    def decorate(operation: Operation) -> View:
        @functools.wraps(operation)
        def view(**records: Any) -> ResponseReturnValue:
            built = _built(form, records)
            if built.validate_on_submit():
                done: list[Any] = []
                problems = failures(lambda: done.append(operation(built, **records)))
                flash(
                    " ".join(problems) if problems else done[0], "error" if problems else "success"
                )
            elif refused is not None:
                flash(form_messages(built, refused) if messages else refused, "error")
            return redirect(_next(to, records, anchor))

        return requires(permission)(view)

    return decorate


def refusal(operation: Callable[[], object]) -> ValidationFailed | None:
    """Run an operation in a savepoint: its ValidationFailed, with nothing half-saved, or
    None if it worked."""
    try:
        with db.session.begin_nested():
            operation()
    except ValidationFailed as failed:
        return failed
    return None


def run_or_rehearse(operation: Callable[[], object], really: bool) -> ValidationFailed | None:
    """What the operation refused: run in a savepoint when the page's own checks passed
    (``really``, :func:`refusal`), else rehearsed with nothing saved (:func:`rehearsed`),
    so that the first answer says every problem."""
    return refusal(operation) if really else rehearsed(operation)


def failures(operation: Callable[[], object]) -> list[str]:
    """Run an operation in a savepoint (:func:`refusal`): its ValidationFailed messages,
    or no messages if it worked."""
    failed = refusal(operation)
    return [m for ms in failed.errors.values() for m in ms] if failed else []


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


def submitted(
    form: FlaskForm, operation: Callable[[], object], aliases: dict[str, str] | None = None
) -> bool:
    """A posted form checked in one round: when the page's own checks pass, the operation
    runs as :func:`attempt` runs it; when they fail, the operation's checks (the
    cross-field ones: a date of birth in the future, an NHS number's check digit...) are
    run too, in a savepoint always rolled back, and their messages join the page's for
    the fields that have none yet, so the first submit lists every problem."""
    if not form.is_submitted():
        return False
    if form.validate():
        return attempt(form, operation, aliases)
    say_all(form, operation, aliases)
    return False


def say_all(
    form: FlaskForm, operation: Callable[[], object], aliases: dict[str, str] | None = None
) -> None:
    """For a form the page's own checks refused: the operation's messages too
    (:func:`rehearsed`), for the fields that have none yet."""
    failed = rehearsed(operation)
    if failed is not None:
        apply_errors(form, failed, aliases)


def form_messages(form: FlaskForm, fallback: str) -> str:
    """A refused small form's messages in one line, for a flash on the record's page."""
    return " ".join(m for ms in form.errors.values() for m in ms if isinstance(m, str)) or fallback


def rehearsed(operation: Callable[[], object]) -> ValidationFailed | None:
    """What the operation would refuse, from a run in a savepoint always rolled back
    (nothing is saved); for a page whose own checks failed, so that its first answer
    says every problem. Input the page already refuses may fail otherwise: nothing to add."""
    savepoint = db.session.begin_nested()
    try:
        operation()
    except ValidationFailed as failed:
        return failed
    except Exception:  # noqa: S110 - input the page's checks already refuse
        pass
    finally:
        if savepoint.is_active:
            savepoint.rollback()
    return None


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
