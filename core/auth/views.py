from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from core.auth import operations
from core.auth.forms import SignInForm
from core.auth.policy import public, signed_in

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
            return redirect(safe_next_url(request.args.get("next")))
        g.sign_in_failed = True
        form.email.errors.append(GENERIC_FAILURE)
        form.password.errors.append(GENERIC_FAILURE)
    elif request.method == "POST":
        g.sign_in_failed = True
    return render_template("auth/sign_in.html", form=form)


@signed_in
def sign_out() -> ResponseReturnValue:
    operations.sign_out()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))
