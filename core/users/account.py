"""The signed-in user's own page: their details and their API tokens."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.auth import twofactor
from core.auth.models import ApiToken, User
from core.db import utcnow
from core.forms import submitted
from core.pipeline import record
from core.policy import users as _record_types  # noqa: F401  (declares "user", "api_token")
from core.policy.routes import requires, second_factor_required, signed_in
from core.users import operations as user_operations
from core.users.forms import (
    ChangePasswordForm,
    NewTokenForm,
    ResetTwoFactorForm,
    RevokeTokenForm,
    TwoFactorForm,
)
from core.users.operations import create_token, revoke_token, tokens_of


@signed_in
def account() -> ResponseReturnValue:
    form = NewTokenForm()
    new_secret = None
    made: list[tuple[ApiToken, str]] = []
    if submitted(
        form,
        lambda: made.append(create_token(current_user, form.name.data or "", form.days.data or 0)),
    ):
        token, new_secret = made[0]
        flash(f"Token '{token.name}' created. Copy it now: it will not be shown again.", "success")
        form = NewTokenForm(formdata=None)
    return render_template(
        "users/account.html",
        form=form,
        new_secret=new_secret,
        tokens=tokens_of(current_user),
        revoke_form=RevokeTokenForm(),
        now=utcnow(),
    )


CHANGED_NOTICE = (
    "Your password has been changed. You have been signed out everywhere and your API "
    "tokens have been revoked: sign in with your new password."
)


@signed_in
def change_password() -> ResponseReturnValue:
    """Change your own password, giving the current one."""
    form = ChangePasswordForm()
    if submitted(
        form,
        lambda: user_operations.change_own_password(
            current_user._get_current_object(),
            form.current_password.data or "",
            form.password.data or "",
        ),
    ):
        flash(CHANGED_NOTICE, "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("users/change_password.html", form=form)


@signed_in
def two_factor() -> ResponseReturnValue:
    """Set up two-factor sign-in: the secret, as text, URI and QR code, then a code."""
    user = current_user._get_current_object()
    if twofactor.enrolled(user):
        if request.method == "POST":  # nothing left to set up: say so where it shows
            flash("Two-factor sign-in is already on.", "success")
            return redirect(url_for("account.account"))
        return render_template("users/two_factor.html", enrolled=True)
    twofactor.begin_enrolment(user)
    form = TwoFactorForm()
    if submitted(form, lambda: twofactor.confirm_enrolment(user, form.code.data or "")):
        flash("Two-factor sign-in is on. You will need a code at every sign-in.", "success")
        return redirect(url_for("home.index"))
    uri = twofactor.provisioning_uri(user)
    return render_template(
        "users/two_factor.html",
        enrolled=False,
        form=form,
        secret=user.totp_secret,
        uri=uri,
        qr_code=twofactor.qr_code_svg(uri),
        required=second_factor_required(user),
    )


@signed_in
@record("api_token", argument="token")
def revoke_own_token(token: ApiToken) -> ResponseReturnValue:
    if RevokeTokenForm().validate_on_submit():
        revoke_token(token, current_user)
        flash(f"Token '{token.name}' revoked.", "success")
    return redirect(url_for("account.account"))


@requires("users.manage")
@record("user")
def reset_two_factor(user: User) -> ResponseReturnValue:
    """Recovery of a lost authenticator: remove the user's second factor."""
    if ResetTwoFactorForm().validate_on_submit():
        twofactor.reset(user)
        flash(f"Two-factor sign-in of {user.name} reset; they set it up again.", "success")
    return redirect(url_for("users.edit", user_id=user.id))


@requires("users.manage")
@record("user")
@record("api_token", argument="token")
def revoke_user_token(user: User, token: ApiToken) -> ResponseReturnValue:
    if RevokeTokenForm().validate_on_submit():
        revoke_token(token, current_user)
        flash(f"Token '{token.name}' of {user.name} revoked.", "success")
    return redirect(url_for("users.edit", user_id=user.id))
