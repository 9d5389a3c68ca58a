"""The page forms for meetings. Checks beyond 'is it there' live in operations.py, so the
pages and the API give the same messages."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Any

from flask import request
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from core.agencies.forms import AgencyField, agency_choices
from core.clocks import LOCAL_ZONE, to_local
from core.concerns.forms import readers_field, restriction_field
from core.db import record_id
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import DateInput, DayField, HubForm, apply_errors, choices, day_from_parts
from core.meetings.models import Invitation, Meeting, Response
from core.meetings.operations import MAX_REPORT_BYTES, Proposal, Removal
from core.meetings.types import meeting_types
from core.platform import current_platform
from core.policy.meetings import possible_chairs, possible_invitees

TIME = Regexp(
    r"^([01]?\d|2[0-3])[:.][0-5]\d$", message="Enter the time as hours and minutes, like 14:30"
)


def _optional_int(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


PLACE = ("duration_minutes", "venue", "video_link", "chair_id")


# the scheduling's fields as the page names them
ALIASES = {
    "starts_at": "starts_on",
    "type": "starts_on",
    "duration_minutes": "duration_minutes",
    "venue": "venue",
    "video_link": "video_link",
    "chair_id": "chair_id",
}


class ScheduleForm(HubForm):
    starts_on = DayField(
        "Date",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date of the meeting")],
        description="For example, 14 12 2026",
    )
    starts_time = StringField(
        "Start time",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the start time"), TIME],
        description="For example, 10:00",
    )
    duration_minutes = IntegerField(
        "Length in minutes",
        widget=GovTextInput(),
        default=60,
        validators=[
            InputRequired("Enter the length in minutes"),
            NumberRange(15, 480, "The length must be between 15 and 480 minutes"),
        ],
    )
    venue = StringField("Venue", widget=GovTextInput(), validators=[Length(max=300)])
    video_link = StringField(
        "Video link",
        widget=GovTextInput(),
        validators=[Length(max=500)],
        description="Starting https://",
    )
    chair_id = SelectField("Chair", coerce=_optional_int, widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Schedule and send invitations", widget=GovSubmitInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chairs = db.session.execute(possible_chairs()).all()
        self.chair_id.choices = choices([("", "Not chosen yet"), *[(r.id, r.name) for r in chairs]])

    def changes(
        self, proposal: Proposal, extra: InviteForm
    ) -> tuple[list[Removal], list[tuple[int, str]]]:
        """The proposed agencies unticked, each with the reason given, and the one other
        agency added: as ``operations.schedule`` takes them."""
        posted = request.form
        removed = [
            Removal(p.agency.id, posted.get(f"removal_reason_{p.agency.id}", ""))
            for p in proposal.invitees
            if posted.get(f"invite_{p.agency.id}") != "yes"
        ]
        added = [(extra.agency_id.data, extra.reason.data or "")] if extra.agency_id.data else []
        return removed, added

    def unseen(self, errors: dict[str, list[str]]) -> dict[str, list[str]]:
        """The scheduling's messages for what the page's own checks found nothing wrong
        with (so the first submit lists every problem once)."""
        covers = {"starts_at": ("starts_on", "starts_time")}
        return {
            name: messages
            for name, messages in errors.items()
            if name not in ALIASES
            or not any(self[field].errors for field in covers.get(name, (ALIASES[name],)))
        }

    def show_errors(self, failed: ValidationFailed, extra: InviteForm) -> list[str]:
        """Show the scheduling's messages where they belong; return those about the
        agencies taken off the proposal (shown beside the list)."""
        removal_errors = failed.errors.pop("removed", [])
        for field in ("agency_id", "reason"):
            extra.reason.errors = [*extra.reason.errors, *failed.errors.pop(field, [])]
        if failed.errors:
            apply_errors(self, failed, ALIASES)
        return removal_errors

    def starts_at(self) -> datetime | None:
        if not self.starts_on.data or not self.starts_time.data:
            return None
        hours, minutes = self.starts_time.data.replace(".", ":").split(":")
        return datetime.combine(self.starts_on.data, time(int(hours), int(minutes)), LOCAL_ZONE)

    def values(self) -> dict[str, Any]:
        """The meeting's time, place and chair as the operations take them."""
        return {"starts_at": self.starts_at()} | {
            name: self[name].data
            for name in ("duration_minutes", "venue", "video_link", "chair_id")
        }


