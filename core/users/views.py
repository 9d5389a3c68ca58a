from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from core.auth.models import Agency, Council, Team, User
from core.extensions import db
from core.forms import choices, form_page, form_values
from core.pagination import paginate
from core.pipeline import logged, record
from core.policy import users as _record_types  # noqa: F401  (declares "user")
from core.policy.routes import requires
from core.teams.operations import listed
from core.users import operations
from core.users.forms import (
    EditUserForm,
    EndSessionsForm,
    NewUserForm,
    ResetTwoFactorForm,
    RevokeTokenForm,
)
from core.users.operations import tokens_of


def _agency_choices(include_id: int | None = None) -> list[SelectChoice]:
    rows = db.session.execute(
        sa.select(Agency.id, Agency.name)
        .where(sa.or_(Agency.active.is_(True), Agency.id == include_id))
        .order_by(Agency.name)
    ).all()
    return choices([(0, "Choose an agency")] + [(row.id, row.name) for row in rows])


def _council_choices(include_id: int | None = None) -> list[SelectChoice]:
    """The councils to choose from; a single council's instance has one, and the page
    then asks nothing (a new user is the administrator's council's)."""
    councils = [c for c in listed(Council) if c.active or c.id == include_id]
    first = [] if include_id else [("", "Your own council")]
    if len(councils) < 2:
        return choices(first or [(str(c.id), c.name) for c in councils])
    return choices(first + [(str(c.id), c.name) for c in councils])


def _team_choices(council_id: int, include_id: int | None = None) -> list[SelectChoice]:
    """The council's teams in use (and the one held, if it is no longer)."""
    teams = [t for t in listed(Team, council_id=council_id) if t.active or t.id == include_id]
    return choices([("", "No team")] + [(str(t.id), t.name) for t in teams])


@requires("users.manage")
@logged("user.list", object_type="user")
def index() -> ResponseReturnValue:
    query = sa.select(User).join(User.agency).order_by(Agency.name, User.name)
    page = paginate(query)
    return render_template("users/index.html", page=page)


@requires("users.manage")
def new() -> ResponseReturnValue:
    form = NewUserForm()
    form.agency_id.choices = _agency_choices()
    form.team_id.choices = _team_choices(current_user.council_id)
    form.council_id.choices = _council_choices()
    created: list[User] = []
    return form_page(
        form,
        lambda: created.append(
            operations.create_user(
                email=form.email.data or "",
                name=form.name.data or "",
                agency_id=form.agency_id.data,
                role=form.role.data or "",
                password=form.password.data or "",
                safeguarding_contact=bool(form.safeguarding_contact.data),
                team_id=form.team_id.data or None,
                complaints_officer=bool(form.complaints_officer.data),
                council_id=form.council_id.data or None,
            )
        ),
        done=lambda: f"User {created[0].name} created.",
        to=lambda: url_for("users.edit", user_id=created[0].id),
        template="users/new.html",
    )


EDITED = (
    "name",
    "agency_id",
    "role",
    "active",
    "safeguarding_contact",
    "team_id",
    "complaints_officer",
    "council_id",
)


@requires("users.manage")
@logged("user.view", object_type="user", object_id="user_id")
@record("user")
def edit(user: User) -> ResponseReturnValue:
    form = EditUserForm(obj=user)
    if not form.is_submitted():
        form.role.data = user.role.value
        form.team_id.data = str(user.team_id or "")
        form.council_id.data = str(user.council_id)
    form.agency_id.choices = _agency_choices(user.agency_id)
    form.council_id.choices = _council_choices(user.council_id)
    form.team_id.choices = _team_choices(user.council_id, user.team_id)
    return form_page(
        form,
        lambda: operations.update_user(user, **form_values(form, *EDITED)),
        done="Changes saved.",
        to=url_for("users.edit", user_id=user.id),
        template="users/edit.html",
        user=user,
        end_form=EndSessionsForm(),
        reset_two_factor_form=ResetTwoFactorForm(),
        tokens=tokens_of(user),
        revoke_form=RevokeTokenForm(),
    )


@requires("users.manage")
@record("user")
def end_sessions(user: User) -> ResponseReturnValue:
    form = EndSessionsForm()
    if form.validate_on_submit():
        ended = operations.end_sessions(user)
        flash(f"Ended {ended} open session(s) for {user.name}.", "success")
    return redirect(url_for("users.edit", user_id=user.id))
