"""The page forms for people and establishments. Checks beyond 'is it there' live in
operations.py, so the pages and the API give the same messages."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
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

from core.agencies.forms import agency_choices
from core.extensions import db
from core.forms import DateInput, DayField, HubForm, choices
from core.people.models import (
    Establishment,
    EstablishmentStatus,
    InformedStatus,
    RelationshipKind,
    SupportOffer,
    TrustCapacity,
)
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


class PersonDetailsFields(HubForm):
    """The name, date of birth and NHS number of the person a concern or a hospital
    discharge is about, as their forms ask them (the person record's own form asks more)."""

    given_name = StringField(
        "First name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the person's first name"), Length(max=100)],
    )
    family_name = StringField(
        "Last name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the person's last name"), Length(max=100)],
    )
    date_of_birth = DayField(
        "Date of birth (if known)",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
        description="For example, 27 3 1948",
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


# --- People around the case and the person alleged to have caused harm -------------------


class NamedPersonFields(HubForm):
    """A person named by their record number or by their details (found by the
    duplicate check, or added)."""

    other_id = IntegerField(
        "Their record number (optional)",
        widget=GovTextInput(),
        validators=[Optional()],
        description="If they already have a record. Otherwise give their details below",
    )
    given_name = StringField("First name", widget=GovTextInput(), validators=[Length(max=100)])
    family_name = StringField("Last name", widget=GovTextInput(), validators=[Length(max=100)])
    date_of_birth = DayField(
        "Date of birth (optional)",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
        description="For example, 27 3 1968. With the name, finds an existing record",
    )
    nhs_number = StringField(
        "NHS number (optional)", widget=GovTextInput(), validators=[Length(max=14)]
    )

    def named(self) -> dict[str, Any]:
        """The person as the operations take them (``person_id`` or their details)."""
        if self.other_id.data:
            return {"person_id": self.other_id.data}
        details = {
            "given_name": self.given_name.data,
            "family_name": self.family_name.data,
            "date_of_birth": self.date_of_birth.data,
            "nhs_number": self.nhs_number.data,
        }
        return {"person": details, "other": details} if any(details.values()) else {}


def relationship_choices() -> list[tuple[str, str]]:
    """Both ends of each kind: "Parent of" and "Child of" (``~`` marks the reverse)."""
    pairs = []
    for kind in RelationshipKind:
        pairs.append((kind.value, kind.forward))
        if kind.reverse != kind.forward:
            pairs.append(("~" + kind.value, kind.reverse))
    return pairs


class RelationshipForm(NamedPersonFields):
    kind = RadioField(
        "This person is…",
        widget=GovRadioInput(),
        choices=choices(relationship_choices()),
        validate_choice=False,  # the operation names what is wrong
    )
    detail = StringField(
        "Describe the relationship (optional)",
        widget=GovTextInput(),
        validators=[Length(max=200)],
        description="Needed for a professional or other relationship: social worker, neighbour",
    )
    submit = SubmitField("Add the relationship", widget=GovSubmitInput())

    def values(self) -> dict[str, Any]:
        raw = self.kind.data or ""
        return self.named() | {
            "kind": raw.removeprefix("~"),
            "reversed": raw.startswith("~"),
            "detail": self.detail.data,
        }


class EndRelationshipForm(HubForm):
    ended_on = DayField(
        "When did it end? (optional)",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
        description="For example, 1 11 2026. Leave empty for today",
    )
    reason = TextAreaField(
        "Why did it end?",
        widget=GovTextArea(),
        validators=[DataRequired("Say why the relationship ended"), LONG_TEXT],
        description="For example, moved out of the household",
    )
    submit = SubmitField("End the relationship", widget=GovSubmitInput())


YES_NO_UNKNOWN = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


def optional_int(value: object) -> int | None:
    """A select's number, or None when nothing is chosen (anything else: not valid)."""
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


class AllegedFactsForm(HubForm):
    relationship_kind = RadioField(
        "Their relationship to the person at risk",
        widget=GovRadioInput(),
        choices=choices(RelationshipKind.choices()),
        validate_choice=False,
    )
    relationship_detail = StringField(
        "Describe the relationship (optional)",
        widget=GovTextInput(),
        validators=[Length(max=200)],
        description="Needed for a professional or other relationship: paid carer, neighbour",
    )
    informed = RadioField(
        "Have they been told of the concern?",
        widget=GovRadioInput(),
        choices=choices(InformedStatus.choices()),
        default=InformedStatus.NOT_YET.value,
        validate_choice=False,
        description="Tell them unless it would put anyone at risk or prejudice a police "
        "investigation (Dudley's multi-agency procedures, 2.8)",
    )
    informed_on = DayField(
        "The day they were told (if informed)",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
        description="For example, 2 12 2026",
    )
    not_informed_reason = TextAreaField(
        "Why were they not told? (if not informed)", widget=GovTextArea(), validators=[LONG_TEXT]
    )
    has_care_needs = RadioField(
        "Are they an adult with care and support needs themselves?",
        widget=GovRadioInput(),
        choices=choices(YES_NO_UNKNOWN),
        default="",
        validate_choice=False,
    )
    support = RadioField(
        "Was support offered for their own needs? (if they have care and support needs)",
        widget=GovRadioInput(),
        choices=choices([("", "Not recorded"), *SupportOffer.choices()]),
        default="",
        validate_choice=False,
    )
    support_not_offered_reason = TextAreaField(
        "Why was support not offered? (if not offered)",
        widget=GovTextArea(),
        validators=[LONG_TEXT],
    )

    trust_capacity = RadioField(
        "Do they work or volunteer in a position of trust?",
        widget=GovRadioInput(),
        choices=choices([("", "No, or not known"), *TrustCapacity.choices()]),
        default="",
        validate_choice=False,
        description="For example, a care worker, teacher, nurse, foster carer or youth "
        "leader: the allegation is then referred on (PiPoT for adults, the LADO for children)",
    )
    trust_agency_id = SelectField(
        "Their employer: an agency (if in a position of trust)",
        widget=GovSelect(),
        coerce=optional_int,
        validate_choice=False,
    )
    trust_establishment_id = SelectField(
        "Or an establishment",
        widget=GovSelect(),
        coerce=optional_int,
        validate_choice=False,
    )
    trust_employer = StringField(
        "Or the employer's name",
        widget=GovTextInput(),
        validators=[Length(max=200)],
        description="If it is neither an agency nor an establishment listed",
    )
    trust_role = StringField(
        "Their role (if in a position of trust)",
        widget=GovTextInput(),
        validators=[Length(max=200)],
        description="For example, care assistant on night shifts",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trust_agency_id.choices = agency_choices("Not an agency")
        rows = db.session.execute(
            sa.select(Establishment.id, Establishment.name)
            .where(Establishment.status == EstablishmentStatus.CONFIRMED)
            .order_by(Establishment.name)
        )
        self.trust_establishment_id.choices = choices(
            [("", "Not an establishment"), *[(row.id, row.name) for row in rows]]
        )

    def facts(self) -> dict[str, Any]:
        return {
            "trust_capacity": self.trust_capacity.data or None,
            "trust_agency_id": self.trust_agency_id.data,
            "trust_establishment_id": self.trust_establishment_id.data,
            "trust_employer": self.trust_employer.data,
            "trust_role": self.trust_role.data,
            "relationship_kind": self.relationship_kind.data,
            "relationship_detail": self.relationship_detail.data,
            "informed": self.informed.data,
            "informed_on": self.informed_on.data,
            "not_informed_reason": self.not_informed_reason.data,
            "has_care_needs": self.has_care_needs.data or None,
            "support": self.support.data or None,
            "support_not_offered_reason": self.support_not_offered_reason.data,
        }


class AllegedForm(AllegedFactsForm, NamedPersonFields):
    submit = SubmitField("Save", widget=GovSubmitInput())


class AllegedChangeForm(AllegedFactsForm):
    submit = SubmitField("Save", widget=GovSubmitInput())


class RemoveAllegedForm(HubForm):
    reason = TextAreaField(
        "Why are they no longer named?",
        widget=GovTextArea(),
        validators=[DataRequired("Say why they are no longer named"), LONG_TEXT],
        description="For example, named in error",
    )
    submit = SubmitField("Remove", widget=GovSubmitInput())
