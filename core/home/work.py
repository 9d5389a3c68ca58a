"""What waits for the signed-in user: the home page's "Your work" and ``GET /api/v1/me/work``.

Each task is a count of one list the user can open, with the earliest date any of it is
due and the list's address: the count is of the same query the list runs, over what the
user may see, so the two always agree. Which tasks a user has follows their permissions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for

from core.audits import operations as audit_operations
from core.audits.models import AttendanceAudit, BoardAction, BoardActionStatus
from core.casefile.models import CaseFileReview
from core.clocks import to_local
from core.concerns import listing
from core.concerns import operations as concern_operations
from core.concerns.models import Concern
from core.db import utcnow
from core.discharges import operations as discharge_operations
from core.extensions import db
from core.followups import operations as follow_ups
from core.followups.models import ContactFollowUp
from core.mail.models import DeliveryStatus, OutboxMessage
from core.meetings import worklist
from core.meetings.models import Invitation, Meeting
from core.meetings.types import meeting_types, report_deadline
from core.people.models import Establishment, EstablishmentStatus
from core.plans import operations as plan_operations
from core.plans.models import Plan
from core.policy.casefile import assigned_reviews, is_auditor
from core.policy.cases import visible_concerns
from core.policy.followups import visible_follow_ups
from core.policy.meetings import own_invitations, own_open_meeting_actions
from core.policy.people import visible_establishments
from core.policy.plans import own_open_actions, visible_plans
from core.policy.routes import user_can
from core.policy.subject_access import visible_requests
from core.subject_access import operations as subject_access
from core.subject_access.models import SubjectAccessRequest
from core.training.quarterly import staff_overdue


@dataclass(frozen=True)
class Task:
    key: str
    label: str
    count: int
    link: str
    due: date | None = None  # the earliest date any of it is due
    overdue: bool = False

    @classmethod
    def due_by(
        cls, key: str, label: str, count: int, link: str, due: date | None, today: date
    ) -> Task:
        """A task whose earliest due date is ``due``: overdue once it is before today."""
        return cls(key, label, count, link, due, due is not None and due < today)


def _count(query: sa.Select[Any]) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0)


def _concerns(user: Any, key: str, label: str, today: date, **filters: Any) -> Task:
    """Concerns the list page shows for ``filters`` (the same query and arguments)."""
    query = listing.filtered(visible_concerns(user), filters)
    due = db.session.scalar(query.with_only_columns(sa.func.min(Concern.screening_due)))
    link = url_for("concerns.index", **{k: _arg(v) for k, v in filters.items()})
    return Task.due_by(key, label, _count(query), link, due, today)


def _arg(value: Any) -> str:
    return "true" if value is True else str(value)


def _team(user: Any, today: date) -> Iterator[Task]:
    if user_can(user, "concerns.decide"):
        yield _concerns(
            user, "screening_overdue", "Screening decisions overdue", today, overdue=True
        )
        yield _concerns(
            user, "screening_due_today", "Screening decisions due today", today, due_today=True
        )
    if user_can(user, "handover.accept"):
        _, waiting, _ = concern_operations.pending_handover(user)
        yield Task(
            "handover",
            "Out-of-hours concerns for the handover",
            len(waiting),
            url_for("concerns.handover"),
        )
    if user_can(user, "concerns.sign_off"):
        yield _concerns(
            user, "sign_off", "Screening decisions waiting for sign-off", today, sign_off="pending"
        )
    if user_can(user, "follow_ups.manage"):
        to_call = follow_ups.filtered(visible_follow_ups(user), "due", today)
        yield Task.due_by(
            "contact_follow_ups",
            "Contact follow-ups to call (signposted and no further action)",
            _count(to_call),
            url_for("follow_ups.index", state="due"),
            db.session.scalar(
                to_call.order_by(None).with_only_columns(sa.func.min(ContactFollowUp.due_on))
            ),
            today,
        )
    if user_can(user, "subject_access.manage"):
        to_answer = subject_access.filtered(visible_requests(user), "open")
        yield Task.due_by(
            "subject_access",
            "Subject access requests to answer",
            _count(to_answer),
            url_for("subject_access.index"),
            db.session.scalar(
                to_answer.order_by(None).with_only_columns(sa.func.min(SubjectAccessRequest.due_on))
            ),
            today,
        )
    if user_can(user, "concerns.supervise"):
        weeks = int(current_app.config["OVERSIGHT_WEEKS"])
        yield Task(
            "oversight",
            f"Cases without management oversight for {weeks} weeks",
            _count(concern_operations.without_oversight(weeks, user.council_id)),
            url_for("concerns.oversight"),
        )
    if user_can(user, "meetings.schedule"):
        items = worklist.items(today, user.council_id)
        overdue = [i for i in items if i.overdue]
        yield Task(
            "work_list",
            "Meetings, answers, reports, actions and late tasks due",
            len(items),
            url_for("meetings.work_list"),
            min((i.due for i in items), default=None),
            bool(overdue),
        )
    if user_can(user, "discharges.follow_up"):
        yield Task(
            "discharges",
            "Hospital discharges waiting for follow-up",
            _count(discharge_operations.listed(user, waiting=True)),
            url_for("discharges.index", waiting="true"),
        )
    if user_can(user, "establishments.manage"):
        proposed = visible_establishments(user).where(
            Establishment.status == EstablishmentStatus.PROPOSED
        )
        yield Task(
            "establishments_proposed",
            "Establishments proposed by their providers, to confirm",
            _count(proposed),
            url_for("establishments.index", status=EstablishmentStatus.PROPOSED.value),
        )
    if user_can(user, "plans.manage"):
        query = visible_plans(user).where(plan_operations.needs_attention_clause(today))
        due = db.session.scalar(query.with_only_columns(sa.func.min(Plan.next_review_due)))
        yield Task.due_by(
            "plans_attention",
            "Plans needing attention (a review overdue, or no review for six months)",
            _count(query),
            url_for("plans.index", attention="yes"),
            due,
            today,
        )


def _partner(user: Any, today: date) -> Iterator[Task]:
    if user_can(user, "meetings.respond"):
        invitations = own_invitations(user)
        unanswered = list(db.session.scalars(invitations.where(Invitation.response.is_(None))))
        yield Task(
            "invitations",
            "Meeting invitations to answer",
            len(unanswered),
            url_for("portal.index"),
            min((worklist.answer_due(i) for i in unanswered), default=None),
            any(worklist.answer_due(i) < today for i in unanswered),
        )
        expecting = [code for code, kind in meeting_types().items() if kind.report_days_before]
        reports = list(
            db.session.scalars(
                invitations.where(
                    Meeting.type.in_(expecting),
                    Meeting.starts_at >= utcnow(),
                    Invitation.report_submitted_at.is_(None),
                )
            )
        )
        deadlines = [report_deadline(i.meeting) for i in reports]
        yield Task(
            "reports",
            "Reports to send before meetings",
            len(reports),
            url_for("portal.index"),
            min(deadlines, default=None),
            any(d < today for d in deadlines),
        )
    if user_can(user, "plans.act"):
        actions = list(db.session.scalars(own_open_actions(user)))
        actions += list(db.session.scalars(own_open_meeting_actions(user)))
        due = min((a.due_on for a in actions), default=None)
        yield Task.due_by(
            "actions",
            "Actions your agency owns",
            len(actions),
            url_for("plans.portal_actions"),
            due,
            today,
        )
    if user_can(user, "training.keep"):
        overdue = staff_overdue(user.agency_id, today)
        if overdue is not None:  # an agency that keeps its staff training records here
            yield Task(
                "training_overdue",
                "Staff overdue for refresher safeguarding training",
                overdue,
                url_for("training.quarterly"),
                overdue=bool(overdue),
            )


def _audit(user: Any, today: date) -> Iterator[Task]:
    if user_can(user, "casefile.audit"):
        mine = _count(assigned_reviews(user).where(CaseFileReview.completed_at.is_(None)))
        # managers and officers review only now and then: shown when they have cases to do
        if mine or is_auditor(user):
            yield Task(
                "casefile_reviews",
                "Case file reviews assigned to you, not yet finished",
                mine,
                url_for("casefile.index"),
            )
    if user_can(user, "attendance_audits.run"):
        start, end = audit_operations.default_period(today)
        run = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AttendanceAudit)
            .where(
                AttendanceAudit.period_start == start,
                AttendanceAudit.period_end == end,
                AttendanceAudit.council_id == user.council_id,
            )
        )
        yield Task(
            "attendance_audit",
            f"Attendance audit of {start:%-d %B %Y} to {end:%-d %B %Y} to run",
            0 if run else 1,
            url_for("attendance_audits.new"),
        )
    if user_can(user, "board_actions.manage"):
        open_actions = (
            sa.select(BoardAction)
            .join(AttendanceAudit, AttendanceAudit.id == BoardAction.audit_id)
            .where(
                BoardAction.status.in_((BoardActionStatus.OPEN, BoardActionStatus.IN_PROGRESS)),
                AttendanceAudit.council_id == user.council_id,
            )
        )
        due = db.session.scalar(open_actions.with_only_columns(sa.func.min(BoardAction.due_on)))
        yield Task.due_by(
            "board_actions",
            "Board actions open or in progress",
            _count(open_actions),
            url_for("attendance_audits.index"),
            due,
            today,
        )


def _administration(user: Any, today: date) -> Iterator[Task]:
    if user_can(user, "mail.view"):
        failed = sa.select(OutboxMessage).where(OutboxMessage.status == DeliveryStatus.FAILED)
        yield Task(
            "failed_email",
            "Emails that could not be sent",
            _count(failed),
            url_for("outbox.index", status="failed"),
        )


SOURCES: tuple[Callable[[Any, date], Iterator[Task]], ...] = (
    _team,
    _partner,
    _audit,
    _administration,
)


def my_work(user: Any) -> list[Task]:
    """Every task the user's permissions give them, with its count (zero included)."""
    today = to_local(utcnow()).date()
    return [task for source in SOURCES for task in source(user, today)]


def follow_ups_to_call(user: Any, limit: int = 10) -> list[ContactFollowUp]:
    """The contact follow-ups due today or earlier, soonest first, for the team's task list
    on its home page (the first ``limit``; the task above links to them all)."""
    if not user_can(user, "follow_ups.manage"):
        return []
    today = to_local(utcnow()).date()
    query = follow_ups.filtered(visible_follow_ups(user), "due", today)
    return list(db.session.scalars(query.limit(limit)))
