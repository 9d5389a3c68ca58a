"""Notifying a hospital discharge, recording its follow-up, and the monthly monitoring
(Newport Emergency Duty Service plan, action 6; issue 25, item 6).

A discharge stands alone: the person need have no open concern. The trust names the
person as a partner's concern does (a new person record; the team finds and merges a
duplicate, ``people.possible_duplicates``). Whether it was out of hours is worked out
from the discharge time by the council's one out-of-hours rule (core hours, weekends,
England bank holidays and local closure days: ``core.clocks.council_calendar``), never
typed."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from core.accesslog import operations as access_log
from core.clocks import council_calendar, in_range, to_local
from core.concerns.models import Concern, add_event
from core.db import utcnow
from core.discharges.models import HospitalDischarge
from core.errors import ValidationFailed
from core.extensions import db
from core.people import operations as people
from core.people.models import Person, survivor_of
from core.policy.councils import figures_council
from core.policy.discharges import can_notify, reads_named_discharges, visible_discharges
from core.returns.periods import Period

if TYPE_CHECKING:
    from core.auth.models import User

SOON = timedelta(minutes=5)  # a clock a little ahead of ours is not the future


def _required_text(
    values: dict[str, Any], field: str, message: str, maximum: int, errors: dict[str, list[str]]
) -> str:
    value = str(values.get(field) or "").strip()
    if not value:
        errors[field] = [message]
    elif len(value) > maximum:
        errors[field] = [f"{message[6:].capitalize()} must be {maximum:,} characters or fewer"]
    return value


def _moment(
    values: dict[str, Any], field: str, label: str, errors: dict[str, list[str]]
) -> datetime | None:
    """A date and time with its zone, in the years the hub takes and not in the future."""
    moment = values.get(field)
    if moment is None:
        errors[field] = [f"Enter the date and time {label}"]
        return None
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        errors[field] = [f"Enter the date and time {label} as a real date and time"]
        return None
    if not in_range(moment):
        errors[field] = ["Enter a date from 1900 to 2100"]
        return None
    if moment > utcnow() + SOON:
        errors[field] = [f"The date and time {label} must be now or in the past"]
        return None
    return moment


def clean_discharge(values: dict[str, Any]) -> dict[str, Any]:
    """The discharge's own answers, checked; ValidationFailed names every problem."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {
        "discharged_at": _moment(values, "discharged_at", "of the discharge", errors),
        "discharged_from": _required_text(
            values, "discharged_from", "Enter the hospital and ward discharged from", 200, errors
        ),
        "discharged_to": _required_text(
            values, "discharged_to", "Enter where the person was discharged to", 200, errors
        ),
    }
    care = values.get("care_in_place")
    if not isinstance(care, bool):
        errors["care_in_place"] = ["Select yes or no: was care in place on arrival?"]
    cleaned["care_in_place"] = care
    notes = str(values.get("notes") or "").strip()
    if len(notes) > 5000:
        errors["notes"] = ["What was arranged must be 5,000 characters or fewer"]
    cleaned["notes"] = notes or None
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def is_out_of_hours(moment: datetime) -> bool:
    """Whether ``moment`` is outside the council's core hours (the concerns' rule)."""
    return council_calendar(current_app.config).is_out_of_hours(moment)


def notify(values: dict[str, Any], person_values: dict[str, Any], user: User) -> HospitalDischarge:
    """Record a discharge the user's trust notifies, about a new person record made from
    ``person_values``; out of hours or not by the discharge time. Every problem, the
    person's and the discharge's, is said at once."""
    if not can_notify(user):
        raise ValidationFailed.single("agency", "Only NHS trusts notify hospital discharges")
    errors: dict[str, list[str]] = {}
    for check in (
        lambda: people.clean_person({k: person_values.get(k) for k in people.PERSON_FIELDS}),
        lambda: clean_discharge(values),
    ):
        try:
            check()
        except ValidationFailed as failed:
            errors |= failed.errors
    if errors:
        raise ValidationFailed(errors)
    cleaned = clean_discharge(values)
    person = people.create_person(person_values)
    discharge = HospitalDischarge(
        **cleaned,
        agency_id=user.agency_id,
        council_id=user.council_id,
        person=person,
        out_of_hours=is_out_of_hours(cleaned["discharged_at"]),
        notified_by_id=user.id,
        notified_at=utcnow(),
    )
    db.session.add(discharge)
    db.session.flush()
    access_log.record("discharge.create", object_type="discharge", object_id=discharge.id)
    return discharge


def _linked_concern(
    reference: str, discharge: HospitalDischarge, errors: dict[str, list[str]]
) -> Concern | None:
    concern = db.session.scalar(
        sa.select(Concern).where(
            sa.func.upper(Concern.reference) == reference.upper(),
            Concern.deleted_at.is_(None),
            Concern.council_id == discharge.council_id,  # a case of the discharge's council
        )
    )
    if concern is None:
        errors["concern_reference"] = [f"There is no concern {reference}: check the reference"]
        return None
    about = survivor_of(concern.person) if concern.person else None
    if about is None or about.id != survivor_of(discharge.person).id:
        errors["concern_reference"] = [
            f"Concern {concern.reference} is about someone else. If it is the same person, "
            "merge the two records first"
        ]
        return None
    return concern


