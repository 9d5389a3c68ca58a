"""Issue 22: WTForms' default messages reached users ("Field cannot be longer than 100
characters.", "Not a valid date value."). Every page form is a ``HubForm``, whose
messages name the field in the GOV.UK Design System's words."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from core.forms import HubForm, choices

ROOT = Path(__file__).resolve().parents[2]


class _Example(HubForm):
    class Meta:
        csrf = False

    name = StringField("Name", validators=[DataRequired(), Length(max=5)])
    nhs_number = StringField("NHS number", validators=[Length(min=10)])
    born = DateField("Date of birth")
    beds = IntegerField("Registered beds", validators=[NumberRange(min=1, max=1000)])
    answer = RadioField("Answer", choices=choices([("yes", "Yes"), ("no", "No")]))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {
                "name": "Bartholomew",
                "nhs_number": "123",
                "born": "31/02/2026",
                "beds": "0",
                "answer": "maybe",
            },
            {
                "name": ["Name must be 5 characters or fewer"],
                "nhs_number": ["NHS number must be 10 characters or more"],
                "born": ["Date of birth must be a real date"],
                "beds": ["Registered beds must be between 1 and 1000"],
                "answer": ["Select answer from the list"],
            },
        ),
        (
            {"beds": "many"},
            {
                "name": ["Enter name"],
                "nhs_number": ["NHS number must be 10 characters or more"],
                "beds": ["Registered beds must be a whole number"],  # one message a field
                "answer": ["Select answer from the list"],
            },
        ),
    ],
)
def test_library_messages_name_the_field(app, data, expected):
    with app.test_request_context(method="POST", data=MultiDict(data)):
        form = _Example()
        assert form.validate() is False
        assert form.errors == expected


def test_every_page_form_is_a_hub_form():
    """No form class in core or the agency plugins is a bare FlaskForm."""
    bare = []
    for path in [*ROOT.glob("core/**/*.py"), *ROOT.glob("agencies/**/*.py")]:
        if path.name == "forms.py" and path.parent.name == "core":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(b, ast.Name) and b.id == "FlaskForm" for b in node.bases
            ):
                bare.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
            if isinstance(node, ast.Tuple) and any(
                isinstance(e, ast.Name) and e.id == "FlaskForm" for e in node.elts
            ):
                bare.append(f"{path.relative_to(ROOT)}:{node.lineno} (a class made with type)")
    assert bare == []
