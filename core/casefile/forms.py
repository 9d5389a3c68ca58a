"""The case file audit's page forms. The checks live in operations.py, so the pages and
the API give the same messages."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, IntegerField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from core.casefile.models import Answer, CaseFileAudit, Grade
from core.forms import HubForm, choices

QUARTERS = choices(
    [
        ("1", "January to March"),
        ("2", "April to June"),
        ("3", "July to September"),
        ("4", "October to December"),
    ]
)


class DrawForm(HubForm):
    year = IntegerField(
        "Year",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the year, like 2026"),
            NumberRange(2000, 2100, "Enter the year, like 2026"),
        ],
    )
    quarter = RadioField(
        "Quarter",
        choices=QUARTERS,
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the quarter")],
    )
    sample_size = IntegerField(
        "Cases to sample",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(1, 500, "Sample size must be from 1 to 500")],
        description="Leave empty for the default. All active cases are taken when there are fewer.",
    )
    seed = IntegerField(
        "Seed (optional)",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(0, 2**53 - 1, "The seed must be a whole number")],
        description="Give the seed of an earlier draw to draw the same sample again; leave "
        "empty for a new random one.",
    )
    submit = SubmitField("Draw the sample", widget=GovSubmitInput())


class AssignForm(HubForm):
    review_id = HiddenField()
    auditor_id = SelectField("Auditor", widget=GovSelect(), validators=[InputRequired()])
    submit = SubmitField("Assign", widget=GovSubmitInput())


class CloseForm(HubForm):
    submit = SubmitField("Close the audit", widget=GovSubmitInput())


def review_form(audit: CaseFileAudit, **kwargs: Any) -> FlaskForm:
    """A form with one yes / no / not applicable question per checklist item."""

    class ReviewForm(HubForm):
        pass

    for item in audit.items:
        setattr(
            ReviewForm,
            f"item_{item.id}",
            RadioField(
                item.text,
                choices=choices([(a.value, a.label) for a in Answer]),
                widget=GovRadioInput(),
                validators=[InputRequired(f"Answer: {item.text}")],
            ),
        )
    ReviewForm.grade = RadioField(  # type: ignore[attr-defined]
        "Grade",
        choices=choices([(g.value, g.label) for g in Grade]),
        widget=GovRadioInput(),
        validators=[InputRequired("Choose a grade")],
    )
    ReviewForm.comments = TextAreaField(  # type: ignore[attr-defined]
        "Findings", widget=GovTextArea(), validators=[Optional(), Length(max=5000)]
    )
    ReviewForm.submit = SubmitField("Save the findings", widget=GovSubmitInput())  # type: ignore[attr-defined]
    return ReviewForm(**kwargs)
