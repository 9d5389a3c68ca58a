"""Input no database can store, and bodies too large to read, are refused up front with
a clear 4xx, never a 500.

PostgreSQL text cannot hold NUL characters, so a NUL anywhere in the query string,
a form field or a JSON body is refused before any view runs.

A request body larger than its kind allows (``MAX_FORM_BYTES`` for a page's form,
``MAX_UPLOAD_BYTES`` for a multipart upload, ``MAX_API_BODY_BYTES`` for the API) is
refused with 413 as soon as anything asks for it (the CSRF check, the form, the JSON),
from its Content-Length, before a byte of it is read; a body without a length stops at
the limit.
"""

from __future__ import annotations

from typing import Any

from flask import Request, abort, current_app, request

from core.api.problems import abort as api_abort

_NUL = "\x00"


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return _NUL in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


def reject_unstorable_input() -> None:
    """``before_request``: 400 (pages) or 422 (API) for NUL characters in input."""
    found = _NUL in request.path or any(
        _contains_nul(key) or _contains_nul(value) for key, value in request.args.items(multi=True)
    )
    if not found and request.method in {"POST", "PUT", "PATCH"}:
        if request.is_json:
            found = _contains_nul(request.get_json(silent=True))
        else:
            found = any(
                _contains_nul(key) or _contains_nul(value)
                for key, value in request.form.items(multi=True)
            )
    if not found:
        return
    message = "The request contains a NUL character, which is not allowed in any field."
    if request.path.startswith("/api/"):
        api_abort(422, message, errors={"_request": [message]})
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

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value
