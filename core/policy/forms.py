"""Who may read and write agency forms.

- The owning agency (the one whose user saved the submission) reads and writes it.
- The safeguarding team (officers and managers) reads every submission.
- Another agency reads a submission only while it is shared with that agency.
- Reading or writing a submission about a case or a meeting also needs that case or
  meeting to be visible: when involvement ends, access ends with it.
- A restricted submission (``restriction``: why) is read by the same agencies; the others
  who read its case at full or contributor level see that it exists, its date and its
  agency (``restricted_entries``); an implicated agency is told nothing of it.

Out-of-scope submissions answer 404 like missing ones, and the attempt is logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.agency_forms.models import FormShare, FormSubmission
from core.auth.roles import Role
from core.concerns.models import Concern, InvolvementLevel
from core.extensions import db
from core.meetings.models import Meeting
from core.people.models import Establishment, EstablishmentStatus
from core.platform import current_platform
from core.policy.cases import is_case_team, reader_level, visible_concerns
from core.policy.meetings import visible_meetings
from core.policy.resources import Resource, declare
from core.policy.routes import user_can
from plugins.forms import FormDefinition


def _shared_with(agency_id: int) -> sa.ColumnElement[bool]:
    return sa.exists().where(
        FormShare.submission_id == FormSubmission.id,
        FormShare.agency_id == agency_id,
        FormShare.withdrawn_at.is_(None),
    )


def readable_submissions(user: Any) -> sa.Select[tuple[FormSubmission]]:
    """Every submission ``user`` may read, as a query to filter further."""
    query = sa.select(FormSubmission)
    if is_case_team(user):
        # about none of the cases, or about one of the team's council
        theirs = visible_concerns(user).with_only_columns(Concern.id).scalar_subquery()
        return query.where(
            sa.or_(FormSubmission.concern_id.is_(None), FormSubmission.concern_id.in_(theirs))
        )
    if not (user.is_authenticated and user.role == Role.AGENCY_PRACTITIONER):
        return query.where(sa.false())
    concern_ids = visible_concerns(user).with_only_columns(Concern.id).scalar_subquery()
    meeting_ids = visible_meetings(user).with_only_columns(Meeting.id).scalar_subquery()
    return query.where(
        sa.or_(FormSubmission.agency_id == user.agency_id, _shared_with(user.agency_id)),
        sa.or_(FormSubmission.concern_id.is_(None), FormSubmission.concern_id.in_(concern_ids)),
        sa.or_(
            FormSubmission.subject_type != "meeting", FormSubmission.subject_id.in_(meeting_ids)
        ),
    )


def restricted_entries(user: Any, concern: Any) -> list[FormSubmission]:
    """The restricted submissions about ``concern`` (one ``user`` may see) that ``user``
    may not read, to show as "Restricted entry, <date>, <agency>"; none for a reader
    the case implicates, who is never told who else is involved."""
    if reader_level(user, concern) == InvolvementLevel.IMPLICATED:
        return []
    readable = readable_submissions(user).with_only_columns(FormSubmission.id)
    return list(
        db.session.scalars(
            sa.select(FormSubmission)
            .where(
                FormSubmission.concern_id == concern.id,
                FormSubmission.restriction.is_not(None),
                FormSubmission.form_name.in_(list(current_platform().forms)),
                FormSubmission.id.not_in(readable),
            )
            .options(sa.orm.selectinload(FormSubmission.agency))
            .order_by(FormSubmission.created_at.desc(), FormSubmission.id.desc())
        )
    )


def load_readable(
    user: Any, submission_id: int, form_name: str | None = None
) -> FormSubmission | None:
    """The submission if ``user`` may read it; otherwise None, with the refusal logged."""
    query = readable_submissions(user).where(FormSubmission.id == submission_id)
    if form_name is not None:
        query = query.where(FormSubmission.form_name == form_name)
    submission = db.session.execute(query).scalar_one_or_none()
    if submission is None:
        access_log.record_denied(
            "form.view", object_type="form_submission", object_id=submission_id
        )
    return submission


def form_establishments(user: Any) -> sa.Select[tuple[Establishment]]:
    """The establishments ``user`` may fill in establishment forms about: the team, any
    confirmed; a provider, the confirmed ones it runs. By name."""
    query = (
        sa.select(Establishment)
        .where(Establishment.status == EstablishmentStatus.CONFIRMED)
        .order_by(Establishment.name, Establishment.id)
    )
    if is_case_team(user):
        return query
    return query.where(Establishment.provider_agency_id == user.agency_id)


def can_write_form(user: Any, definition: FormDefinition) -> bool:
    """Whether ``user``'s agency is one of the form's writers."""
    return bool(
        user.is_authenticated
        and user_can(user, "forms.write")
        and user.agency is not None
        and user.agency.active
        and user.agency.type in definition.writers
    )


def can_change(user: Any, definition: FormDefinition, submission: FormSubmission) -> bool:
    """Only the owning agency changes a submission (which ``user`` must be able to read)."""
    return can_write_form(user, definition) and submission.agency_id == user.agency_id


def can_share(user: Any, definition: FormDefinition, submission: FormSubmission) -> bool:
    """The owning agency and the safeguarding team decide who else may read it."""
    return user_can(user, "forms.share") and (
        is_case_team(user) or submission.agency_id == user.agency_id
    )


# --- Record types (core/policy/resources.py) ------------------------------------------------


def _form(_: Any, name: str, __: Mapping[str, Any]) -> FormDefinition | None:
    """A registered form, by its name in the URL."""
    return current_platform().forms.get(name)


def _submission(user: Any, submission_id: int, loaded: Mapping[str, Any]) -> Any:
    """A submission the user may read, of the form in the URL when there is one, of a form
    still registered (one whose plugin was removed is out of reach)."""
    query = readable_submissions(user).where(FormSubmission.id == submission_id)
    if "form" in loaded:
        query = query.where(FormSubmission.form_name == loaded["form"].name)
    found = db.session.execute(query).scalar_one_or_none()
    return found if found is not None and found.form_name in current_platform().forms else None


def _definition_of(submission: FormSubmission) -> FormDefinition:
    return current_platform().forms[submission.form_name]


def _share(_: Any, share_id: int, loaded: Mapping[str, Any]) -> FormShare | None:
    """A share of the submission in the URL that still holds."""
    found = db.session.get(FormShare, share_id)
    submission = loaded["form_submission"]
    if found is None or found.submission_id != submission.id or found.withdrawn_at:
        return None
    return found


FORM = declare(
    Resource(
        "form",
        "form_name",
        _form,
        rules={"create": can_write_form},
        denied="form.view",
    )
)
FORM_SUBMISSION = declare(
    Resource(
        "form_submission",
        "submission_id",
        _submission,
        model=FormSubmission,
        rules={
            "update": lambda user, s: can_change(user, _definition_of(s), s),
            "share": lambda user, s: can_share(user, _definition_of(s), s),
        },
        denied="form.view",
        api_endpoint="forms_api.get_submission",
        url_ids=lambda s: {"form_name": s.form_name, "submission_id": s.id},
    )
)
FORM_SHARE = declare(Resource("form_share", "share_id", _share, model=FormShare))
