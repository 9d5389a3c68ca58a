"""The page forms for people and establishments. Checks beyond 'is it there' live in
operations.py, so the pages and the API give the same messages."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    Form,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from core.forms import DateInput, DayField, HubForm, choices
from core.reference import (
    Disability,
    EthnicGroup,
    Ethnicity,
    LocationOfRisk,
    PrimarySupportReason,
    Sex,
)

LONG_TEXT = Length(max=2000, message="This must be 2,000 characters or fewer")


def _optional_int(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


class PersonForm(HubForm):
    given_name = StringField(
        "First name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the person's first name"),
            Length(max=100, message="The first name must be 100 characters or fewer"),
        ],
    )
    family_name = StringField(
        "Last name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the person's last name"),
            Length(max=100, message="The last name must be 100 characters or fewer"),
        ],
    )
    date_of_birth = DayField(
        "Date of birth (if known)",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
        description="For example, 27 3 1948",
    )
    estimated_age = StringField(
        "Estimated age (if the date of birth is not known)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Regexp(r"^\d{1,3}$", message="Estimated age must be a whole number from 0 to 120"),
        ],
    )
    nhs_number = StringField(
        "NHS number (if known)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=14, message="NHS number must be 14 characters or fewer"),
        ],
        description="10 digits, like 943 476 5919",
    )
    # the operation checks the codes, with the same messages the API gives
    sex = SelectField(
        "Sex",
        widget=GovSelect(),
        choices=choices(Sex.choices()),
        default=Sex.NOT_KNOWN.value,
        validate_choice=False,
    )
    ethnicity = SelectField(
        "Ethnicity",
        widget=GovSelect(),
        choices=choices(Ethnicity.choices()),
        default=Ethnicity.NOT_KNOWN.value,
        validate_choice=False,
    )
    ethnic_group = SelectField(
        "Ethnic group (detailed, if known)",
        widget=GovSelect(),
        choices=choices([("", "Not recorded"), *EthnicGroup.choices()]),
        description="The group the census and school records use; it sets the broad "
        "ethnicity above",
        validate_choice=False,
    )
    upn = StringField(
        "Children: unique pupil number (if known)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=20, message="UPN must be 20 characters or fewer")],
        description="13 characters, like K001000000123",
    )
    disabilities = SelectMultipleField(
        "Children: disabilities (if any)",
        widget=GovCheckboxesInput(),
        choices=choices(Disability.choices()),
        description="As the children in need census records them; “No disability” stands "
        "alone. Leave them all unticked where not known",
    )
    primary_support_reason = SelectField(
        "Primary support reason",
        widget=GovSelect(),
        choices=choices(PrimarySupportReason.choices()),
        default=PrimarySupportReason.NOT_KNOWN.value,
        validate_choice=False,
    )
    address = TextAreaField("Address", widget=GovTextArea(), validators=[LONG_TEXT])
    postcode = StringField("Postcode", widget=GovTextInput())
    communication_needs = TextAreaField(
        "Communication needs",
        widget=GovTextArea(),
        description="For example, an interpreter, British Sign Language or easy read",
        validators=[LONG_TEXT],
    )
    advocate = TextAreaField(
        "Advocate",
        widget=GovTextArea(),
        description="Name and contact details of an advocate, if the person has one",
        validators=[LONG_TEXT],
    )
    # the version read when the page was opened, so a change made meanwhile is not lost
    version = HiddenField()
    # the likely duplicates already shown: creating anyway is allowed for these only
    seen_duplicates = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class MergeForm(HubForm):
    other_id = IntegerField(
        "Record number of the other record",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the record number of the other record")],
    )
    keep = RadioField(
        "Which record should be kept?",
        widget=GovRadioInput(),
        choices=[],
        validate_choice=False,  # the operation checks it is one of the two
        validators=[DataRequired("Choose the record to keep")],
    )
    reason = TextAreaField(
        "Why are these records being merged?",
        widget=GovTextArea(),
        description="For example, the same person recorded twice by two referrers",
        validators=[DataRequired("Give the reason for merging these records")],
    )
    submit = SubmitField("Merge the records", widget=GovSubmitInput())


class EstablishmentForm(HubForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the establishment's name"),
            Length(max=200, message="The name must be 200 characters or fewer"),
        ],
    )
    kind = SelectField(
        "What kind of place is it?",
        widget=GovSelect(),
        description="The Safeguarding Adults Collection location it counts as",
        choices=choices([("", "Choose a kind of place"), *LocationOfRisk.choices()]),
        validate_choice=False,
        validators=[DataRequired("Select what kind of place this is")],
    )
    cqc_location_id = StringField(
        "CQC location id (if registered with the CQC)",
        widget=GovTextInput(),
        description="Like 1-123456789",
        validators=[Optional()],
    )
    ods_code = StringField(
        "ODS code (for NHS premises)",
        widget=GovTextInput(),
        description="The Organisation Data Service site code, like RX1",
        validators=[Optional()],
    )
    address = TextAreaField("Address", widget=GovTextArea(), validators=[LONG_TEXT])
    postcode = StringField("Postcode", widget=GovTextInput())
    provider_agency_id = SelectField(
        "Provider (the partner agency that runs it)",
        widget=GovSelect(),
        coerce=_optional_int,
        validate_choice=False,  # the operation checks the agency exists
        validators=[Optional()],
    )
    version = HiddenField()
    submit = SubmitField("Save", widget=GovSubmitInput())


class ProposeEstablishmentForm(EstablishmentForm):
    """A provider proposes a place it runs: run by its own agency, no version yet."""

    provider_agency_id = None
    version = None
    submit = SubmitField("Send to the safeguarding team", widget=GovSubmitInput())


class DeclineEstablishmentForm(HubForm):
    reason = TextAreaField(
        "Why is it declined?",
        widget=GovTextArea(),
        description="The provider that proposed it reads this",
        validators=[
            DataRequired("Enter why the establishment is declined"),
            Length(max=2000, message="The reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Decline", widget=GovSubmitInput())


class ConfirmEstablishmentForm(HubForm):
    submit = SubmitField("Confirm the establishment", widget=GovSubmitInput())


class PersonSearchForm(Form):
    """The search on the people list (a GET form: no CSRF token, nothing changes)."""

    name = StringField("Name", validators=[Optional(), Length(max=100)])
    dob_day = StringField("Day")
    dob_month = StringField("Month")
    dob_year = StringField("Year")
    nhs_number = StringField("NHS number", validators=[Optional(), Length(max=14)])
