"""The page forms for plans. Checks beyond 'is it there' live in operations.py, so the
pages and the API give the same messages."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import request
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.agencies.forms import AgencyField
from core.clocks import to_local
from core.concerns.models import Concern
from core.extensions import db
from core.forms import DateInput, DayField, HubForm, choices, form_values
from core.meetings.models import Meeting, MeetingStatus, PlanCategory
from core.plans.models import Plan, PlanActionStatus, PlanKind, ReviewDecision
from core.plans.operations import REVIEW_CONFERENCE, STARTING_CONFERENCES

CATEGORY_CHOICES = choices([(c.value, c.label) for c in PlanCategory])


def _optional_int(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None  # type: ignore[call-overload]


def _date(label: str, required: str | None = None) -> DayField:
    return DayField(
        label,
        format="%d %m %Y",
        widget=DateInput(),
        validators=[InputRequired(required)] if required else [Optional()],
        description="For example, 7 1 2027",
    )


class StartPlanForm(HubForm):
    meeting_id = SelectField(
        "Conference that decided on the plan",
        coerce=_optional_int,
        widget=GovSelect(),
        validate_choice=False,
    )
    category = RadioField(
        "Category", choices=CATEGORY_CHOICES, widget=GovRadioInput(), validate_choice=False
    )
    started_on = _date("Start date (leave blank for the conference date, or today)")
    submit = SubmitField("Start the plan", widget=GovSubmitInput())

    def __init__(self, *args: Any, concern: Concern, asked: str | None, **kwargs: Any) -> None:
        """A plan for ``concern``: a child protection plan (or, ``asked`` for, a child in
        need plan) for a child, an adult safeguarding plan for an adult."""
        super().__init__(*args, **kwargs)
        self.concern = concern
        self.kind = PlanKind.CHILD if concern.is_child else PlanKind.ADULT
        blank = "Choose the conference" if concern.is_child else "No conference: start it directly"
        code = STARTING_CONFERENCES[self.kind]
        self.meeting_id.choices = conference_choices(concern.id, code, blank)
        if concern.is_child and asked == PlanKind.CHILD_IN_NEED.value:
            self.kind = PlanKind.CHILD_IN_NEED

    def values(self) -> dict[str, Any]:
        """The plan as ``operations.start_plan`` takes it."""
        return {
            "concern_id": self.concern.id,
            "kind": self.kind.value,
            "meeting_id": self.meeting_id.data if self.kind != PlanKind.CHILD_IN_NEED else None,
            "category": self.category.data if self.kind == PlanKind.CHILD else None,
            "started_on": self.started_on.data,
        }


class CategoryForm(HubForm):
    category = RadioField(
        "New category",
        choices=CATEGORY_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the new category")],
        validate_choice=False,
    )
    reason = TextAreaField(
        "Why does the category change",
        widget=GovTextArea(),
        validators=[DataRequired("Say why the category changes"), Length(max=2000)],
    )
    changed_on = _date("Date of the change (leave blank for today)")
    submit = SubmitField("Change the category", widget=GovSubmitInput())


class ActionForm(HubForm):
    description = TextAreaField(
        "Action",
        widget=GovTextArea(),
        validators=[DataRequired("Describe the action"), Length(max=2000)],
    )
    owner_agency_id = AgencyField("Agency that owns it", "Select the agency that owns the action")
    owner_name = StringField(
        "Person responsible (optional)", widget=GovTextInput(), validators=[Length(max=200)]
    )
    due_on = _date("Due date", "Enter the date the action is due")
    submit = SubmitField("Add the action", widget=GovSubmitInput())

    def __init__(self, *args: Any, council_id: int | None = None, **kwargs: Any) -> None:
        """``council_id``: the plan's case's council, whose agencies are offered."""
        super().__init__(*args, **kwargs)
        self.owner_agency_id.offer("Choose an agency", council_id)

    @classmethod
    def of(cls, plan: Any) -> ActionForm:
        """The form for an action of ``plan``: its case's council's agencies first."""
        return cls(council_id=plan.concern.council_id)


class ActionStatusForm(HubForm):
    status = RadioField(
        "Status",
        choices=choices(PlanActionStatus.choices()),
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the status")],
    )
    not_done_reason = TextAreaField(
        "If not done, why not", widget=GovTextArea(), validators=[Length(max=2000)]
    )
    submit = SubmitField("Save the status", widget=GovSubmitInput())


class ReviewForm(HubForm):
    """Progress rows (``progress-<action id>``) are read from the posted fields."""

    meeting_id = SelectField(
        "Review conference", coerce=_optional_int, widget=GovSelect(), validate_choice=False
    )
    reviewed_on = _date("Date of the review")
    attendees = TextAreaField(
        "Who took part",
        widget=GovTextArea(),
        validators=[Length(max=20000)],
        description="Name, role and agency, one a line",
    )
    decision = RadioField(
        "Decision",
        choices=choices(ReviewDecision.choices()),
        widget=GovRadioInput(),
        validators=[InputRequired("Choose the decision: continue, amend or end the plan")],
        validate_choice=False,
    )
    end_reason = TextAreaField(
        "If the plan ends, why", widget=GovTextArea(), validators=[Length(max=2000)]
    )
    notes = TextAreaField("Notes", widget=GovTextArea(), validators=[Length(max=20000)])
    submit = SubmitField("Record the review", widget=GovSubmitInput())

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        """A child protection plan is reviewed at a held review conference."""
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.child = plan.kind == PlanKind.CHILD
        conference = REVIEW_CONFERENCE if self.child else ""
        blank = "Choose the review conference"
        self.meeting_id.choices = conference_choices(plan.concern_id, conference, blank)

    def values(self) -> dict[str, Any]:
        """The review as ``operations.record_review`` takes it, with the progress rows."""
        return form_values(self) | {"progress": progress_rows(self.plan)}


class EndPlanForm(HubForm):
    reason = TextAreaField(
        "Why does the plan end",
        widget=GovTextArea(),
        validators=[DataRequired("Say why the plan ends"), Length(max=2000)],
    )
    ended_on = _date("Date the plan ends", "Enter the date the plan ends")
    submit = SubmitField("End the plan", widget=GovSubmitInput())


def conference_choices(concern_id: int, meeting_type: str, blank: str) -> list[Any]:
    """The held conferences of ``meeting_type`` about the case, newest first."""
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.type == meeting_type, Meeting.status == MeetingStatus.HELD)
        .where(Meeting.concerns.any(Concern.id == concern_id))
        .order_by(Meeting.held_at.desc())
    )
    return choices(
        [("", blank), *[(m.id, f"Held on {to_local(m.held_at):%d %B %Y}") for m in meetings]]
    )


def progress_rows(plan: Plan) -> list[dict[str, Any]]:
    """The progress on each action posted with a review, for actions given any."""
    rows = []
    for item in plan.actions:
        status = request.form.get(f"progress-{item.id}", "")
        note = request.form.get(f"progress-note-{item.id}", "").strip()
        if status or note:
            rows.append({"action_id": item.id, "status": status or None, "note": note})
    return rows
