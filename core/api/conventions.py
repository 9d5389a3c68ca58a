"""The conventions every API resource follows (see docs/api.md).

- Creates return 201, the resource and a ``Location`` header; an ``Idempotency-Key``
  makes a retry safe (:func:`idempotent`).
- Reads return an ``ETag``; updates need ``If-Match`` (:func:`require_if_match`), and the
  record's version column makes the database refuse the second of two racing updates.
- Lists are ``{"items": [...], "page", "page_size", "total"}``.
- An operation's ``ValidationFailed`` answers 422 with its field messages.

The API's :class:`Blueprint` applies them, so an API function only parses, calls an
operation and returns the record: the record answered gets its ``ETag``, a record a
create (201) made its ``Location``, and an update declared with :func:`documented_update`
is refused without the ``If-Match`` of the route's record.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any, NoReturn, TypeVar

import flask_smorest
import marshmallow as ma
import sqlalchemy as sa
from flask import Response, current_app, json, request, url_for
from flask_login import current_user
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from werkzeug.exceptions import HTTPException, UnprocessableEntity
from werkzeug.routing import IntegerConverter, Map

from core.api.models import IdempotencyKey
from core.db import MAX_ID, scalar_apart, utcnow
from core.errors import ValidationFailed, abort, problem_response
from core.extensions import db
from core.pipeline import loaded_records
from core.policy.resources import resource_of
from core.policy.routes import requires

F = TypeVar("F", bound=Callable[..., Any])

MAX_PAGE_SIZE = 100
IDEMPOTENCY_TTL = timedelta(hours=24)
_BODY_METHODS = {"POST", "PUT", "PATCH"}


# --- Request checks ---------------------------------------------------------------------


def require_json_body_for_api() -> None:
    """``before_request``: an API request body that is not JSON gets 415."""
    if request.method not in _BODY_METHODS or not request.path.startswith("/api/"):
        return
    has_body = bool(request.content_length) or request.headers.get("Transfer-Encoding")
    if (has_body or request.mimetype) and not request.is_json:
        abort(415, "Send the request body as application/json.")


# --- Lists ------------------------------------------------------------------------------


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    page_size = ma.fields.Integer(
        load_default=25, validate=ma.validate.Range(min=1, max=MAX_PAGE_SIZE)
    )


def page_schema(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """The list envelope for ``item_schema``, for responses and the OpenAPI document."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return type(
        name,
        (ma.Schema,),
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "page": ma.fields.Integer(required=True),
            "page_size": ma.fields.Integer(required=True),
            "total": ma.fields.Integer(required=True),
        },
    )


def paginate(
    query: sa.Select[Any], page: int, page_size: int, *, scalars: bool = True
) -> dict[str, Any]:
    """One page of ``query`` and the total; ``scalars=False`` for a query of several
    columns, whose items are then row tuples (the item schema reads them)."""
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    result = db.session.execute(query.limit(page_size).offset((page - 1) * page_size))
    items = list(result.scalars() if scalars else result.all())
    return {"items": items, "page": page, "page_size": page_size, "total": total}


# --- ETags ------------------------------------------------------------------------------


def etag_for(record: Any) -> str:
    return f'"{type(record).__tablename__}-{record.id}-v{record.version}"'


def with_etag(response: Response, record: Any) -> Response:
    response.headers["ETag"] = etag_for(record)
    return response


def require_if_match(record: Any) -> None:
    """428 without ``If-Match``; 412 when it is not the record's current ETag."""
    current = etag_for(record)
    header = request.headers.get("If-Match")
    if not header:
        abort(428, "Send If-Match with the ETag from your last GET of this record.")
    offered = {tag.strip() for tag in header.split(",")}
    if "*" not in offered and current not in offered:
        abort(412, "The record has changed since you read it. GET it again and retry.")


# --- Transactions and idempotent creates ------------------------------------------------


def transactional(view: F) -> F:
    """Kept for plugins written before the request pipeline, and changes nothing: every
    request now commits once after its view, rolls back on failure, and answers a version
    clash with 412 (``core/pipeline.py``). New code leaves it out."""
    return view


