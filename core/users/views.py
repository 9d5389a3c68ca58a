from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms.fields.choices import SelectChoice

from core.accesslog import operations as access_log
from core.agencies.models import Agency
from core.api.operations import tokens_of
from core.auth.models import User
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import apply_errors, choices
from core.pagination import paginate
from core.pipeline import logged
from core.policy.routes import requires
from core.users import operations
from core.users.forms import (
    EditUserForm,
    EndSessionsForm,
    NewUserForm,
    ResetTwoFactorForm,
    RevokeTokenForm,
)


def _agency_choices(include_id: int | None = None) -> list[SelectChoice]:
    rows = db.session.execute(
        sa.select(Agency.id, Agency.name)
        .where(sa.or_(Agency.active.is_(True), Agency.id == include_id))
        .order_by(Agency.name)
    ).all()
    return choices([(0, "Choose an agency")] + [(row.id, row.name) for row in rows])


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
    if form.validate_on_submit():
        try:
            user = operations.create_user(
                email=form.email.data or "",
                name=form.name.data or "",
                agency_id=form.agency_id.data,
                role=form.role.data or "",
                password=form.password.data or "",
            )
        except ValidationFailed as failed:
            db.session.rollback()
            apply_errors(form, failed)
        else:
            flash(f"User {user.name} created.", "success")
            return redirect(url_for("users.edit", user_id=user.id))
    return render_template("users/new.html", form=form)


@requires("users.manage")
def edit(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=user)
    if not form.is_submitted():
        form.role.data = user.role.value
    form.agency_id.choices = _agency_choices(user.agency_id)
    if form.validate_on_submit():
        try:
            operations.update_user(
                user,
                name=form.name.data,
                agency_id=form.agency_id.data,
                role=form.role.data,
                active=form.active.data,
            )
        except ValidationFailed as failed:
            db.session.rollback()
            apply_errors(form, failed)
        else:
            flash("Changes saved.", "success")
            return redirect(url_for("users.edit", user_id=user.id))
    else:
        access_log.record("user.view", object_type="user", object_id=user.id)
    return render_template(
        "users/edit.html",
        form=form,
        user=user,
        end_form=EndSessionsForm(),
        reset_two_factor_form=ResetTwoFactorForm(),
        tokens=tokens_of(user),
        revoke_form=RevokeTokenForm(),
    )


@requires("users.manage")
def end_sessions(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    form = EndSessionsForm()
    if form.validate_on_submit():
        ended = operations.end_sessions(user)
        flash(f"Ended {ended} open session(s) for {user.name}.", "success")
    return redirect(url_for("users.edit", user_id=user.id))
