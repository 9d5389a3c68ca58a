"""Record types, declared once: how the pipeline loads one by id from what the user may
see, the object rules it checks, and the names the access log gives them.

A route names the records it works on (``@record("plan")`` in ``core/pipeline.py``); the
pipeline loads each from the URL before the view runs, through the declaration here:
out of the user's sight (or missing) is a 404 and a logged refusal, a verb the object
rule refuses is a 403 and a logged refusal, and the view receives the record itself. The
rules are the policy's: each area's module in this package declares its record types.
Plugins declare theirs through the ``register_resources`` hook.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from core.extensions import db
from plugins.types import RecordType

Loader = Callable[[Any, int, Mapping[str, Any]], Any]
Rule = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Resource:
    """One record type.

    ``load(user, record_id, parents)`` answers the record if the user may see it, else
    None (``parents`` holds the records loaded before it from the same URL, by name). A
    type without a URL variable is found from its parent (a case's one enquiry): its id
    is None and a refusal is logged with the parent's id.
    ``rules`` maps the area's verbs to a test of one record. ``denied`` is the action a
    refused read is logged as (``<name>.view`` unless given). ``api_endpoint`` and
    ``url_ids`` give a new record's ``Location`` in the API."""

    name: str
    url_variable: str | None
    load: Loader
    model: type | None = None
    rules: Mapping[str, Rule] = field(default_factory=dict)
    denied: str | None = None
    object_type: str | None = None
    api_endpoint: str | None = None
    url_ids: Callable[[Any], dict[str, int]] | None = None

    @property
    def refused_action(self) -> str:
        return self.denied or f"{self.name}.view"

    @property
    def logged_type(self) -> str:
        return self.object_type or self.name


RESOURCES: dict[str, Resource] = {}


def declare(resource: Resource) -> Resource:
    if RESOURCES.get(resource.name, resource) != resource:
        raise ValueError(f"Record type {resource.name!r} is declared twice")
    RESOURCES[resource.name] = resource
    return resource


def from_query(visible: Callable[[Any], sa.Select[Any]], model: Any) -> Loader:
    """A loader for a record whose rule is a query of what the user may see."""

    def load(user: Any, record_id: int, _: Mapping[str, Any]) -> Any:
        return db.session.execute(visible(user).where(model.id == record_id)).scalar_one_or_none()

    return load


def by_id(model: Any) -> Loader:
    """A loader for a record every user the route lets in may see: found by its id."""

    def load(_: Any, record_id: int, __: Mapping[str, Any]) -> Any:
        return db.session.get(model, record_id)

    return load


def child_of(model: Any, parent: str, key: str) -> Loader:
    """A loader for a record of the one loaded before it from the URL (the type named
    ``parent``), whose ``key`` column holds that record's id."""

    def load(_: Any, record_id: int, loaded: Mapping[str, Any]) -> Any:
        found = db.session.get(model, record_id)
        return found if found is not None and getattr(found, key) == loaded[parent].id else None

    return load


def resource_of(record: Any) -> Resource | None:
    """The declared record type of a model instance (for its API ``Location``)."""
    for resource in RESOURCES.values():
        if resource.model is not None and isinstance(record, resource.model):
            return resource
    return None


# where an app keeps its plugins' record types (plugins come and go with the app)
_PLUGIN_RESOURCES = "plugin_resources"


def declare_plugin_resources(app: Flask, record_types: list[RecordType]) -> None:
    """The record types the app's plugins declared (``register_resources``); a name the
    core or another plugin already uses stops start-up."""
    declared: dict[str, Resource] = {}
    for record_type in record_types:
        if record_type.name in RESOURCES or record_type.name in declared:
            raise ValueError(f"Record type {record_type.name!r} is declared twice")
        declared[record_type.name] = from_plugin(record_type)
    app.extensions[_PLUGIN_RESOURCES] = declared


def resource_named(name: str) -> Resource:
    """A record type by name: the core's, or one the app's plugins declared."""
    found = RESOURCES.get(name) or current_app.extensions.get(_PLUGIN_RESOURCES, {}).get(name)
    if found is None:
        raise LookupError(f"No record type is declared as {name!r}")
    return found


def from_plugin(record_type: RecordType) -> Resource:
    """A plugin's record type (``register_resources``) as the pipeline reads it."""
    return Resource(
        record_type.name,
        record_type.url_variable,
        record_type.load,
        rules=record_type.rules,
        denied=record_type.denied,
        object_type=record_type.object_type,
    )
