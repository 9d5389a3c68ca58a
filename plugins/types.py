"""The small set of value types that plugins build and hand to the platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from core.auth.roles import Role


@dataclass(frozen=True)
class AgencyType:
    """A kind of agency, such as a police force or an NHS trust.

    :param code: stable identifier stored on each agency (``snake_case``).
    :param label: what people read, in sentence case.
    :param description: one sentence on which organisations this covers.
    """

    code: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Permission:
    """Something a route or operation can require.

    :param name: dotted identifier, ``<area>.<verb>`` (``agencies.manage``).
    :param description: what holding it allows, for the administrators' pages.
    :param roles: the roles granted it.
    """

    name: str
    description: str
    roles: frozenset[Role] = field(default_factory=frozenset)


@dataclass(frozen=True)
class NavigationItem:
    """A link in the service navigation, shown only to users holding ``permission``."""

    label: str
    endpoint: str
    permission: str
    order: int = 100


class CurrentUser(Protocol):
    """What hooks are told about the signed-in user."""

    id: int
    agency_id: int
    role: Role
