"""The forms of PiPoT and LADO referrals."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from core.forms import DateInput, DayField, HubForm, choices
from core.reference import TrustOutcome
from core.trust.models import EmployerAction


class ReferralForm(HubForm):
    referred_on = DayField(
        "When was it referred?",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
        description="For example, 2 12 2026",
    )
    referred_to = StringField(
        "Who was it referred to?",
        widget=GovTextInput(),
        validators=[Length(max=200)],
        description="For example, the council's PiPoT lead or the LADO, by name",
    )
    submit = SubmitField("Record the referral", widget=GovSubmitInput())


class ActionForm(HubForm):
    action = RadioField(
        "What did the employer do?",
        widget=GovRadioInput(),
        choices=choices(EmployerAction.choices()),
        validate_choice=False,
    )
    taken_on = DayField(
        "When?",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
        description="For example, 3 12 2026",
    )
    notes = TextAreaField(
        "Notes (needed for other)", widget=GovTextArea(), validators=[Length(max=2000)]
    )
    submit = SubmitField("Record the action", widget=GovSubmitInput())


class OutcomeForm(HubForm):
    outcome = RadioField(
        "Outcome",
        widget=GovRadioInput(),
        choices=choices(TrustOutcome.choices()),
        validate_choice=False,
        description="Keeping Children Safe in Education 2024, Part four: the definitions of "
        "the outcomes of allegation investigations",
    )
    outcome_on = DayField(
        "The day of the outcome",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
        description="For example, 4 12 2026",
    )
    outcome_notes = TextAreaField(
        "Notes (optional)", widget=GovTextArea(), validators=[Length(max=2000)]
    )
    submit = SubmitField("Record the outcome and close the referral", widget=GovSubmitInput())
