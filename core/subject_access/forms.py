"""The form recording a subject access request (the operation says what is wrong)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from core.forms import DateInput, DayField, HubForm
from core.subject_access.operations import IDENTITY_MAX, REQUESTED_BY_MAX


class RequestForm(HubForm):
    requested_by = StringField(
        "Who made the request",
        widget=GovTextInput(),
        description="The person themselves, or the name of whoever acts for them and how "
        "(for example, lasting power of attorney)",
        validators=[
            DataRequired("Enter who made the request"),
            Length(
                max=REQUESTED_BY_MAX,
                message=f"Who made the request must be {REQUESTED_BY_MAX} characters or fewer",
            ),
        ],
    )
    received_on = DayField(
        "Date the request was received",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date the request was received")],
        description="The answer is due one month later (UK GDPR Article 12(3)). For "
        "example, 27 11 2026",
    )
    identity_checked = TextAreaField(
        "How was the requester's identity checked?",
        widget=GovTextArea(),
        description="The documents seen, and for someone acting for the person, their "
        "authority to act",
        validators=[
            DataRequired("Enter how the requester's identity was checked"),
            Length(
                max=IDENTITY_MAX,
                message=f"How identity was checked must be {IDENTITY_MAX} characters or fewer",
            ),
        ],
    )
    submit = SubmitField("Record the request", widget=GovSubmitInput())


class ActForm(HubForm):
    """A button: produce the export, or mark it sent."""
