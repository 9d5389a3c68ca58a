"""The page forms for concerns. Checks beyond 'is it there' live in operations.py, so the
pages and the API give the same messages."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

import sqlalchemy as sa
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from core.agencies.forms import AgencyField
from core.auth.models import Agency, Locality, Team
from core.clocks import LOCAL_ZONE
from core.concerns.listing import establishments
from core.concerns.models import (
    ADULT_DECISIONS,
    CHILD_DECISIONS,
    Concern,
    Involvement,
    Restriction,
    Route,
)
from core.concerns.needs import levels_of_need
from core.extensions import db
from core.forms import DateInput, DayField, HubForm, choices
from core.people.forms import PersonDetailsFields
from core.reference import (
    CHILD_CATEGORIES,
    AssessmentFactor,
    ClosureReason,
    FamilyOutcome,
    HateCrime,
    HateStrand,
    LackedCapacity,
    LocationOfRisk,
    MspAchieved,
    MspAsked,
    PrimaryNeed,
    ReferralSource,
    RiskAfterAction,
    RiskOutcome,
    Sex,
    SourceOfRisk,
    TypeOfRisk,
)
from core.teams import operations as teams

TIME = Regexp(
    r"^([01]?\d|2[0-3])[:.][0-5]\d$", message="Enter the time as hours and minutes, like 14:30"
)


def _optional_int(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


def level_choices() -> list[SelectChoice]:
    """The council's levels of need (LEVELS_OF_NEED), read when a form is made."""
    return choices([("", "Not assessed"), *((n.level, n.label) for n in levels_of_need())])


# Whether a concern is a hate or mate crime, at intake and later (core/reference.py); the
# operation says what is wrong, with the strands.
def hate_crime_field() -> RadioField:
    return RadioField(
        "Is it a hate or mate crime?",
        widget=GovRadioInput(),
        choices=choices([("", "No, or not known"), *HateCrime.choices()]),
        default="",
        validate_choice=False,
    )


def hate_strands_field() -> SelectMultipleField:
    return SelectMultipleField(
        "Hostility towards",
        widget=GovCheckboxesInput(),
        choices=choices(HateStrand.choices()),
        description="For a hate or mate crime: select all that apply (the five monitored strands)",
        validate_choice=False,
    )


def named_choices(
    model: Any, blank: str, council_id: int, current_id: int | None = None
) -> list[Any]:
    """The council's teams or areas in use (and the one held, if it is no longer), by
    name."""
    kept = [i for i in teams.listed(model, council_id=council_id) if i.active or i.id == current_id]
    return choices([("", blank), *[(str(i.id), i.name) for i in kept]])


def area_field() -> SelectField:
    return SelectField(
        "Area",
        description="The local area the person lives in",
        widget=GovSelect(),
        validate_choice=False,  # the operation checks it, with the API's message
    )


