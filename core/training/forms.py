"""The pages' forms for staff training records."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.forms import DateInput, DayField, HubForm, choices
from core.reference import TrainingLevel
from core.training.operations import MAX_FILE_BYTES


class TrainingRecordForm(HubForm):
    staff_name = StringField(
        "Name of the member of staff",
        widget=GovTextInput(),
        description="Give the name, the staff number or both",
        validators=[
            Optional(),
            Length(max=200, message="The name must be 200 characters or fewer"),
        ],
    )
    staff_number = StringField(
        "Staff number (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=40, message="The staff number must be 40 characters or fewer"),
        ],
    )
    role = StringField(
        "Role",
        widget=GovTextInput(),
        description="Their job, like Staff nurse",
        validators=[
            DataRequired("Enter the member of staff's role"),
            Length(max=200, message="The role must be 200 characters or fewer"),
        ],
    )
    level = SelectField(
        "Safeguarding level",
        widget=GovSelect(),
        description="The intercollegiate level the course trains to",
        choices=choices([("", "Choose a level"), *TrainingLevel.choices()]),
        validate_choice=False,  # the operation names a level that is not one
        validators=[DataRequired("Select the safeguarding level of the course")],
    )
    course = StringField(
        "Course",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the course"),
            Length(max=200, message="The course must be 200 characters or fewer"),
        ],
    )
    completed_on = DayField(
        "Date completed",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date the course was completed")],
        description="For example, 30 11 2026",
    )
    expires_on = DayField(
        "Expiry date (optional)",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
        description="When a refresher is due. Left empty: three years after completion",
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())

    def values(self) -> dict[str, Any]:
        names = ("staff_name", "staff_number", "role", "level", "course")
        return {name: self[name].data for name in names} | {
            "completed_on": self.completed_on.data,
            "expires_on": self.expires_on.data,
        }


class TrainingUploadForm(HubForm):
    file = FileField(
        "CSV file of training records",
        widget=GovFileInput(),
        description="Saved as CSV (UTF-8) with the template's columns, 2 MB at most",
        validators=[FileRequired("Select a CSV file")],
    )
    submit = SubmitField("Upload records", widget=GovSubmitInput())

    def upload(self) -> bytes:
        """The file's bytes (one byte past the limit at most, so a larger one is refused)."""
        upload = self.file.data
        return upload.read(MAX_FILE_BYTES + 1) if upload else b""


class DeleteTrainingRecordForm(HubForm):
    submit = SubmitField("Delete this record", widget=GovSubmitInput())
