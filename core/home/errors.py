"""Error pages. A 500 gets an incident id that is written to the server log with the
traceback, so the person reporting it and the operator can find the same event."""

from __future__ import annotations

import contextlib
import uuid

from flask import Flask, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from core.accesslog.operations import record_denied
from core.api.problems import problem_from_exception, problem_response
from core.extensions import db

TITLES = {
    400: "Sorry, there is a problem with the request",
    401: "You need to sign in",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "Sorry, that action is not allowed here",
    413: "The file is too large",
    415: "Sorry, that type of content is not accepted",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    status = error.code or 500
    if status == 429:
        record_denied("rate_limited", object_type="endpoint", object_id=request.endpoint)
    if _wants_json():
        return problem_from_exception(error)
    detail = {
        400: "The form could not be read. Go back, reload the page and try again.",
        429: "There have been too many attempts. Wait a minute, then try again.",
    }.get(status, error.description or "")
    return render_template(
        "errors/error.html", status=status, title=TITLES.get(status, "Error"), detail=detail
    ), status


def handle_csrf_error(error: CSRFError) -> ResponseReturnValue:
    detail = "Your form expired or was not sent from this site. Go back, reload and try again."
    if _wants_json():
        return problem_response(400, detail)
    return render_template("errors/error.html", status=400, title=TITLES[400], detail=detail), 400


def handle_server_error(error: InternalServerError) -> ResponseReturnValue:
    incident = uuid.uuid4().hex[:12]
    original = getattr(error, "original_exception", None) or error
    current_app.logger.error(
        "Incident %s on %s %s", incident, request.method, request.path, exc_info=original
    )
    # the database may be the problem; the page must still show
    with contextlib.suppress(Exception):
        db.session.rollback()
    if _wants_json():
        return problem_response(
            500, f"Quote incident {incident} when reporting this.", incident=incident
        )
    return render_template("errors/500.html", incident=incident), 500


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(InternalServerError, handle_server_error)
    app.register_error_handler(HTTPException, handle_http_error)