class ConcernForm(PersonDetailsFields):
    # The person: the details of PersonDetailsFields first
    sex = SelectField(
        "Sex", widget=GovSelect(), choices=choices(Sex.choices()), default="not_known"
    )
    is_child = RadioField(
        "Is the person an adult or a child?",
        widget=GovRadioInput(),
        choices=choices([("adult", "Adult (18 or over)"), ("child", "Child (under 18)")]),
        validators=[InputRequired("Select adult or child")],
    )
    # How it arrived
    received_on = DayField(
        "Date received",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date the concern was received")],
    )
    received_time = StringField(
        "Time received",
        widget=GovTextInput(),
        description="24-hour clock, like 18:05",
        validators=[InputRequired("Enter the time the concern was received"), TIME],
    )
    route = SelectField(
        "How it was received", widget=GovSelect(), choices=choices(Route.choices()), default="phone"
    )
    referrer_agency_id = AgencyField("Referring agency")
    referrer_name = StringField(
        "Referrer's name", widget=GovTextInput(), validators=[Length(max=200)]
    )
    referrer_role = StringField(
        "Referrer's role", widget=GovTextInput(), validators=[Length(max=200)]
    )
    referrer_contact = TextAreaField(
        "How to reach the referrer",
        widget=GovTextArea(),
        description="Phone, email or postal address: for a follow-up call or letter",
        validators=[
            Length(max=500, message="How to reach the referrer must be 500 characters or fewer")
        ],
    )
    # The risk
    types_of_risk = SelectMultipleField(
        "Adults: types of risk",
        widget=GovCheckboxesInput(),
        choices=choices(TypeOfRisk.choices()),
        description="Select all that apply (the Safeguarding Adults Collection's types)",
    )
    child_categories = SelectMultipleField(
        "Children: categories of abuse or neglect",
        widget=GovCheckboxesInput(),
        choices=choices((risk.value, label) for risk, label in CHILD_CATEGORIES.items()),
        description="Select all that apply (Working Together to Safeguard Children 2023)",
    )
    location = SelectField(
        "Where the risk arose",
        widget=GovSelect(),
        choices=choices([("", "Choose a location"), *LocationOfRisk.choices()]),
        validators=[DataRequired("Select where the risk arose")],
    )
    establishment_id = SelectField(
        "Establishment (if any)", widget=GovSelect(), coerce=_optional_int, validators=[Optional()]
    )
    source_of_risk = SelectField(
        "Source of risk",
        widget=GovSelect(),
        choices=choices([("", "Choose a source"), *SourceOfRisk.choices()]),
        validators=[DataRequired("Select the source of risk")],
    )
    description = TextAreaField(
        "What happened",
        widget=GovTextArea(),
        validators=[DataRequired("Describe the concern"), Length(max=20000)],
    )
    urgent = BooleanField("Urgent: needs a response today", widget=GovCheckboxInput())
    crime_suspected = BooleanField(
        "A crime is suspected", widget=GovCheckboxInput(), description="The police will be told"
    )
    hate_crime = hate_crime_field()
    hate_strands = hate_strands_field()
    locality_id = area_field()
    # Making Safeguarding Personal
    person_views = TextAreaField(
        "The person's views", widget=GovTextArea(), validators=[Length(max=20000)]
    )
    lacked_capacity = SelectField(
        "Adults: did the person lack capacity to make decisions about this?",
        widget=GovSelect(),
        choices=choices(LackedCapacity.choices()),
        default="not_recorded",
    )
    msp_asked = SelectField(
        "Adults: was the person asked what outcomes they want?",
        widget=GovSelect(),
        choices=choices(MspAsked.choices()),
        default="not_recorded",
    )
    desired_outcomes = TextAreaField(
        "Outcomes the person wants", widget=GovTextArea(), validators=[Length(max=20000)]
    )
    referral_source = SelectField(
        "Children: who referred the child",
        widget=GovSelect(),
        validators=[Optional()],
        choices=choices([("", "Select the referral source"), *ReferralSource.choices()]),
        description="The source as the children in need census codes it",
    )
    level_of_need = SelectField(
        "Children: level of need",
        widget=GovSelect(),
        coerce=_optional_int,
        validators=[Optional()],
        choices=level_choices,
    )
    threshold_reasoning = TextAreaField(
        "Children: threshold reasoning", widget=GovTextArea(), validators=[Length(max=20000)]
    )
    # When a likely duplicate of the person was found
    use_person_id = RadioField(
        "Is this the same person?",
        widget=GovRadioInput(),
        validators=[Optional()],
        choices=[],
        validate_choice=False,  # the choices are the duplicates found on the previous submit
    )
    submit = SubmitField("Record concern", widget=GovSubmitInput())

    PERSON = ("given_name", "family_name", "date_of_birth", "nhs_number", "sex")
    CONCERN = (
        *("route", "referrer_name", "referrer_role", "referrer_contact"),
        *("types_of_risk", "location"),
        *("establishment_id", "source_of_risk", "description", "urgent", "crime_suspected"),
        *("hate_crime", "hate_strands", "locality_id"),
        *("person_views", "lacked_capacity", "msp_asked", "desired_outcomes"),
        *("level_of_need", "referral_source", "threshold_reasoning"),
    )

    def __init__(self, *args: Any, by: Any = None, team: bool = True, **kwargs: Any) -> None:
        """``by``: the user recording. A practitioner (not ``team``) refers as their own
        agency; the safeguarding team chooses any agency (its council's offered) or none."""
        super().__init__(*args, **kwargs)
        referrer: Agency | None = None if team or by is None else by.agency
        self.referrer = referrer
        if referrer is None:
            self.referrer_agency_id.offer("Not from an agency", by and by.council_id)
        else:
            self.referrer_agency_id.choices = choices([(referrer.id, referrer.name)])
        self.establishment_id.choices = choices([("", "None"), *establishments()])
        # the areas of the council recording it: the user's
        self.locality_id.choices = named_choices(
            Locality, "Choose an area", current_user.council_id
        )

    def received_moment(self) -> datetime | None:
        if not self.received_on.data or not self.received_time.data:
            return None
        hours, minutes = self.received_time.data.replace(".", ":").split(":")
        return datetime.combine(self.received_on.data, time(int(hours), int(minutes)), LOCAL_ZONE)

    def concern_values(self) -> dict[str, Any]:
        """The concern as ``record_concern`` takes it (a child's categories as its types)."""
        referrer_agency_id = self.referrer.id if self.referrer else self.referrer_agency_id.data
        child = self.is_child.data == "child"
        values = {name: self[name].data for name in self.CONCERN}
        return values | {
            "referrer_agency_id": referrer_agency_id,
            "is_child": child,
            "types_of_risk": self.child_categories.data if child else values["types_of_risk"],
            "received_at": self.received_moment(),
        }

    def name_person(self, person: Any) -> None:
        """Start from a known person's record: their details, and theirs chosen."""
        for name in self.PERSON:
            self[name].data = getattr(person, name)
        self.sex.data = person.sex.value
        self.offer_duplicates([person])
        self.use_person_id.errors = []
        self.use_person_id.data = str(person.id)

    def offer_duplicates(self, duplicates: list[Any]) -> None:
        """Ask which of the likely duplicates the person is, or that they are another."""
        self.use_person_id.choices = choices(
            [
                (p.id, f"{p.full_name}, born {p.date_of_birth:%d %B %Y}")
                if p.date_of_birth
                else (p.id, p.full_name)
                for p in duplicates
            ]
            + [("new", "No, a different person")]
        )
        self.use_person_id.errors = [
            "A record with this NHS number, or this name and date of birth, already "
            "exists. Choose it, or say this is a different person."
        ]


