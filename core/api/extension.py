"""The flask-smorest Api: OpenAPI document at /api/v1/openapi.json, problem details."""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Any

from flask import Flask
from flask_smorest import Api
from flask_smorest.spec.plugins import integerconverter2paramschema

from core.api import conventions
from core.api.conventions import validation_failed
from core.errors import PROBLEM_JSON, ProblemSchema, ValidationFailed, abort

API_PREFIX = "/api/v1"


class HubApi(Api):  # type: ignore[misc]
    """Errors are rendered by the app's own handlers (problem details under /api/).

    The OpenAPI document is written when it is first read (``spec``), not while the app
    is made: describing some 130 operations is half the cost of ``create_app``, which
    every worker, every command and every test pays, and most never serve the document.
    """

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app: Flask) -> None:
        # blueprints registered whose operations the document does not describe yet
        self._undocumented: list[tuple[Any, str, Any]] = []
        self._documenting = threading.RLock()
        super().__init__(app)

    @property
    def spec(self) -> Any:
        with self._documenting:
            # read while describing (same thread, the lock is re-entrant): as it stands
            pending, self._undocumented = self._undocumented, []
            for blueprint, name, parameters in pending:
                blueprint.register_views_in_doc(
                    self, self._app, self._spec, name=name, parameters=parameters
                )
                self._spec.tag({"name": name, "description": blueprint.description})
        return self._spec

    @spec.setter
    def spec(self, value: Any) -> None:
        self._spec = value

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        """As flask-smorest's, with the blueprint's operations described later (``spec``)."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _register_error_handlers(self) -> None:
        return None

    def _register_responses(self) -> None:
        """Document every error response as application/problem+json."""
        default = self.DEFAULT_RESPONSE_CONTENT_TYPE
        self.DEFAULT_RESPONSE_CONTENT_TYPE = PROBLEM_JSON
        try:
            super()._register_responses()
        finally:
            self.DEFAULT_RESPONSE_CONTENT_TYPE = default


def api_settings() -> dict[str, Any]:
    return {
        "API_TITLE": "Safeguarding Hub API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": API_PREFIX,
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "info": {
                "description": (
                    "For partner systems of police forces, NHS trusts and care providers. "
                    "Bearer tokens, problem details (RFC 9457), ETags with If-Match on "
                    "updates and Idempotency-Key on creates: see docs/api.md."
                )
            },
            "servers": [{"url": "/"}],
            "security": [{"bearerAuth": []}],
            "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
        },
    }


def init_api(app: Flask) -> HubApi:
    """One Api per app, so that several apps (tests) never share a document."""
    for key, value in api_settings().items():
        app.config.setdefault(key, value)
    api = HubApi(app)
    api.register_converter(conventions.RecordId, integerconverter2paramschema)
    app.register_error_handler(ValidationFailed, validation_failed)
    app.extensions["safeguarding_hub_api"] = api
    return api


# What the register_api_blueprints hook hands to plugins (plugins.api.ApiConventions): the
# platform's own conventions, so that a plugin's resources follow them without importing
# the core.
plugin_conventions = SimpleNamespace(
    Blueprint=conventions.Blueprint,
    PageArgs=conventions.PageArgs,
    page_schema=conventions.page_schema,
    paginate=conventions.paginate,
    idempotent=conventions.idempotent,
    require_if_match=conventions.require_if_match,
    etag_for=conventions.etag_for,
    documented_create=conventions.documented_create,
    documented_update=conventions.documented_update,
    id_field=conventions.id_field,
    validation_as_422=conventions.validation_as_422,
    abort=abort,
)