def _fingerprint() -> str:
    try:
        body = json.dumps(request.get_json(silent=True), sort_keys=True)
    except (TypeError, ValueError):
        body = request.get_data(as_text=True)
    raw = f"{request.method} {request.path}?{request.query_string.decode()}\n{body}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _replay(row: IdempotencyKey) -> Response:
    """The stored response, if the user may still read what it created: a retry after
    losing access (the team removed the agency's involvement) is answered as a read of
    the record would be, 404, with the refusal logged."""
    if row.response_location and (refused := _read_refused(row.response_location)):
        return refused
    response = Response(row.response_body or "", status=row.response_status or 200)
    response.mimetype = "application/json"
    if row.response_location:
        response.headers["Location"] = row.response_location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _read_refused(location: str) -> Response | None:
    """Read ``location`` through the app as a GET with this request's credentials: its
    refusal (4xx), or None when the user may read it. The same pipeline decides as for
    any read: the policy, the access log and the 404."""
    adapter = current_app.url_map.bind("")
    try:
        adapter.match(location, method="GET")
    except HTTPException:
        return None  # nothing to read there: the stored response stands alone
    headers = {
        name: value
        for name, value in request.headers.items()
        if name.lower() in {"authorization", "cookie", "x-forwarded-for"}
    }
    with current_app.test_request_context(
        location, method="GET", headers=headers, environ_base={"REMOTE_ADDR": request.remote_addr}
    ):
        read = current_app.full_dispatch_request()
    return read if 400 <= read.status_code < 500 else None


def _claim(key: str, fingerprint: str) -> int | Response:
    """Record the key as in progress (committed) and give its row's id, or answer from an
    earlier request with the same key."""
    apart = db.engine.dialect.name == "postgresql"
    claim = _claim_statement(db.engine.dialect.name)
    for _ in range(2):
        now = utcnow()
        values = {
            "user_id": current_user.id,
            "key": key,
            "request_path": request.path[:500],
            "request_hash": fingerprint,
            "created_at": now,
            "expires_at": now + IDEMPOTENCY_TTL,
        }
        if apart:
            # committed at once on a connection of its own (a retry must see the claim),
            # while the request's transaction goes on: no COMMIT and BEGIN between them
            claimed = scalar_apart(db.engine, claim, values)
        elif (claimed := db.session.execute(claim, values).scalar_one_or_none()) is not None:
            db.session.commit()  # SQLite: one writer at a time, in the request's connection
        if claimed is not None:
            return int(claimed)
        existing = db.session.execute(
            sa.select(IdempotencyKey).where(
                IdempotencyKey.user_id == current_user.id, IdempotencyKey.key == key
            )
        ).scalar_one_or_none()
        if existing is None:
            continue  # released by the request that held it a moment ago: claim it now
        if existing.expires_at < now:
            # a key from more than a day ago: forget it and claim it afresh
            db.session.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.id == existing.id))
            continue
        if existing.request_hash != fingerprint:
            abort(
                422,
                "This Idempotency-Key was used with a different request.",
                errors={"Idempotency-Key": ["Already used with a different request body"]},
            )
        if existing.status != "completed":
            lease = timedelta(seconds=current_app.config["IDEMPOTENCY_LEASE_SECONDS"])
            if existing.created_at + lease <= now:
                # the request that claimed it never finished (its worker was killed):
                # nothing of it was saved, so this retry runs in its place
                taken = db.session.execute(
                    sa.delete(IdempotencyKey).where(
                        IdempotencyKey.id == existing.id,
                        IdempotencyKey.status == "in_progress",
                        IdempotencyKey.created_at == existing.created_at,
                    )
                )
                if getattr(taken, "rowcount", 0):
                    db.session.commit()
                continue
            _still_running(existing.created_at + lease - now)
        return _replay(existing)
    _still_running(timedelta(seconds=1))


@functools.cache
def _claim_statement(dialect: str) -> Any:
    """The claim's insert for the database kind, built once, run with the key's values."""
    dialect_insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = IdempotencyKey.__table__
    names = ("user_id", "key", "request_path", "request_hash", "created_at", "expires_at")
    return (
        dialect_insert(table)
        .values({name: sa.bindparam(name, type_=table.c[name].type) for name in names})
        .values(status="in_progress")
        .on_conflict_do_nothing(index_elements=[table.c.user_id, table.c.key])
        .returning(table.c.id)
    )


def _still_running(left: timedelta) -> NoReturn:
    abort(
        409,
        "A request with this Idempotency-Key is still being processed. Retry later.",
        headers={"Retry-After": str(max(1, math.ceil(left.total_seconds())))},
    )


def _release(claimed: int) -> None:
    db.session.rollback()
    db.session.execute(sa.delete(IdempotencyKey).where(IdempotencyKey.id == claimed))
    db.session.commit()


_IDEMPOTENT = "hub_idempotent"


