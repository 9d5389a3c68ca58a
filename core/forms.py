"""Helpers shared by every page form."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from core.errors import ValidationFailed


def apply_errors(form: FlaskForm, failed: ValidationFailed) -> None:
    """Show an operation's validation messages against the matching form fields."""
    for name, messages in failed.errors.items():
        field = getattr(form, name, None)
        target = field if field is not None else next(iter(form))
        target.errors = list(target.errors) + list(messages)


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """(value, label) pairs as the choice objects WTForms wants."""
    return [SelectChoice(value, label) for value, label in pairs]
