"""Subject access requests: record one, produce the export, mark it sent. Every rule and
write is here; the request's unit of work commits (core/pipeline.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from core.accesslog import operations as access_log
from core.clocks import add_months, in_range, to_local
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.people.models import Person
from core.subject_access.export import build_export
from core.subject_access.models import RequestStatus, SubjectAccessRequest

# UK GDPR Article 12(3): the controller shall answer "without undue delay and in any event
# within one month of receipt of the request", extendable "by two further months where
# necessary, taking into account the complexity and number of the requests" (the person is
# told of the extension, with the reasons, within the first month). The month is counted
# to the corresponding day of the next month, or its last day when the next month is
# shorter (received 31 January, due 28 or 29 February).
ANSWER_WITHIN_MONTHS = 1
REQUESTED_BY_MAX = 200
IDENTITY_MAX = 500
LIST_STATES = ("open", "sent", "all")


def today() -> date:
    return to_local(utcnow()).date()


def due_date(received_on: date) -> date:
    """One calendar month after the request was received (Article 12(3))."""
    return add_months(received_on, ANSWER_WITHIN_MONTHS)


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    requested_by = (values.get("requested_by") or "").strip()
    identity = (values.get("identity_checked") or "").strip()
    received_on = values.get("received_on")
    if not requested_by:
        errors["requested_by"] = ["Enter who made the request"]
    elif len(requested_by) > REQUESTED_BY_MAX:
        errors["requested_by"] = [
            f"Who made the request must be {REQUESTED_BY_MAX} characters or fewer"
        ]
    if not isinstance(received_on, date):
        errors["received_on"] = ["Enter the date the request was received"]
    elif not in_range(received_on):
        errors["received_on"] = ["Enter a real date the request was received"]
    elif received_on > today():
        errors["received_on"] = ["The date the request was received must be today or in the past"]
    if not identity:
        errors["identity_checked"] = ["Enter how the requester's identity was checked"]
    elif len(identity) > IDENTITY_MAX:
        errors["identity_checked"] = [
            f"How identity was checked must be {IDENTITY_MAX} characters or fewer"
        ]
    if errors:
        raise ValidationFailed(errors)
    return {"requested_by": requested_by, "received_on": received_on, "identity_checked": identity}


def record_request(person: Person, values: dict[str, Any], user: Any) -> SubjectAccessRequest:
    """A request received for ``person``'s records, due a month after it was received."""
    if person.merged_into_id is not None:
        raise ValidationFailed.single(
            "person_id", "This record was merged: ask for the record kept"
        )
    clean = _checked(values)
    request = SubjectAccessRequest(
        person_id=person.id,
        due_on=due_date(clean["received_on"]),
        recorded_by_id=user.id,
        council_id=user.council_id,
        **clean,
    )
    db.session.add(request)
    db.session.flush()
    access_log.record("subject_access.create", object_type="subject_access", object_id=request.id)
    return request


def produce(request: SubjectAccessRequest, user: Any) -> SubjectAccessRequest:
    """Gather everything held about the person now (third parties withheld), kept as
    produced; a request already sent is not produced again."""
    if request.status == RequestStatus.SENT:
        raise ValidationFailed.single("status", "This request was sent: it is not produced again")
    now = utcnow()
    request.export = build_export(request.person, now, request.id, request.council_id)
    request.produced_at = now
    request.produced_by_id = user.id
    request.status = RequestStatus.PRODUCED
    db.session.flush()
    return request


def mark_sent(request: SubjectAccessRequest, user: Any) -> SubjectAccessRequest:
    """The export was sent to the requester today."""
    if request.status == RequestStatus.RECEIVED:
        raise ValidationFailed.single("status", "Produce the export before marking it sent")
    if request.status == RequestStatus.SENT:
        raise ValidationFailed.single("status", "This request is already marked sent")
    request.status = RequestStatus.SENT
    request.sent_on = today()
    request.sent_by_id = user.id
    db.session.flush()
    access_log.record("subject_access.sent", object_type="subject_access", object_id=request.id)
    return request


def filtered(query: sa.Select[Any], state: str) -> sa.Select[Any]:
    """Open requests (not sent, soonest due first) unless ``state`` is ``sent`` or ``all``."""
    if state == "sent":
        query = query.where(SubjectAccessRequest.status == RequestStatus.SENT)
        return query.order_by(SubjectAccessRequest.sent_on.desc(), SubjectAccessRequest.id.desc())
    if state != "all":
        query = query.where(SubjectAccessRequest.status != RequestStatus.SENT)
    return query.order_by(SubjectAccessRequest.due_on, SubjectAccessRequest.id)