def idempotent(view: F) -> F:
    """Make a create safe to retry with an ``Idempotency-Key`` header.

    Keys are per user and kept for 24 hours. The first response is stored with the
    created record in one transaction and replayed for the same key and body, if the
    user may still read the record (else the read's 404); the same key with another
    body gets 422; a retry while the first runs gets 409 with Retry-After, until the
    claim's lease (IDEMPOTENCY_LEASE_SECONDS) ends and a retry takes it over. A
    request that fails (4xx or error) stores nothing, so it can be corrected and sent
    again with the same key. Wraps a view that does not commit (see transactional).
    """

    if getattr(view, _IDEMPOTENT, False):  # a 201 response of our Blueprint is already
        return view

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return transactional(view)(*args, **kwargs)
        key = key.strip()
        if not 1 <= len(key) <= 255:
            abort(
                422,
                "Idempotency-Key must be 1 to 255 characters.",
                errors={"Idempotency-Key": ["Must be 1 to 255 characters"]},
            )
        claimed = _claim(key, _fingerprint())
        if isinstance(claimed, Response):
            return claimed
        try:
            result = view(*args, **kwargs)
            response = _as_response(result)
        except HTTPException:
            _release(claimed)
            raise
        except BaseException:
            _release(claimed)
            raise
        if response.status_code >= 400:
            _release(claimed)
            return response
        db.session.connection().execute(
            _COMPLETE,
            {
                "claimed": claimed,
                "response_status": response.status_code,
                "response_body": response.get_data(as_text=True),
                "response_location": response.headers.get("Location"),
            },
        )
        db.session.commit()
        return response

    setattr(wrapper, _IDEMPOTENT, True)
    return wrapper  # type: ignore[return-value]


_KEYS = IdempotencyKey.__table__
# a Core update, built once: no ORM object to synchronise
_COMPLETE = (
    sa.update(_KEYS)
    .where(_KEYS.c.id == sa.bindparam("claimed"))
    .values(
        {
            name: sa.bindparam(name, type_=_KEYS.c[name].type)
            for name in ("response_status", "response_body", "response_location")
        }
    )
    .values(status="completed")
)


def _as_response(result: Any) -> Response:
    response: Response = current_app.make_response(result)
    return response


@contextmanager
def validation_as_422() -> Iterator[None]:
    """An operation's ValidationFailed becomes 422 with its field messages."""
    try:
        yield
    except ValidationFailed as failed:
        db.session.rollback()
        abort(422, errors=failed.errors)


IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string"},
    "description": "The ETag from your last GET of this record",
}
IDEMPOTENCY_KEY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    "description": "Makes a retried create safe: the same key and body replay the first response",
}


def documented_update(blp: Any, *, check: bool = True) -> Callable[[F], F]:
    """An update: the route's record (the last one it declares) must be sent back with
    its ETag in If-Match (428 without, 412 if it changed), unless ``check`` is False and
    the view checks another record; and the OpenAPI for it: the header, 412 and 428."""

    def decorate(view: F) -> F:
        if check:
            setattr(view, _IF_MATCH, True)
        view = blp.doc(parameters=[IF_MATCH_PARAMETER])(view)
        view = blp.alt_response(412, response="PRECONDITION_FAILED")(view)
        return blp.alt_response(428, response="PRECONDITION_REQUIRED")(view)  # type: ignore[no-any-return]

    return decorate


def documented_create(blp: Any) -> Callable[[F], F]:
    """OpenAPI for a create: the Idempotency-Key header, 409 and 415."""

    def decorate(view: F) -> F:
        if getattr(view, _IDEMPOTENT, False):  # documented with it
            return view
        view = blp.doc(parameters=[IDEMPOTENCY_KEY_PARAMETER])(view)
        view = blp.alt_response(409, response="CONFLICT")(view)
        return blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")(view)  # type: ignore[no-any-return]

    return decorate


class RecordId(IntegerConverter):
    """``<id:concern_id>`` in a page's or the API's URL: a record's id, a positive
    integer the database can hold. Any other number matches no route (404), never a
    database error."""

    def __init__(self, map: Map) -> None:
        super().__init__(map, min=1, max=MAX_ID)


def id_field(**kwargs: Any) -> ma.fields.Integer:
    """A record id in a JSON body: a positive integer the database can hold (a JSON
    number, not a string)."""
    return ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)