class DecisionForm(HubForm):
    decision = RadioField(
        "Screening decision",
        widget=GovRadioInput(),
        validators=[InputRequired("Select a decision")],
    )
    reason = TextAreaField(
        "Reason",
        widget=GovTextArea(),
        validators=[
            DataRequired("Give the reason for the decision"),
            Length(max=20000, message="Reason must be 20,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Record decision", widget=GovSubmitInput())

    def __init__(self, *args: Any, concern: Concern, **kwargs: Any) -> None:
        """The decisions a child's or an adult's concern may have."""
        super().__init__(*args, **kwargs)
        self.allowed = CHILD_DECISIONS if concern.is_child else ADULT_DECISIONS
        self.decision.choices = choices((d.value, d.label) for d in self.allowed)


class SignOffForm(HubForm):
    outcome = RadioField(
        "What do you want to do with this decision?",
        widget=GovRadioInput(),
        choices=choices(
            [
                ("signed_off", "Sign it off"),
                ("sent_back", "Send it back to be decided again"),
            ]
        ),
        validators=[InputRequired("Choose whether to sign off the decision or send it back")],
    )
    reason = TextAreaField(
        "Reason or comment",
        widget=GovTextArea(),
        description="Needed when you send it back: it goes on the case timeline",
        validators=[Length(max=20000)],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class InvolvementForm(HubForm):
    agency_id = AgencyField("Agency", "Select an agency")
    note = TextAreaField(
        "Why is this agency involved?",
        widget=GovTextArea(),
        validators=[
            DataRequired("Say why this agency is involved"),
            Length(max=2000, message="Reason must be 2,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Involve agency", widget=GovSubmitInput())

    def __init__(self, *args: Any, council_id: int | None = None, **kwargs: Any) -> None:
        """``council_id``: the case's council, whose agencies are offered."""
        super().__init__(*args, **kwargs)
        self.agency_id.offer("Choose an agency", council_id)


class RemoveInvolvementForm(HubForm):
    reason = StringField(
        "Reason for removing",
        widget=GovTextInput(),
        validators=[DataRequired("Say why this agency is no longer involved")],
    )
    submit = SubmitField("Remove", widget=GovSubmitInput())


class InvolvementLevelForm(HubForm):
    """How much of the case an involved agency sees (the operation checks the values)."""

    level = StringField("Level", validators=[DataRequired("Choose the level")])
    reason = StringField(
        "Why", validators=[DataRequired("Say why the agency sees the case at this level")]
    )


class ClosureForm(HubForm):
    risk_outcome = SelectField(
        "Outcome of the risk assessment",
        widget=GovSelect(),
        choices=choices([("", "Choose an outcome"), *RiskOutcome.choices()]),
        validators=[Optional()],
    )
    risk_after_action = SelectField(
        "Where action was taken: the risk afterwards",
        widget=GovSelect(),
        choices=choices([("", "Not applicable"), *RiskAfterAction.choices()]),
        validators=[Optional()],
    )
    msp_achieved = SelectField(
        "Were the outcomes the person wanted achieved?",
        widget=GovSelect(),
        choices=choices([("", "Choose an answer"), *MspAchieved.choices()]),
        validators=[Optional()],
    )
    closure_reason = SelectField(
        "Children: reason for closure",
        widget=GovSelect(),
        choices=choices([("", "Choose a reason"), *ClosureReason.choices()]),
        validators=[Optional()],
    )
    primary_need = SelectField(
        "Children: the child's primary need",
        widget=GovSelect(),
        choices=choices([("", "Choose the primary need"), *PrimaryNeed.choices()]),
        validators=[Optional()],
    )
    family_outcome = SelectField(
        "Children: the outcome for the child and family",
        widget=GovSelect(),
        choices=choices([("", "Choose an outcome"), *FamilyOutcome.choices()]),
        validators=[Optional()],
    )
    feedback_person_on = DayField(
        "Feedback given to the person on",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
    )
    feedback_person_method = StringField(
        "How (visit, phone, letter…)", widget=GovTextInput(), validators=[Length(max=100)]
    )
    feedback_referrer_on = DayField(
        "Feedback given to the referrer on",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
    )
    feedback_referrer_method = StringField(
        "How (phone, email, letter…)", widget=GovTextInput(), validators=[Length(max=100)]
    )
    override_reason = TextAreaField(
        "If an enquiry, a plan or actions are still open: why close the case now (managers only)",
        widget=GovTextArea(),
        validators=[Length(max=2000, message="Reason must be 2,000 characters or fewer")],
    )
    submit = SubmitField("Close the concern", widget=GovSubmitInput())


class EnquiryForm(HubForm):
    """A section 42 or other enquiry, per the SAC: every location and type of source of
    risk found, Making Safeguarding Personal, capacity and advocacy, and the outcome."""

    started_on = DayField(
        "Date the enquiry started",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date the enquiry started")],
    )
    locations = SelectMultipleField(
        "Where the risk arose",
        widget=GovCheckboxesInput(),
        choices=choices(LocationOfRisk.choices()),
        description="Select every location the enquiry found",
        validators=[DataRequired("Select at least one location of risk")],
    )
    sources = SelectMultipleField(
        "Source of risk",
        widget=GovCheckboxesInput(),
        choices=choices(SourceOfRisk.choices()),
        description="Select every type of source the enquiry found",
        validators=[DataRequired("Select at least one source of risk")],
    )
    msp_asked = RadioField(
        "Was the person, or their representative, asked about the outcomes they wanted?",
        widget=GovRadioInput(),
        choices=choices(MspAsked.choices()),
        validators=[InputRequired("Select whether the person was asked about outcomes")],
    )
    outcomes_expressed = TextAreaField(
        "The outcomes the person wanted", widget=GovTextArea(), validators=[Length(max=20000)]
    )
    msp_achieved = SelectField(
        "Only where outcomes were expressed: were they achieved?",
        widget=GovSelect(),
        choices=choices([("", "Not applicable"), *MspAchieved.choices()]),
        validators=[Optional()],
    )
    lacked_capacity = SelectField(
        "Did the person lack capacity to make decisions about the enquiry?",
        widget=GovSelect(),
        choices=choices(LackedCapacity.choices()),
    )
    advocacy = SelectField(
        "Only where they lacked capacity: were they supported by an advocate, family or friend?",
        widget=GovSelect(),
        choices=choices([("", "Not applicable"), *LackedCapacity.choices()]),
        validators=[Optional()],
    )
    risk_outcome = SelectField(
        "Outcome of the risk assessment",
        widget=GovSelect(),
        choices=choices([("", "Not yet known"), *RiskOutcome.choices()]),
        validators=[Optional()],
    )
    risk_after_action = SelectField(
        "Only where a risk was identified or inconclusive and action was taken: the result",
        widget=GovSelect(),
        choices=choices([("", "Not applicable"), *RiskAfterAction.choices()]),
        validators=[Optional()],
    )
    conclude = BooleanField(
        "Conclude the enquiry",
        widget=GovCheckboxInput(),
        description="Once concluded it can no longer be changed",
    )
    concluded_on = DayField(
        "Date the enquiry concluded",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[Optional()],
    )
    submit = SubmitField("Save the enquiry", widget=GovSubmitInput())

    FIELDS = (
        *("started_on", "locations", "sources", "msp_asked", "outcomes_expressed"),
        *("msp_achieved", "lacked_capacity", "advocacy", "risk_outcome", "risk_after_action"),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        """Concluding needs the date it concluded."""
        valid = bool(super().validate(extra_validators))
        if valid and self.conclude.data and self.concluded_on.data is None:
            self.concluded_on.errors = ["Enter the date the enquiry concluded"]
            return False
        return valid

    def values(self) -> dict[str, Any]:
        """The enquiry as ``record_enquiry`` takes it, with its conclusion date when it is
        being concluded."""
        values = {name: self[name].data for name in self.FIELDS}
        return values | ({"concluded_on": self.concluded_on.data} if self.conclude.data else {})


class ReopenForm(HubForm):
    reason = TextAreaField(
        "Why is the concern being reopened?",
        widget=GovTextArea(),
        validators=[DataRequired("Give the reason for reopening")],
    )
    submit = SubmitField("Reopen", widget=GovSubmitInput())


def restriction_field(open_choice: str) -> SelectField:
    """Who may read an entry (a note, a report): ``open_choice`` or restricted, and why."""
    return SelectField(
        "Who may read it",
        widget=GovSelect(),
        choices=choices(
            [("", open_choice)] + [(r.value, f"Restricted: {r.label.lower()}") for r in Restriction]
        ),
        validate_choice=False,
    )


def involved_agencies(concern_id: int) -> list[tuple[int, str]]:
    """The agencies involved in the case now, by name: who may be named to read an entry
    (a case's notes are read by its involved agencies only)."""
    rows = db.session.execute(
        sa.select(Agency.id, Agency.name)
        .where(
            sa.exists().where(
                Involvement.agency_id == Agency.id,
                Involvement.concern_id == concern_id,
                Involvement.removed_at.is_(None),
            )
        )
        .order_by(Agency.name)
    )
    return [(row.id, row.name) for row in rows]


def readers_field(label: str, description: str) -> SelectMultipleField:
    """The other agencies that read a restricted entry (the operation checks them)."""
    return SelectMultipleField(
        label,
        coerce=int,
        widget=GovCheckboxesInput(),
        validate_choice=False,
        description=description,
    )


class NoteForm(HubForm):
    text = TextAreaField(
        "Add a case note",
        widget=GovTextArea(),
        validators=[
            DataRequired("Write the note"),
            Length(max=20000, message="Note must be 20,000 characters or fewer"),
        ],
    )
    key_decision = BooleanField("This note records a key decision", widget=GovCheckboxInput())
    restriction = restriction_field("Every agency that may read the case notes")
    reader_agency_ids = readers_field(
        "Restricted: the other agencies that may read it",
        "The safeguarding team and your agency always can",
    )
    submit = SubmitField("Add note", widget=GovSubmitInput())

    def __init__(self, *args: Any, concern: Concern | None = None, **kwargs: Any) -> None:
        """``concern``: the case, whose involved agencies (only they read its notes) are
        offered as readers."""
        super().__init__(*args, **kwargs)
        self.reader_agency_ids.choices = involved_agencies(concern.id) if concern else []

    @classmethod
    def of(cls, concern: Concern) -> NoteForm:
        return cls(concern=concern)

    def values(self) -> dict[str, Any]:
        """The note as ``operations.add_note`` takes it."""
        return {
            "text": self.text.data or "",
            "key_decision": bool(self.key_decision.data),
            "restriction": self.restriction.data or None,
            "reader_ids": list(self.reader_agency_ids.data or []),
        }


class DeleteForm(HubForm):
    reason = TextAreaField(
        "Why is this concern being deleted?",
        widget=GovTextArea(),
        description="For example, recorded twice by mistake. The record is kept but hidden.",
        validators=[DataRequired("Give the reason for deleting this concern")],
    )
    submit = SubmitField("Delete the concern", widget=GovSubmitInput())


class TeamForm(HubForm):
    """Who holds the case, and the area it is in."""

    team_id = SelectField(
        "Team holding the case",
        widget=GovSelect(),
        validate_choice=False,  # the operation checks it, with the API's message
    )
    locality_id = area_field()
    submit = SubmitField("Save", widget=GovSubmitInput())

    def __init__(self, *args: Any, concern: Concern, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        council = concern.council_id
        self.team_id.choices = named_choices(Team, "Not recorded", council, concern.team_id)
        self.locality_id.choices = named_choices(
            Locality, "Not recorded", council, concern.locality_id
        )
        if not self.is_submitted():
            self.team_id.data = str(concern.team_id or "")
            self.locality_id.data = str(concern.locality_id or "")


class HateCrimeForm(HubForm):
    hate_crime = hate_crime_field()
    hate_strands = hate_strands_field()
    submit = SubmitField("Save", widget=GovSubmitInput())


class LevelOfNeedForm(HubForm):
    level_of_need = SelectField(
        "Level of need",
        widget=GovSelect(),
        coerce=_optional_int,
        validators=[Optional()],
        choices=level_choices,
    )
    threshold_reasoning = TextAreaField(
        "Why are the child's needs at this level?",
        widget=GovTextArea(),
        validators=[
            InputRequired("Say why the child's needs are at this level"),
            Length(max=20000, message="The reasoning must be 20,000 characters or fewer"),
        ],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class LegalHoldForm(HubForm):
    reason = TextAreaField(
        "Why must this record be kept?",
        widget=GovTextArea(),
        description="Leave empty and save to lift the hold.",
    )
    submit = SubmitField("Save legal hold", widget=GovSubmitInput())


class AcceptHandoverForm(HubForm):
    submit = SubmitField("Accept the handover", widget=GovSubmitInput())


class SupervisionForm(HubForm):
    held_on = DayField(
        "Date of the supervision",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date of the supervision")],
    )
    discussion = TextAreaField(
        "What was discussed",
        widget=GovTextArea(),
        validators=[DataRequired("Record what was discussed")],
    )
    decisions = TextAreaField(
        "What was decided",
        widget=GovTextArea(),
        validators=[DataRequired("Record what was decided")],
    )
    next_steps = TextAreaField("Next steps", widget=GovTextArea())
    submit = SubmitField("Record oversight", widget=GovSubmitInput())


class StartAssessmentForm(HubForm):
    started_on = DayField(
        "Date the assessment started",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date the assessment started")],
    )
    submit = SubmitField("Start the assessment", widget=GovSubmitInput())


class ConcludeAssessmentForm(HubForm):
    authorised_on = DayField(
        "Date a manager authorised the assessment",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date the assessment was authorised")],
    )
    factors = SelectMultipleField(
        "Factors identified at the end of the assessment",
        widget=GovCheckboxesInput(),
        choices=choices(AssessmentFactor.choices()),
        description="As the children in need census codes them; “No factors identified” "
        "stands alone",
    )
    primary_need = SelectField(
        "The child's primary need",
        widget=GovSelect(),
        choices=choices([("", "Choose the primary need"), *PrimaryNeed.choices()]),
        validators=[Optional()],
    )
    summary = TextAreaField(
        "Summary of the assessment",
        widget=GovTextArea(),
        validators=[Length(max=20000, message="Summary must be 20,000 characters or fewer")],
    )
    submit = SubmitField("Conclude the assessment", widget=GovSubmitInput())


class BodyMapForm(HubForm):
    side = RadioField(
        "Front or back of the body",
        widget=GovRadioInput(),
        choices=choices([("front", "Front"), ("back", "Back")]),
        validators=[InputRequired("Select the front or the back of the body")],
    )
    x = HiddenField(validators=[Optional()])
    y = HiddenField(validators=[Optional()])
    site = StringField(
        "Where on the body",
        widget=GovTextInput(),
        description="For example, left upper arm, outer side",
        validators=[DataRequired("Say where on the body the injury is")],
    )
    size = StringField(
        "Size",
        widget=GovTextInput(),
        description="For example, 3 cm by 2 cm",
        validators=[Length(max=100)],
    )
    colour = StringField("Colour", widget=GovTextInput(), validators=[Length(max=100)])
    description = TextAreaField(
        "Description", widget=GovTextArea(), validators=[DataRequired("Describe the injury")]
    )
    seen_by = StringField(
        "Seen by",
        widget=GovTextInput(),
        description="Name and role",
        validators=[DataRequired("Say who saw the injury")],
    )
    seen_on = DayField(
        "Date seen",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date the injury was seen")],
    )
    submit = SubmitField("Add to the body map", widget=GovSubmitInput())

    def values(self) -> dict[str, Any]:
        """The mark as ``add_body_map_mark`` takes it: where it was clicked, in percent of
        the outline (None if not a number from 0 to 100)."""
        names = ("side", "site", "size", "colour", "description", "seen_by", "seen_on")
        return {name: self[name].data for name in names} | {
            "x": _percent(self.x.data),
            "y": _percent(self.y.data),
        }


def _percent(raw: str | None) -> float | None:
    try:
        value = float(raw) if raw not in (None, "") else None
    except ValueError:
        return None
    return value if value is not None and 0 <= value <= 100 else None