class RescheduleForm(ScheduleForm):
    submit = SubmitField("Save and send the update", widget=GovSubmitInput())

    @classmethod
    def for_meeting(cls, meeting: Meeting) -> RescheduleForm:
        """The form as posted, or showing the meeting as it stands."""
        if request.method == "POST":
            return cls()
        local = to_local(meeting.starts_at)
        return cls(
            data={"starts_on": local.date(), "starts_time": f"{local:%H:%M}"}
            | {
                n: getattr(meeting, n)
                for n in ("duration_minutes", "venue", "video_link", "chair_id")
            }
        )


class InviteForm(HubForm):
    agency_id = AgencyField("Agency", "Choose an agency")
    reason = StringField(
        "Why invite them",
        widget=GovTextInput(),
        validators=[DataRequired("Say why this agency is invited"), Length(max=2000)],
    )
    submit = SubmitField("Invite", widget=GovSubmitInput())

    def __init__(
        self,
        *args: Any,
        blank: str = "Choose an agency",
        invited: Iterable[int] = (),
        cases: Sequence[Any] = (),
        **kwargs: Any,
    ) -> None:
        """``invited``: the agencies the meeting invites already, not offered again;
        ``cases``: the meeting's cases, whose council's agencies are offered."""
        super().__init__(*args, **kwargs)
        self.agency_id.offer(blank, cases[0].council_id if cases else None, invited)


class UninviteForm(HubForm):
    reason = StringField("Reason", validators=[Length(max=2000)])


class CancelForm(HubForm):
    reason = TextAreaField(
        "Why is the meeting cancelled",
        widget=GovTextArea(),
        validators=[DataRequired("Say why the meeting is cancelled"), Length(max=2000)],
    )
    submit = SubmitField("Cancel the meeting", widget=GovSubmitInput())


