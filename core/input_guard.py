"""Input no database can store is refused up front with a clear 4xx, never a 500.

PostgreSQL text cannot hold NUL characters, so a NUL anywhere in the query string,
a form field or a JSON body is refused before any view runs.
"""

from __future__ import annotations

from typing import Any

from flask import abort, request

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
