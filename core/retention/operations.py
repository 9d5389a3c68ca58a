"""Retention of case records: how long a closed case is kept, and purging it after.

A case record is a concern with everything that refers to it: its types of risk,
involvements, timeline, notes, tasks, decision reviews, body map, supervision records, its
protection plans (with their actions, reviews and category history), the meetings held
about it alone (with their invitations, attendees, decisions, actions and the emails sent
about them), the agency forms about the case, those meetings and those plans (with their
versions and shares), and the API's stored responses about any of them. The period
depends on the record's category (``RETENTION``):

- adults: ``adult_years_after_closure`` (6) years after the case closed;
- children: until the person's ``child_until_age`` (25th) birthday or
  ``child_years_after_closure`` (6) years after closure, whichever is later; with no date of
  birth, ``child_years_without_birth_date`` (25) years after closure.

A person's subject access requests (with the exports produced for them) are their own
records, kept as long as the person's record: they go when it goes.

A hospital discharge notification (with its follow-up) is about the person, not a case:
it is kept ``discharge_years_after`` (6) years after the discharge (a child's until the
``child_until_age`` birthday if later), and one linked to a case as long as the case.
Past that it is deleted, and the person's record with it when nothing else refers to it.

Open cases, cases with an open plan and cases under a legal hold are never due. A purge
hard-deletes the case and its rows in one transaction with a tombstone in the access log
(the case's id only: no personal data). The person's record, with the records merged into
it, goes too when no other case or plan of theirs is left; so do the records of the people
alleged to have caused harm in it (unless named elsewhere or with a case of their own), with
the PiPoT or LADO referrals about them and their employers' actions, and
of people known only as related to those going, with the relationships of everyone going.
A closed case file audit keeps its figures: the purged case's review stays without the
case and its comments; an open audit drops the case from its sample. Plugins delete their
own rows in ``case_purging``. A run (not a dry run) also deletes the idempotency keys past
their expiry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from core import jobs
from core.accesslog import operations as access_log
from core.agency_forms.models import FormShare, FormSubmission, FormVersion
from core.api.models import IdempotencyKey
from core.casefile.models import AuditStatus, CaseFileAnswer, CaseFileAudit, CaseFileReview
from core.chronology.models import ChronologyEntry
from core.complaints.models import ComplaintEntry, ComplaintStage
from core.concerns.models import (
    Assessment,
    AssessmentFactorRow,
    BodyMapMark,
    CaseEvent,
    CaseNote,
    Concern,
    ConcernRiskType,
    ConcernStatus,
    DecisionReview,
    EnquiryLocation,
    EnquirySource,
    Involvement,
    SafeguardingEnquiry,
    Supervision,
    case_note_readers,
)
from core.config import ConfigurationError
from core.db import utcnow
from core.discharges.models import HospitalDischarge
from core.extensions import db
from core.followups.models import ContactFollowUp
from core.mail.models import OutboxAttachment, OutboxMessage
from core.meetings.models import (
    Invitation,
    Meeting,
    MeetingAction,
    MeetingDecision,
    OtherAttendee,
    meeting_concerns,
    meeting_confidential_readers,
)
from core.people.models import AllegedPerson, Person, PersonDisability, PersonRelationship
from core.plans.models import (
    ActionProgress,
    Plan,
    PlanAction,
    PlanCategoryChange,
    PlanReview,
    PlanStatus,
)
from core.platform import current_platform
from core.returns import summary
from core.subject_access.models import SubjectAccessRequest
from core.tasks.models import Task
from core.trust.models import TrustReferral, TrustReferralAction
from plugins.types import PurgedCase

DEFAULT_RETENTION = {
    "adult_years_after_closure": 6,
    "child_until_age": 25,
    "child_years_after_closure": 6,
    "child_years_without_birth_date": 25,
    "discharge_years_after": 6,
}


def check_retention_setting(config: Mapping[str, Any]) -> None:
    """Stop start-up on an unknown key or a period that is not a whole number of years."""
    given = config.get("RETENTION") or {}
    unknown = sorted(set(given) - set(DEFAULT_RETENTION))
    if unknown:
        raise ConfigurationError(f"RETENTION: unknown setting(s) {', '.join(unknown)}")
    for key, value in given.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 150:
            raise ConfigurationError(f"RETENTION: {key} must be a whole number of years, 1-150")


def retention_periods(config: Mapping[str, Any]) -> dict[str, int]:
    return DEFAULT_RETENTION | dict(config.get("RETENTION") or {})


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DueRecord:
    concern_id: int
    reference: str
    category: str  # adult or child
    closed_on: date
    keep_until: date


def keep_until(concern: Concern, periods: Mapping[str, int]) -> date | None:
    """The last day a closed case is kept; None while it is open."""
    if concern.status != ConcernStatus.CLOSED or concern.closed_at is None:
        return None
    closed = concern.closed_at.date()
    if not concern.is_child:
        return _years_after(closed, periods["adult_years_after_closure"])
    born = concern.person.date_of_birth
    if born is None:
        return _years_after(closed, periods["child_years_without_birth_date"])
    return max(
        _years_after(born, periods["child_until_age"]),
        _years_after(closed, periods["child_years_after_closure"]),
    )


def _years_before(today: date, years: int) -> datetime:
    """Only records dated before this can be due when none is kept less than ``years``
    after its date (a child's birthday rule only keeps one longer). Two days' margin for
    29 February; the record's own last day then decides."""
    cutoff = _years_after(today, -years) + timedelta(days=2)
    return datetime.combine(cutoff, time.min, tzinfo=UTC)


def _closed_before(today: date, periods: Mapping[str, int]) -> datetime:
    """Only cases closed before this can be due (``keep_until`` decides for each)."""
    shortest = min(
        periods["adult_years_after_closure"],
        periods["child_years_after_closure"],
        periods["child_years_without_birth_date"],
    )
    return _years_before(today, shortest)


def _candidates(today: date, periods: Mapping[str, int], held: bool) -> Iterator[DueRecord]:
    open_plan = sa.exists().where(Plan.concern_id == Concern.id, Plan.status == PlanStatus.OPEN)
    hold = Concern.legal_hold_reason.is_not(None)
    query = (
        sa.select(Concern)
        .where(Concern.status == ConcernStatus.CLOSED, ~open_plan)
        .where(Concern.closed_at < _closed_before(today, periods))
        .where(hold if held else ~hold)
        .order_by(Concern.closed_at, Concern.id)
        .options(selectinload(Concern.person))
    )
    for concern in db.session.scalars(query):
        until = keep_until(concern, periods)
        if until is not None and until < today:
            yield DueRecord(
                concern.id,
                concern.reference,
                "child" if concern.is_child else "adult",
                concern.closed_at.date() if concern.closed_at else today,
                until,
            )


def past_retention(today: date, periods: Mapping[str, int]) -> list[DueRecord]:
    """Closed cases past their retention and not under a legal hold, oldest first."""
    return list(_candidates(today, periods, held=False))


def held_past_retention(today: date, periods: Mapping[str, int]) -> list[DueRecord]:
    """Cases past their retention that a legal hold keeps."""
    return list(_candidates(today, periods, held=True))


@dataclass(frozen=True)
class DueDischarge:
    discharge_id: int
    discharged_on: date
    keep_until: date


def discharge_keep_until(discharge: HospitalDischarge, periods: Mapping[str, int]) -> date:
    """The last day a hospital discharge notification is kept: ``discharge_years_after``
    years after the discharge and, for a child when discharged (by the date of birth),
    until the ``child_until_age`` birthday too, whichever is later."""
    day = discharge.discharged_at.date()
    until = _years_after(day, periods["discharge_years_after"])
    born = discharge.person.date_of_birth
    if born is not None and _years_after(born, 18) > day:
        until = max(until, _years_after(born, periods["child_until_age"]))
    return until


def discharges_past_retention(
    today: date, periods: Mapping[str, int], cases_going: Iterable[int] = ()
) -> list[DueDischarge]:
    """Hospital discharges past their retention, oldest first. One linked to a case is
    kept with the case (and its legal hold), unless the case is among ``cases_going``."""
    unlinked = HospitalDischarge.concern_id.is_(None)
    going = list(cases_going)
    if going:
        unlinked |= HospitalDischarge.concern_id.in_(going)
    query = (
        sa.select(HospitalDischarge)
        .where(unlinked)
        .where(
            HospitalDischarge.discharged_at < _years_before(today, periods["discharge_years_after"])
        )
        .order_by(HospitalDischarge.discharged_at, HospitalDischarge.id)
        .options(selectinload(HospitalDischarge.person))
    )
    due = []
    for discharge in db.session.scalars(query):
        until = discharge_keep_until(discharge, periods)
        if until < today:
            due.append(DueDischarge(discharge.id, discharge.discharged_at.date(), until))
    return due


def purge_discharge(record: DueDischarge) -> bool:
    """Hard-delete one hospital discharge notification with its follow-up, and the
    person's record when nothing else names them (no case, plan, allegation, other
    discharge or relationship, nor a row of a table retention does not know), leaving a
    tombstone; False, and nothing done, when it is no longer due (linked to a case
    since). The caller commits."""
    discharge = db.session.get(
        HospitalDischarge, record.discharge_id, with_for_update=True, populate_existing=True
    )
    if (
        discharge is None
        or discharge.concern_id is not None
        or discharge.discharged_at.date() != record.discharged_on
    ):
        return False
    going = _Going(discharge_id=discharge.id)
    person_ids = tuple(_people_going_with_it(going, discharge.person_id))
    related = sa.exists().where(
        PersonRelationship.person_id.in_(person_ids) | PersonRelationship.other_id.in_(person_ids)
    )
    if person_ids and db.session.scalar(sa.select(related)):
        person_ids = ()  # named around someone's case: the record stays with them
    endpoints: list[tuple[str, dict[str, Any]]] = [
        ("discharges_api.get_discharge", {"discharge_id": discharge.id})
    ]
    db.session.expunge(discharge)
    _delete(HospitalDischarge, HospitalDischarge.id == record.discharge_id)
    if person_ids:
        try:
            with db.session.begin_nested():
                _purge_people(person_ids)
        except IntegrityError:
            # a row this purge does not know (a plugin's table) still names the person:
            # the discharge goes, the person's record stays
            person_ids = ()
    endpoints += [("people_api.get_person", {"person_id": i}) for i in person_ids]
    _forget_stored_responses(_paths(endpoints))
    access_log.record("retention.purge", object_type="discharge", object_id=record.discharge_id)
    return True


def _delete(model: Any, *where: Any) -> None:
    db.session.execute(sa.delete(model).where(*where).execution_options(synchronize_session=False))


# --- What goes with a case ---------------------------------------------------------------


def _meetings_about_it_alone(concern_id: int, plan_ids: list[int]) -> list[int]:
    """The case's meetings that no other case refers to: not linked to another concern
    (an establishment's meeting about several stays) nor used by another case's plan."""
    linked = sa.select(meeting_concerns.c.meeting_id).where(
        meeting_concerns.c.concern_id == concern_id
    )
    other_case = sa.exists().where(
        meeting_concerns.c.meeting_id == Meeting.id, meeting_concerns.c.concern_id != concern_id
    )
    other_plan = sa.exists().where(Plan.meeting_id == Meeting.id, Plan.concern_id != concern_id)
    other_review = sa.exists().where(
        PlanReview.meeting_id == Meeting.id, PlanReview.plan_id.not_in(plan_ids)
    )
    return list(
        db.session.scalars(
            sa.select(Meeting.id)
            .where(Meeting.id.in_(linked), ~other_case, ~other_plan, ~other_review)
            .order_by(Meeting.id)
        )
    )


@dataclass(frozen=True)
class _Going:
    """The record being purged, whose own references to a person do not keep them."""

    concern_id: int | None = None
    discharge_id: int | None = None


def _people_going_with_it(going: _Going, person_id: int) -> list[int]:
    """The person's record and those merged into it (at any depth), leaves first, when
    nothing but the record going refers to any of them (a case or plan, as the person at
    risk or as the person alleged to have caused harm, or a hospital discharge);
    otherwise none: a kept record keeps the records merged into it, which are its
    history."""
    found, frontier = [person_id], [person_id]
    while frontier:
        frontier = list(
            db.session.scalars(sa.select(Person.id).where(Person.merged_into_id.in_(frontier)))
        )
        found += frontier
    concerns = Concern.person_id.in_(found)
    plans = Plan.person_id.in_(found)
    alleged = AllegedPerson.person_id.in_(found)
    if going.concern_id is not None:
        concerns &= Concern.id != going.concern_id
        plans &= Plan.concern_id != going.concern_id
        alleged &= AllegedPerson.concern_id != going.concern_id
    # a hospital discharge is about the person, not a case: it keeps the record while it
    # is kept itself (``discharge_years_after``)
    discharges = HospitalDischarge.person_id.in_(found)
    if going.discharge_id is not None:
        discharges &= HospitalDischarge.id != going.discharge_id
    in_use = db.session.scalar(
        sa.select(
            sa.exists().where(concerns)
            | sa.exists().where(plans)
            | sa.exists().where(discharges)
            | sa.exists().where(alleged)
        )
    )
    return [] if in_use else found[::-1]


def _people_around_going(leaving_with: _Going, going: list[int]) -> list[int]:
    """The records known only as related to the people going (a household member with no
    case of their own, related to no one staying): they go too."""
    if not going:
        return []
    linked = db.session.execute(
        sa.select(PersonRelationship.person_id, PersonRelationship.other_id).where(
            PersonRelationship.person_id.in_(going) | PersonRelationship.other_id.in_(going)
        )
    ).all()
    around = sorted({i for pair in linked for i in pair} - set(going))
    leaving = []
    for person_id in around:
        related = db.session.execute(
            sa.select(PersonRelationship.person_id, PersonRelationship.other_id).where(
                (PersonRelationship.person_id == person_id)
                | (PersonRelationship.other_id == person_id)
            )
        ).all()
        others = {i for pair in related for i in pair} - {person_id}
        if others <= set(going):
            leaving += _people_going_with_it(leaving_with, person_id)
    return leaving


def _case_people(concern: Concern) -> list[int]:
    """The records that go with the case: the person at risk's, those of the people
    alleged to have caused harm in it, and of the people known only around them."""
    case = _Going(concern_id=concern.id)
    going = _people_going_with_it(case, concern.person_id)
    for alleged_id in db.session.scalars(
        sa.select(AllegedPerson.person_id).where(AllegedPerson.concern_id == concern.id).distinct()
    ):
        going += [i for i in _people_going_with_it(case, alleged_id) if i not in going]
    going += [i for i in _people_around_going(case, going) if i not in going]
    return going


def _scope(concern: Concern) -> PurgedCase:
    plan_ids = list(
        db.session.scalars(
            sa.select(Plan.id).where(Plan.concern_id == concern.id).order_by(Plan.id)
        )
    )
    return PurgedCase(
        concern_id=concern.id,
        meeting_ids=tuple(_meetings_about_it_alone(concern.id, plan_ids)),
        plan_ids=tuple(plan_ids),
        person_ids=tuple(_case_people(concern)),
    )


def _submissions_about(case: PurgedCase) -> list[tuple[int, str]]:
    """(id, form name) of the agency forms about the case, its meetings and its plans."""
    subjects = [FormSubmission.concern_id == case.concern_id]
    for kind, ids in (
        ("concern", (case.concern_id,)),
        ("meeting", case.meeting_ids),
        ("plan", case.plan_ids),
    ):
        if ids:
            subjects.append(
                (FormSubmission.subject_type == kind) & FormSubmission.subject_id.in_(ids)
            )
    rows = db.session.execute(
        sa.select(FormSubmission.id, FormSubmission.form_name).where(sa.or_(*subjects))
    )
    return [(row.id, row.form_name) for row in rows]


# --- Deleting it -------------------------------------------------------------------------


def _purge_forms(submission_ids: list[int]) -> None:
    _delete(CaseEvent, CaseEvent.submission_id.in_(submission_ids))
    _delete(FormVersion, FormVersion.submission_id.in_(submission_ids))
    _delete(FormShare, FormShare.submission_id.in_(submission_ids))
    _delete(FormSubmission, FormSubmission.id.in_(submission_ids))


def _purge_plans(plan_ids: tuple[int, ...]) -> None:
    reviews = sa.select(PlanReview.id).where(PlanReview.plan_id.in_(plan_ids))
    actions = sa.select(PlanAction.id).where(PlanAction.plan_id.in_(plan_ids))
    _delete(ActionProgress, ActionProgress.review_id.in_(reviews))
    _delete(ActionProgress, ActionProgress.action_id.in_(actions))
    for model in (PlanReview, PlanAction, PlanCategoryChange):
        _delete(model, model.plan_id.in_(plan_ids))
    _delete(Plan, Plan.id.in_(plan_ids))


def _purge_meetings(case: PurgedCase) -> None:
    """The meetings about this case alone go, with the emails sent about them; any other
    meeting of the case only loses its link to it."""
    _delete(meeting_concerns, meeting_concerns.c.concern_id == case.concern_id)
    emails = sa.select(OutboxMessage.id).where(OutboxMessage.meeting_id.in_(case.meeting_ids))
    _delete(OutboxAttachment, OutboxAttachment.message_id.in_(emails))
    _delete(OutboxMessage, OutboxMessage.meeting_id.in_(case.meeting_ids))
    for model in (Invitation, OtherAttendee, MeetingDecision, MeetingAction):
        _delete(model, model.meeting_id.in_(case.meeting_ids))
    readers = meeting_confidential_readers.c.meeting_id
    db.session.execute(sa.delete(meeting_confidential_readers).where(readers.in_(case.meeting_ids)))
    _delete(Meeting, Meeting.id.in_(case.meeting_ids))


def _purge_case_file_reviews(concern_id: int) -> None:
    """A closed audit's findings are final: the review stays in its figures, without the
    case and without the auditor's comments about it. An open audit cannot audit a
    purged case: it leaves the sample."""
    closed = sa.select(CaseFileAudit.id).where(CaseFileAudit.status == AuditStatus.CLOSED)
    db.session.execute(
        sa.update(CaseFileReview)
        .where(CaseFileReview.concern_id == concern_id, CaseFileReview.audit_id.in_(closed))
        .values(concern_id=None, comments=None)
        .execution_options(synchronize_session=False)
    )
    still_sampled = sa.select(CaseFileReview.id).where(CaseFileReview.concern_id == concern_id)
    _delete(CaseFileAnswer, CaseFileAnswer.review_id.in_(still_sampled))
    _delete(CaseFileReview, CaseFileReview.concern_id == concern_id)


def _purge_complaints(about: sa.ColumnElement[bool]) -> None:
    """Complaints, compliments and comments go with the case, or the person, they are
    about (docs/returns.md), their stages first."""
    entry_ids = sa.select(ComplaintEntry.id).where(about)
    _delete(ComplaintStage, ComplaintStage.entry_id.in_(entry_ids))
    _delete(ComplaintEntry, about)


def _complaint_paths(case: PurgedCase) -> list[str]:
    """The API paths of the entries purged with the case and its people."""
    ids = db.session.scalars(
        sa.select(ComplaintEntry.id).where(
            sa.or_(
                ComplaintEntry.concern_id == case.concern_id,
                ComplaintEntry.person_id.in_(case.person_ids),
            )
        )
    )
    with current_app.test_request_context():
        root = request.script_root
        return [url_for("complaints_api.get_entry", entry_id=i)[len(root) :] for i in ids]


def _purge_people(person_ids: tuple[int, ...]) -> None:
    # their relationships go with them (from either end)
    _delete(
        PersonRelationship,
        PersonRelationship.person_id.in_(person_ids) | PersonRelationship.other_id.in_(person_ids),
    )
    for person_id in person_ids:  # leaves first: each points only at records still there
        _purge_complaints(ComplaintEntry.person_id == person_id)
        _delete(PersonDisability, PersonDisability.person_id == person_id)
        # a subject access request and its export are kept with the person, and go with them
        _delete(SubjectAccessRequest, SubjectAccessRequest.person_id == person_id)
        _delete(Person, Person.id == person_id)


def _api_paths(
    case: PurgedCase, submissions: list[tuple[int, str]], task_ids: list[int]
) -> list[str]:
    """The API paths of the purged records, without the script root: a stored response
    is about one of them when its request path or ``Location`` ends with it or goes on
    below it."""

    endpoints: list[tuple[str, dict[str, Any]]] = [
        ("concerns_api.get_concern", {"concern_id": case.concern_id})
    ]
    endpoints += [("people_api.get_person", {"person_id": i}) for i in case.person_ids]
    endpoints += [("plans_api.get_plan", {"plan_id": i}) for i in case.plan_ids]
    endpoints += [("meetings_api.get_meeting", {"meeting_id": i}) for i in case.meeting_ids]
    endpoints += [
        ("forms_api.get_submission", {"form_name": name, "submission_id": i})
        for i, name in submissions
    ]
    endpoints += [("tasks_api.get_task", {"task_id": i}) for i in task_ids]
    return _paths(endpoints)


def _paths(endpoints: list[tuple[str, dict[str, Any]]]) -> list[str]:
    with current_app.test_request_context():
        root = request.script_root
        return [url_for(endpoint, **values)[len(root) :] for endpoint, values in endpoints]


def _forget_stored_responses(paths: list[str]) -> None:
    about = []
    for path in paths:
        for column in (IdempotencyKey.request_path, IdempotencyKey.response_location):
            about.append(column.endswith(path, autoescape=True))
            about.append(column.contains(path + "/", autoescape=True))
    _delete(IdempotencyKey, sa.or_(*about))


def forget_expired_responses() -> None:
    """Delete the idempotency keys past their expiry (each kept at least 24 hours), with
    the responses they stored. The caller commits."""
    _delete(IdempotencyKey, IdempotencyKey.expires_at < utcnow())


def _still_due(concern: Concern, record: DueRecord) -> bool:
    """Whether the case is still as it was listed: a manager may have placed a legal hold,
    reopened the case or opened a plan since."""
    open_plan = db.session.scalar(
        sa.select(sa.exists().where(Plan.concern_id == concern.id, Plan.status == PlanStatus.OPEN))
    )
    return (
        concern.status == ConcernStatus.CLOSED
        and concern.legal_hold_reason is None
        and concern.closed_at is not None
        and concern.closed_at.date() == record.closed_on
        and not open_plan
    )


def purge(record: DueRecord) -> bool:
    """Hard-delete one case record and every row that refers to it, and leave a
    tombstone; False, and nothing done, when the case is no longer due. The caller
    commits: everything, tombstone included, is saved together or not at all."""
    concern = db.session.get(
        Concern, record.concern_id, with_for_update=True, populate_existing=True
    )
    if concern is None or not _still_due(concern, record):
        return False
    case = _scope(concern)
    submissions = _submissions_about(case)
    task_ids = list(
        db.session.scalars(sa.select(Task.id).where(Task.concern_id == case.concern_id))
    )
    paths = _api_paths(case, submissions, task_ids) + _complaint_paths(case)
    db.session.expunge(concern)
    current_platform().hook.case_purging(case=case, connection=db.session.connection())
    _purge_forms([submission_id for submission_id, _ in submissions])
    _purge_plans(case.plan_ids)
    _purge_meetings(case)
    _purge_case_file_reviews(case.concern_id)
    enquiry_ids = sa.select(SafeguardingEnquiry.id).where(
        SafeguardingEnquiry.concern_id == case.concern_id
    )
    _delete(EnquiryLocation, EnquiryLocation.enquiry_id.in_(enquiry_ids))
    _delete(EnquirySource, EnquirySource.enquiry_id.in_(enquiry_ids))
    assessment_ids = sa.select(Assessment.id).where(Assessment.concern_id == case.concern_id)
    _delete(AssessmentFactorRow, AssessmentFactorRow.assessment_id.in_(assessment_ids))
    note_ids = sa.select(CaseNote.id).where(CaseNote.concern_id == case.concern_id)
    db.session.execute(
        sa.delete(case_note_readers).where(case_note_readers.c.note_id.in_(note_ids))
    )
    # the PiPoT and LADO referrals about the people alleged, with the employers' actions
    referral_ids = sa.select(TrustReferral.id).where(TrustReferral.concern_id == case.concern_id)
    _delete(TrustReferralAction, TrustReferralAction.referral_id.in_(referral_ids))
    _delete(TrustReferral, TrustReferral.concern_id == case.concern_id)
    for model in (
        Assessment,
        SafeguardingEnquiry,
        ConcernRiskType,
        Involvement,
        CaseEvent,
        CaseNote,
        DecisionReview,
        BodyMapMark,
        Supervision,
        Task,
        ContactFollowUp,
        ChronologyEntry,
        AllegedPerson,
    ):
        _delete(model, model.concern_id == case.concern_id)
    _purge_complaints(ComplaintEntry.concern_id == case.concern_id)
    # a discharge that raised the concern keeps its follow-up, without the link
    db.session.execute(
        sa.update(HospitalDischarge)
        .where(HospitalDischarge.concern_id == case.concern_id)
        .values(concern_id=None)
        .execution_options(synchronize_session=False)
    )
    summary.note_removed(concern)  # the dashboard's figures count the case no more
    _delete(Concern, Concern.id == case.concern_id)
    _purge_people(case.person_ids)
    _forget_stored_responses(paths)
    access_log.record("retention.purge", object_type="concern", object_id=case.concern_id)
    return True


@dataclass(frozen=True)
class Run:
    """What a run listed (dry run) or purged."""

    cases: list[DueRecord]
    discharges: list[DueDischarge]


def run(today: date | None = None, *, dry_run: bool) -> Run:
    """List (dry run) or purge what is past retention and not held: the closed cases,
    then the hospital discharges (those of the cases purged included); each record is
    purged in a transaction of its own. Returns what was listed, or what was purged."""

    periods = retention_periods(current_app.config)
    day = today or _today()
    due = past_retention(day, periods)
    due_discharges = discharges_past_retention(day, periods, [r.concern_id for r in due])
    db.session.rollback()
    if dry_run:
        access_log.record("retention.list", object_type="retention")
        db.session.commit()
        return Run(due, due_discharges)
    forget_expired_responses()
    db.session.commit()
    purged = []
    for record in due:
        if purge(record):
            purged.append(record)
        db.session.commit()
    discharges = []
    for discharge in due_discharges:
        if purge_discharge(discharge):
            discharges.append(discharge)
        db.session.commit()
    return Run(purged, discharges)


def _today() -> date:
    now: datetime = utcnow()
    return now.date()


@jobs.periodic("cron", "JOBS_RETENTION_CRON")
@jobs.task
def run_retention() -> str:
    """The job: purge the closed case records past retention and not held, and the
    hospital discharges past theirs (``retention run``)."""
    purged = run(dry_run=False)
    return (
        f"purged {len(purged.cases)} case record(s) and "
        f"{len(purged.discharges)} hospital discharge(s)"
    )
