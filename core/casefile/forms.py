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

from core.auth.models import Locality, Team
from core.casefile.models import Answer, CaseFileAudit, CaseType, Grade
from core.db import whole_number
from core.forms import HubForm, choices
from core.returns.periods import quarter_in_year
from core.teams import operations as teams


def quarter_choices(year_starts: int) -> list[Any]:
    """Q1 to Q4 of the audit year, named by their months (April to June: Q1 by default)."""
    named = []
    for number in (1, 2, 3, 4):
        period = quarter_in_year(2001, number, year_starts)
        months = f"{period.first.strftime('%B')} to {period.last.strftime('%B')}"
        named.append((str(number), f"Q{number}: {months}"))
    return choices(named)


def _all_of(model: Any, blank: str, council_id: int) -> list[Any]:
    """The council's teams (or areas), to limit the sample to one."""
    named = teams.listed(model, council_id=council_id)
    return choices([("", blank), *[(str(i.id), i.name) for i in named]])


class DrawForm(HubForm):
    year = IntegerField(
        "Year the audit year begins in",
        description="For example 2026 for 2026/27",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the year, like 2026"),
            NumberRange(2000, 2100, "Enter the year, like 2026"),
        ],
    )
    quarter = RadioField(
        "Quarter",
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the quarter")],
    )
    team_id = SelectField(
        "Team",
        description="Only cases this team holds",
        widget=GovSelect(),
        validate_choice=False,  # the operation checks it, with the API's message
    )
    locality_id = SelectField(
        "Area",
        description="Only cases in this area",
        widget=GovSelect(),
        validate_choice=False,
    )
    out_of_hours = RadioField(
        "Out-of-hours cases",
        widget=GovRadioInput(),
        choices=choices(
            [("", "All cases"), ("yes", "Only out-of-hours cases"), ("no", "Only day-time cases")]
        ),
        default="",
        validate_choice=False,
    )
    case_type = RadioField(
        "Case type",
        widget=GovRadioInput(),
        choices=choices([("", "Adults and children"), *CaseType.choices()]),
        default="",
        validate_choice=False,
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

    def __init__(self, *args: Any, year_starts: int, council_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quarter.choices = quarter_choices(year_starts)
        self.team_id.choices = _all_of(Team, "Any team", council_id)
        self.locality_id.choices = _all_of(Locality, "Any area", council_id)

    def limits(self) -> dict[str, Any]:
        """The limits as the operation takes them (None: any); what cannot be read is
        passed on for the operation to name."""

        def number(raw: object) -> object:
            text = str(raw or "")
            number = whole_number(text)
            return number if number is not None else (text or None)

        out = {"yes": True, "no": False, "": None}.get(self.out_of_hours.data or "", "?")
        return {
            "team_id": number(self.team_id.data),
            "locality_id": number(self.locality_id.data),
            "out_of_hours": out,
            "case_type": self.case_type.data or None,
        }


class AssignForm(HubForm):
    review_id = HiddenField()
    auditor_id = SelectField("Reviewer", widget=GovSelect(), validators=[InputRequired()])
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
