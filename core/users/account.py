"""The signed-in user's own page: their details and their API tokens."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.api.models import ApiToken
from core.api.operations import create_token, revoke_token, tokens_of
from core.auth.models import User
from core.auth.policy import requires, signed_in
from core.db import utcnow
from core.errors import ValidationFailed
from core.extensions import db
from core.forms import apply_errors
from core.users.forms import NewTokenForm, RevokeTokenForm


@signed_in
def account() -> ResponseReturnValue:
    form = NewTokenForm()
    new_secret = None
    if form.validate_on_submit():
        try:
            token, new_secret = create_token(
                current_user, form.name.data or "", form.days.data or 0
            )
        except ValidationFailed as failed:
            db.session.rollback()
            apply_errors(form, failed)
        else:
            db.session.commit()
            flash(
                f"Token '{token.name}' created. Copy it now: it will not be shown again.", "success"
            )
            form = NewTokenForm(formdata=None)
    return render_template(
        "users/account.html",
        form=form,
        new_secret=new_secret,
        tokens=tokens_of(current_user),
        revoke_form=RevokeTokenForm(),
        now=utcnow(),
    )


def _token_of(user_id: int, token_id: int) -> ApiToken:
    token = db.session.execute(
        sa.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id)
    ).scalar_one_or_none()
    if token is None:
        from flask import abort

        abort(404)
    return token


@signed_in
def revoke_own_token(token_id: int) -> ResponseReturnValue:
    token = _token_of(current_user.id, token_id)
    if RevokeTokenForm().validate_on_submit():
        revoke_token(token, current_user)
        db.session.commit()
        flash(f"Token '{token.name}' revoked.", "success")
    return redirect(url_for("account.account"))


@requires("users.manage")
def revoke_user_token(user_id: int, token_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    token = _token_of(user.id, token_id)
    if RevokeTokenForm().validate_on_submit():
        revoke_token(token, current_user)
        db.session.commit()
        flash(f"Token '{token.name}' of {user.name} revoked.", "success")
    return redirect(url_for("users.edit", user_id=user.id))
