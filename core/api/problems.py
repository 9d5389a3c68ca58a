"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from typing import Any, NoReturn

import marshmallow as ma
from flask import Response, json
from flask_smorest import abort as smorest_abort
from werkzeug.exceptions import HTTPException

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
