"""The one access policy. Every request passes through :func:`enforce_route_permission`.

Each view declares the permission it needs with :func:`requires` (or :func:`public`,
or :func:`signed_in`). A route that declares nothing is refused: unknown means deny.
Permissions are granted to roles in the registry built from the ``register_permissions``
hook; object-level rules (which cases an agency may see) live beside the models they
protect and are called from here by later areas.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from flask import Flask, abort, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.local import LocalProxy

from core.accesslog.operations import record_denied
from core.auth.roles import Role
from plugins.markers import PERMISSION_ATTRIBUTE, PUBLIC, SIGNED_IN

# The declarations themselves are markers of the plugin API, which core and plugins share.
from plugins.markers import public as public
from plugins.markers import requires as requires
from plugins.markers import signed_in as signed_in

if TYPE_CHECKING:
    from plugins.types import Permission

_PSEUDO_PERMISSIONS = {PUBLIC, SIGNED_IN}
_ATTRIBUTE = PERMISSION_ATTRIBUTE

# Roles that may not use the service, pages or API, without a second factor.
SECOND_FACTOR_ROLES = frozenset({Role.ADMINISTRATOR, Role.BOARD_MEMBER})


def second_factor_required(user: Any) -> bool:
    return bool(user.role in SECOND_FACTOR_ROLES)


def must_enrol(user: Any) -> bool:
    """A privileged user who has no second factor yet: they may only set one up."""
    return second_factor_required(user) and user.totp_enabled_at is None


# What a signed-in administrator or board member without a second factor may still reach.
_SECOND_FACTOR_ENROLMENT = frozenset({"account.two_factor", "auth.sign_out"})

# Areas that hold case records (concerns, people, meetings, plans, tasks). A role that may
# see no record of the area at all (no "<area>.view": administrators, board members, auditors)
# gets 404 from any of its routes that names a record (an id in the URL), exactly as for a
# record outside its access or one that does not exist, so it cannot learn that the record
# exists. Lists and forms without a record, and roles that may see
# the record but not do this to it, keep the plain 403.
CASE_RECORD_AREAS = frozenset({"concerns", "people", "meetings", "plans", "tasks", "complaints"})

# Permissions held by a flag on the account rather than by the role. The council's
# complaints officer (``User.complaints_officer``, set by administrators) keeps the
# complaints and compliments log beside the safeguarding team, whose roles hold these
# permissions anyway: a role would change every column of the access matrix, a flag
# changes nothing for anyone else. Council staff only (the agency types below), in a role
# that works on cases: an administrator, a board member or an auditor with the flag gets
# nothing from it, and a partner agency's user cannot hold it (core/users/operations.py).
COUNCIL_AGENCY_TYPES = frozenset({"local_authority", "childrens_social_care"})
COMPLAINTS_OFFICER_PERMISSIONS = frozenset({"complaints.view", "complaints.manage"})
_COMPLAINTS_OFFICER_ROLES = frozenset(
    {Role.SAFEGUARDING_OFFICER, Role.SAFEGUARDING_MANAGER, Role.AGENCY_PRACTITIONER}
)


def is_complaints_officer(user: Any) -> bool:
    """A signed-in council member of staff whose account says they are the complaints
    officer."""
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(user, "complaints_officer", False)
        and user.role in _COMPLAINTS_OFFICER_ROLES
        and user.agency.type in COUNCIL_AGENCY_TYPES
    )


def granted_by_flag(user: Any, permission: str) -> bool:
    return permission in COMPLAINTS_OFFICER_PERMISSIONS and is_complaints_officer(user)


# Endpoints that are not our functions (Flask's own static view) are declared here.
_DECLARED_ENDPOINTS: dict[str, str] = {"static": PUBLIC, "api-docs.openapi_json": PUBLIC}


def declared_permission(app: Flask, endpoint: str) -> str | None:
    view = app.view_functions.get(endpoint)
    declared = getattr(view, _ATTRIBUTE, None)
    return declared or _DECLARED_ENDPOINTS.get(endpoint)


def routes_without_permission(app: Flask) -> list[str]:
    """Rules whose view declares no permission, or one nobody registered."""
    registry = permission_registry(app)
    missing = []
    for rule in app.url_map.iter_rules():
        permission = declared_permission(app, rule.endpoint)
        if permission is None or (
            permission not in _PSEUDO_PERMISSIONS and permission not in registry
        ):
            missing.append(f"{rule.rule} ({rule.endpoint})")
    return sorted(missing)


def permission_registry(app: Flask | None = None) -> dict[str, Permission]:
    platform = (app or current_app).extensions["safeguarding_hub"]
    registry: dict[str, Permission] = platform.permissions
    return registry


def role_has(role: Role, permission: str) -> bool:
    if permission == PUBLIC:
        return True
    if permission == SIGNED_IN:
        return True
    granted = permission_registry().get(permission)
    return granted is not None and role in granted.roles


def resolved(user: Any) -> Any:
    """The user behind ``current_user`` (a proxy that looks the user up at each attribute
    read), or ``user`` itself: for code that reads several attributes of it."""
    return user._get_current_object() if isinstance(user, LocalProxy) else user


def user_can(user: Any, permission: str) -> bool:
    """Whether ``user`` (signed in or anonymous) holds ``permission``."""
    if permission == PUBLIC:
        return True
    user = resolved(user)
    if user is None or not user.is_authenticated:
        return False
    return role_has(user.role, permission) or granted_by_flag(user, permission)


def permissions_for(role: Role) -> Iterable[Permission]:
    return [p for p in permission_registry().values() if role in p.roles]


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def enforce_route_permission() -> ResponseReturnValue | None:
    """``before_request``: allow, send to sign-in, or refuse, and log refusals."""
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: Flask answers 404/405 itself
        return None
    permission = declared_permission(current_app, endpoint)
    if permission is None or (
        permission not in _PSEUDO_PERMISSIONS and permission not in permission_registry()
    ):
        record_denied("route.undeclared", object_type="endpoint", object_id=endpoint)
        abort(403)
    if permission == PUBLIC:
        return None
    if not current_user.is_authenticated:
        record_denied("route.signed_out", object_type="endpoint", object_id=endpoint)
        if _wants_json():
            abort(401)
        target = url_for("auth.sign_in") + "?" + urlencode({"next": request.full_path})
        return redirect(target)
    if must_enrol(current_user) and endpoint not in _SECOND_FACTOR_ENROLMENT:
        # administrators and board members use nothing before they have a second factor
        record_denied("route.second_factor_missing", object_type="endpoint", object_id=endpoint)
        if _wants_json():
            abort(403)
        return redirect(url_for("account.two_factor"))
    if not user_can(current_user, permission):
        record_denied("route.forbidden", object_type="endpoint", object_id=endpoint)
        if (current_user.role == Role.BOARD_MEMBER and request.view_args) or _names_a_case_record(
            permission
        ):
            # board members see figures only, and roles that see no record of a case area
            # at all: any one record answers as if it did not exist
            abort(404)
        abort(403)
    return None


def _names_a_case_record(permission: str) -> bool:
    area = permission.split(".")[0]
    return (
        bool(request.view_args)
        and area in CASE_RECORD_AREAS
        and not user_can(current_user, f"{area}.view")
    )
