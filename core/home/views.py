from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.clocks import to_local
from core.db import utcnow
from core.extensions import db
from core.home.clocks import clocks_in_force
from core.home.navigation import navigation_for
from core.home.work import follow_ups_to_call, my_work
from core.pipeline import logged
from core.platform import current_platform
from core.policy.routes import permissions_for, public, requires, signed_in, user_can
from core.tasks.operations import home_trays
from plugins.manager import describe_plugins, installed_entry_points

ROLE_TEMPLATES = {
    "administrator": "home/administrator.html",
    "safeguarding_officer": "home/safeguarding_team.html",
    "safeguarding_manager": "home/safeguarding_team.html",
    "agency_practitioner": "home/agency_practitioner.html",
    "board_member": "home/board_member.html",
    "auditor": "home/auditor.html",
}


def _trays_shown() -> str | None:
    """The home page shows the trays of tasks (titles and cases) to those who see tasks:
    a read of them, logged as such."""
    return "home" if user_can(current_user, "tasks.view") else None


@signed_in
@logged("task.list", object_type="task", object_id=_trays_shown)
def index() -> ResponseReturnValue:
    role = current_user.role
    return render_template(
        ROLE_TEMPLATES[role.value],
        role=role,
        agency=current_user.agency,
        links=[item for item in navigation_for(current_user) if item.endpoint != "home.index"],
        permissions=sorted(permissions_for(role), key=lambda p: p.name),
        work=my_work(current_user),
        trays=home_trays(current_user) if user_can(current_user, "tasks.view") else [],
        now=utcnow(),
        follow_ups=follow_ups_to_call(current_user),
        today=to_local(utcnow()).date(),
    )


@requires("clocks.view")
def clocks() -> ResponseReturnValue:
    return render_template("home/clocks.html", settings=clocks_in_force())


@requires("plugins.view")
def plugins() -> ResponseReturnValue:
    platform = current_platform()
    loaded = describe_plugins(platform.pm)
    loaded_names = {p.name for p in loaded}
    not_enabled = [ep for ep in installed_entry_points() if ep.name not in loaded_names]
    return render_template(
        "home/plugins.html",
        plugins=loaded,
        not_enabled=not_enabled,
        agency_types=sorted(platform.agency_types.values(), key=lambda t: t.label),
    )


@signed_in
def api_docs() -> ResponseReturnValue:
    """The OpenAPI document as a readable page (no script from elsewhere)."""
    spec = current_app.extensions["safeguarding_hub_api"].spec.to_dict()
    operations = [
        {"path": path, "method": method.upper(), **operation}
        for path, methods in spec.get("paths", {}).items()
        for method, operation in methods.items()
        if method in {"get", "post", "patch", "put", "delete"}
    ]
    return render_template("home/api_docs.html", spec=spec, operations=operations)


@public
def health() -> ResponseReturnValue:
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
