"""The pages' forms: a trust notifies a discharge; the team records its follow-up."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.clocks import LOCAL_ZONE
from core.concerns.forms import TIME
from core.forms import DateInput, DayField, HubForm, choices
from core.people.forms import PersonDetailsFields

YES_NO = choices([("yes", "Yes"), ("no", "No")])


def _moment(day: date | None, clock: str | None) -> datetime | None:
    """A day and a typed time (``14:30``) as a moment in UK time; None if either is
    missing or the time is not one."""
    if not day or not clock or not TIME.regex.match(clock.strip()):
        return None
    hours, minutes = clock.strip().replace(".", ":").split(":")
    return datetime.combine(day, time(int(hours), int(minutes)), LOCAL_ZONE)


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class NotifyForm(PersonDetailsFields):
    PERSON = ("given_name", "family_name", "date_of_birth", "nhs_number", "postcode")

    postcode = StringField(
        "Postcode of the address discharged to (if known)",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=10, message="Postcode must be 10 characters or fewer")],
    )
    discharged_on = DayField(
        "Date of the discharge",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date of the discharge")],
        description="For example, 27 11 2026",
    )
    discharged_time = StringField(
        "Time of the discharge",
        widget=GovTextInput(),
        description="24-hour clock, like 21:45. Whether it was out of hours is worked out "
        "from this: you do not need to say.",
        validators=[InputRequired("Enter the time of the discharge"), TIME],
    )
    discharged_from = StringField(
        "Discharged from",
        widget=GovTextInput(),
        description="The hospital and ward",
        validators=[DataRequired("Enter the hospital and ward discharged from"), Length(max=200)],
    )
    discharged_to = StringField(
        "Discharged to",
        widget=GovTextInput(),
        description="Own home, care home, family…",
        validators=[DataRequired("Enter where the person was discharged to"), Length(max=200)],
    )
    care_in_place = RadioField(
        "Was care in place on arrival?",
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[InputRequired("Select yes or no: was care in place on arrival?")],
    )
    notes = TextAreaField(
        "What was arranged (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=5000)],
    )
    submit = SubmitField("Notify the discharge", widget=GovSubmitInput())

    def discharge_values(self) -> dict[str, Any]:
        return {
            "discharged_at": _moment(self.discharged_on.data, self.discharged_time.data),
            "discharged_from": self.discharged_from.data,
            "discharged_to": self.discharged_to.data,
            "care_in_place": _yes_no(self.care_in_place.data),
            "notes": self.notes.data,
        }

    def person_values(self) -> dict[str, Any]:
        return {name: self[name].data for name in self.PERSON}


class FollowUpForm(HubForm):
    followed_up_by = StringField(
        "Who followed it up",
        widget=GovTextInput(),
        description="Their name and team, like Sam Patel, Emergency Duty Team",
        validators=[DataRequired("Enter who followed it up"), Length(max=200)],
    )
    followed_up_on = DayField(
        "Date of the follow-up",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date it was followed up")],
        description="For example, 28 11 2026",
    )
    followed_up_time = StringField(
        "Time of the follow-up",
        widget=GovTextInput(),
        description="24-hour clock, like 09:15",
        validators=[InputRequired("Enter the time it was followed up"), TIME],
    )
    follow_up_action = TextAreaField(
        "What was done",
        widget=GovTextArea(),
        validators=[DataRequired("Enter what was done"), Length(max=5000)],
    )
    concern_raised = RadioField(
        "Was a safeguarding concern raised?",
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[InputRequired("Select yes or no: was a safeguarding concern raised?")],
    )
    concern_reference = StringField(
        "The concern's reference (if one was raised)",
        widget=GovTextInput(),
        description="Like SG-2026-00042. You can add it later, when the concern is recorded.",
        validators=[Optional(), Length(max=20)],
    )
    submit = SubmitField("Save the follow-up", widget=GovSubmitInput())

    def follow_up_values(self) -> dict[str, Any]:
        return {
            "followed_up_by": self.followed_up_by.data,
            "followed_up_at": _moment(self.followed_up_on.data, self.followed_up_time.data),
            "follow_up_action": self.follow_up_action.data,
            "concern_raised": _yes_no(self.concern_raised.data),
            "concern_reference": self.concern_reference.data,
        }
