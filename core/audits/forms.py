"""The attendance audit's page forms. Checks beyond 'is it there' live in operations.py,
so the pages, the API and the command line give the same messages."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.forms import DateInput, DayField, HubForm, choices

from .models import BoardActionStatus


def _date(label: str, required: str, hint: str = "For example, 1 1 2026") -> DayField:
    return DayField(
        label,
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired(required)],
        description=hint,
    )


def _optional_int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


class RunAuditForm(HubForm):
    period_start = _date("First day of the period", "Enter the first day of the period")
    period_end = _date(
        "Last day of the period", "Enter the last day of the period", "For example, 30 6 2026"
    )
    submit = SubmitField("Run the audit", widget=GovSubmitInput())


class BoardActionForm(HubForm):
    agency_id = SelectField(
        "Agency", coerce=_optional_int, widget=GovSelect(), validate_choice=False
    )
    action = TextAreaField(
        "Action the board agreed",
        widget=GovTextArea(),
        description="For example, a letter to the agency's safeguarding lead, or a meeting",
        validators=[DataRequired("Enter the action the board agreed"), Length(max=2000)],
    )
    owner = StringField(
        "Owner",
        widget=GovTextInput(),
        description="Who will do it: a name or a role",
        validators=[DataRequired("Enter who owns the action"), Length(max=200)],
    )
    due_on = _date("Due date", "Enter the date the action is due", "For example, 30 9 2026")
    submit = SubmitField("Record the action", widget=GovSubmitInput())


class BoardActionUpdateForm(HubForm):
    status = RadioField(
        "Status",
        choices=choices(BoardActionStatus.choices()),
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the action's status")],
    )
    note = TextAreaField(
        "What came of it (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000)],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
