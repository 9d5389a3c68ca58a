"""The markers plugins and the core share: pluggy's hook markers, and the declaration of
the permission a view needs (the core's route policy reads it on every request)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pluggy

PROJECT_NAME = "safeguarding_hub"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed_in"  # any signed-in user
# the attribute a declared view carries
PERMISSION_ATTRIBUTE = "required_permission"


def requires(permission: str) -> Callable[[F], F]:
    """Declare the permission a view needs."""

    def decorate(view: F) -> F:
        setattr(view, PERMISSION_ATTRIBUTE, permission)
        return view

    return decorate


def public(view: F) -> F:
    """Declare a view open to anyone, signed in or not (the sign-in page, assets)."""
    return requires(PUBLIC)(view)


def signed_in(view: F) -> F:
    """Declare a view open to every signed-in user whatever their role."""
    return requires(SIGNED_IN)(view)


# the attribute a view declaring its records carries
RECORDS_ATTRIBUTE = "declared_records"


@dataclass(frozen=True)
class DeclaredRecord:
    """A record the route works on: its record type, the verb its object rule must allow
    (None: seeing it is enough) and the name the view receives it by."""

    name: str
    verb: str | None
    argument: str


def record(name: str, verb: str | None = None, *, argument: str | None = None) -> Callable[[F], F]:
    """Declare a record the route works on, by its record type's name (the core's, or one
    a plugin registers with ``register_resources``). Stack them in the URL's order (a plan,
    then one of its actions): each is loaded with the ones above it at hand. A record
    whose variable is not in the URL is read from the query (``/plans/new?concern_id=3``).
    Before the view runs the platform loads it from what the user may see (404 if out of
    sight, 403 if ``verb`` is refused, each logged) and the view receives it as
    ``argument`` (the type's name unless given) in place of its URL variable."""

    def decorate(view: F) -> F:
        declared = getattr(view, RECORDS_ATTRIBUTE, ())
        setattr(view, RECORDS_ATTRIBUTE, (DeclaredRecord(name, verb, argument or name), *declared))
        return view

    return decorate