class InviteeForm(HubForm):
    """Who attends for the invited agency: the meeting's emails go to them alone."""

    invitee_id = SelectField(
        "Who attends for your agency",
        widget=GovSelect(),
        coerce=_optional_int,
        description="The meeting's emails (changes, reminders) go to them alone; with "
        "nobody named, to your agency's safeguarding contacts.",
    )
    submit = SubmitField("Name them", widget=GovSubmitInput())

    def __init__(self, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.invitee_id.choices = choices(
            [
                ("", "Nobody named: our safeguarding contacts"),
                *[(str(u.id), u.name) for u in possible_invitees(invitation.agency_id)],
            ]
        )
        if not self.is_submitted():
            self.invitee_id.data = invitation.invitee_id


class RespondForm(HubForm):
    """Whether the agency will attend; the answer it gave is chosen already."""

    response = RadioField(
        "Will your agency attend",
        choices=choices(
            [
                (Response.ACCEPTED.value, "Yes, we will attend"),
                (Response.APOLOGIES.value, "No, we send our apologies"),
            ]
        ),
        widget=GovRadioInput(),
        validators=[InputRequired("Say whether your agency will attend")],
    )
    submit = SubmitField("Send answer", widget=GovSubmitInput())

    def __init__(self, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not self.is_submitted() and invitation.response is not None:
            self.response.data = invitation.response.value


class ReportForm(HubForm):
    report_text = TextAreaField(
        "Your agency's report", widget=GovTextArea(), validators=[Optional(), Length(max=50000)]
    )
    report_file = FileField("Or upload it as a PDF (5 MB at most)", widget=GovFileInput())
    restriction = restriction_field("The agencies that read this meeting's records")
    reader_agency_ids = readers_field(
        "Restricted: the other invited agencies that may read it",
        "The safeguarding team and your agency always can; the others see that your agency "
        "sent a restricted report, and when, nothing more",
    )
    submit = SubmitField("Send report", widget=GovSubmitInput())

    def __init__(self, invitation: Invitation, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reader_agency_ids.choices = [
            (i.agency_id, i.agency.name)
            for i in invitation.meeting.active_invitations
            if i.agency_id != invitation.agency_id
        ]
        if not self.is_submitted():
            restriction = invitation.report_restriction
            self.restriction.data = restriction.value if restriction else ""
            self.reader_agency_ids.data = [a.id for a in invitation.report_readers]

    def restricted_to(self) -> tuple[str | None, list[int]]:
        """Why the report is restricted (None: open) and the agencies named to read it."""
        return self.restriction.data or None, list(self.reader_agency_ids.data or [])

    def upload(self) -> tuple[bytes | None, str | None]:
        """The PDF uploaded (read one byte past the limit, so a larger one is refused)
        and its name."""
        upload = self.report_file.data
        if not upload:
            return None, None
        return upload.read(MAX_REPORT_BYTES + 1) or None, upload.filename


class LetterForm(HubForm):
    sent_on = DayField(
        "Date the decision letter was sent",
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired("Enter the date the decision letter was sent")],
    )
    submit = SubmitField("Record the letter", widget=GovSubmitInput())


class RecordForm(HubForm):
    """The attendance form: the rows (outcomes, attendees, decisions, actions) are read
    from the posted fields by name, since their number depends on the meeting."""

    minutes = TextAreaField("Minutes", widget=GovTextArea(), validators=[Length(max=100000)])
    confidential_minutes = TextAreaField(
        "Confidential part of the minutes (optional)",
        description="Read only by the safeguarding team and the agencies you tick below",
        widget=GovTextArea(),
        validators=[Length(max=100000)],
    )
    confidential_agency_ids = SelectMultipleField(
        "Agencies that may read the confidential part",
        coerce=int,
        widget=GovCheckboxesInput(),
        validate_choice=False,
    )
    submit = SubmitField("Record the meeting", widget=GovSubmitInput())

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        """``meeting``: its invited agencies are offered to read the confidential part."""
        super().__init__(*args, **kwargs)
        self.confidential_agency_ids.choices = [
            (i.agency_id, i.agency.name) for i in meeting.active_invitations
        ]

    def values(self, meeting: Meeting, decision_kinds: Iterable[Any]) -> dict[str, Any]:
        """What was posted, as ``operations.record_held`` takes it."""
        posted = request.form
        return {
            "outcomes": {
                i.id: posted.get(f"outcome-{i.id}") or None for i in meeting.active_invitations
            },
            "attendees": _rows("attendee", ("name", "role", "agency")),
            "minutes": self.minutes.data,
            "confidential_minutes": self.confidential_minutes.data,
            "confidential_agency_ids": list(self.confidential_agency_ids.data or []),
            "decisions": [
                {
                    "kind": kind.value,
                    "plan_category": posted.get("plan_category") or None,
                    "note": posted.get(f"decision-note-{kind.value}") or None,
                }
                for kind in decision_kinds
                if posted.get(f"decision-{kind.value}") == "yes"
            ],
            "actions": [
                {
                    "description": row["description"],
                    "owner_agency_id": record_id(row["owner"]),
                    "due_on": _date_or_none(row["due"]),
                }
                for row in _rows("action", ("description", "owner", "due"))
            ],
        }


def _rows(prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    """Posted repeating rows named ``<prefix>-<n>-<field>``; blank rows are skipped."""
    rows = []
    for index in range(50):
        row = {
            # a day is entered as GOV.UK day, month and year inputs
            f: (
                day_from_parts(request.form, f"{prefix}-{index}-{f}")
                if f == "due"
                else request.form.get(f"{prefix}-{index}-{f}")
            )
            or ""
            for f in fields
        }
        row = {f: value.strip() for f, value in row.items()}
        if any(row.values()):
            rows.append(row)
    return rows


def _date_or_none(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


class StandardInviteeForm(HubForm):
    meeting_type = SelectField(
        "Meeting type",
        widget=GovSelect(),
        validators=[InputRequired("Choose the meeting type")],
        validate_choice=False,
    )
    audience = RadioField(
        "For meetings about",
        choices=choices(
            [("any", "Adults and children"), ("adult", "Adults"), ("child", "Children")]
        ),
        default="any",
        widget=GovRadioInput(),
        validators=[InputRequired("Choose who the meetings are about")],
    )
    agency_type = SelectField(
        "Every agency of this type", widget=GovSelect(), validate_choice=False
    )
    agency_id = SelectField(
        "Or one named agency", coerce=_optional_int, widget=GovSelect(), validate_choice=False
    )
    reason = StringField(
        "Reason shown to the officer",
        widget=GovTextInput(),
        validators=[DataRequired("Give the reason shown when it is proposed"), Length(max=2000)],
    )
    submit = SubmitField("Add to the list", widget=GovSubmitInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = meeting_types().items()
        self.meeting_type.choices = choices([("", "Choose"), *[(c, t.label) for c, t in types]])
        agency_types = sorted(current_platform().agency_types.items())
        self.agency_type.choices = choices([("", "None"), *[(c, t.label) for c, t in agency_types]])
        self.agency_id.choices = agency_choices("None")

    def values(self) -> dict[str, Any]:
        names = ("meeting_type", "audience", "agency_id", "reason")
        return {n: self[n].data for n in names} | {"agency_type": self.agency_type.data or None}
