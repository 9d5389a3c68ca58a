"""The form that records an entry in the complaints and compliments log (the operation
says what is missing or wrong across fields)."""

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

from core.complaints.models import EntryKind, MadeBy, ReceivedVia
from core.complaints.operations import NAME_MAX, TEXT_MAX
from core.forms import DateInput, DayField, HubForm, choices
from core.reference import ComplaintProcedure


class EntryForm(HubForm):
    kind = RadioField(
        "Is it a complaint, a compliment or a comment?",
        widget=GovRadioInput(),
        choices=choices(EntryKind.choices()),
        validators=[DataRequired("Select whether it is a complaint, a compliment or a comment")],
        validate_choice=False,
    )
    procedure = RadioField(
        "Complaints: which procedure does it follow?",
        widget=GovRadioInput(),
        choices=choices(ComplaintProcedure.choices()),
        validators=[Optional()],
        validate_choice=False,
        description="Adult social care: one stage, acknowledged within 3 working days. "
        "Children's social care: local resolution, investigation, review panel",
    )
    case_reference = StringField(
        "Case reference",
        widget=GovTextInput(),
        description="Like SG-2026-000123. Leave empty when it is about the person only",
        validators=[Length(max=20, message="The case reference must be 20 characters or fewer")],
    )
    made_by_name = StringField(
        "Who made it",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the name of who made it"),
            Length(max=NAME_MAX, message=f"The name must be {NAME_MAX} characters or fewer"),
        ],
    )
    made_by = SelectField(
        "How are they related to the person?",
        widget=GovSelect(),
        choices=choices([("", "Select"), *MadeBy.choices()]),
        validators=[DataRequired("Select who made it")],
        validate_choice=False,
    )
    received_via = SelectField(
        "How was it received?",
        widget=GovSelect(),
        choices=choices([("", "Select"), *ReceivedVia.choices()]),
        validators=[DataRequired("Select how it was received")],
        validate_choice=False,
    )
    received_on = DayField(
        "Date received",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date it was received")],
        description="For example, 30 11 2026. Every timescale starts here",
    )
    about = TextAreaField(
        "What is it about?",
        widget=GovTextArea(),
        validators=[
            DataRequired("Enter what it is about"),
            Length(max=TEXT_MAX, message=f"It must be {TEXT_MAX} characters or fewer"),
        ],
    )
    submit = SubmitField("Record it", widget=GovSubmitInput())
