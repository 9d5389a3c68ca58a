"""From a form's schema to everything else: start-up checks, the GOV.UK page form, and
turning a page post into the same input the API receives (one validation path)."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from werkzeug.datastructures import MultiDict
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)

from core.concerns.models import Restriction
from core.db import whole_number
from core.forms import DateInput, DayField, HubForm, choices
from plugins.forms import LOCAL_ZONE, SUBJECTS, WIDGETS, FormDefinition
from plugins.manager import PluginLoadError

NAME = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
RESERVED = {"csrf_token", "submit", "base_version", "restriction"}
TIME_SUFFIX = "_time"
# subjects a form may attach to
AVAILABLE_SUBJECTS = frozenset(SUBJECTS)


def check_definitions(forms: dict[str, FormDefinition], agency_types: set[str]) -> None:
    """Refuse start-up on a form that could not work; say which and why."""
    for name, form in forms.items():
        problem = _problem(form, agency_types)
        if problem:
            raise PluginLoadError(f"The form '{name}' cannot be used: {problem}.")


def _problem(form: FormDefinition, agency_types: set[str]) -> str | None:
    if not NAME.match(form.name):
        return "its name must be '<plugin>.<form>' in lower case, like 'police.investigation'"
    if form.attaches_to not in SUBJECTS:
        return f"attaches_to must be one of {', '.join(SUBJECTS)}"
    if form.attaches_to not in AVAILABLE_SUBJECTS:
        return f"forms cannot attach to a {form.attaches_to} yet"
    unknown = set(form.writers) - agency_types
    if not form.writers or unknown:
        return f"writers must be registered agency types (unknown: {', '.join(sorted(unknown))})"
    fields = form.schema().fields
    for field_name, field in fields.items():
        if field_name in RESERVED or field_name.endswith(TIME_SUFFIX):
            return f"'{field_name}' is a reserved answer name"
        if not field.metadata.get("label") or field.metadata.get("widget") not in WIDGETS:
            return (
                f"the answer '{field_name}' needs a label and a widget: build it with "
                "plugins.forms (text, choice, date…)"
            )
    for field_name in (*form.one_per, *form.summary):
        if field_name not in fields:
            return f"'{field_name}' in one_per or summary is not one of its answers"
    return None


def _wtforms_field(name: str, field: Any) -> Any:
    meta = field.metadata
    widget = meta["widget"]
    kwargs = {"description": meta.get("hint") or ""}
    label = meta["label"]
    options = choices((value, text) for value, text in meta.get("choices") or ())
    if widget == "textarea":
        return TextAreaField(label, widget=GovTextArea(), **kwargs)
    if widget in ("date", "datetime"):
        return DayField(label, format="%d %m %Y", widget=DateInput(), **kwargs)
    if widget in ("radios", "yes_no"):
        return RadioField(label, widget=GovRadioInput(), choices=options, **kwargs)
    if widget == "select":
        return SelectField(
            label, widget=GovSelect(), choices=choices([("", "Choose one")]) + options, **kwargs
        )
    if widget == "checkboxes":
        return SelectMultipleField(label, widget=GovCheckboxesInput(), choices=options, **kwargs)
    return StringField(label, widget=GovTextInput(), **kwargs)


@cache
def page_form_class(definition: FormDefinition) -> type[FlaskForm]:
    """The WTForms class for the form's page, built once per form. It only renders and
    collects answers: checking them is the schema's job, for pages and API alike."""
    attributes: dict[str, Any] = {}
    for name, field in definition.schema().fields.items():
        attributes[name] = _wtforms_field(name, field)
        if field.metadata["widget"] == "datetime":
            attributes[name + TIME_SUFFIX] = StringField(
                "Time",
                widget=GovTextInput(),
                description="For example, 14:30 (24-hour clock)",
            )
    attributes["base_version"] = HiddenField()
    attributes["restriction"] = SelectField(
        "Restricted information?",
        widget=GovSelect(),
        choices=choices([("", "No: read by those it is shared with"), *Restriction.choices()]),
        description="A restricted form is still read only by your agency, the safeguarding "
        "team and the agencies you share it with; the others on the case see that it exists, "
        "its date and your agency's name, and nothing more.",
    )
    attributes["submit"] = SubmitField("Save", widget=GovSubmitInput())
    return type(f"{definition.name.replace('.', '_')}_form", (HubForm,), attributes)


def _date_string(parts: list[str]) -> str | None:
    parts = [p.strip() for p in [*parts, "", "", ""][:3]]
    if not any(parts):
        return None
    day, month, year = parts
    numbers = [whole_number(part) for part in (year, month, day)]
    if None not in numbers:
        return "{:04d}-{:02d}-{:02d}".format(*numbers)
    return f"{year}-{month}-{day}"  # not a date: the schema says so, in its own words


def raw_from_page(definition: FormDefinition, formdata: MultiDict[str, str]) -> dict[str, Any]:
    """The answers posted on the page, shaped as the API receives them."""
    raw: dict[str, Any] = {}
    for name, field in definition.schema().fields.items():
        widget = field.metadata["widget"]
        if widget == "checkboxes":
            raw[name] = formdata.getlist(name)
        elif widget == "date":
            raw[name] = _date_string(formdata.getlist(name))
        elif widget == "datetime":
            day = _date_string(formdata.getlist(name))
            time = (formdata.get(name + TIME_SUFFIX) or "").strip().replace(".", ":")
            raw[name] = f"{day}T{time}" if day and time else day or (time or None)
        else:
            raw[name] = formdata.get(name)
    return raw


def page_data(definition: FormDefinition, stored: dict[str, Any]) -> dict[str, Any]:
    """Stored answers as the page form shows them, for changing a submission."""
    data: dict[str, Any] = {}
    for name, field in definition.schema().fields.items():
        value = stored.get(name)
        widget = field.metadata["widget"]
        if value is None:
            continue
        if widget == "date":
            data[name] = date.fromisoformat(value)
        elif widget == "datetime":
            moment = datetime.fromisoformat(value).astimezone(LOCAL_ZONE)
            data[name], data[name + TIME_SUFFIX] = moment.date(), moment.strftime("%H:%M")
        elif widget == "yes_no":
            data[name] = "yes" if value else "no"
        else:
            data[name] = value
    return data


def describe_fields(definition: FormDefinition) -> list[dict[str, Any]]:
    """The questions, for the API's list of forms."""
    return [
        {
            "name": name,
            "label": field.metadata["label"],
            "hint": field.metadata.get("hint"),
            "widget": field.metadata["widget"],
            "required": field.required,
            "choices": [
                {"value": value, "label": text}
                for value, text in field.metadata.get("choices") or ()
            ],
        }
        for name, field in definition.schema().fields.items()
    ]


def check_reports(reports: dict[str, Any]) -> None:
    for name, report in reports.items():
        if not NAME.match(name):
            raise PluginLoadError(
                f"The report '{name}' cannot be used: its name must be '<plugin>.<report>' "
                "in lower case, like 'police.open_investigations'."
            )
        if not report.roles:
            raise PluginLoadError(f"The report '{name}' cannot be used: it names no roles.")
