"""Input no database can store, and bodies too large to read, are refused up front with
a clear 4xx, never a 500.

PostgreSQL text cannot hold NUL characters, and no database can hold a lone surrogate
(``"\\ud800"`` in JSON), so either anywhere in the query string, a form field or a JSON
body is refused before any view runs; so is JSON nested deeper than MAX_JSON_DEPTH.

A request body larger than its kind allows (``MAX_FORM_BYTES`` for a page's form,
``MAX_UPLOAD_BYTES`` for a multipart upload, ``MAX_API_BODY_BYTES`` for the API) is
refused with 413 as soon as anything asks for it (the CSRF check, the form, the JSON),
from its Content-Length, before a byte of it is read; a body without a length stops at
the limit.
"""

from __future__ import annotations

from typing import Any

from flask import Request, abort, current_app, request

from core.errors import abort as api_abort

_NUL = "\x00"
# deeper JSON than any request of this API needs; Python's parser would otherwise
# recurse until it fails with RecursionError
MAX_JSON_DEPTH = 32


def _text_problem(text: str) -> str | None:
    if _NUL in text:
        return "The request contains a NUL character, which is not allowed in any field."
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return (
            "The request contains a lone surrogate (such as \\ud800), which is not a "
            "character and cannot be stored. Send valid UTF-8 text."
        )
    return None


def _problem(value: Any) -> tuple[int, str] | None:
    """The first reason the value cannot be taken, with its status: 400 for JSON nested
    more than MAX_JSON_DEPTH deep, 422 for text no database can store. Walks without
    recursion, so no body can exhaust the stack."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if (message := _text_problem(item)) is not None:
                return 422, message
        elif isinstance(item, dict | list | tuple):
            if depth >= MAX_JSON_DEPTH:
                return 400, f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return None


def reject_unstorable_input() -> None:
    """``before_request``: 400 (pages) or 400/422 (API, as problem details) for input no
    database can store (NUL, lone surrogates) and JSON nested too deep to walk."""
    found = _problem(request.path) or _problem([*request.args.items(multi=True)])
    if not found and request.method in {"POST", "PUT", "PATCH"}:
        if request.is_json:
            found = _problem(request.get_json(silent=True))
        else:
            found = _problem([*request.form.items(multi=True)])
    if not found:
        return
    status, message = found
    if request.path.startswith("/api/"):
        api_abort(status, message, errors={"_request": [message]})
    abort(400, description=message)


def body_limit(config: Any, mimetype: str, path: str) -> int:
    """The largest body of this kind the app reads, in bytes."""
    if mimetype == "multipart/form-data":
        return int(config["MAX_UPLOAD_BYTES"])
    if path.startswith("/api/"):
        return int(config["MAX_API_BODY_BYTES"])
    return int(config["MAX_FORM_BYTES"])


class LimitedRequest(Request):
    """Flask's request, whose body limit depends on its kind (see the module's docstring)."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None:
            return self._max_content_length
        if not current_app:
            return super().max_content_length
        return body_limit(current_app.config, self.mimetype, self.path)

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """As Flask's, but a body nested too deep for the parser is a bad request (400)
        even when ``silent``: the input guard asks first, so no later parser meets it."""
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            abort(
                400, description=f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."
            )

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
