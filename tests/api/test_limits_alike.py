"""A text field takes the same length on its page as in the API (docs/api.md, Limits):
for each page form and the API schema that does the same thing, every field both have
allows the same longest value."""

from __future__ import annotations

import marshmallow as ma
import pytest
from wtforms.validators import Length

from core.agencies.forms import AgencyForm
from core.agencies.schemas import AgencySchema
from core.audits.forms import BoardActionForm
from core.audits.schemas import BoardActionSchema
from core.concerns.forms import ClosureForm, ConcernForm, DecisionForm, InvolvementForm, NoteForm
from core.concerns.schemas import (
    ClosureSchema,
    ConcernCreateSchema,
    DecisionSchema,
    InvolvementCreateSchema,
    NoteSchema,
)
from core.meetings.forms import CancelForm, ScheduleForm
from core.meetings.schemas import CancelSchema, MeetingCreateSchema
from core.people.forms import PersonForm
from core.people.schemas import PersonSchema
from core.plans.forms import ActionForm, EndPlanForm, ReviewForm
from core.plans.schemas import PlanActionSchema, PlanEndSchema, ReviewSchema

PAIRS = [
    (ConcernForm, ConcernCreateSchema),
    (ConcernForm, PersonSchema),
    (PersonForm, PersonSchema),
    (DecisionForm, DecisionSchema),
    (ClosureForm, ClosureSchema),
    (InvolvementForm, InvolvementCreateSchema),
    (NoteForm, NoteSchema),
    (AgencyForm, AgencySchema),
    (ScheduleForm, MeetingCreateSchema),
    (CancelForm, CancelSchema),
    (ActionForm, PlanActionSchema),
    (ReviewForm, ReviewSchema),
    (EndPlanForm, PlanEndSchema),
    (BoardActionForm, BoardActionSchema),
]


# checked by the operation both share, so a page answers in one round with the rest
SHARED_CHECK = {"postcode"}  # a real UK postcode (core.people.operations)


def _page_max(form_class, name):
    field = getattr(form_class, name)
    found = [v.max for v in field.kwargs.get("validators", []) if isinstance(v, Length)]
    return found[0] if found and found[0] >= 0 else None


def _api_max(field):
    validators = field.validators
    found = [v.max for v in validators if isinstance(v, ma.validate.Length)]
    return found[0] if found else None


@pytest.mark.parametrize(("form_class", "schema_class"), PAIRS, ids=lambda c: c.__name__)
def test_page_and_api_take_the_same_length(app, form_class, schema_class):
    schema = schema_class()
    compared = {}
    for name, field in schema.load_fields.items():
        if name in SHARED_CHECK or not isinstance(field, ma.fields.String):
            continue
        if not hasattr(form_class, name):
            continue
        unbound = getattr(form_class, name)
        if not hasattr(unbound, "kwargs"):
            continue
        compared[name] = (_page_max(form_class, name), _api_max(field))
    different = {name: pair for name, pair in compared.items() if pair[0] != pair[1]}
    assert different == {}
