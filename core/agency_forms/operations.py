"""Saving agency forms. Every save is a new version (who, when, what changed), written
with its timeline entries and access log entry in the caller's transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from werkzeug.exceptions import NotFound

from core.accesslog import operations as access_log
from core.agency_forms.models import FormShare, FormSubmission, FormVersion
from core.auth.models import Agency, User
from core.concerns.models import CaseEvent, Concern, Restriction
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.meetings.models import meeting_concerns
from core.people.models import Establishment
from core.plans.models import Plan
from core.platform import current_platform
from core.policy.cases import load_visible_concern
from core.policy.forms import (
    can_change,
    can_share,
    can_write_form,
    form_establishments,
    readable_submissions,
    restricted_entries,
)
from core.policy.meetings import load_visible_meeting
from core.policy.plans import load_visible_plan
from plugins.forms import FormDefinition, display, label_of


class FormNotFound(LookupError):
    """No form of that name is registered."""


class SubjectNotFound(NotFound):
    """The subject does not exist or the user may not see it: a 404 on a page (the API's
    create answers 422 naming ``subject_id``)."""


def definitions() -> dict[str, FormDefinition]:

    return current_platform().forms


def definition_of(name: str) -> FormDefinition:
    found = definitions().get(name)
    if found is None:
        raise FormNotFound(name)
    return found


# --- Validation: one path for pages and the API -----------------------------------------


def _normalise(raw: Any) -> dict[str, Any]:
    """Trimmed answers; a blank answer counts as not given."""
    if not isinstance(raw, dict):
        raise ValidationFailed.single("data", "Send the answers as an object of field names")
    cleaned: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, str):
            value = value.strip()
        if value in ("", None):
            continue
        cleaned[str(name)] = value
    return cleaned


def _flatten(messages: Any, schema: ma.Schema) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, value in messages.items():
        if isinstance(value, dict):  # a list's items: one message is enough
            value = sorted({m for ms in value.values() for m in ms})
        if name == "_schema":
            name = "data"
        elif name not in schema.fields:
            value = [f"'{name}' is not a question on this form"]
        errors[name] = [str(m) for m in value]
    return errors


def _stored(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def clean(definition: FormDefinition, raw: Any) -> dict[str, Any]:
    """The answers as stored, or ValidationFailed with a message per question."""
    schema = definition.schema()
    try:
        loaded = schema.load(_normalise(raw))
    except ma.ValidationError as error:
        raise ValidationFailed(_flatten(error.messages, schema)) from error
    return {name: _stored(loaded.get(name)) for name in schema.fields}


# --- Subjects -----------------------------------------------------------------------------


def resolve_subject(
    definition: FormDefinition, subject_id: int | None, user: User
) -> tuple[int, list[int], int | None]:
    """(subject id, concerns whose timeline shows it, the concern it belongs to).

    SubjectNotFound when the subject does not exist or the user may not see it.
    """
    kind = definition.attaches_to
    if kind == "agency":
        return user.agency_id, [], None
    if subject_id is None:
        raise SubjectNotFound(kind)
    if kind == "concern":
        concern = load_visible_concern(user, subject_id)
        if concern is None:
            raise SubjectNotFound(kind)
        return concern.id, [concern.id], concern.id
    if kind == "meeting":
        meeting = load_visible_meeting(user, subject_id)
        if meeting is None:
            raise SubjectNotFound(kind)
        return meeting.id, meeting_concern_ids(meeting.id), None
    if kind == "plan":
        plan = load_visible_plan(user, subject_id)
        if plan is None:
            raise SubjectNotFound(kind)
        return plan.id, [plan.concern_id], plan.concern_id
    establishment = db.session.scalar(
        form_establishments(user).where(Establishment.id == subject_id)
    )
    if establishment is None:
        access_log.record_denied(
            "establishment.form", object_type="establishment", object_id=subject_id
        )
        raise SubjectNotFound(kind)
    return establishment.id, [], None


def subject_offered(definition: FormDefinition, subject_id: int | None, user: User) -> int:
    """The subject a form's page fills the form in about: the user's agency for an
    agency's return (no subject in the URL), else the record named, if the user may see it
    and the form is offered for its case. SubjectNotFound (a 404) otherwise."""
    if (definition.attaches_to == "agency") != (subject_id is None):
        raise SubjectNotFound(definition.attaches_to)
    subject, concern_ids, _ = resolve_subject(definition, subject_id, user)
    if not serves(definition, concern_ids):
        raise SubjectNotFound(definition.attaches_to)  # not a form for this case
    return subject


def serves(definition: FormDefinition, concern_ids: list[int]) -> bool:
    """Whether the form is for the case its subject belongs to (FormDefinition.serves)."""
    if definition.serves == "both" or not concern_ids:
        return True
    kinds = db.session.scalars(sa.select(Concern.is_child).where(Concern.id.in_(concern_ids)))
    return any(definition.serves_case(bool(is_child)) for is_child in kinds)


def meeting_concern_ids(meeting_id: int) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(meeting_concerns.c.concern_id)
            .where(meeting_concerns.c.meeting_id == meeting_id)
            .order_by(meeting_concerns.c.concern_id)
        )
    )


def establishment_forms(user: User) -> list[tuple[FormDefinition, list[Establishment]]]:
    """The establishment forms ``user`` may fill in, each with the establishments it may
    be about (a provider's own homes; the team, every one)."""
    writable = [
        d
        for d in definitions().values()
        if d.attaches_to == "establishment" and can_write_form(user, d)
    ]
    if not writable:
        return []
    places = list(db.session.scalars(form_establishments(user)))
    return [(d, places) for d in writable]


def subject_label(submission: FormSubmission) -> str:
    """What the submission is about, in words (no personal data)."""
    kind, subject_id = submission.subject_type, submission.subject_id
    if kind == "concern":
        concern = db.session.get(Concern, subject_id)
        return f"Concern {concern.reference}" if concern else f"Concern {subject_id}"
    if kind == "establishment":
        establishment = db.session.get(Establishment, subject_id)
        return establishment.name if establishment else f"Establishment {subject_id}"
    if kind == "plan":
        plan = db.session.get(Plan, subject_id)
        return f"{plan.kind.label} of {plan.concern.reference}" if plan else f"Plan {subject_id}"
    if kind == "agency":
        agency = db.session.get(Agency, subject_id)
        return agency.name if agency else f"Agency {subject_id}"
    return f"{kind.capitalize()} {subject_id}"


# --- Saving -------------------------------------------------------------------------------


def _check_one_per(
    definition: FormDefinition,
    agency_id: int,
    subject_id: int,
    data: dict[str, Any],
    own_id: int | None,
) -> None:
    if not definition.one_per:
        return
    query = sa.select(FormSubmission.id).where(
        FormSubmission.form_name == definition.name,
        FormSubmission.agency_id == agency_id,
        FormSubmission.subject_type == definition.attaches_to,
        FormSubmission.subject_id == subject_id,
    )
    if own_id is not None:
        query = query.where(FormSubmission.id != own_id)
    schema = definition.schema()
    for candidate in db.session.scalars(
        sa.select(FormSubmission).where(FormSubmission.id.in_(query))
    ):
        if all(candidate.data.get(name) == data.get(name) for name in definition.one_per):
            which = ", ".join(display(schema, n, data.get(n)) for n in definition.one_per)
            raise ValidationFailed.single(
                definition.one_per[0],
                f"Your agency has already sent this form for {which}: change that one instead",
            )


def _changes(
    definition: FormDefinition, before: dict[str, Any], after: dict[str, Any]
) -> list[dict[str, Any]]:
    schema = definition.schema()
    return [
        {
            "field": name,
            "label": label_of(schema, name),
            "before": display(schema, name, before.get(name)),
            "after": display(schema, name, after.get(name)),
        }
        for name in schema.fields
        if before.get(name) != after.get(name)
    ]


def _timeline(
    definition: FormDefinition,
    submission: FormSubmission,
    concern_ids: list[int],
    user: User,
    summary: str,
) -> None:
    for concern_id in concern_ids:
        db.session.add(
            CaseEvent(
                concern_id=concern_id,
                user_id=user.id,
                kind="form.saved",
                summary=summary,
                submission_id=submission.id,
            )
        )


def timeline_concerns(submission: FormSubmission) -> list[int]:
    if submission.subject_type == "meeting":
        return meeting_concern_ids(submission.subject_id)
    return [submission.concern_id] if submission.concern_id else []


def restriction_of(code: str | None) -> Restriction | None:
    """The restriction a code names (None for none); ValidationFailed for an unknown one."""
    if not code:
        return None
    found = next((r for r in Restriction if r.value == code), None)
    if found is None:
        raise ValidationFailed.single(
            "restriction",
            "Choose why the form is restricted ("
            + ", ".join(r.value for r in Restriction)
            + "), or leave it open",
        )
    return found


def restriction_label(restriction: Restriction | None) -> str:
    return f"Restricted: {restriction.label}" if restriction else "Not restricted"


def create(
    definition: FormDefinition,
    subject_id: int | None,
    raw: Any,
    user: User,
    restriction: str | None = None,
) -> FormSubmission:
    """Save a new submission as version 1. The user's agency owns it. A ``restriction``
    (why) marks it restricted: read as any other (its agency, the team, the agencies it is
    shared with), while those who read its case at full or contributor level see that it
    exists, its date and agency (core/policy/forms.py, ``restricted_entries``)."""

    if not can_write_form(user, definition):
        raise ValidationFailed.single(
            "form", f"Only {', '.join(sorted(definition.writers))} agencies fill in this form"
        )
    subject, concern_ids, concern_id = resolve_subject(definition, subject_id, user)
    if not serves(definition, concern_ids):
        pathway = {"children": "children's", "adults": "adults'"}[definition.serves]
        raise ValidationFailed.single(
            "subject_id", f"{definition.title} is for {pathway} cases only: this case is not"
        )
    data = clean(definition, raw)
    restricted = restriction_of(restriction)
    _check_one_per(definition, user.agency_id, subject, data, None)
    now = utcnow()
    submission = FormSubmission(
        restriction=restricted,
        form_name=definition.name,
        agency_id=user.agency_id,
        subject_type=definition.attaches_to,
        subject_id=subject,
        concern_id=concern_id,
        data=data,
        created_by_id=user.id,
        created_at=now,
        updated_by_id=user.id,
        updated_at=now,
    )
    db.session.add(submission)
    db.session.flush()
    db.session.add(
        FormVersion(
            submission_id=submission.id,
            number=1,
            data=data,
            changes=_changes(definition, {}, data),
            saved_by_id=user.id,
            saved_at=now,
        )
    )
    _timeline(definition, submission, concern_ids, user, f"{definition.title}: version 1 saved")
    access_log.record("form.create", object_type="form_submission", object_id=submission.id)
    return submission


KEEP = "keep"  # ``update``: the restriction stays as it is


def update(
    definition: FormDefinition,
    submission: FormSubmission,
    raw: Any,
    user: User,
    base_version: int | None = None,
    restriction: str | None = KEEP,
) -> FormSubmission:
    """Save the answers (and the ``restriction``, a code or None for open) as the next
    version; refused when nothing changed, or when someone saved a newer version since
    ``base_version`` was read."""

    if not can_change(user, definition, submission):
        raise ValidationFailed.single("form", "Only the agency that wrote this form can change it")
    if base_version is not None and base_version != submission.version:
        raise ValidationFailed.single(
            "data",
            "Someone saved a newer version while you were changing this form. "
            "Check their changes, then make yours again.",
        )
    data = clean(definition, raw)
    changes = _changes(definition, submission.data, data)
    restricted = submission.restriction if restriction == KEEP else restriction_of(restriction)
    if restricted != submission.restriction:
        changes.append(
            {
                "field": "restriction",
                "label": "Restriction",
                "before": restriction_label(submission.restriction),
                "after": restriction_label(restricted),
            }
        )
        submission.restriction = restricted
    if not changes:
        raise ValidationFailed.single("data", "You have not changed any answer")
    _check_one_per(definition, submission.agency_id, submission.subject_id, data, submission.id)
    number = submission.version + 1
    now = utcnow()
    submission.data = data
    submission.updated_by_id, submission.updated_at = user.id, now
    db.session.add(
        FormVersion(
            submission_id=submission.id,
            number=number,
            data=data,
            changes=changes,
            saved_by_id=user.id,
            saved_at=now,
        )
    )
    db.session.flush()
    changed = ", ".join(change["label"] for change in changes)
    _timeline(
        definition,
        submission,
        timeline_concerns(submission),
        user,
        f"{definition.title}: version {number} saved (changed: {changed})",
    )
    access_log.record("form.update", object_type="form_submission", object_id=submission.id)
    return submission


def case_forms(concern: Any, user: User) -> list[dict[str, Any]]:
    """The forms about a case ``user`` may read, latest change first, then the restricted
    ones they may not: those show their date and agency only."""
    forms = definitions()
    readable = db.session.scalars(
        readable_submissions(user)
        .where(FormSubmission.concern_id == concern.id, FormSubmission.form_name.in_(list(forms)))
        .options(sa.orm.selectinload(FormSubmission.agency))
        .order_by(FormSubmission.updated_at.desc(), FormSubmission.id.desc())
    )
    rows = [
        {
            "id": s.id,
            "readable": True,
            "form_name": s.form_name,
            "title": forms[s.form_name].title,
            "summary": summary_of(forms[s.form_name], s.data),
            "agency_id": s.agency_id,
            "agency_name": s.agency.name,
            "restriction": s.restriction,
            "version": s.version,
            "created_at": s.created_at,
            "updated_at": s.updated_at,
        }
        for s in readable
    ]
    return rows + [
        {
            "id": None,
            "readable": False,
            "form_name": None,
            "title": None,
            "agency_id": s.agency_id,
            "agency_name": s.agency.name,
            "restriction": None,
            "version": None,
            "created_at": s.created_at,
            "updated_at": None,
        }
        for s in restricted_entries(user, concern)
    ]


def versions_of(submission: FormSubmission) -> list[FormVersion]:
    return list(
        db.session.scalars(
            sa.select(FormVersion)
            .where(FormVersion.submission_id == submission.id)
            .options(sa.orm.selectinload(FormVersion.saved_by))
            .order_by(FormVersion.number.desc())
        )
    )


def shares_of(submission: FormSubmission) -> list[FormShare]:
    return list(
        db.session.scalars(
            sa.select(FormShare)
            .where(FormShare.submission_id == submission.id, FormShare.withdrawn_at.is_(None))
            .options(sa.orm.selectinload(FormShare.agency))
            .order_by(FormShare.id)
        )
    )


def share(
    definition: FormDefinition, submission: FormSubmission, agency_id: int | None, user: User
) -> FormShare:
    """Let another agency read the submission (while it may see the case)."""

    if not can_share(user, definition, submission):
        raise ValidationFailed.single(
            "agency_id",
            "Only the agency that wrote this form or the safeguarding team can share it",
        )
    agency = db.session.get(Agency, agency_id) if agency_id else None
    if agency is None or not agency.active:
        raise ValidationFailed.single("agency_id", "Select an active agency to share with")
    if agency.id == submission.agency_id:
        raise ValidationFailed.single(
            "agency_id", "This agency wrote the form: it can already read it"
        )
    if any(existing.agency_id == agency.id for existing in shares_of(submission)):
        raise ValidationFailed.single("agency_id", f"The form is already shared with {agency.name}")
    shared = FormShare(submission_id=submission.id, agency_id=agency.id, shared_by_id=user.id)
    db.session.add(shared)
    db.session.flush()
    _timeline(
        definition,
        submission,
        timeline_concerns(submission),
        user,
        f"{definition.title}: shared with {agency.name}",
    )
    access_log.record("form.share", object_type="form_submission", object_id=submission.id)
    return shared


def withdraw_share(
    definition: FormDefinition, submission: FormSubmission, shared: FormShare, user: User
) -> None:

    if not can_share(user, definition, submission):
        raise ValidationFailed.single(
            "agency_id",
            "Only the agency that wrote this form or the safeguarding team can stop sharing it",
        )
    shared.withdrawn_at, shared.withdrawn_by_id = utcnow(), user.id
    _timeline(
        definition,
        submission,
        timeline_concerns(submission),
        user,
        f"{definition.title}: no longer shared with {shared.agency.name}",
    )
    access_log.record("form.unshare", object_type="form_submission", object_id=submission.id)


def summary_of(definition: FormDefinition, data: dict[str, Any]) -> str:
    """The form's summary answers in one line."""
    schema = definition.schema()
    names = definition.summary or tuple(schema.fields)[:2]
    return "; ".join(
        f"{label_of(schema, n)}: {display(schema, n, data.get(n))}"
        for n in names
        if data.get(n) not in (None, [])
    )
