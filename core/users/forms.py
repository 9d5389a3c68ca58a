from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, NumberRange

from core.auth.roles import ROLE_LABELS
from core.forms import HubForm, choices
from core.signin.forms import NewPasswordForm


def role_choices() -> list[SelectChoice]:
    return choices((role.value, label) for role, label in ROLE_LABELS.items())


class UserDetailsForm(HubForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the person's full name")],
    )
    agency_id = SelectField(
        "Agency",
        coerce=int,
        widget=GovSelect(),
        validators=[InputRequired("Select the user's agency")],
        validate_choice=False,  # the operation checks it, with the API's and CLI's message
    )
    role = RadioField(
        "Role",
        choices=role_choices(),
        widget=GovRadioInput(),
        validators=[InputRequired("Select a role")],
        validate_choice=False,  # the operation checks it, with the API's and CLI's message
    )
    council_id = SelectField(
        "Council",
        description="The council area they work for: council staff see its cases only",
        widget=GovSelect(),
        validate_choice=False,  # the operation checks it, with the API's message
    )
    team_id = SelectField(
        "Team",
        description="Safeguarding officers and managers: the team they work in; it holds the "
        "cases they record",
        widget=GovSelect(),
        validate_choice=False,  # the operation checks it, with the API's message
    )
    safeguarding_contact = BooleanField(
        "A named safeguarding contact of the agency",
        description="The agency's case emails (invitations, changes, reminders) come to its "
        "named contacts and its team mailbox, never to every user",
        widget=GovCheckboxInput(),
    )
    complaints_officer = BooleanField(
        "The council's complaints officer",
        description="Keeps the complaints and compliments log with the safeguarding team. "
        "Council staff only",
        widget=GovCheckboxInput(),
    )


class NewUserForm(UserDetailsForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter an email address")],
    )
    password = PasswordField(
        "Password",
        description="12 characters or more",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter a password")],
    )
    confirm_password = PasswordField(
        "Confirm password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Confirm the password"),
            EqualTo("password", message="Passwords must match"),
        ],
    )
    submit = SubmitField("Create user", widget=GovSubmitInput())


class EditUserForm(UserDetailsForm):
    active = BooleanField(
        "Account is active",
        description="A disabled user cannot sign in and is signed out at once",
        widget=GovCheckboxInput(),
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class EndSessionsForm(HubForm):
    submit = SubmitField("Sign this user out everywhere", widget=GovSubmitInput())


class NewTokenForm(HubForm):
    name = StringField(
        "Token name",
        description="What will use it, like 'Northshire Police case system'",
        widget=GovTextInput(),
        validators=[DataRequired("Enter a name for the token")],
    )
    days = IntegerField(
        "Days until it expires",
        default=90,
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter how many days the token lasts"),
            NumberRange(min=1, max=365, message="A token lasts between 1 and 365 days"),
        ],
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())


class RevokeTokenForm(HubForm):
    submit = SubmitField("Revoke", widget=GovSubmitInput())


class TwoFactorForm(HubForm):
    code = StringField(
        "Code from your authenticator app",
        description="The 6 digits it shows now",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the 6-digit code from your authenticator app")],
    )
    submit = SubmitField("Turn on two-factor sign-in", widget=GovSubmitInput())


class ResetTwoFactorForm(HubForm):
    submit = SubmitField("Reset two-factor sign-in", widget=GovSubmitInput())


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter your current password")],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())
