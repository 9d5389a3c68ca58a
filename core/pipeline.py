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

The records a route works on are declared on it too (:func:`record`): before the view
runs, each is loaded from its URL variable through its record type in
``core/policy/resources.py``; a record out of the user's sight is a 404 and a verb its
object rule refuses a 403, each logged as a refusal here, and the view receives the
record instead of its id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, request
from flask.typing import ResponseReturnValue
from flask.wrappers import Response
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, PreconditionFailed

from core.accesslog import operations as access_log
from core.extensions import db
from core.policy.resources import resource_named

# Declaring a route's records is a marker of the plugin API, which core and plugins share.
from plugins.markers import RECORDS_ATTRIBUTE, DeclaredRecord
from plugins.markers import record as record

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
    app.before_request(load_declared_records)
    app.after_request(finish_unit_of_work)


# --- Records declared on the route ----------------------------------------------------------


def declared_records(view: Callable[..., Any] | None) -> tuple[DeclaredRecord, ...]:
    return tuple(getattr(view, RECORDS_ATTRIBUTE, ()))


def load_declared_records() -> None:
    """Load, authorise and hand over the route's declared records (after the route's
    permission, which ``enforce_route_permission`` decided first)."""
    g.pipeline_view_reached = True  # every earlier check let the request through
    declared = declared_records(current_app.view_functions.get(request.endpoint or ""))
    if not declared or request.view_args is None:
        return
    loaded: dict[str, Any] = {}
    ids: dict[str, Any] = {}
    for item in declared:
        resource = resource_named(item.name)
        if resource.url_variable is None:
            record_id, logged_id = None, ids.get("last")
        elif resource.url_variable in request.view_args:
            record_id = logged_id = request.view_args.pop(resource.url_variable)
            ids[resource.url_variable] = ids["last"] = record_id
        else:  # a page that makes something for a record names it in its query
            record_id = logged_id = request.args.get(resource.url_variable, 0, type=int)
            ids[resource.url_variable] = ids["last"] = record_id
        found = resource.load(current_user, record_id, loaded)
        if found is None:
            access_log.record_denied(
                resource.refused_action, object_type=resource.logged_type, object_id=logged_id
            )
            abort(404)
        if item.verb is not None and not resource.rules[item.verb](current_user, found):
            access_log.record_denied(
                f"{resource.name}.{item.verb}",
                object_type=resource.logged_type,
                object_id=logged_id,
            )
            abort(403)
        loaded[item.name] = found
        request.view_args[item.argument] = found
    g.pipeline_records = loaded
    g.pipeline_record_ids = ids


def authorise(name: str, verb: str, found: Any) -> None:
    """Check a verb of a record's object rule where the request's content decides which
    verb applies (an invitation's outcome): 403 and a logged refusal if refused."""
    resource = resource_named(name)
    if not resource.rules[verb](current_user, found):
        access_log.record_denied(
            f"{resource.name}.{verb}", object_type=resource.logged_type, object_id=found.id
        )
        abort(403)


def loaded_records() -> dict[str, Any]:
    """The records the pipeline loaded for this request's route, by type name."""
    return dict(g.get("pipeline_records", {}))


# --- Reads declared on the route ----------------------------------------------------------

_DECLARED = "access_log_read"


@dataclass(frozen=True)
class DeclaredRead:
    """The access log entry a route writes when it answers a read successfully."""

    action: str | Callable[[], str]
    object_type: str | None
    url_variable: str | Callable[[], Any] | None
    methods: frozenset[str]


def logged(
    action: str | Callable[[], str],
    *,
    object_type: str | None = None,
    object_id: str | Callable[[], Any] | None = None,
    methods: Iterable[str] = ("GET",),
) -> Callable[[F], F]:
    """Declare the entry a route's read writes to the access log: the pipeline notes it
    when the route answers one of ``methods`` below 400, in the request's commit.
    ``object_id`` names the URL variable holding the record's id (or, failing that, the
    query argument: the first ``concern_id`` a new meeting is proposed for), or a
    declared record by its type's name (its ``id``: ``me``, found without a URL
    variable). ``action`` and ``object_id`` may be functions of the request giving them
    (a read that is an export when CSV is asked for; what is read is not a record; a
    record chosen on the page, where None means none was shown and nothing is logged).
    A refusal is logged where it is decided (the loaders), whatever the method."""

    def decorate(view: F) -> F:
        setattr(view, _DECLARED, DeclaredRead(action, object_type, object_id, frozenset(methods)))
        return view

    return decorate


def reads(
    action: str,
    name: str,
    verb: str | None = None,
    *,
    argument: str | None = None,
    object_type: str | None = None,
) -> Callable[[F], F]:
    """Declare a record the route reads and the read's access-log entry in one:
    ``@record(name, verb, argument=...)`` and ``@logged(action)`` of that record's id,
    under ``object_type`` (the record type's name unless given)."""

    def decorate(view: F) -> F:
        view = record(name, verb, argument=argument)(view)
        return logged(action, object_type=object_type or name, object_id=name)(view)

    return decorate


def declared_read(app: Flask, endpoint: str | None) -> DeclaredRead | None:
    return getattr(app.view_functions.get(endpoint or ""), _DECLARED, None)


def note_declared_read(response: Response) -> None:
    read = declared_read(current_app, request.endpoint)
    if read is None or request.method not in read.methods or response.status_code >= 400:
        return
    if not g.get("pipeline_view_reached"):  # sent to sign in, or refused before the view
        return
    ids = request.args.to_dict() | (request.view_args or {}) | g.get("pipeline_record_ids", {})
    records = g.get("pipeline_records", {})
    if callable(read.url_variable):
        object_id = read.url_variable()
        if object_id is None:
            return  # the function found nothing read
    elif read.url_variable in records:
        object_id = records[read.url_variable].id
    else:
        object_id = ids.get(read.url_variable) if read.url_variable else None
    action = read.action() if callable(read.action) else read.action
    access_log.record(action, object_type=read.object_type, object_id=object_id)
