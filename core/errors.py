"""Errors, in one place: what operations raise (``ValidationFailed``), the problem details
(RFC 9457) every API error answers with, and the error pages. A 500 gets an incident id
that is written to the server log with the traceback, so the person reporting it and the
operator can find the same event."""

from __future__ import annotations

import contextlib
import sys
import uuid
from typing import Any, NoReturn

import click
import marshmallow as ma
from flask import Flask, Response, current_app, json, render_template, request
from flask.typing import ResponseReturnValue
from flask_smorest import abort as smorest_abort
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from core.extensions import db


class ValidationFailed(Exception):
    """Input that cannot be saved. ``errors`` maps a field name to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors

    @classmethod
    def single(cls, field: str, message: str) -> ValidationFailed:
        return cls({field: [message]})


def exit_on(failed: ValidationFailed) -> NoReturn:
    """A command's answer to input it cannot save: nothing written, each field's
    messages on standard error, exit status 2."""
    db.session.rollback()
    for field, messages in failed.errors.items():
        for message in messages:
            click.echo(f"{field}: {message}", err=True)
    sys.exit(2)


# --- The API's problem details -----------------------------------------------------------

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "Precondition required",
    429: "Too many requests",
    500: "Internal server error",
}

DETAILS = {
    401: "Send a valid bearer token: Authorization: Bearer <token>.",
    403: "Your role does not allow this operation.",
    404: "There is no such record, or you do not have access to it.",
    405: "This method is not allowed on this resource.",
    415: "Send the request body as application/json.",
    422: "The request body or parameters are not valid.",
}


class ProblemSchema(ma.Schema):
    """Documents the error payload in the OpenAPI document."""

    type = ma.fields.String(metadata={"description": "A URI naming the problem type"})
    title = ma.fields.String(metadata={"description": "Short summary"})
    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong, for this request"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "For 422: each field and its messages"},
    )


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """webargs nests messages by location (json, query) and by field; flatten to field paths."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            if not prefix and key in {"json", "query", "form", "headers", "path", "files"}:
                flat.update(flatten_messages(value, prefix))
                continue
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_messages(value, name))
    elif isinstance(messages, list | tuple):
        if all(isinstance(item, str) for item in messages):
            flat[prefix or "_schema"] = [str(item) for item in messages]
        else:
            for index, item in enumerate(messages):
                flat.update(flatten_messages(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat


def problem_response(
    status: int,
    detail: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail or DETAILS.get(status, TITLES.get(status, "Error")),
    }
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="safeguarding-hub"'
    return response


def problem_from_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = data.get("errors")
    if errors is None and "messages" in data:
        errors = flatten_messages(data["messages"])
    detail = data.get("message") or (
        error.description if error.description and status not in DETAILS else None
    )
    return problem_response(status, detail, errors, headers=data.get("headers"))


def abort(status: int, detail: str | None = None, **kwargs: Any) -> NoReturn:
    """Stop the request with a problem response."""
    smorest_abort(status, message=detail, **kwargs)
    raise AssertionError("unreachable: abort raises")


# --- The error pages (and the API's answers to the same errors) ----------------------------

PAGE_TITLES = {
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
    if _wants_json():
        return problem_from_exception(error)
    detail = error.description or ""
    # A page's own words on a bad request are shown; the library's (and the limiter's
    # "10 per 1 minute") are put plainly.
    if status == 429 or detail == type(error).description:
        detail = {
            400: "The form could not be read. Go back, reload the page and try again.",
            429: "There have been too many attempts. Wait a minute, then try again.",
        }.get(status, detail)
    return render_template(
        "errors/error.html", status=status, title=PAGE_TITLES.get(status, "Error"), detail=detail
    ), status


def handle_csrf_error(error: CSRFError) -> ResponseReturnValue:
    detail = "Your form expired or was not sent from this site. Go back, reload and try again."
    if _wants_json():
        return problem_response(400, detail)
    return render_template(
        "errors/error.html", status=400, title=PAGE_TITLES[400], detail=detail
    ), 400


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