def follow_up(
    discharge: HospitalDischarge, values: dict[str, Any], user: User
) -> HospitalDischarge:
    """Record (or correct) the team's follow-up: who followed the discharge up, when,
    what was done, whether a concern was raised and, once known, which."""
    errors: dict[str, list[str]] = {}
    by = _required_text(values, "followed_up_by", "Enter who followed it up", 200, errors)
    when = _moment(values, "followed_up_at", "it was followed up", errors)
    if when is not None and when < discharge.discharged_at:
        errors["followed_up_at"] = ["The follow-up must be after the discharge"]
    action = _required_text(values, "follow_up_action", "Enter what was done", 5000, errors)
    raised = values.get("concern_raised")
    if not isinstance(raised, bool):
        errors["concern_raised"] = ["Select yes or no: was a safeguarding concern raised?"]
    reference = str(values.get("concern_reference") or "").strip()
    concern = None
    if reference and raised is False:
        errors["concern_reference"] = ["Give a concern only when a concern was raised"]
    elif reference:
        concern = _linked_concern(reference, discharge, errors)
    if errors:
        raise ValidationFailed(errors)
    newly_linked = concern is not None and concern.id != discharge.concern_id
    discharge.followed_up_by, discharge.followed_up_at = by, when
    discharge.follow_up_action, discharge.concern_raised = action, raised
    discharge.concern = concern
    discharge.follow_up_recorded_by_id, discharge.follow_up_recorded_at = user.id, utcnow()
    db.session.flush()
    if newly_linked:
        assert concern is not None
        add_event(
            concern,
            user,
            "discharge.linked",
            f"Hospital discharge of {to_local(discharge.discharged_at):%-d %B %Y at %H:%M} "
            f"({'out of hours' if discharge.out_of_hours else 'in core hours'}) followed up: "
            "this concern was raised",
        )
    access_log.record("discharge.follow_up", object_type="discharge", object_id=discharge.id)
    return discharge


def listed(user: User, waiting: bool = False) -> sa.Select[tuple[HospitalDischarge]]:
    """The discharges ``user`` may read (``waiting``: only those not followed up yet),
    those waiting for follow-up first, newest first."""
    query = visible_discharges(user)
    if waiting:
        query = query.where(HospitalDischarge.followed_up_at.is_(None))
    return query.options(
        selectinload(HospitalDischarge.agency), selectinload(HospitalDischarge.person)
    ).order_by(
        HospitalDischarge.followed_up_at.is_not(None),
        HospitalDischarge.discharged_at.desc(),
        HospitalDischarge.id.desc(),
    )


def possible_duplicates(discharge: HospitalDischarge) -> list[Person]:
    """Other records that may be the person discharged, for the team to merge."""
    person = discharge.person
    values = {
        "nhs_number": person.nhs_number,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
    }
    return people.possible_duplicates(values, discharge.council_id, excluding=person.id)


# --- The monthly monitoring report ----------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    discharges: int
    out_of_hours: int
    followed_up: int
    awaiting_follow_up: int
    out_of_hours_awaiting: int
    concerns_raised: int
    without_care: int


@dataclass(frozen=True)
class Monitoring:
    """A month's discharges: the counts for everyone who may read the report, the
    discharges themselves (``rows``) only for the safeguarding team (None otherwise)."""

    month: date
    period: Period
    counts: Counts
    rows: list[HospitalDischarge] | None
    median_hours_to_follow_up: float | None

    @property
    def label(self) -> str:
        return f"{self.month:%B %Y}"


def month_period(first: date) -> Period:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def _count(condition: Any) -> Any:
    return sa.func.count(sa.case((condition, 1)))


def monitoring(month: date, user: User) -> Monitoring:
    """The discharges of ``month`` (local time) notified to the user's council: counted
    in SQL; listed for the team."""
    first = month.replace(day=1)
    period = month_period(first)
    in_month = sa.and_(
        period.holds(HospitalDischarge.discharged_at),
        HospitalDischarge.council_id == figures_council(user),
    )
    followed = HospitalDischarge.followed_up_at.is_not(None)
    row = db.session.execute(
        sa.select(
            sa.func.count(HospitalDischarge.id),
            _count(HospitalDischarge.out_of_hours.is_(True)),
            _count(followed),
            _count(sa.and_(HospitalDischarge.out_of_hours.is_(True), ~followed)),
            _count(HospitalDischarge.concern_raised.is_(True)),
            _count(HospitalDischarge.care_in_place.is_(False)),
        ).where(in_month)
    ).one()
    total, out_of_hours, done, ooh_waiting, raised, without_care = (int(v or 0) for v in row)
    counts = Counts(
        discharges=total,
        out_of_hours=out_of_hours,
        followed_up=done,
        awaiting_follow_up=total - done,
        out_of_hours_awaiting=ooh_waiting,
        concerns_raised=raised,
        without_care=without_care,
    )
    rows = None
    median = None
    if reads_named_discharges(user):
        rows = list(
            db.session.scalars(
                sa.select(HospitalDischarge)
                .where(in_month)
                .options(
                    selectinload(HospitalDischarge.agency),
                    selectinload(HospitalDischarge.person),
                    selectinload(HospitalDischarge.concern),
                )
                .order_by(HospitalDischarge.discharged_at, HospitalDischarge.id)
            )
        )
        hours = [r.hours_to_follow_up for r in rows if r.hours_to_follow_up is not None]
        median = round(statistics.median(hours), 1) if hours else None
    return Monitoring(first, period, counts, rows, median)
