"""Declaring an agency form once: a marshmallow schema whose fields carry their label,
hint and widget.

The platform derives from the schema the GOV.UK page form, the validation (one path for
pages and the API), storage with version history, the API endpoints and the case
timeline entry. Build fields with the helpers below so that every message is written
for the person filling the form in::

    class InvestigationSchema(FormSchema):
        crime_reference = text("Crime reference", hint="As on the police system")
        status = choice("Status", STATUSES)
        status_on = date("Date of this status")

    FormDefinition("police.investigation", "Police investigation", InvestigationSchema,
                   attaches_to="concern", writers=frozenset({"police"}))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import marshmallow as ma

from core.clocks import OUT_OF_RANGE, in_range

LOCAL_ZONE = ZoneInfo("Europe/London")
SUBJECTS = ("concern", "meeting", "plan", "establishment", "agency")
WIDGETS = (
    "text",
    "textarea",
    "number",
    "date",
    "datetime",
    "radios",
    "select",
    "yes_no",
    "checkboxes",
)

Options = Sequence[tuple[str, str]]


def _in_range(value: dt.date | dt.datetime) -> None:
    if not in_range(value):
        raise ma.ValidationError(OUT_OF_RANGE)


class Day(ma.fields.Date):
    """A date (``2026-03-27``) in the years the hub takes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators.insert(0, _in_range)


class Moment(ma.fields.AwareDateTime):
    """A date and time with its offset (``2026-03-27T14:30:00Z``) in the years the hub
    takes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validators.insert(0, _in_range)


class FormSchema(ma.Schema):
    """Base class for a form's schema. Unknown answers are refused with a clear message."""

    class Meta:
        unknown = ma.RAISE


SERVES = ("both", "children", "adults")


@dataclass(frozen=True)
class FormDefinition:
    """An agency form.

    :param name: ``<plugin>.<form>``, e.g. ``police.investigation``; unique.
    :param title: what people read, in sentence case.
    :param schema: the :class:`FormSchema` subclass declaring the questions.
    :param attaches_to: ``concern``, ``meeting``, ``plan``, ``establishment`` or
        ``agency`` (the writer's own agency, for periodic returns).
    :param writers: agency type codes whose agencies fill it in; the agency that saves
        a submission owns it and alone may change it.
    :param description: one sentence shown above the form.
    :param one_per: answers that identify a submission: a second one from the same
        agency about the same subject with the same answers is refused (for example
        ``("quarter",)`` for a quarterly return).
    :param summary: answers shown in lists and on the case page, in order.
    :param serves: for a form about a case (``concern``, ``meeting`` or ``plan``): the
        cases it is for, ``children``, ``adults`` or ``both`` (the default). It is offered
        and taken only there.
    """

    name: str
    title: str
    schema: type[ma.Schema]
    attaches_to: str
    writers: frozenset[str]
    description: str = ""
    one_per: tuple[str, ...] = ()
    summary: tuple[str, ...] = field(default_factory=tuple)
    serves: str = "both"

    def __post_init__(self) -> None:
        if self.serves not in SERVES:
            raise ValueError(f"{self.name}: serves must be one of {', '.join(SERVES)}")

    def serves_case(self, is_child: bool) -> bool:
        """Whether the form is for a case about a child (``is_child``) or an adult."""
        return self.serves == "both" or self.serves == ("children" if is_child else "adults")


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


def _metadata(label: str, hint: str | None, widget: str, **extra: Any) -> dict[str, Any]:
    return {"label": label, "hint": hint, "widget": widget, **extra}


def _optional(required: bool, default: Any = None) -> dict[str, Any]:
    if required:
        return {"required": True}
    return {"required": False, "load_default": default, "allow_none": True}


def _messages(required: str, invalid: str | None = None) -> dict[str, Any]:
    messages: dict[str, Any] = {"required": required, "null": required}
    if invalid:
        messages["invalid"] = invalid
    return messages


def text(
    label: str,
    *,
    hint: str | None = None,
    required: bool = True,
    max_length: int = 200,
    pattern: str | None = None,
    pattern_message: str | None = None,
    message: str | None = None,
) -> ma.fields.String:
    """A one-line answer. ``pattern`` is a regular expression the answer must match."""
    validators: list[Any] = [
        ma.validate.Length(
            max=max_length, error=f"{label} must be {max_length} characters or fewer"
        )
    ]
    if pattern:
        validators.append(
            ma.validate.Regexp(
                pattern, error=pattern_message or f"Enter {_lower_first(label)} correctly"
            )
        )
    return ma.fields.String(
        **_optional(required),
        validate=validators,
        metadata=_metadata(label, hint, "text"),
        error_messages=_messages(
            message or f"Enter {_lower_first(label)}", f"Enter {_lower_first(label)} as text"
        ),
    )


def textarea(
    label: str,
    *,
    hint: str | None = None,
    required: bool = True,
    max_length: int = 5000,
    message: str | None = None,
) -> ma.fields.String:
    """A longer answer in several lines."""
    answer = text(label, hint=hint, required=required, max_length=max_length, message=message)
    answer.metadata = {**answer.metadata, "widget": "textarea"}
    return answer


def integer(
    label: str,
    *,
    hint: str | None = None,
    required: bool = True,
    minimum: int = 0,
    maximum: int = 1_000_000,
    message: str | None = None,
) -> ma.fields.Integer:
    """A whole number between ``minimum`` and ``maximum``."""
    return ma.fields.Integer(
        **_optional(required),
        validate=ma.validate.Range(
            min=minimum,
            max=maximum,
            error=f"{label} must be between {minimum:,} and {maximum:,}",
        ),
        metadata=_metadata(label, hint, "number"),
        error_messages=_messages(
            message or f"Enter {_lower_first(label)}", f"{label} must be a whole number, like 12"
        ),
    )


