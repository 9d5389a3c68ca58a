"""The follow-up call's outcome form (the operation says what is wrong)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from core.followups.models import FollowUpOutcome
from core.followups.operations import NOTE_MAX
from core.forms import HubForm, choices


class OutcomeForm(HubForm):
    outcome = RadioField(
        "What did the call find?",
        widget=GovRadioInput(),
        choices=choices(FollowUpOutcome.choices()),
        validators=[DataRequired("Select the outcome of the call")],
        validate_choice=False,
    )
    note = TextAreaField(
        "Note",
        widget=GovTextArea(),
        description="What the contact said; needed when a new referral is needed",
        validators=[
            Length(max=NOTE_MAX, message=f"The note must be {NOTE_MAX} characters or fewer")
        ],
    )
    submit = SubmitField("Record the outcome", widget=GovSubmitInput())
