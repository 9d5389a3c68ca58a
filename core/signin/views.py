from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.auth import operations
from core.auth.twofactor import WRONG_CODE
from core.extensions import db
from core.forms import submitted
from core.mail.operations import deliver_after_commit
from core.policy.routes import public, signed_in
from core.signin import operations as signin
from core.signin.forms import CodeForm, ForgottenPasswordForm, NewPasswordForm, SignInForm

RESET_DONE = (
    "Your password has been changed and your API tokens revoked. Sign in with your new password."
)
GENERIC_FAILURE = "Enter a correct email address and password"


def safe_next_url(target: str | None) -> str:
    """Only a path on this site; anything else goes to the home page."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return url_for("home.index")
    return target.rstrip("?")


@public
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if session.pop("signed_out_idle", False):
        flash("You were signed out after a period without activity. Sign in again.", "info")
    if form.validate_on_submit():
        user = operations.sign_in(form.email.data or "", form.password.data or "")
        if user is not None:
            if operations.awaiting_second_factor() is not None:
                return redirect(url_for("auth.second_factor", **request.args))
            return redirect(safe_next_url(request.args.get("next")))
        g.sign_in_failed = True
        form.email.errors.append(GENERIC_FAILURE)
        form.password.errors.append(GENERIC_FAILURE)
    elif request.method == "POST":
        g.sign_in_failed = True
    return render_template("auth/sign_in.html", form=form)


@public
def second_factor() -> ResponseReturnValue:
    """The second step of signing in: a code from the user's authenticator app."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    if operations.awaiting_second_factor() is None:
        flash("Sign in again: the code was not entered in time.", "info")
        return redirect(url_for("auth.sign_in", **request.args))
    form = CodeForm()
    if form.validate_on_submit():
        if operations.sign_in_with_code(form.code.data or "") is not None:
            return redirect(safe_next_url(request.args.get("next")))
        g.sign_in_failed = True
        form.code.errors.append(WRONG_CODE)
    elif request.method == "POST":
        g.sign_in_failed = True
    return render_template("auth/second_factor.html", form=form)


@signed_in
def sign_out() -> ResponseReturnValue:
    operations.sign_out()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


def _deliver_after_response(response: ResponseReturnValue) -> ResponseReturnValue:
    """Send the reset email once the answer has gone, so that how long the answer takes
    does not tell whether the address has an account."""

    queued = g.pop("queued_mail", None)
    if not queued:
        return response
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def deliver() -> None:
        with app.app_context():
            g.queued_mail = queued
            deliver_after_commit()
            db.session.remove()

    response = current_app.make_response(response)
    response.call_on_close(deliver)
    return response


@public
def forgotten_password() -> ResponseReturnValue:
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        signin.request_password_reset(form.email.data or "")
        page = render_template("auth/reset_sent.html")
        return _deliver_after_response(page)
    return render_template("auth/forgotten_password.html", form=form)


@public
def reset_password(token: str) -> ResponseReturnValue:
    reset = operations.find_reset(token)
    if reset is None:
        return render_template("auth/reset_expired.html"), 404
    form = NewPasswordForm()
    done: list[bool] = []
    if submitted(
        form,
        lambda: done.append(operations.complete_password_reset(reset, form.password.data or "")),
    ):
        if not done[0]:
            return render_template("auth/reset_expired.html"), 404
        flash(RESET_DONE, "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)
