"""Contact-only follow-ups (Dudley's adult safeguarding action plan, 6.3: "A sample of
'contact only' referrals are contacted after 2 weeks from time of contact. A report is
available to collate information monthly on contact only referrals. A letter is sent to
those people who made contact only referrals to ask if the signposting information
provided was personally effective"; issue 25, item 1).

A concern screened out at its screening decision (signposted, or no further action: the
product's "contact only") is sampled when that decision becomes final and again when
the case is closed, at the share the council sets (``CONTACT_FOLLOW_UP_PERCENT``). The
sample is drawn from the concern's id, so the same concern always gives the same answer
and is never sampled twice (one follow-up a concern).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from core.accesslog import operations as access_log
from core.auth.models import User
from core.clocks import add_months, to_local
from core.concerns.models import Concern, Decision, add_event
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.followups.models import ContactFollowUp, FollowUpOutcome

# The screening decisions that screen a concern out: the council gives information or
# points the contact elsewhere and opens no enquiry (the adults' "signposted" and either
# pathway's "no further action").
FOLLOW_UP_DECISIONS = (Decision.SIGNPOSTED, Decision.NO_FURTHER_ACTION)
NOTE_MAX = 5000


def today() -> date:
    return to_local(utcnow()).date()


def share() -> int:
    """The percentage of screened-out concerns followed up (0 to 100)."""
    return int(current_app.config["CONTACT_FOLLOW_UP_PERCENT"])


def after_days() -> int:
    """Days after the contact that the follow-up call is due (two weeks by default)."""
    return int(current_app.config["CONTACT_FOLLOW_UP_DAYS"])


def sampled(concern_id: int, percent: int) -> bool:
    """Whether the concern falls in a sample of ``percent`` per cent: one of 100 buckets
    drawn from a hash of its id, so the answer is the same at every asking."""
    digest = hashlib.sha256(f"contact-follow-up:{concern_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 100 < percent


def follow_up_of(concern: Concern) -> ContactFollowUp | None:
    return db.session.scalar(
        sa.select(ContactFollowUp).where(ContactFollowUp.concern_id == concern.id)
    )


def consider(concern: Concern, user: User | None) -> ContactFollowUp | None:
    """Sample a screened-out concern for a follow-up, once its decision is final (made,
    or signed off where the council asks for sign-off): called by the screening decision,
    its sign-off and the closure. A new follow-up, or None."""
    if (
        concern.decision not in FOLLOW_UP_DECISIONS
        or concern.decision_final_at is None
        or concern.deleted_at is not None
        or not sampled(concern.id, share())
        or follow_up_of(concern) is not None
    ):
        return None
    return open_follow_up(concern, user)


def open_follow_up(concern: Concern, user: User | None, due: date | None = None) -> ContactFollowUp:
    """The concern's follow-up, due two weeks after the contact (and not before today)
    unless ``due`` is given (the demo's, dated back); the one it has if it has one. On
    the case's timeline."""
    found = follow_up_of(concern)
    if found is not None:
        return found
    assert concern.decision is not None
    contacted = to_local(concern.received_at).date()
    due = due or max(contacted + timedelta(days=after_days()), today())
    follow_up = ContactFollowUp(
        concern_id=concern.id, decision=concern.decision, contacted_on=contacted, due_on=due
    )
    db.session.add(follow_up)
    db.session.flush()
    add_event(
        concern,
        user,
        "follow_up.sampled",
        f"Chosen for a contact follow-up: a call to the contact due on {due:%-d %B %Y}",
    )
    return follow_up


def record_outcome(follow_up: ContactFollowUp, values: dict[str, Any], user: User) -> None:
    """Record what the call found, once: the outcome and a note (needed when a new
    referral is needed, to say why)."""
    errors: dict[str, list[str]] = {}
    if follow_up.recorded_at is not None:
        recorded = to_local(follow_up.recorded_at)
        raise ValidationFailed.single(
            "outcome",
            f"The outcome of this follow-up was recorded on {recorded:%-d %B %Y}: it is "
            "recorded once",
        )
    raw = values.get("outcome") or ""
    try:
        outcome = FollowUpOutcome(raw)
    except ValueError:
        outcome = None
        errors["outcome"] = ["Select the outcome of the call"]
    note = (values.get("note") or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [f"The note must be {NOTE_MAX} characters or fewer"]
    elif outcome == FollowUpOutcome.NEW_REFERRAL and not note:
        errors["note"] = ["Say why a new referral is needed"]
    if errors:
        raise ValidationFailed(errors)
    assert outcome is not None
    follow_up.outcome, follow_up.note = outcome, note or None
    follow_up.recorded_at, follow_up.recorded_by_id = utcnow(), user.id
    db.session.flush()
    add_event(follow_up.concern, user, "follow_up.recorded", f"Contact follow-up: {outcome.label}")
    access_log.record("follow_up.record", object_type="concern", object_id=follow_up.concern_id)


# --- Lists ------------------------------------------------------------------------------------

LIST_STATES = {
    "due": "Due (today or earlier)",
    "upcoming": "Not due yet",
    "recorded": "Recorded",
}


def filtered(query: sa.Select[Any], state: str, today: date) -> sa.Select[Any]:
    """Follow-ups in ``state`` (``LIST_STATES``; anything else: every one not recorded),
    the soonest due first (recorded ones: the latest recorded first)."""
    waiting = ContactFollowUp.outcome.is_(None)
    if state == "recorded":
        return query.where(ContactFollowUp.outcome.is_not(None)).order_by(
            ContactFollowUp.recorded_at.desc(), ContactFollowUp.id.desc()
        )
    if state == "due":
        query = query.where(waiting, ContactFollowUp.due_on <= today)
    elif state == "upcoming":
        query = query.where(waiting, ContactFollowUp.due_on > today)
    else:
        query = query.where(waiting)
    return query.order_by(ContactFollowUp.due_on, ContactFollowUp.id)


# --- The letter ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """The letter to whoever made contact: their name and address lines, and what the
    letter says. It names the case by its reference only: not the person it was about,
    what was said, or why it was decided."""

    dated: date
    recipient: str
    address: list[str]
    greeting: str
    reference: str
    paragraphs: list[str] = field(default_factory=list)


DECISION_WORDS = {
    Decision.SIGNPOSTED: "we gave you information about other services that could help",
    Decision.NO_FURTHER_ACTION: (
        "we decided that the safeguarding team did not need to take further action, and "
        "pointed you to where help is available"
    ),
}


def letter(follow_up: ContactFollowUp) -> Letter:
    """The letter asking whoever made contact whether the signposting helped. A referrer
    recorded on the concern (a name, an agency) gets it at their agency; with neither,
    the person made contact themselves and gets it at their address."""
    concern = follow_up.concern
    agency = concern.referrer_agency
    if concern.referrer_name or agency is not None:
        recipient = concern.referrer_name or "The safeguarding lead"
        given = (concern.referrer_contact or "").splitlines()
        address = [
            line.strip()
            for line in (concern.referrer_role, agency and agency.name, *given)
            if line and line.strip()
        ]
        greeting = f"Dear {concern.referrer_name}" if concern.referrer_name else "Dear colleague"
    else:
        person = concern.person
        recipient = person.full_name
        address = [line.strip() for line in (person.address or "").splitlines() if line.strip()] + (
            [person.postcode] if person.postcode else []
        )
        greeting = f"Dear {person.full_name}"
    words = DECISION_WORDS.get(follow_up.decision, DECISION_WORDS[Decision.SIGNPOSTED])
    return Letter(
        dated=to_local(utcnow()).date(),
        recipient=recipient,
        address=address,
        greeting=greeting,
        reference=concern.reference,
        paragraphs=[
            f"You contacted the council's safeguarding team on "
            f"{follow_up.contacted_on:%-d %B %Y}. When we looked at what you told us, {words}.",
            "We would like to know whether that information was useful to you: did it help "
            "you, or the person you contacted us about, get the support that was needed?",
            f"Please reply to this letter, or call the safeguarding team, quoting our "
            f"reference {concern.reference}. If you are still worried that someone is at "
            "risk of harm, contact us again: we will look at it afresh.",
        ],
    )


# --- The monthly report ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReportLine:
    label: str
    counts: dict[str, int]  # by outcome code, and "not_recorded"
    total: int


@dataclass(frozen=True)
class MonthlyReport:
    """The follow-ups due in a month: counts by outcome, and by the decision that screened
    the concern out. Figures only."""

    month: date  # its first day
    total: ReportLine
    by_decision: list[ReportLine]

    @property
    def last_day(self) -> date:
        return add_months(self.month, 1) - timedelta(days=1)


NOT_RECORDED = "not_recorded"
COLUMNS = [*(o.value for o in FollowUpOutcome), NOT_RECORDED]


def monthly_report(month: date, council_id: int) -> MonthlyReport:
    """Counted in SQL, grouped by decision and outcome, over the follow-ups due in the
    month (``month`` is any day of it) whose concern, of the council, is not deleted."""
    first = month.replace(day=1)
    rows = db.session.execute(
        sa.select(ContactFollowUp.decision, ContactFollowUp.outcome, sa.func.count())
        .join(Concern, Concern.id == ContactFollowUp.concern_id)
        .where(
            Concern.deleted_at.is_(None),
            Concern.council_id == council_id,
            ContactFollowUp.due_on >= first,
            ContactFollowUp.due_on < add_months(first, 1),
        )
        .group_by(ContactFollowUp.decision, ContactFollowUp.outcome)
    ).all()
    counts = {decision: dict.fromkeys(COLUMNS, 0) for decision in FOLLOW_UP_DECISIONS}
    for decision, outcome, count in rows:
        line = counts.setdefault(decision, dict.fromkeys(COLUMNS, 0))
        line[outcome.value if outcome else NOT_RECORDED] += count
    by_decision = [
        ReportLine(decision.label, line, sum(line.values())) for decision, line in counts.items()
    ]
    total = {column: sum(line.counts[column] for line in by_decision) for column in COLUMNS}
    everything = ReportLine("All follow-ups", total, sum(total.values()))
    return MonthlyReport(first, everything, by_decision)
