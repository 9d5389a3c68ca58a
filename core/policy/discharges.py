"""Who may notify and read hospital discharges.

- An agency practitioner of an agency whose type is one of DISCHARGE_NOTIFIER_TYPES
  (default NHS trusts) notifies discharges, and reads the ones its agency notified.
- The safeguarding team (officers and managers) reads every discharge of its council
  area (``HospitalDischarge.council_id``, the notifying practitioner's) and records the
  follow-up of each; another council's answers 404.
- Any other agency reads none; the board reads the monthly figures only, never a
  discharge: a discharge names a person.

Out-of-scope discharges answer 404 like missing ones, and the attempt is logged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import current_app

from core.auth.roles import Role
from core.discharges.models import HospitalDischarge
from core.policy.cases import is_case_team
from core.policy.resources import Resource, declare, from_query
from core.policy.routes import user_can

DEFAULT_NOTIFIERS = ("nhs_trust",)


def notifier_types() -> frozenset[str]:
    """The agency types that notify discharges (DISCHARGE_NOTIFIER_TYPES)."""
    return frozenset(current_app.config.get("DISCHARGE_NOTIFIER_TYPES") or DEFAULT_NOTIFIERS)


def can_notify(user: Any) -> bool:
    """A practitioner of an active notifying agency (an NHS trust)."""
    return bool(
        user.is_authenticated
        and user_can(user, "discharges.notify")
        and user.agency is not None
        and user.agency.active
        and user.agency.type in notifier_types()
    )


def reads_named_discharges(user: Any) -> bool:
    """Whether ``user`` reads the discharges themselves (the people named), not only the
    monthly figures: the safeguarding team."""
    return is_case_team(user)


def visible_discharges(user: Any) -> sa.Select[tuple[HospitalDischarge]]:
    """The discharges ``user`` may read: every one of its council for the team, its own
    agency's for a practitioner, none for anyone else."""
    query = sa.select(HospitalDischarge)
    if is_case_team(user):
        return query.where(HospitalDischarge.council_id == user.council_id)
    if user.is_authenticated and user.role == Role.AGENCY_PRACTITIONER:
        return query.where(HospitalDischarge.agency_id == user.agency_id)
    return query.where(sa.false())


def _notifier(user: Any, _: Any, __: Mapping[str, Any]) -> Any:
    """The user's own agency, which a notification is made for."""
    return user.agency


DISCHARGE = declare(
    Resource(
        "discharge",
        "discharge_id",
        from_query(visible_discharges, HospitalDischarge),
        model=HospitalDischarge,
        api_endpoint="discharges_api.get_discharge",
        url_ids=lambda d: {"discharge_id": d.id},
    )
)
DISCHARGE_NOTIFIER = declare(
    Resource(
        "discharge_notifier",
        None,
        _notifier,
        rules={"notify": lambda user, _: can_notify(user)},
        denied="discharge.notify",
        object_type="agency",
    )
)
