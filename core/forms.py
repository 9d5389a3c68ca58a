"""Helpers shared by every page form."""

from __future__ import annotations

from flask_wtf import FlaskForm

from core.errors import ValidationFailed


def apply_errors(form: FlaskForm, failed: ValidationFailed) -> None:
    """Show an operation's validation messages against the matching form fields."""
    for name, messages in failed.errors.items():
        field = getattr(form, name, None)
        target = field if field is not None else next(iter(form))
        target.errors = list(target.errors) + list(messages)