class _NotFuture:
    def __init__(self, label: str):
        self.label = label

    def __call__(self, value: dt.date | dt.datetime) -> None:
        if isinstance(value, dt.datetime):
            if value > dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5):
                raise ma.ValidationError(f"{self.label} must be now or in the past")
        elif value > dt.datetime.now(LOCAL_ZONE).date():
            raise ma.ValidationError(f"{self.label} must be today or in the past")


def date(
    label: str,
    *,
    hint: str | None = "For example, 27 3 2026",
    required: bool = True,
    past: bool = True,
    message: str | None = None,
) -> Day:
    """A date (day, month and year). With ``past`` it may not be in the future."""
    return Day(
        **_optional(required),
        validate=[_NotFuture(label)] if past else [],
        metadata=_metadata(label, hint, "date"),
        error_messages=_messages(
            message or f"Enter {_lower_first(label)}", f"{label} must be a real date"
        ),
    )


def datetime(
    label: str,
    *,
    hint: str | None = "For example, 27 3 2026 and 14:30",
    required: bool = True,
    past: bool = True,
    message: str | None = None,
) -> Moment:
    """A date and a time; a time without a zone is UK time. Stored in UTC."""
    return Moment(
        **_optional(required),
        default_timezone=LOCAL_ZONE,
        validate=[_NotFuture(label)] if past else [],
        metadata=_metadata(label, hint, "datetime"),
        error_messages=_messages(
            message or f"Enter {_lower_first(label)}",
            f"{label} must be a real date and time, like 27 3 2026 and 14:30",
        ),
    )


def choice(
    label: str,
    options: Options,
    *,
    hint: str | None = None,
    required: bool = True,
    widget: str = "radios",
    message: str | None = None,
) -> ma.fields.String:
    """One of ``options``, given as (value, label) pairs; ``widget`` is radios or select."""
    select = message or f"Select {_lower_first(label)}"
    return ma.fields.String(
        **_optional(required),
        validate=ma.validate.OneOf([value for value, _ in options], error=select),
        metadata=_metadata(label, hint, widget, choices=list(options)),
        error_messages=_messages(select, select),
    )


def yes_no(
    label: str, *, hint: str | None = None, required: bool = True, message: str | None = None
) -> ma.fields.Boolean:
    """A yes or no question; ``label`` is the question."""
    answer = message or f"Select yes or no: {_lower_first(label)}"
    return ma.fields.Boolean(
        **_optional(required),
        truthy={True, "yes"},
        falsy={False, "no"},
        metadata=_metadata(label, hint, "yes_no", choices=[("yes", "Yes"), ("no", "No")]),
        error_messages=_messages(answer, answer),
    )


def many(
    label: str,
    options: Options,
    *,
    hint: str | None = "Select all that apply",
    required: bool = True,
    message: str | None = None,
) -> ma.fields.List[Any]:
    """Several of ``options`` (check boxes)."""
    select = message or f"Select at least one: {_lower_first(label)}"
    return ma.fields.List(
        ma.fields.String(
            validate=ma.validate.OneOf([value for value, _ in options], error=select),
            error_messages=_messages(select, select),
        ),
        **_optional(required, list),
        validate=ma.validate.Length(min=1 if required else 0, error=select),
        metadata=_metadata(label, hint, "checkboxes", choices=list(options)),
        error_messages=_messages(select, select),
    )


def label_of(schema: ma.Schema, name: str) -> str:
    """The label of an answer, for messages and lists."""
    found = schema.fields.get(name)
    return str(found.metadata.get("label", name)) if found is not None else name


def display(schema: ma.Schema, name: str, value: Any) -> str:
    """An answer as people read it: choice labels, UK dates, yes or no."""
    found = schema.fields.get(name)
    if value is None or value == [] or found is None:
        return "" if found is not None else str(value)
    options = dict(found.metadata.get("choices") or ())
    widget = found.metadata.get("widget")
    if widget == "checkboxes":
        return ", ".join(options.get(v, v) for v in value)
    if widget == "yes_no":
        return "Yes" if value in (True, "yes") else "No"
    if widget == "date":
        return dt.date.fromisoformat(str(value)).strftime("%-d %B %Y")
    if widget == "datetime":
        moment = dt.datetime.fromisoformat(str(value)).astimezone(LOCAL_ZONE)
        return moment.strftime("%-d %B %Y at %H:%M")
    return str(options.get(value, value))


@dataclass(frozen=True)
class Answers:
    """A submission as a hook or report sees it: who wrote it and its latest answers."""

    id: int
    form_name: str
    agency_id: int
    version: int
    data: dict[str, Any]
    href: str


class CaseForms(Protocol):
    """What ``case_panels`` receives as ``forms``: the case's agency forms, as far as the
    user may read them (the platform applies the access rules)."""

    def readable(self, form_name: str) -> list[Answers]:
        """The submissions of ``form_name`` about the case that the user may read,
        newest first."""
        ...

    def history(self, form_name: str) -> list[Answers]:
        """Every saved version of the submissions of ``form_name`` about the case that
        the user may read, oldest first (``version`` is the version's number, ``data``
        its answers): a form's history, such as an investigation's changes of status."""
        ...
