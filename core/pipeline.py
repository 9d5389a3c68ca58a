"""The request's unit of work: one commit per request, made here and nowhere else.

After the view returns, a response below 400 commits what the request wrote, with the
access log entries noted during it (written as the last statements of that commit, see
``core.accesslog.operations``). A response of 400 or more rolls the request's work back,
so bad input never leaves a partial write; the refusals noted during the request are kept
and written on their own. An exception in the view rolls back too (the session is removed
at the end of the request). A record changed by someone else since it was read (a version
mismatch found at commit) answers 412 on the API and 409 on a page.

Views, API functions and operations never commit: operations flush when they need ids,
and the commit happens here, before the queued emails are handed to the mail server.
Reads are declared on the route (:func:`logged`) and noted here, in the same commit; the
changes are logged by the operations that make them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from flask.wrappers import Response
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, PreconditionFailed

from core.accesslog import operations as access_log
from core.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

CHANGED_MEANWHILE = "The record has changed since you read it. Read it again and retry."


def changed_meanwhile(_: StaleDataError) -> ResponseReturnValue:
    """A version clash, found while the view flushed or at the commit: 412 on the API
    (the client's If-Match or read is out of date), 409 on a page."""
    access_log.roll_back_keeping_refusals()
    api = request.path.startswith("/api/")
    refusal: HTTPException = (
        PreconditionFailed(CHANGED_MEANWHILE) if api else Conflict(CHANGED_MEANWHILE)
    )
    return current_app.handle_user_exception(refusal)


def finish_unit_of_work(response: Response) -> Response:
    """Commit a successful request's work; roll back a failed one's, keeping refusals."""
    if response.status_code >= 400:
        access_log.roll_back_keeping_refusals()
        return response
    note_declared_read(response)
    try:
        db.session.commit()
    except StaleDataError as clash:
        return current_app.make_response(changed_meanwhile(clash))
    return response


def init_pipeline(app: Flask) -> None:
    """Register the unit of work. Flask runs ``after_request`` functions in the reverse of
    the order they were added, so call this after every other ``after_request`` that must
    see the committed work (the mail delivery)."""
    app.register_error_handler(StaleDataError, changed_meanwhile)
    app.after_request(finish_unit_of_work)


# --- Reads declared on the route ----------------------------------------------------------

_DECLARED = "access_log_read"


@dataclass(frozen=True)
class DeclaredRead:
    """The access log entry a route writes when it answers a read successfully."""

    action: str
    object_type: str | None
    url_variable: str | None
    methods: frozenset[str]


def logged(
    action: str,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    methods: Iterable[str] = ("GET",),
) -> Callable[[F], F]:
    """Declare the entry a route's read writes to the access log: the pipeline notes it
    when the route answers one of ``methods`` below 400, in the request's commit.
    ``object_id`` names the URL variable holding the record's id. A refusal is logged
    where it is decided (the loaders), whatever the method."""

    def decorate(view: F) -> F:
        setattr(view, _DECLARED, DeclaredRead(action, object_type, object_id, frozenset(methods)))
        return view

    return decorate


def declared_read(app: Flask, endpoint: str | None) -> DeclaredRead | None:
    return getattr(app.view_functions.get(endpoint or ""), _DECLARED, None)


def note_declared_read(response: Response) -> None:
    read = declared_read(current_app, request.endpoint)
    if read is None or request.method not in read.methods or response.status_code >= 400:
        return
    object_id = (request.view_args or {}).get(read.url_variable) if read.url_variable else None
    access_log.record(read.action, object_type=read.object_type, object_id=object_id)
