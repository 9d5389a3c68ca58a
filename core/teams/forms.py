from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSubmitInput, GovTextInput
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from core.forms import HubForm


class NamedForm(HubForm):
    """A team or an area: its name, and whether it is still in use."""

    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the name"),
            Length(max=200, message="Name must be 200 characters or fewer"),
        ],
    )
    active = BooleanField(
        "In use",
        description="No longer in use: kept on the cases and people that have it, not offered "
        "for new ones",
        widget=GovCheckboxInput(),
        default=True,
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
