"""What a plugin receives to add JSON API resources that follow the platform's conventions
(docs/api.md): the ``api`` argument of the ``register_api_blueprints`` hook::

    @hookimpl
    def register_api_blueprints(api):
        blp = api.Blueprint("home_visits", __name__, url_prefix="/home-visits")

        @blp.route("/", methods=["POST"])
        @requires("home_visits.record")
        @api.idempotent
        def create(): ...

        return [blp]

The platform hands its own implementation in; nothing here imports the platform.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, NoReturn, Protocol


class ApiConventions(Protocol):
    """The conventions of the platform's API, for a plugin's resources.

    ``Blueprint``: flask-smorest's blueprint that adds the ``ETag`` of a versioned record it
    returns, its ``Location`` when created, and checks ``If-Match`` on documented updates;
    a route declaring ``response(201, ...)`` is a create, made ``idempotent`` and
    documented so (``documented_create``) without more.
    ``PageArgs``/``page_schema``/``paginate``: paging (``page``, ``page_size``).
    ``idempotent``: replay a create sent again with the same ``Idempotency-Key`` (for a
    create that answers without ``response(201)``).
    ``require_if_match``/``etag_for``: optimistic concurrency by hand.
    ``documented_create``/``documented_update``: the headers in the OpenAPI document.
    ``id_field``: an id that refuses what the database cannot hold.
    ``validation_as_422``: a context in which ``ValidationFailed`` answers 422.
    ``abort``: stop with problem details (RFC 9457).
    """

    Blueprint: type[Any]
    PageArgs: type[Any]

    def page_schema(self, item_schema: type[Any]) -> type[Any]: ...

    def paginate(self, query: Any, page: int, page_size: int) -> dict[str, Any]: ...

    def idempotent(self, view: Callable[..., Any]) -> Callable[..., Any]: ...

    def require_if_match(self, record: Any) -> None: ...

    def etag_for(self, record: Any) -> str: ...

    def documented_create(self, blp: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]: ...

    def documented_update(
        self, blp: Any, *, check: bool = True
    ) -> Callable[[Callable[..., Any]], Callable[..., Any]]: ...

    def id_field(self, **kwargs: Any) -> Any: ...

    def validation_as_422(self) -> AbstractContextManager[None]: ...

    def abort(self, status: int, detail: str | None = None, **kwargs: Any) -> NoReturn: ...