def query_id_field(message: str | None = None, **kwargs: Any) -> ma.fields.Integer:
    """A record id in a query string, where every value is text: ``?concern_id=12``.
    ``message`` replaces the library's for a value that is not such an id."""
    if message is None:
        return ma.fields.Integer(validate=ma.validate.Range(min=1, max=MAX_ID), **kwargs)
    return ma.fields.Integer(
        validate=ma.validate.Range(min=1, max=MAX_ID, error=message),
        error_messages={"invalid": message},
        **kwargs,
    )


# --- The API's blueprint ------------------------------------------------------------------

_IF_MATCH = "api_requires_if_match"


def _versioned(body: Any) -> bool:
    return hasattr(body, "__tablename__") and hasattr(body, "version")


def _location(made: Any) -> str | None:
    resource = resource_of(made)
    if resource is None or resource.api_endpoint is None or resource.url_ids is None:
        return None
    return url_for(resource.api_endpoint, **resource.url_ids(made))


def _with_conventions(view: F, created: bool) -> F:
    @functools.wraps(view)
    def answer(*args: Any, **kwargs: Any) -> Any:
        loaded = list(loaded_records().values())
        if getattr(view, _IF_MATCH, False) and loaded:
            require_if_match(loaded[-1])
        result = view(*args, **kwargs)
        if isinstance(result, tuple) or not _versioned(result):
            return result
        db.session.flush()
        headers = {"ETag": etag_for(result)}
        if created and not any(result is r for r in loaded):
            location = _location(result)
            if location is not None:
                headers["Location"] = location
        return result, headers

    return answer  # type: ignore[return-value]


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    """flask-smorest's blueprint with the conventions above on every response: a route
    answering 201 is a create, safe to retry with an Idempotency-Key (:func:`idempotent`,
    documented so).

    An operation is declared in one line, ``@blp.post(rule, permission, Input, Answer)``:
    its route, the permission it needs (:func:`requires`), the schema its input is read
    with (the query string for ``get`` and ``delete``, the JSON body otherwise) and the
    schema of its answer, with its status (200 unless given; 204 for ``delete``)."""

    def operation(
        self,
        method: str,
        rule: str,
        permission: str,
        given: Any = None,
        answer: Any = None,
        *,
        status: int | None = None,
    ) -> Callable[[F], F]:
        def declare(view: F) -> F:
            view = self.response(status or (204 if method == "DELETE" else 200), answer)(view)
            if given is not None:
                location = "json" if method in _BODY_METHODS else "query"
                # an instance, made once: given a class, webargs makes one for every
                # request (deep copies of all its fields), as the answer's is made once
                schema = given() if isinstance(given, type) else given
                view = self.arguments(schema, location=location)(view)
            return self.route(rule, methods=[method])(requires(permission)(view))  # type: ignore[no-any-return]

        return declare

    def get(self, rule: str, permission: str, *args: Any, **kwargs: Any) -> Callable[[F], F]:  # type: ignore[override]
        return self.operation("GET", rule, permission, *args, **kwargs)

    def post(self, rule: str, permission: str, *args: Any, **kwargs: Any) -> Callable[[F], F]:  # type: ignore[override]
        return self.operation("POST", rule, permission, *args, **kwargs)

    def put(self, rule: str, permission: str, *args: Any, **kwargs: Any) -> Callable[[F], F]:  # type: ignore[override]
        return self.operation("PUT", rule, permission, *args, **kwargs)

    def patch(self, rule: str, permission: str, *args: Any, **kwargs: Any) -> Callable[[F], F]:  # type: ignore[override]
        return self.operation("PATCH", rule, permission, *args, **kwargs)

    def delete(self, rule: str, permission: str, *args: Any, **kwargs: Any) -> Callable[[F], F]:  # type: ignore[override]
        return self.operation("DELETE", rule, permission, *args, **kwargs)

    def response(self, status_code: Any, schema: Any = None, **kwargs: Any) -> Callable[[F], F]:
        decorate = super().response(status_code, schema, **kwargs)
        if str(status_code) != "201":
            return lambda view: decorate(_with_conventions(view, False))  # type: ignore[no-any-return]
        document = documented_create(self)
        return lambda view: idempotent(document(decorate(_with_conventions(view, True))))


def validation_failed(failed: ValidationFailed) -> Any:
    """An operation's refusal: 422 with the field messages on the API; on a page (whose
    forms catch it where they can) the error page with the messages."""
    if request.path.startswith("/api/"):
        return problem_response(422, errors=failed.errors)
    messages = "; ".join(m for ms in failed.errors.values() for m in ms)
    return current_app.handle_user_exception(UnprocessableEntity(messages))
