from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.auth.councils import several
from core.auth.models import Agency, Council
from core.extensions import db
from core.forms import HubForm, choices


def agency_choices(blank: str, council_id: int | None = None) -> list[Any]:
    """The active agencies by name, for a select with ``blank`` as its empty choice. Given
    the case's council on an instance of several, the agencies serving it come first and
    the others after them, marked as another council's (involving one crosses the
    boundary)."""
    serving = Agency.councils.any(Council.id == council_id)
    across = council_id is not None and several()
    rows = db.session.execute(
        sa.select(Agency.id, Agency.name, serving if across else sa.true())
        .where(Agency.active.is_(True))
        .order_by(*([~serving] if across else []), Agency.name)
    ).all()
    return choices(
        [
            ("", blank),
            *[(row[0], row[1] if row[2] else f"{row[1]} (serves other councils)") for row in rows],
        ]
    )


class AgencyForm(HubForm):
    name = StringField(
        "Agency name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the agency's name"),
            Length(max=200, message="Agency name must be 200 characters or fewer"),
        ],
    )
    type = SelectField(
        "Type of agency",
        widget=GovSelect(),
        validators=[InputRequired("Select the type of agency")],
        # The operation checks the type against the registered ones, with the same
        # message the API and CLI give (not WTForms' "Not a valid choice.").
        validate_choice=False,
    )
    council_ids = SelectMultipleField(
        "Councils it serves",
        description="Only the councils' staff see its name offered first for their cases",
        coerce=int,
        widget=GovCheckboxesInput(),
        validate_choice=False,  # the operation checks them, with the API's message
    )
    ods_code = StringField(
        "ODS code (optional)",
        description="For NHS bodies: the Organisation Data Service code, like RX1",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=10, message="ODS code must be 10 characters or fewer")],
    )
    cqc_code = StringField(
        "CQC id (optional)",
        description="For registered care providers: like 1-123456789",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=20, message="CQC id must be 20 characters or fewer")],
    )
    active = BooleanField(
        "Agency is active",
        description="Inactive agencies keep their history but take no new users",
        widget=GovCheckboxInput(),
        default=True,
    )
    team_mailbox = StringField(
        "Safeguarding team mailbox (optional)",
        description="Case emails go to it and to the agency's named safeguarding contacts",
        widget=GovTextInput(),
        validators=[Length(max=254, message="The team mailbox must be 254 characters or fewer")],
    )
    submit = SubmitField("Save agency", widget=GovSubmitInput())
