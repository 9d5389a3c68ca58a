"""The chronology page's form for an entry written by hand. What is wrong beyond 'is it
there' is the operation's to say, so the page and the API give the same messages."""

from __future__ import annotations

from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from core.auth.models import Agency
from core.chronology.models import Significance
from core.chronology.operations import SUMMARY_MAX
from core.concerns.forms import restriction_field
from core.forms import DateInput, DayField, HubForm, choices


class EntryForm(HubForm):
    occurred_on = DayField(
        "Date it happened",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date it happened")],
        description="For example, 14 3 2026",
    )
    source_agency_id = SelectField(
        "Source agency",
        widget=GovSelect(),
        validate_choice=False,
        description="The agency the information comes from",
    )
    summary = TextAreaField(
        "What happened",
        widget=GovTextArea(),
        validators=[
            DataRequired("Enter what happened"),
            Length(
                max=SUMMARY_MAX,
                message=f"What happened must be {SUMMARY_MAX:,} characters or fewer",
            ),
        ],
    )
    significance = RadioField(
        "Significance",
        widget=GovRadioInput(),
        choices=choices(Significance.choices()),
        validate_choice=False,
        validators=[InputRequired("Select how significant it is")],
    )
    restriction = restriction_field("Everyone who may read the case's chronology")
    submit = SubmitField("Add to the chronology", widget=GovSubmitInput())

    def __init__(self, agencies: list[Agency], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = [(str(a.id), a.name) for a in agencies]
        if len(offered) != 1:
            offered = [("", "Choose the agency"), *offered]
        self.source_agency_id.choices = choices(offered)

    def values(self) -> dict[str, Any]:
        return {
            "occurred_on": self.occurred_on.data,
            "source_agency_id": self.source_agency_id.data or None,
            "summary": self.summary.data or "",
            "significance": self.significance.data or None,
            "restriction": self.restriction.data or None,
        }
